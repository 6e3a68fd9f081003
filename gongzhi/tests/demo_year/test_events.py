"""The demo year's activities (seed_demo): the 17 activities of 2023 in the named
formats, 6,195 person-times, a World Café, a charity market and volunteer hours.
(The present's activities: test_today.py.)"""

from django.db.models import Sum

from gongzhi.events.counting import participation
from gongzhi.events.models import Activity, Attendance, HoursClaim, WalkInCount


def test_demo_year_has_the_named_formats_and_6195_person_times(town):
    past = Activity.objects.filter(town=town, starts_at__year=2023)
    assert past.count() == past.filter(status="published").count() == 17
    titles = set(past.values_list("title", flat=True))
    for name in ["共创美好社区", "境聚里世界咖啡馆", "境享好市", "环保遇见微改造，小小园艺师"]:
        assert name in titles
    assert past.filter(kind="placemaking").count() == 6
    # Person-times are attendance records plus walk-in head counts, counted here.
    attended = Attendance.objects.filter(activity__in=past)
    walk_ins = WalkInCount.objects.filter(activity__in=past).aggregate(n=Sum("count"))["n"]
    assert (attended.count(), walk_ins) == (4195, 2000)
    people = attended.values("user").distinct().count()
    assert people == 1740
    figures = participation(past)
    assert (figures.person_times, figures.people) == (4195 + 2000, people)
    assert WalkInCount.objects.filter(activity__title="境享好市").exists()
    cafe = Activity.objects.get(title="境聚里世界咖啡馆").world_cafe
    assert cafe.rounds.count() == 3 and cafe.themes.count() == 3
    assert Activity.objects.get(title="境享好市").stalls.count() == 6
    assert HoursClaim.objects.filter(status="approved").exists()
    # Besides: the co-design workshops of the plans carried on in 2024, and the
    # present's 14 (dated from the seeding day; test_today.py).
    later = Activity.objects.filter(town=town, starts_at__year=2024)
    assert later.count() == later.filter(kind="workshop").count() == 16
    assert Activity.objects.filter(town=town).count() == 17 + 16 + 14
