"""The dashboard and the annual report: what they show, for the town and one area,
their filters and bad parameters, their query count, and their links."""

import json
import re
from collections import Counter
from datetime import datetime, time
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.core.testing import count_queries
from gongzhi.events.models import Activity, ActivityKind, Attendance, HoursClaim, WalkInCount
from gongzhi.meetings.models import Meeting
from gongzhi.partners.models import Partner
from gongzhi.planning.models import PlanningProcess
from gongzhi.proposals.models import Proposal
from gongzhi.renewal.models import Project
from gongzhi.reports.figures import Period, compute
from gongzhi.reports.views import REPORTED, shown
from gongzhi.tests.factories import (
    ActivityFactory,
    AreaFactory,
    PartnerFactory,
    RoleGrantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LAST_YEAR = timezone.localdate().year - 1


def moment(year, month=6, day=1, hour=10):
    return timezone.make_aware(datetime.combine(datetime(year, month, day).date(), time(hour)))


def activity_with_people(area, *, when, people=3, walk_ins=0, kind="workshop"):
    """A past activity of ``area`` with ``people`` named attendances (and walk-ins)."""
    activity = ActivityFactory(area=area, town=area.town, starts_at=when, kind=kind)
    Attendance.objects.bulk_create(
        Attendance(activity=activity, user=UserFactory(), method="qr", checked_in_at=when)
        for _ in range(people)
    )
    if walk_ins:
        WalkInCount.objects.create(
            activity=activity, count=walk_ins, recorded_by=activity.created_by, recorded_at=when
        )
    return activity


@pytest.fixture
def records(town, area_a, area_b):
    """Last year's records in two areas: activities with attendance, partners."""
    activity_with_people(area_a, when=moment(LAST_YEAR, 3), people=4, walk_ins=20)
    activity_with_people(area_a, when=moment(LAST_YEAR, 9), people=2, kind="salon")
    activity_with_people(area_b, when=moment(LAST_YEAR, 9), people=5)
    PartnerFactory(area=area_a, town=town)
    PartnerFactory(area=area_b, town=town, modes=["media", "education"])


def counted(town, year, area=None) -> dict:
    """Every tile's value for the ``records`` world, counted here from the records with
    plain queries (docs/reports.md's rules), not through ``reports.figures``. The world
    has no proposals, meetings, projects, processes or volunteer hours; rather than
    count those by rules it does not exercise, this refuses a world that has any."""
    where = {"area": area} if area else {}
    for model, rows in [
        (Proposal, {"town": town}),
        (Meeting, {"town": town}),
        (Project, {"town": town}),
        (PlanningProcess, {"town": town}),
        (HoursClaim, {"activity__town": town}),
    ]:
        assert not model.objects.filter(**rows).exists(), f"count {model.__name__} here too"
    activities = Activity.objects.filter(
        town=town, status="published", starts_at__year=year, **where
    )
    assert not activities.filter(kind=ActivityKind.VOLUNTEER_SERVICE).exists()
    attended = Attendance.objects.filter(activity__in=activities)
    walk_ins = WalkInCount.objects.filter(activity__in=activities)
    partners = Partner.objects.filter(
        town=town, status="active", joined_on__year__lte=year, **where
    )
    return {
        # Partner cultivation: the home areas of people at the sessions of programmes.
        "areas_served": Attendance.objects.filter(
            activity__town=town,
            activity__status="published",
            activity__starts_at__year=year,
            activity__cultivation_session__programme__status__in=["open", "closed"],
        )
        .exclude(user__residential_area=None)
        .values("user__residential_area")
        .distinct()
        .count(),
        "partners": partners.count(),
        "party_members": partners.filter(party_status="dual_registered").count(),
        "activities": activities.count(),
        "person_times": attended.count() + sum(walk_ins.values_list("count", flat=True)),
        "people": attended.values("user").distinct().count(),
        "proposals": 0,
        "meetings": 0,
        "projects": 0,
        "projects_by_status": 0,
        "articles": 0,
        "processes": 0,
        "volunteer_hours": 0.0,
        "venue_hours": 0.0,
        "satisfaction": None,
        "gain": None,
    }


def dashboard_url(town, **query):
    url = reverse("reports:dashboard", args=[town.slug])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def tile(html: str, key: str) -> str:
    """The markup of one figure tile."""
    match = re.search(rf'<li class="figure report-tile" id="figure-{key}">(.*?)</li>', html, re.S)
    assert match, f"no tile for {key}"
    return match.group(1)


def shows(markup: str, value) -> bool:
    """Whether a tile's number is ``value`` as printed (31, not the start of 310)."""
    return (
        re.search(rf'<span class="figure-value">{re.escape(shown(value))}[\s<]', markup) is not None
    )


def chart_data(html: str, chart_id: str) -> dict:
    match = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', html)
    assert match, f"no chart data {chart_id}"
    return json.loads(unescape(match.group(1)))


# --- The dashboard ------------------------------------------------------------------------


def test_the_dashboard_shows_every_figure_of_compute_with_its_rule_and_link(client, town, records):
    response = client.get(dashboard_url(town, year=LAST_YEAR), **EN)
    assert response.status_code == 200
    html = response.content.decode()
    expected = counted(town, LAST_YEAR)
    assert expected["person_times"] == 4 + 20 + 2 + 5 and expected["people"] == 4 + 2 + 5
    # The two partners joined this year: last year had none.
    assert (expected["areas_served"], expected["partners"], expected["activities"]) == (0, 0, 3)
    assert set(re.findall(r'id="figure-([a-z_]+)"', html)) == set(expected)
    for key, value in expected.items():
        assert shows(tile(html, key), value), key
    # The words around each number: its label, its rule once, its link.
    result = compute(town=town, period=Period.of_year(LAST_YEAR))
    assert set(result.figures) == set(expected)
    for key, figure in result.figures.items():
        markup = tile(html, key)
        assert str(figure.label) in unescape(markup)
        if figure.url:
            assert f'href="{figure.url.replace("&", "&amp;")}"' in markup, key
        assert unescape(markup).count(str(figure.rule)) == 1, key
    # The seven reported figures come first, in the programme's order.
    keys = re.findall(r'id="figure-([a-z_]+)"', html)
    assert keys[: len(REPORTED)] == list(REPORTED)
    assert f"Period: {LAST_YEAR}" in html


def test_staff_see_a_write_on_the_dashboard_at_once(client_for, town, area_a, records):
    """The tiles and charts are kept under the data version (core/pagecache.py): a
    signed-in reader's second view reuses them, and a new check-in shows at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = client_for("secretariat")
    url = dashboard_url(town, year=LAST_YEAR)

    def person_times():
        with CaptureQueriesContext(connection) as queries:
            html = staff.get(url, **EN).content.decode()
        found = re.search(r'<span class="figure-value">(\d+)', tile(html, "person_times"))
        return int(found.group(1)), len(queries), html

    counted, first, html = person_times()
    kept, second, again = person_times()
    assert counted == kept == 4 + 20 + 2 + 5 and second < first
    assert again.count('id="figure-') == html.count('id="figure-') > 7
    activity = Activity.objects.filter(area=area_a).order_by("starts_at").first()
    Attendance.objects.create(
        activity=activity, user=UserFactory(), method="qr", checked_in_at=activity.starts_at
    )
    assert person_times()[0] == counted + 1


def test_breakdowns_have_charts_and_tables_whose_lines_link_to_their_records(
    client, town, area_a, area_b, records
):
    html = client.get(dashboard_url(town, year=LAST_YEAR), **EN).content.decode()
    # Activities by kind, in the kinds' order, counted here.
    kinds = Counter(
        Activity.objects.filter(town=town, starts_at__year=LAST_YEAR).values_list("kind", flat=True)
    )
    by_kind = [(str(label), kinds[kind]) for kind, label in ActivityKind.choices if kinds[kind]]
    assert len(by_kind) == 2  # workshops and a salon
    data = chart_data(html, "chart-activities")
    assert list(zip(data["labels"], data["series"][0]["values"], strict=True)) == by_kind
    activities = compute(town=town, period=Period.of_year(LAST_YEAR)).figures["activities"]
    assert len(activities.parts) == 2
    assert 'data-report-chart="chart-activities"' in html
    for title in ("Activities by kind", "Community partners by work mode", "Trends by month"):
        assert title in html
    for part in activities.parts:
        assert f'href="{part.url.replace("&", "&amp;")}"' in html
    # Trends by month (a line), the comparison across areas and the age bands.
    months = chart_data(html, "chart-months")
    assert months["kind"] == "line" and len(months["labels"]) == 12
    areas = chart_data(html, "chart-areas-person-times")
    assert areas["labels"] == [area_a.name, area_b.name]
    assert areas["series"][0]["values"] == [26, 5]
    assert chart_data(html, "chart-age-bands")["labels"]
    # Each area's line leads to the dashboard narrowed to it, same period.
    assert f"?year={LAST_YEAR}&amp;area={area_a.pk}" in html
    # Every chart's numbers are in a table too, scrollable by keyboard.
    assert html.count('data-report-chart="') <= html.count('<table class="report-table">') + 2
    assert '<div class="table-wrap" tabindex="0">' in html


def test_one_areas_dashboard_counts_that_area_only(client, town, area_a, records):
    response = client.get(dashboard_url(town, year=LAST_YEAR, area=area_a.pk), **EN)
    assert response.status_code == 200
    html = response.content.decode()
    expected = counted(town, LAST_YEAR, area=area_a)
    assert expected["person_times"] == 4 + 20 + 2 and expected["activities"] == 2
    for key, value in expected.items():
        assert shows(tile(html, key), value), key
    assert "chart-areas-person-times" not in html  # no comparison inside one area
    assert f"Figures of {area_a.name}" in html
    annual = reverse("reports:annual", args=[town.slug, LAST_YEAR]) + f"?area={area_a.pk}"
    assert f'href="{annual}"' in html


def test_a_range_of_dates_is_a_period(client, town, records):
    response = client.get(
        dashboard_url(town, start=f"{LAST_YEAR}-09-01", end=f"{LAST_YEAR}-09-30"), **EN
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{LAST_YEAR}-09-01 – {LAST_YEAR}-09-30" in html
    assert f'<span class="figure-value">{shown(7)}' in tile(html, "person_times")
    # The range wins over the year the select still shows.
    response = client.get(
        dashboard_url(town, year=LAST_YEAR, start=f"{LAST_YEAR}-09-01", end=f"{LAST_YEAR}-09-30")
    )
    assert response.status_code == 200


def test_the_year_select_offers_the_years_with_records(client, town, records):
    html = client.get(dashboard_url(town), **EN).content.decode()
    select = re.search(r'<select name="year".*?</select>', html, re.S).group(0)
    assert f'<option value="{LAST_YEAR}"' in select
    assert '<option value="2001"' not in select


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "1999"}, "Select a valid choice"),
        ({"year": "abc"}, "Select a valid choice"),
        ({"area": "999999"}, "Select a valid choice"),
        ({"area": "x"}, "Select a valid choice"),
        ({"start": "2023-13-01"}, "Enter a valid date"),
        ({"start": "1990-01-01", "end": "1990-02-01"}, "must fall between"),
        ({"start": f"{LAST_YEAR}-05-01", "end": f"{LAST_YEAR}-04-01"}, "must not come before"),
    ],
)
def test_bad_parameters_answer_400_with_the_forms_message(client, town, records, query, message):
    response = client.get(dashboard_url(town, **query), **EN)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert message in html
    assert 'class="form-errors"' in html
    assert "report-tile" not in html


def test_an_unknown_town_is_404(client, db):
    assert client.get("/t/nowhere/reports/").status_code == 404
    assert client.get("/t/nowhere/reports/annual/2023/").status_code == 404


def test_the_dashboards_queries_do_not_grow_with_the_areas(client, town, area_a, area_b):
    """Same number of queries with 2 areas as with 10, each with records."""

    def add_areas(n):
        for _ in range(n):
            area = AreaFactory(town=town)
            activity_with_people(area, when=moment(LAST_YEAR, 5), people=2, walk_ins=3)
            PartnerFactory(area=area, town=town)

    for area in (area_a, area_b):
        activity_with_people(area, when=moment(LAST_YEAR, 4), people=1)
    url = dashboard_url(town, year=LAST_YEAR)
    count_queries(client, url)  # warm per-process caches
    few, _ = count_queries(client, url)
    add_areas(8)
    many, response = count_queries(client, url)
    assert few == many, f"{few} queries with 2 areas, {many} with 10"
    assert response.content.decode().count(f"?year={LAST_YEAR}&amp;area=") >= 10


def test_the_ledgers_link_is_for_staff_with_the_permission(client_for, town, people, records):
    ledgers = reverse("reports:ledgers", args=[town.slug])
    url = dashboard_url(town, year=LAST_YEAR)
    for role in ("anonymous", "resident", "partner", "other_secretariat"):
        assert ledgers not in client_for(role).get(url).content.decode(), role
    for role in ("area_staff", "secretariat", "administrator"):
        html = client_for(role).get(url).content.decode()
        assert f'href="{ledgers}?year={LAST_YEAR}"' in html, role


def test_the_ledgers_permission(town, other_town, people):
    for role, allowed in {
        "resident": False,
        "partner": False,
        "area_staff": True,
        "secretariat": True,
        "other_secretariat": False,
        "administrator": True,
    }.items():
        assert people[role].has_perm("reports.export_ledgers", town) is allowed, role
    assert not people["area_staff"].has_perm("reports.export_ledgers", other_town)


def test_no_names_reach_the_dashboard(client, town, area_a, records):
    partner = PartnerFactory(area=area_a, town=town, name="张三丰")
    html = client.get(dashboard_url(town, year=LAST_YEAR)).content.decode()
    assert partner.name not in html
    assert partner.user.phone not in html


# --- The annual report ----------------------------------------------------------------------


def annual_url(town, year, **query):
    url = reverse("reports:annual", args=[town.slug, year])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def test_the_annual_report_puts_the_seven_reported_figures_first(client, town, records):
    response = client.get(annual_url(town, LAST_YEAR), **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{town.name} {LAST_YEAR}: annual report of the community partner work" in html
    assert "css/print.css" in html
    reported = html[html.index('id="reported-title"') : html.index('id="others-title"')]
    keys = re.findall(r'id="figure-([a-z_]+)"', reported)
    assert keys == list(REPORTED)
    expected = counted(town, LAST_YEAR)
    assert expected["person_times"] == 31
    for key, value in expected.items():
        assert shows(tile(html, key), value), key
    # The breakdowns print as open tables (no <details> to unfold on paper).
    assert "report-numbers" not in html
    assert html.count('<table class="report-table">') >= 3


def test_an_areas_annual_report(client, town, area_a, records):
    response = client.get(annual_url(town, LAST_YEAR, area=area_a.pk), **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{town.name} {area_a.name} {LAST_YEAR}: annual report" in html
    assert f'<span class="figure-value">{shown(26)}' in tile(html, "person_times")
    assert "chart-areas-person-times" not in html


@pytest.mark.parametrize("year", [1999, 1, "next", 99999])
def test_an_annual_report_outside_2000_to_this_year_is_404(client, town, year):
    # "next" is worked out when the test runs, not at collection.
    if year == "next":
        year = timezone.localdate().year + 1
    assert client.get(annual_url(town, year)).status_code == 404


def test_an_unknown_area_in_the_annual_report_is_400(client, town, other_town):
    foreign = AreaFactory(town=other_town)
    for value in ("abc", "999999", str(foreign.pk)):
        response = client.get(annual_url(town, LAST_YEAR, area=value), **EN)
        assert response.status_code == 400, value
        assert "Select a valid choice" in unescape(response.content.decode())


def test_the_annual_report_shows_completed_projects_and_the_processes(
    client, town, area_a, settings, tmp_path
):
    from gongzhi.planning import services as planning_services
    from gongzhi.planning.tests.builders import process_at_step
    from gongzhi.renewal.models import ProjectStatus
    from gongzhi.renewal.tests.builders import area_staff, project_at

    settings.MEDIA_ROOT = tmp_path
    staff = area_staff(area_a)
    project = project_at(ProjectStatus.COMPLETED, actor=staff, area=area_a, title="口袋花园")
    year = project.actual_end.year
    area_c = AreaFactory(town=town)
    running = process_at_step(4, town=town, area=area_c, actor=staff, title="丙区规划")
    area_d = AreaFactory(town=town)
    dropped = process_at_step(2, town=town, area=area_d, actor=staff, title="丁区规划")
    secretary = RoleGrantFactory(town=town, role="secretariat").user  # the town abandons
    planning_services.abandon(process=dropped, actor=secretary, reason="居民意见分歧")

    html = client.get(annual_url(town, year), **EN).content.decode()
    highlights = html[html.index('id="highlights"') : html.index('id="processes"')]
    assert project.title in highlights
    assert reverse("renewal:project", args=[town.slug, project.pk]) in highlights
    before = project.photos.get(phase="before")
    after = project.photos.get(phase="after")
    assert before.image.url in highlights and after.image.url in highlights
    assert project.result in highlights
    processes = html[html.index('id="processes"') :]
    assert project.process.title in processes
    assert "Completed" in processes
    assert running.title in processes and "At step 4:" in processes
    assert dropped.title in processes and "居民意见分歧" in processes
    # The photographer and the people in the photos are not in the report.
    assert before.photographer not in html


def test_the_dashboard_links_to_the_annual_report(client, town, records):
    html = client.get(dashboard_url(town, year=LAST_YEAR)).content.decode()
    assert f'href="{annual_url(town, LAST_YEAR)}"' in html
