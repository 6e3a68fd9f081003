"""The demo year's partner cultivation: the 2023 programme held through the named
salon, World Café and training, and the 32 residential areas it served, counted from
the sessions' check-ins."""

from gongzhi.cultivation.counting import areas_served
from gongzhi.cultivation.models import Programme
from gongzhi.cultivation.queries import area_record
from gongzhi.places.models import ResidentialArea
from gongzhi.reports.figures import Period, compute


def test_the_2023_programme_is_held_through_the_named_formats(town):
    programme = Programme.objects.get(town=town, title="参与式社区规划培训")
    assert programme.status == "closed" and programme.sessions_required == 2
    sessions = list(programme.sessions.select_related("activity").order_by("order"))
    assert [s.activity.title for s in sessions] == [
        "共创美好社区",
        "境聚里世界咖啡馆",
        "合伙人参与式规划培训",
    ]
    assert {s.activity.kind for s in sessions} == {"salon", "world_cafe", "training"}
    assert all(s.activity.starts_at.year == 2023 for s in sessions)


def test_all_32_areas_were_served_in_2023_and_none_in_2022(town):
    served = areas_served(town, Period.of_year(2023))
    assert served.total == 32 == ResidentialArea.objects.filter(town=town).count()
    assert compute(town=town, period=Period.of_year(2023))["areas_served"].value == 32
    assert areas_served(town, Period.of_year(2022)).total == 0


def test_each_area_has_its_record(town):
    area = ResidentialArea.objects.get(town=town, code="01")
    record = area_record(area)
    assert record and all(row.user.residential_area_id == area.pk for row in record)
    # The record spans the years (the present's round too); 2023's rows count 2023.
    assert (
        len({row.user.pk for row in record if row.programme.title == "参与式社区规划培训"})
        == areas_served(town, Period.of_year(2023), area).areas[area.pk]
    )


def test_the_present_round_serves_areas_this_year_counted_from_check_ins(town, demo_year, client):
    """The programme's new round, open, held through the present's training, today's
    co-building day, the World Café and the salon: the dashboard's current year reads
    the areas of the people checked in at its sessions (no figure typed in)."""
    from django.urls import reverse
    from django.utils import timezone

    from gongzhi.events.models import Attendance

    programme = Programme.objects.get(town=town, title="参与式社区规划培训（新一期）")
    assert programme.status == "open" and programme.sessions_required == 2
    activities = [s.activity for s in programme.sessions.select_related("activity")]
    assert {a.kind for a in activities} == {"training", "placemaking", "world_cafe", "salon"}
    year = timezone.localdate(demo_year.seeded_at).year
    # Counted here from the check-ins: the account's area, else the partner's.
    homes = set()
    for attendance in Attendance.objects.filter(
        activity__in=activities, activity__starts_at__year=year
    ).select_related("user"):
        home = attendance.user.residential_area_id
        if home is None:
            partner = attendance.user.partnerships.filter(town=town).order_by("pk").first()
            home = partner.area_id if partner else None
        homes.add(home)
    homes.discard(None)
    assert homes  # today's co-building day is always this year's
    response = client.get(reverse("reports:dashboard", args=[town.slug]))
    assert response.context["period"].year == year
    assert response.context["result"].figures["areas_served"].value == len(homes)
    # The 2023 programme's figure stands.
    assert compute(town=town, period=Period.of_year(2023))["areas_served"].value == 32


def test_seeding_again_adds_no_programme(demo_year):
    assert demo_year.again["cultivation.Programme"] == demo_year.counts["cultivation.Programme"]
    assert demo_year.again["cultivation.Session"] == demo_year.counts["cultivation.Session"]
