"""Participation figures: person-times (人次) and people (人数) per area, unit,
month, age band, partner and activity; the public page that shows them."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts.models import ConsentRecord
from gongzhi.accounts.services import give_consent
from gongzhi.core.testing import assert_constant_queries
from gongzhi.events import counting, services
from gongzhi.events.models import Activity, Attendance, WalkInCount
from gongzhi.events.services import OPENS_BEFORE
from gongzhi.organisations.services import set_up_organisation
from gongzhi.tests.factories import ActivityFactory, PartnerFactory, UserFactory

YEAR = timezone.localdate().year - 1  # a whole past year: everything in it has happened


def on(month, day=10, hour=9):
    return timezone.make_aware(datetime.combine(datetime(YEAR, month, day).date(), time(hour)))


def held(area, month, *, attendees=(), walk_ins=0, organiser=None, day=10):
    """A past activity with its attendance already recorded."""
    activity = ActivityFactory(area=area, starts_at=on(month, day), organiser=organiser)
    for user in attendees:
        Attendance.objects.create(activity=activity, user=user, method="roster")
    if walk_ins:
        WalkInCount.objects.create(activity=activity, count=walk_ins, recorded_by=UserFactory())
    return activity


@pytest.fixture
def world(town, area_a, area_b, people):
    """50 people at three activities is 150 person-times and 50 people (DOMAIN.md)."""
    secretariat = set_up_organisation(town=town, actor=people["secretariat"])
    crowd = UserFactory.create_batch(50)
    held(area_a, 3, attendees=crowd, organiser=secretariat)
    held(area_a, 4, attendees=crowd, walk_ins=7)
    held(area_b, 4, attendees=crowd)
    return {"crowd": crowd, "secretariat": secretariat}


def public(town):
    return Activity.objects.public().filter(town=town)


def test_the_domain_example_and_the_breakdowns(town, area_a, area_b, world):
    total = counting.participation(public(town))
    assert (total.person_times, total.people, total.walk_ins) == (157, 50, 7)

    areas = {row.label: (row.person_times, row.people) for row in counting.by_area(public(town))}
    assert areas == {area_a.name: (107, 50), area_b.name: (50, 50)}

    units = {row.key: (row.person_times, row.people) for row in counting.by_unit(public(town))}
    assert units == {world["secretariat"].pk: (50, 50), None: (107, 50)}

    months = counting.by_month(public(town))
    assert [(timezone.localtime(r.key).month, r.person_times, r.people) for r in months] == [
        (3, 50, 50),
        (4, 107, 50),
    ]


def test_a_town_wide_activity_is_its_own_row(town, area_a, people):
    activity = ActivityFactory(town=town, area=None, starts_at=on(5))
    Attendance.objects.create(activity=activity, user=people["resident"], method="qr")
    rows = counting.by_area(public(town))
    assert [(r.key, r.person_times, r.people) for r in rows] == [(None, 1, 1)]


def test_age_bands_count_only_with_consent(town, area_a):
    consenting = [UserFactory(age_band="60_69") for _ in range(3)]
    for user in consenting:
        give_consent(user=user, kind="age_band")
    no_consent = UserFactory(age_band="18_34")  # band on file, but no consent for this use
    withdrawn = UserFactory(age_band="35_59")
    record = give_consent(user=withdrawn, kind="age_band")
    ConsentRecord.objects.filter(pk=record.pk).update(withdrawn_at=timezone.now())
    no_band = UserFactory()
    give_consent(user=no_band, kind="age_band")
    everyone = [*consenting, no_consent, withdrawn, no_band]
    held(area_a, 6, attendees=everyone, walk_ins=4)
    held(area_a, 7, attendees=consenting[:1])

    rows = {r.key: (r.person_times, r.people) for r in counting.by_age_band(public(town))}
    assert rows == {
        "60_69": (4, 3),
        counting.NOT_STATED: (3, 3),
        counting.WALK_INS: (4, None),
    }


def test_partners_by_attendance(town, area_a, people):
    partner = PartnerFactory(user=people["partner"], area=area_a, name="王合伙人")
    idle = PartnerFactory(area=area_a)
    elsewhere = PartnerFactory()  # a partner of another town
    for month in (3, 4):
        held(area_a, month, attendees=[partner.user, elsewhere.user])
    rows = counting.by_partner(public(town), town=town)
    assert [(r.partner, r.person_times) for r in rows] == [(partner, 2)]
    assert idle not in [r.partner for r in rows]


def figures_url(town, **query):
    from urllib.parse import urlencode

    url = reverse("events:figures", args=[town.slug])
    return url + ("?" + urlencode(query) if query else "")


def test_page_labels_each_figure_and_links_to_the_list_behind_it(client, town, area_a, world):
    response = client.get(figures_url(town, year=YEAR))
    assert response.status_code == 200
    page = response.content.decode()
    assert "人次" in page and "人数" in page
    assert response.context["total"].person_times == 157
    area_link = f"?year={YEAR}&amp;area={area_a.pk}#activities"
    assert area_link in page
    assert f"?year={YEAR}&amp;month={YEAR}-04#activities" in page
    assert f"?year={YEAR}&amp;unit=none#activities" in page

    narrowed = client.get(figures_url(town, year=YEAR, area=area_a.pk))
    assert narrowed.context["total"].person_times == 107
    assert {a.title for a in narrowed.context["page"]} == set(
        public(town).filter(area=area_a).values_list("title", flat=True)
    )
    assert area_a.name in narrowed.context["narrowed_to"]

    april = client.get(figures_url(town, year=YEAR, month=f"{YEAR}-04"))
    assert (april.context["total"].person_times, april.context["total"].people) == (107, 50)


def test_period_by_dates_and_future_activities_left_out(client, town, area_a, people):
    held(area_a, 3, attendees=[people["resident"]])
    held(area_a, 9, attendees=[people["partner"]])
    ActivityFactory(area=area_a)  # tomorrow: planned, not yet a figure
    spring = client.get(figures_url(town, **{"from": f"{YEAR}-03-01", "to": f"{YEAR}-05-31"}))
    assert spring.context["total"].person_times == 1
    assert spring.context["page"].paginator.count == 1
    this_year = client.get(figures_url(town))
    assert all(a.starts_at <= timezone.now() + OPENS_BEFORE for a in this_year.context["page"])


@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"},
        {"year": "1999"},
        {"month": "2026-13"},
        {"area": "999999"},
        {"unit": "x"},
        {"from": "2026-05-01", "to": "2026-04-01"},
        {"from": "yesterday"},
    ],
)
def test_bad_input_is_answered_with_a_message(client, town, query):
    response = client.get(figures_url(town, **query))
    assert response.status_code == 400
    assert response.context["form"].errors


def test_partner_names_are_masked_for_the_public(client, client_for, town, area_a, people):
    partner = PartnerFactory(user=people["partner"], area=area_a, name="王合伙人")
    held(area_a, 3, attendees=[partner.user])
    url = figures_url(town, year=YEAR)
    assert "王**" in client.get(url).content.decode()
    assert "王合伙人" not in client.get(url).content.decode()
    assert "王合伙人" in client_for("secretariat").get(url).content.decode()


def test_figures_page_query_count_is_constant(client, town, area_a, people):
    set_up_organisation(town=town, actor=people["secretariat"])
    from gongzhi.organisations.models import OrgUnit
    from gongzhi.tests.factories import AreaFactory

    units = list(OrgUnit.objects.filter(town=town))

    def make_rows(n):
        activities = []
        for i in range(n):
            area = AreaFactory(town=town)
            partner = PartnerFactory(area=area)
            user = UserFactory(age_band="60_69")
            give_consent(user=user, kind="age_band")
            activity = held(
                area,
                1 + i % 12,
                day=1 + i % 28,
                attendees=[partner.user, user],
                walk_ins=i % 3,
                organiser=units[i % len(units)],
            )
            activities.append(activity)
        return activities

    assert_constant_queries(client, figures_url(town, year=YEAR), make_rows, small=3, large=30)


def test_figures_page_counts_a_check_in_at_once(client, town, area_a, people):
    # Check-in opens before the start: the figures count it already.
    activity = ActivityFactory(
        area=area_a, starts_at=timezone.now() + timedelta(minutes=30), capacity=None
    )
    services.check_in(activity=activity, user=people["resident"], method="qr")
    total = client.get(figures_url(town)).context["total"]
    assert (total.person_times, total.people) == (1, 1)
