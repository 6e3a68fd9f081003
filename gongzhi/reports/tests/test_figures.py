"""The figures' counting rules (reports/figures.py) on a small built world: each
figure, the area filter, the period's first and last day, a write seen at once, and
a number of queries that does not grow with the areas."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from gongzhi.core.errors import DomainError
from gongzhi.cultivation.models import Programme, Session
from gongzhi.events.models import (
    Activity,
    Attendance,
    ClaimStatus,
    HoursClaim,
    WalkInCount,
)
from gongzhi.meetings.models import Attendee, Meeting
from gongzhi.planning.models import PlanningProcess, ProcessStatus, RunOutcome
from gongzhi.planning.tests.builders import process_at_step
from gongzhi.proposals.models import Proposal
from gongzhi.proposals.tests.builders import make_proposal
from gongzhi.renewal.models import Project
from gongzhi.renewal.tests.builders import unit_of
from gongzhi.reports.figures import KEYS, Period, compute, parse_period
from gongzhi.tests.factories import (
    ActivityFactory,
    AreaFactory,
    PartnerFactory,
    SiteFactory,
    UserFactory,
)

YEAR = 2025
PERIOD = Period.of_year(YEAR)


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def activity(area, when, *, town=None, hours=2, **fields):
    return ActivityFactory(
        area=area,
        town=town or area.town,
        starts_at=when,
        ends_at=when + timedelta(hours=hours),
        **fields,
    )


def attend(activity, users, *, minutes=None):
    for user in users:
        out = activity.starts_at + timedelta(minutes=minutes) if minutes else None
        Attendance.objects.create(
            activity=activity,
            user=user,
            method="roster",
            checked_in_at=activity.starts_at,
            checked_out_at=out,
        )


def proposal(area, when, *, status="submitted"):
    made = Proposal.objects.create(
        town=area.town,
        area=area,
        author=UserFactory(),
        title="加装休息座椅",
        description="小区花园缺少座椅",
        category="facilities",
        status=status,
        last_activity_at=when,
    )
    Proposal.objects.filter(pk=made.pk).update(created_at=when)
    return made


def meeting(area, when, *, town=None, status="held", kind="self_governance"):
    return Meeting.objects.create(
        town=town or area.town,
        area=area,
        kind=kind,
        title="自治会议",
        venue="逸致议事厅",
        starts_at=when,
        ends_at=when + timedelta(hours=1),
        status=status,
        created_by=UserFactory(),
    )


def project(area, origin, *, kind="garden", status="completed", actual_end=None, **dates):
    values = {
        "planned_start": date(YEAR, 3, 1),
        "planned_end": date(YEAR, 5, 1),
        "actual_start": date(YEAR, 3, 1) if actual_end else None,
        "actual_end": actual_end,
        "result": "建成步道" if actual_end else "",
        "result_published_at": local(YEAR, 12, 31, 12) if actual_end else None,
    }
    values.update(dates)
    return Project.objects.create(
        town=area.town,
        area=area,
        site=SiteFactory(area=area, town=area.town),
        title="花园",
        description="步道",
        kind=kind,
        proposal=origin,
        responsible_unit=unit_of(area.town),
        budget=Decimal("1000.00"),
        funding_source="town_budget",
        status=status,
        created_by=UserFactory(),
        **values,
    )


@pytest.fixture
def area_c(town):
    return AreaFactory(town=town, name="第三居民区", code="03")


@pytest.fixture
def world(town, other_town, area_a, area_b, area_c):
    """Records on both sides of every rule, for the year 2025."""
    staff = UserFactory()
    other_area = AreaFactory(town=other_town, code="01")
    # Partners: two counted (area_a), one joined too late, one left, one elsewhere.
    PartnerFactory(
        area=area_a,
        joined_on=date(YEAR, 12, 31),
        modes=["planning", "media"],
        party_status="dual_registered",
    )
    PartnerFactory(area=area_a, joined_on=date(YEAR - 1, 5, 1), modes=["education"])
    PartnerFactory(area=area_b, joined_on=date(YEAR + 1, 1, 1))
    PartnerFactory(area=area_b, joined_on=date(YEAR, 3, 1), status="left")
    PartnerFactory(area=other_area, joined_on=date(YEAR, 3, 1))
    # Activities: the last evening of the year counts, the first minute of the next
    # does not; neither do cancelled, draft or other towns' activities.
    a, b, c = UserFactory(), UserFactory(), UserFactory()
    last_evening = activity(area_a, local(YEAR, 12, 31, 23, 30), kind="workshop")
    attend(last_evening, [a, b])
    # Partner cultivation: the last evening's workshop is a session of an open
    # programme and ``a`` lives in area A, so area A is served; area B is not.
    a.residential_area = area_a
    a.save(update_fields=["residential_area"])
    training = Programme.objects.create(town=town, title="培训", status="open", created_by=staff)
    Session.objects.create(programme=training, activity=last_evening, order=1, added_by=staff)
    attend(activity(area_a, local(YEAR + 1, 1, 1, 0, 0)), [a, b, c])
    attend(activity(area_a, local(YEAR, 6, 1, 9), status="cancelled"), [c])
    attend(activity(area_a, local(YEAR, 6, 1, 9), status="draft"), [c])
    attend(activity(other_area, local(YEAR, 6, 1, 9)), [c])
    market = activity(None, local(YEAR, 9, 16, 9), town=town, kind="charity_market")
    attend(market, [a])
    WalkInCount.objects.create(activity=market, count=100, recorded_by=staff)
    # Volunteer service, 2 hours: one checked out after 3 h (2 h count), one after 1 h;
    # an approved manual half hour counts, a pending hour does not.
    service = activity(area_b, local(YEAR, 1, 1, 0, 0), kind="volunteer_service")
    attend(service, [a], minutes=180)
    attend(service, [c], minutes=60)
    HoursClaim.objects.create(
        activity=service, user=b, minutes=30, reason="布置场地", status=ClaimStatus.APPROVED
    )
    HoursClaim.objects.create(activity=service, user=c, minutes=60, reason="收尾")
    # Proposals: submitted on the year's last day and first day count, the next
    # year's first minute does not.
    first = proposal(area_a, local(YEAR, 1, 1, 0, 0), status="adopted")
    proposal(area_a, local(YEAR, 12, 31, 23, 59))
    proposal(area_b, local(YEAR + 1, 1, 1, 0, 0))
    # Meetings: held and town-wide count; cancelled and next year's do not.
    joint = meeting(area_a, local(YEAR, 4, 1, 19), kind="joint")
    Attendee.objects.create(meeting=joint, name="王", present=True, signed_in_at=joint.starts_at)
    Attendee.objects.create(meeting=joint, name="李", present=False)
    meeting(None, local(YEAR, 12, 31, 20), town=town)
    meeting(area_b, local(YEAR, 5, 1, 19), status="cancelled")
    meeting(area_b, local(YEAR + 1, 1, 1, 0, 0))
    # Projects: completed on Dec 31 counts; on Jan 1 next year it does not, but its
    # planned dates overlap the year; one planned for later overlaps nothing.
    project(area_a, first, kind="garden", actual_end=date(YEAR, 12, 31))
    project(area_b, first, kind="gate", actual_end=date(YEAR + 1, 1, 1))
    project(
        area_b,
        first,
        status="planned",
        planned_start=date(YEAR + 1, 3, 1),
        planned_end=date(YEAR + 1, 6, 1),
    )
    # Processes: area_a at step 3 (counts), area_b abandoned in the year before (not),
    # then completed in the year (counts), area_c starting next year (not).
    running = process_at_step(3, town=town, area=area_a, actor=staff)
    PlanningProcess.objects.filter(pk=running.pk).update(starts_on=date(YEAR, 5, 1))
    gone = process_at_step(2, town=town, area=area_b, actor=staff)
    gone.runs.filter(closed_at__isnull=True).update(
        closed_at=local(YEAR - 1, 12, 31, 23), outcome=RunOutcome.ABANDONED
    )
    PlanningProcess.objects.filter(pk=gone.pk).update(
        status=ProcessStatus.ABANDONED, abandoned_reason="搬迁", starts_on=date(YEAR - 1, 3, 1)
    )
    done = process_at_step(11, town=town, area=area_b, actor=staff)
    done.runs.filter(closed_at__isnull=True).update(
        closed_at=local(YEAR, 6, 1, 10), outcome=RunOutcome.COMPLETED
    )
    PlanningProcess.objects.filter(pk=done.pk).update(
        status=ProcessStatus.COMPLETED,
        completed_at=local(YEAR, 6, 1, 10),
        starts_on=date(YEAR - 1, 9, 1),
    )
    later = process_at_step(1, town=town, area=area_c, actor=staff)
    PlanningProcess.objects.filter(pk=later.pk).update(starts_on=date(YEAR + 1, 1, 1))
    return {"last_evening": last_evening, "market": market, "service": service}


def values(figures) -> dict:
    return {key: figure.value for key, figure in figures.figures.items()}


def parts(figure) -> dict:
    return {part.key: part.value for part in figure.parts}


def test_each_figure_counts_by_its_rule(world, town):
    figures = compute(town=town, period=PERIOD)
    got = values(figures)
    assert list(got) == KEYS
    assert got["areas_served"] == 1
    assert got["partners"] == 2
    assert got["party_members"] == 1
    assert parts(figures["partners"]) == {
        "think_tank": 0,
        "planning": 1,
        "governance": 0,
        "media": 1,
        "education": 1,
    }
    assert got["activities"] == 3  # last evening, market, volunteer service
    assert parts(figures["activities"]) == {
        "workshop": 1,
        "charity_market": 1,
        "volunteer_service": 1,
    }
    # 2 at the last evening + 1 named and 100 walk-ins at the market + 2 volunteers.
    assert got["person_times"] == 105
    assert parts(figures["person_times"]) == {"activities": 105, "meetings_present": 1}
    assert got["people"] == 3
    assert got["proposals"] == 2
    assert parts(figures["proposals"]) == {"adopted": 1, "submitted": 1}
    assert got["meetings"] == 2
    assert parts(figures["meetings"]) == {"self_governance": 1, "joint": 1}
    assert got["projects"] == 1
    assert parts(figures["projects"]) == {"garden": 1}
    assert got["projects_by_status"] == 2
    assert parts(figures["projects_by_status"]) == {"completed": 2}
    assert got["processes"] == 2
    assert parts(figures["processes"]) == {"step_3": 1, "completed": 1}
    assert got["volunteer_hours"] == 3.5
    assert got["satisfaction"] is None and got["gain"] is None


def test_every_figure_names_its_rule_and_links_to_its_records(world, town, client):
    with translation.override("en"):
        figures = compute(town=town, period=PERIOD)
    assert len(figures.figures) > 10
    for figure in figures.figures.values():
        assert figure.rule and figure.label and figure.unit
        assert figure.url.startswith(f"/t/{town.slug}/")
        for part in figure.parts:  # may be empty: not every figure has a breakdown
            assert part.url.startswith(f"/t/{town.slug}/")
    assert "counted separately" in figures["person_times"].rule
    assert figures["meetings"].url == f"/t/{town.slug}/meetings/?year={YEAR}"
    assert figures["projects"].parts[0].url == f"/t/{town.slug}/projects/?kind=garden"
    # The links open (the lists accept the filters given).
    urls = {figures[k].url for k in figures.figures}
    assert len(urls) > 5
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_months_areas_and_age_bands(world, town, area_a, area_b, area_c):
    figures = compute(town=town, period=PERIOD)
    assert [m["month"] for m in figures.months] == [f"{YEAR}-{n:02d}" for n in range(1, 13)]
    december = figures.months[-1]
    assert december == {
        "month": f"{YEAR}-12",
        "activities": 1,
        "person_times": 2,
        "proposals": 1,
        "meetings": 1,
    }
    assert figures.months[0]["activities"] == 1  # the service at midnight on Jan 1
    assert [row["area"] for row in figures.areas] == [area_a, area_b, area_c]
    a, b, c = figures.areas
    assert (a["partners"], a["activities"], a["person_times"], a["proposals"]) == (2, 1, 2, 2)
    assert (a["meetings"], a["projects"]) == (1, 1)
    assert (b["activities"], b["person_times"], b["meetings"], b["projects"]) == (1, 2, 0, 0)
    assert c == {**c, "partners": 0, "activities": 0, "person_times": 0}
    assert sum(row.person_times for row in figures.age_bands) == 105


def test_one_area(world, town, area_a, area_b):
    figures = compute(town=town, period=PERIOD, area=area_a)
    got = values(figures)
    assert got["areas_served"] == 1
    assert got["partners"] == 2
    assert got["activities"] == 1  # town-wide market counts for the town only
    assert got["person_times"] == 2
    assert got["meetings"] == 1  # the joint meeting; the town-wide one is not the area's
    assert got["proposals"] == 2
    assert got["processes"] == 1
    assert figures.areas == []
    assert f"area={area_a.pk}" in figures["proposals"].url
    b = values(compute(town=town, period=PERIOD, area=area_b))
    assert (b["areas_served"], b["partners"], b["volunteer_hours"]) == (0, 0, 3.5)


def test_area_of_another_town_is_refused(town, other_town):
    with pytest.raises(DomainError):
        compute(town=town, period=PERIOD, area=AreaFactory(town=other_town))


def test_period_boundaries_move_records(world, town):
    # The next year sees what starts on its first minute.
    following = values(compute(town=town, period=Period.of_year(YEAR + 1)))
    assert following["proposals"] == 1
    assert following["projects"] == 1
    assert following["partners"] == 3  # two from before and one joined on Jan 1
    # A period of one day: Dec 31.
    day = values(compute(town=town, period=Period(date(YEAR, 12, 31), date(YEAR, 12, 31))))
    assert (day["activities"], day["proposals"], day["meetings"], day["projects"]) == (1, 1, 1, 1)


def test_a_write_changes_the_figure_at_once(world, town, area_a):
    before = values(compute(town=town, period=Period.of_year(timezone.localdate().year)))
    make_proposal(town=town, area=area_a, title="增设快递柜", description="方便取件")
    after = values(compute(town=town, period=Period.of_year(timezone.localdate().year)))
    assert after["proposals"] == before["proposals"] + 1
    Activity.objects.filter(pk=world["market"].pk).update(status="cancelled")
    assert values(compute(town=town, period=PERIOD))["person_times"] == 2 + 2


def test_parse_period():
    assert parse_period(year=YEAR) == PERIOD
    assert parse_period(year=str(YEAR)).label == str(YEAR)
    assert parse_period(start="2025-03-01", end="2025-04-30") == Period(
        date(2025, 3, 1), date(2025, 4, 30)
    )
    assert parse_period().year == timezone.localdate().year
    for bad in [
        {"year": 1999},
        {"year": timezone.localdate().year + 1},
        {"year": "20x5"},
        {"start": "2025-13-01"},
        {"start": "2025-05-01", "end": "2025-04-01"},
        {"year": 2025, "start": "2025-01-01"},
    ]:
        with pytest.raises(DomainError):
            parse_period(**bad)


def _world_of(town, n):
    staff = UserFactory()
    for i in range(n):
        area = AreaFactory(town=town, code=f"9{i:02d}")
        PartnerFactory(area=area, joined_on=date(YEAR, 1, 1), modes=["planning", "media"])
        attend(activity(area, local(YEAR, 1 + i % 12, 5, 9)), [UserFactory(), UserFactory()])
        WalkInCount.objects.create(
            activity=activity(area, local(YEAR, 2, 5, 9)), count=5, recorded_by=staff
        )
        origin = proposal(area, local(YEAR, 1 + i % 12, 3, 9), status="adopted")
        meeting(area, local(YEAR, 1 + i % 12, 7, 19))
        project(area, origin, actual_end=date(YEAR, 4, 1))


def _queries(town) -> int:
    with CaptureQueriesContext(connection) as captured:
        compute(town=town, period=PERIOD)
    return len(captured.captured_queries)


def test_queries_do_not_grow_with_areas(town, other_town):
    _world_of(town, 2)
    _world_of(other_town, 10)
    few, many = _queries(town), _queries(other_town)
    assert few == many
    assert many <= 40
