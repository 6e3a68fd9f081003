"""Renewal services: creating a project from its origin, the status transitions,
milestones, money, photos and the completion that publishes the result and tells
the residents who took part. Every refusal is a DomainError (or PermissionDenied)
that leaves nothing behind."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.utils import timezone, translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from gongzhi.accounts.services import delete_account
from gongzhi.contests import services as contests
from gongzhi.contests.tests.builders import after_submissions, enter, open_contest
from gongzhi.core.errors import DomainError
from gongzhi.core.models import AuditEvent, Notification
from gongzhi.events.models import Attendance
from gongzhi.planning import services as planning
from gongzhi.planning.models import ActivityLink, SurveyLink
from gongzhi.planning.tests.builders import process_at_step, run_of
from gongzhi.proposals import services as proposals
from gongzhi.proposals.models import ProposalStatus
from gongzhi.proposals.tests.builders import make_proposal
from gongzhi.renewal import services
from gongzhi.renewal.models import (
    MAX_MILESTONES,
    MAX_PHOTOS_PER_PHASE,
    TITLE_MAX,
    BudgetApproval,
    Milestone,
    Phase,
    Project,
    ProjectPhoto,
    ProjectStatus,
    Spending,
    StatusChange,
)
from gongzhi.renewal.participants import participants
from gongzhi.surveys import services as surveys
from gongzhi.surveys.models import Survey, SurveyStatus
from gongzhi.tests.factories import (
    TEST_PASSWORD,
    ActivityFactory,
    AreaFactory,
    PartnerFactory,
    RoleGrantFactory,
    SiteFactory,
    TownFactory,
    UserFactory,
)

from .builders import (
    area_staff,
    aware,
    completed_process,
    jpeg_upload,
    make_project,
    new_project,
    project_at,
    unit_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


@pytest.fixture
def plan(area_a, staff):
    return completed_process(area=area_a, actor=staff)


@pytest.fixture
def site(town, area_a):
    return SiteFactory(town=town, area=area_a, name="中心花园")


def today():
    return timezone.localdate()


def tomorrow():
    return today() + timedelta(days=1)


def resolved(values):
    """Parametrized values with the dates worked out now. A date written into a
    parametrize list is computed at collection, minutes before the test runs: past
    midnight in the town's time zone "tomorrow" is already today and the check passes."""
    return {key: value() if callable(value) else value for key, value in values.items()}


def fields(**overrides):
    """create_project's details, all valid unless overridden."""
    values = {
        "title": "中心花园微更新",
        "description": "花园步道、座椅和雨水花园",
        "kind": "garden",
        "budget": "50000.00",
        "funding_source": "town_budget",
        "contractor": "上海某园林公司",
        "planned_start": today() - timedelta(days=30),
        "planned_end": today() + timedelta(days=30),
    }
    values.update(overrides)
    return values


def create(town, actor, site, **overrides):
    return make_project(town=town, actor=actor, site=site, **fields(**overrides))


def adopted_proposal(town, area, staff, author=None, **extra):
    proposal = proposals.submit_proposal(
        town=town,
        author=author or UserFactory(),
        area=area,
        title="楼道加装扶手",
        description="老人上下楼不方便，希望在楼道加装扶手。",
        category="facilities",
        **extra,
    )
    return proposals.adopt(proposal=proposal, actor=staff)


def awarded_contest(town, area, secretary, *, winners=1, entrants=2):
    """A contest awarded to its first ``winners`` of ``entrants`` finalists."""
    contest = open_contest(town=town, area=area, actor=secretary)
    entries = [
        enter(contest, UserFactory(), team=f"第{n}队", title=f"方案{n}") for n in range(entrants)
    ]
    contests.advance_stage(contest=contest, actor=secretary, at=after_submissions(contest))
    contests.advance_stage(contest=contest, actor=secretary, keep=entries)
    contests.advance_stage(contest=contest, actor=secretary, keep=entries)
    contest.refresh_from_db()
    contests.award(
        contest=contest,
        actor=secretary,
        titles={entry.pk: "一等奖" for entry in entries[:winners]},
        at=contest.public_vote_closes + timedelta(minutes=1),
    )
    for entry in entries:
        entry.refresh_from_db()
    return entries


def snapshot(project):
    """Everything a refused action must leave as it was."""
    row = Project.objects.filter(pk=project.pk).values().get()
    row.pop("updated_at")
    return {
        "row": row,
        "history": list(StatusChange.objects.filter(project=project).values_list("pk", flat=True)),
        "events": AuditEvent.objects.count(),
        "milestones": list(Milestone.objects.filter(project=project).values()),
        "spendings": Spending.objects.filter(project=project).count(),
        "approvals": BudgetApproval.objects.filter(project=project).count(),
        "photos": ProjectPhoto.objects.filter(project=project).count(),
        "surveys": Survey.objects.count(),
        "notifications": Notification.objects.count(),
    }


def stored_files(settings):
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- Creating a project ----------------------------------------------------------------


def test_a_completed_plan_becomes_a_project(town, area_a, staff, plan, site):
    partner = PartnerFactory(area=area_a)
    project = create(town, staff, site, process=plan, partners=[partner], budget=" 12345.60 ")
    project.refresh_from_db()
    assert project.status == ProjectStatus.PLANNED
    assert (project.town, project.area, project.site) == (town, area_a, site)
    assert project.process == plan and project.origin == plan
    assert project.origin_kind == "process"
    assert project.budget == Decimal("12345.60")
    assert list(project.partners.all()) == [partner]
    assert project.created_by == staff
    assert list(plan.projects.all()) == [project]  # the link back
    assert not StatusChange.objects.filter(project=project).exists()


def test_creation_is_audited_without_personal_data(town, area_a, staff, plan, site):
    project = create(town, staff, site, process=plan)
    event = AuditEvent.objects.get(verb="project.create")
    assert event.actor == staff
    assert (event.target_type, event.target_id) == ("renewal.project", str(project.pk))
    assert event.town_id == town.pk
    assert event.after == {
        "origin": "process",
        "origin_id": plan.pk,
        "kind": "garden",
        "budget": "50000.00",
        "funding": "town_budget",
    }
    recorded = f"{event.target_label} {event.before} {event.after}"
    for personal in (staff.phone, staff.display_name):
        assert personal not in recorded


def test_an_adopted_proposal_becomes_a_project(town, area_a, staff, site):
    proposal = adopted_proposal(town, area_a, staff)
    project = create(town, staff, site, proposal=proposal)
    assert project.origin_kind == "proposal" and project.origin == proposal
    assert list(proposal.projects.all()) == [project]


def test_a_winning_entry_becomes_a_project(town, area_a, secretary):
    winner, _loser = awarded_contest(town, area_a, secretary)
    project = create(town, secretary, winner.site, entry=winner)
    assert project.origin_kind == "entry" and project.origin == winner
    assert project.area == winner.site.area


def _refused_origin(kind, *, town, area, staff, secretary):
    """An origin that may not become a project, as create_project's keywords."""
    if kind == "active plan":
        return {"process": process_at_step(5, town=town, area=area, actor=staff)}
    if kind == "submitted proposal":
        return {
            "proposal": make_proposal(
                town=town, area=area, title="加装雨棚", description="车棚漏雨。"
            )
        }
    if kind == "declined proposal":
        proposal = make_proposal(town=town, area=area, title="加装雨棚", description="车棚漏雨。")
        return {"proposal": proposals.decline(proposal=proposal, actor=staff, reason="不可行")}
    if kind == "implemented proposal":
        proposal = adopted_proposal(town, area, staff)
        return {"proposal": proposals.mark_implemented(proposal=proposal, actor=staff)}
    if kind == "losing entry":
        _winner, loser = awarded_contest(town, area, secretary)
        return {"entry": loser}
    if kind == "two origins":
        return {
            "process": completed_process(area=area, actor=staff),
            "proposal": adopted_proposal(town, area, staff),
        }
    assert kind == "none"
    return {}


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("active plan", "Only a completed plan"),
        ("submitted proposal", "Only an adopted proposal"),
        ("declined proposal", "Only an adopted proposal"),
        ("implemented proposal", "Only an adopted proposal"),
        ("losing entry", "Only a winning contest entry"),
        ("two origins", "exactly one origin"),
        ("none", "exactly one origin"),
    ],
)
def test_an_origin_that_is_not_ready_is_refused(
    town, area_a, staff, secretary, site, kind, message
):
    origin = _refused_origin(kind, town=town, area=area_a, staff=staff, secretary=secretary)
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError, match=message):
        create(town, secretary, site, **origin)
    assert not Project.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        ("12.345", "at most two decimals"),
        ("0.001", "at most two decimals"),
        ("abc", "must be an amount in yuan"),
        ("", "must be an amount in yuan"),
        (None, "must be an amount in yuan"),
        ("12,00", "must be an amount in yuan"),
        ("-1", "cannot be negative"),
        ("-0.01", "cannot be negative"),
        ("1e12", "too large"),
        ("100000000", "too large"),
        # Quantizing these overflowed the decimal context (a 500) before the fix.
        ("1e26", "too large"),
        ("1e100000", "too large"),
        ("NaN", "must be an amount in yuan"),
        ("sNaN", "must be an amount in yuan"),
        ("Infinity", "must be an amount in yuan"),
        ("-Infinity", "must be an amount in yuan"),
    ],
)
def test_a_bad_budget_is_refused(town, staff, plan, site, budget, message):
    with pytest.raises(DomainError, match=message) as info:
        create(town, staff, site, process=plan, budget=budget)
    assert "The budget" in info.value.message
    assert not Project.objects.exists()


@pytest.mark.parametrize("budget", ["0", "0.00", "99999999.99", "1e3", 12.5, Decimal("7.10")])
def test_budgets_at_the_edges_are_taken(town, staff, plan, site, budget):
    project = create(town, staff, site, process=plan, budget=budget)
    project.refresh_from_db()
    assert project.budget == Decimal(str(budget))


@given(text=st.text(max_size=40) | st.decimals(allow_nan=True, allow_infinity=True).map(str))
@hypothesis_settings(max_examples=300, deadline=None)
def test_money_is_parsed_or_refused_with_a_message(text):
    """Whatever is typed, the amount comes back with at most two decimals and in the
    column's range, or the answer is a DomainError: never another exception."""
    try:
        amount = services._money(text, label="The amount")
    except DomainError:
        return
    assert amount.is_finite()
    assert Decimal("0") <= amount <= Decimal("99999999.99")
    assert amount == amount.quantize(Decimal("0.01"))


def test_the_site_must_be_in_the_origins_area(town, area_a, area_b, staff, secretary, plan):
    elsewhere = SiteFactory(town=town, area=area_b)
    with pytest.raises(DomainError, match=area_a.name):
        create(town, secretary, elsewhere, process=plan)
    proposal = adopted_proposal(town, area_a, staff)
    with pytest.raises(DomainError, match="the residential area the project comes from"):
        create(town, secretary, elsewhere, proposal=proposal)
    assert not Project.objects.exists()


def test_the_site_must_be_in_the_town(town, other_town, secretary, plan):
    foreign = SiteFactory(area=AreaFactory(town=other_town))
    with pytest.raises(DomainError, match="in this town"):
        create(town, secretary, foreign, process=plan)
    # The origin's town and the town named must be the same too.
    with pytest.raises(DomainError, match="in this town"):
        create(other_town, secretary, foreign, process=plan)
    assert not Project.objects.exists()


def test_unit_and_partners_must_be_of_the_town(town, other_town, area_a, staff, plan, site):
    with pytest.raises(DomainError, match="responsible unit must be in this town"):
        create(town, staff, site, process=plan, responsible_unit=unit_of(other_town))
    stranger = PartnerFactory(area=AreaFactory(town=other_town))
    local = PartnerFactory(area=area_a)
    with pytest.raises(DomainError, match="partner of this town"):
        create(town, staff, site, process=plan, partners=[local, stranger])
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"planned_end": lambda: today() - timedelta(days=31)}, "before its start"),
        ({"planned_start": "2025-01-01"}, "must be a date"),
        ({"planned_end": None}, "must be a date"),
        ({"kind": "castle"}, "Choose the kind"),
        ({"kind": ""}, "Choose the kind"),
        ({"funding_source": "lottery"}, "Choose the funding source"),
        ({"funding_source": None}, "Choose the funding source"),
        ({"title": "长" * (TITLE_MAX + 1)}, "at most 100 characters, this has 101"),
        ({"title": "   "}, "The title cannot be empty"),
        ({"description": ""}, "cannot be empty"),
        ({"description": "x" * 3001}, "too long"),
        ({"contractor": "x" * 101}, "The contractor is too long"),
    ],
)
def test_bad_details_are_refused(town, staff, plan, site, overrides, message):
    with pytest.raises(DomainError, match=message):
        create(town, staff, site, process=plan, **resolved(overrides))
    assert not Project.objects.exists()


def test_the_longest_title_is_taken(town, staff, plan, site):
    project = create(town, staff, site, process=plan, title="长" * TITLE_MAX, contractor="")
    assert len(project.title) == TITLE_MAX and project.contractor == ""


@pytest.mark.parametrize("role", ["resident", "partner", "other_area_staff", "other_secretariat"])
def test_who_may_not_create_a_project(town, area_a, area_b, people, plan, site, role):
    actor = area_staff(area_b) if role == "other_area_staff" else people[role]
    with pytest.raises(PermissionDenied):
        create(town, actor, site, process=plan)
    with pytest.raises(PermissionDenied):
        create(town, None, site, process=plan)
    assert not Project.objects.exists()


@pytest.mark.parametrize("role", ["area_staff", "secretariat", "administrator"])
def test_who_may_create_a_project(town, people, plan, site, role):
    project = create(town, people[role], site, process=plan)
    assert project.created_by == people[role]


# --- The transition table --------------------------------------------------------------

ACTIONS = {
    "start_construction": lambda p, actor: services.start_construction(
        project=p, actor=actor, on=today()
    ),
    "suspend": lambda p, actor: services.suspend(
        project=p, actor=actor, reason="资金未到位", on=today()
    ),
    "resume": lambda p, actor: services.resume(project=p, actor=actor, on=today()),
    "complete_project": lambda p, actor: services.complete_project(
        project=p, actor=actor, result="建成步道和座椅", completed_on=today()
    ),
    "start_maintenance": lambda p, actor: services.start_maintenance(
        project=p, actor=actor, maintained_by="居民自治小组", on=today()
    ),
}

# status -> {action: the status it leads to}; every action not listed is refused.
ALLOWED = {
    ProjectStatus.PLANNED: {
        "start_construction": ProjectStatus.UNDER_CONSTRUCTION,
        "suspend": ProjectStatus.SUSPENDED,
    },
    ProjectStatus.UNDER_CONSTRUCTION: {
        "suspend": ProjectStatus.SUSPENDED,
        "complete_project": ProjectStatus.COMPLETED,
    },
    ProjectStatus.COMPLETED: {"start_maintenance": ProjectStatus.MAINTENANCE},
    ProjectStatus.MAINTENANCE: {},
    ProjectStatus.SUSPENDED: {"resume": ProjectStatus.PLANNED},
}


def ready(project, actor):
    """Meet every precondition other than the status (a milestone to start with; a
    closed milestone and an after photo to complete with), so that what an action
    answers depends on the status alone."""
    if not project.milestones.exists():
        Milestone.objects.create(
            project=project,
            order=1,
            title="施工",
            planned_start=today() - timedelta(days=20),
            planned_end=today() - timedelta(days=5),
        )
    if project.status == ProjectStatus.UNDER_CONSTRUCTION:
        project.milestones.update(
            actual_start=today() - timedelta(days=20), actual_end=today() - timedelta(days=5)
        )
        services.add_photo(
            project=project,
            actor=actor,
            phase=Phase.AFTER,
            upload=jpeg_upload("after.jpg"),
            content="完工",
            taken_at=aware(1),
            place="中心花园",
            photographer="陈社工",
        )
    project.refresh_from_db()
    return project


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("status", list(ALLOWED))
def test_the_transition_table(area_a, staff, status, action, django_capture_on_commit_callbacks):
    project = ready(project_at(status, actor=staff, area=area_a), staff)
    before = snapshot(project)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        if action in ALLOWED[status]:
            done = ACTIONS[action](project, staff)
            project.refresh_from_db()
            assert done.status == project.status == ALLOWED[status][action]
            change = StatusChange.objects.filter(project=project).order_by("pk").last()
            assert (change.from_status, change.to_status) == (status, project.status)
            assert AuditEvent.objects.filter(verb="project.status").first().after["status"] == (
                project.status
            )
            return
        with pytest.raises(DomainError):
            ACTIONS[action](project, staff)
    assert callbacks == []
    assert snapshot(project) == before


def test_a_suspended_project_resumes_to_where_it_was(area_a, staff):
    project = project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, area=area_a)
    started = project.actual_start
    project = services.suspend(project=project, actor=staff, reason="  雨季停工  ", on=today())
    project.refresh_from_db()
    assert (project.status, project.resumes_to, project.suspended_reason) == (
        "suspended",
        "construction",
        "雨季停工",
    )
    # Starting again is not a way out of a suspension: it would move the start date.
    with pytest.raises(DomainError, match="Only a planned project"):
        services.start_construction(project=project, actor=staff, on=today())
    with pytest.raises(DomainError, match="cannot become"):
        services.suspend(project=project, actor=staff, reason="再停", on=today())
    services.resume(project=project, actor=staff, on=today())
    project.refresh_from_db()
    assert (project.status, project.resumes_to, project.suspended_reason) == (
        "construction",
        "",
        "",
    )
    assert project.actual_start == started
    with pytest.raises(DomainError, match="Only a suspended project"):
        services.resume(project=project, actor=staff, on=today())


def test_the_status_changes_form_the_timeline(area_a, staff):
    project = project_at(ProjectStatus.PLANNED, actor=staff, area=area_a)
    services.suspend(project=project, actor=staff, reason="等待审批", on=today() - timedelta(50))
    services.resume(project=project, actor=staff, on=today() - timedelta(45))
    project = ready(project, staff)
    services.add_photo(
        project=project,
        actor=staff,
        phase=Phase.BEFORE,
        upload=jpeg_upload(),
        content="现状",
        taken_at=aware(60),
        place="中心花园",
        photographer="陈社工",
    )
    services.start_construction(project=project, actor=staff, on=today() - timedelta(40))
    project = ready(Project.objects.get(pk=project.pk), staff)
    services.complete_project(
        project=project, actor=staff, result="建成", completed_on=today() - timedelta(3)
    )
    services.start_maintenance(project=project, actor=staff, maintained_by="物业", on=today())
    timeline = list(
        StatusChange.objects.filter(project=project)
        .order_by("at", "pk")
        .values_list("from_status", "to_status", "reason", "on", "actor")
    )
    assert timeline == [
        ("planned", "suspended", "等待审批", today() - timedelta(50), staff.pk),
        ("suspended", "planned", "", today() - timedelta(45), staff.pk),
        ("planned", "construction", "", today() - timedelta(40), staff.pk),
        ("construction", "completed", "", today() - timedelta(3), staff.pk),
        ("completed", "maintenance", "", today(), staff.pk),
    ]
    project.refresh_from_db()
    assert project.actual_start == today() - timedelta(40)
    assert project.actual_end == today() - timedelta(3)
    assert project.maintained_by == "物业"
    assert AuditEvent.objects.filter(verb="project.status").count() == 5


def test_a_change_cannot_be_dated_before_the_last_one(area_a, staff):
    project = ready(project_at(ProjectStatus.PLANNED, actor=staff, area=area_a), staff)
    services.suspend(project=project, actor=staff, reason="等待审批", on=today() - timedelta(10))
    before = snapshot(project)
    with pytest.raises(DomainError, match="before the project's last change of status"):
        services.resume(project=project, actor=staff, on=today() - timedelta(11))
    assert snapshot(project) == before
    services.resume(project=project, actor=staff, on=today() - timedelta(10))  # same day: fine
    suspended_on = (today() - timedelta(10)).isoformat()
    with pytest.raises(DomainError, match=rf"\({suspended_on}\)"):
        services.start_construction(project=project, actor=staff, on=today() - timedelta(12))
    project.refresh_from_db()
    assert project.status == ProjectStatus.PLANNED and project.actual_start is None


def test_construction_needs_a_contractor_and_a_milestone(town, area_a, staff):
    project = new_project(actor=staff, area=area_a, contractor="")
    before = snapshot(project)
    with pytest.raises(DomainError, match="without the contractor, at least one milestone"):
        services.start_construction(project=project, actor=staff, on=today())
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("action", "kwargs", "message"),
    [
        ("start_construction", {"on": tomorrow}, "cannot be in the future"),
        ("start_construction", {"on": "today"}, "must be a date"),
        ("suspend", {"reason": " ", "on": today}, "reason cannot be empty"),
        ("suspend", {"reason": "x" * 501, "on": today}, "too long"),
        ("suspend", {"reason": "停", "on": tomorrow}, "in the future"),
    ],
)
def test_bad_transition_input_is_refused(area_a, staff, action, kwargs, message):
    project = ready(project_at(ProjectStatus.PLANNED, actor=staff, area=area_a), staff)
    before = snapshot(project)
    with pytest.raises(DomainError, match=message):
        getattr(services, action)(project=project, actor=staff, **resolved(kwargs))
    assert snapshot(project) == before


def test_completion_and_maintenance_dates_follow_each_other(area_a, staff):
    project = ready(project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, area=area_a), staff)
    with pytest.raises(DomainError, match="before construction started"):
        services.complete_project(
            project=project,
            actor=staff,
            result="建成",
            completed_on=project.actual_start - timedelta(1),
        )
    with pytest.raises(DomainError, match="in the future"):
        services.complete_project(
            project=project, actor=staff, result="建成", completed_on=today() + timedelta(1)
        )
    with pytest.raises(DomainError, match="cannot be empty"):
        services.complete_project(project=project, actor=staff, result="", completed_on=today())
    project.refresh_from_db()
    assert project.status == ProjectStatus.UNDER_CONSTRUCTION
    services.complete_project(
        project=project, actor=staff, result="建成", completed_on=today() - timedelta(2)
    )
    with pytest.raises(DomainError, match="before the project was completed"):
        services.start_maintenance(
            project=project, actor=staff, maintained_by="物业", on=today() - timedelta(3)
        )
    with pytest.raises(DomainError, match="Who maintains it cannot be empty"):
        services.start_maintenance(project=project, actor=staff, maintained_by="", on=today())
    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED and project.maintained_by == ""


@pytest.mark.parametrize("action", list(ACTIONS))
def test_transitions_need_the_manage_permission(area_a, area_b, people, staff, action):
    project = project_at(ProjectStatus.PLANNED, actor=staff, area=area_a)
    before = snapshot(project)
    partner = PartnerFactory(area=area_a)
    project.partners.add(partner)
    for actor in (people["resident"], partner.user, area_staff(area_b), None):
        with pytest.raises(PermissionDenied):
            ACTIONS[action](project, actor)
    assert snapshot(project) == before


# --- Milestones ------------------------------------------------------------------------


def test_milestones_are_numbered_in_order(area_a, staff):
    project = project_at(ProjectStatus.PLANNED, actor=staff, area=area_a)
    for title in ("拆除", "铺装", "种植"):
        services.add_milestone(
            project=project,
            actor=staff,
            title=title,
            planned_start=today(),
            planned_end=today() + timedelta(days=7),
        )
    assert list(project.milestones.values_list("order", "title")) == [
        (1, "拆除"),
        (2, "铺装"),
        (3, "种植"),
    ]
    assert AuditEvent.objects.filter(verb="project.milestone").count() == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"planned_start": today, "planned_end": lambda: today() - timedelta(1)},
            "The end of the milestone .* is before its start",
        ),
        ({"planned_start": None, "planned_end": today}, "must be a date"),
        ({"title": " "}, "The milestone cannot be empty"),
        ({"title": "x" * 81}, "too long"),
        ({"note": "x" * 201}, "The note is too long"),
    ],
)
def test_a_bad_milestone_is_refused(area_a, staff, kwargs, message):
    project = project_at(ProjectStatus.PLANNED, actor=staff, area=area_a)
    values = {
        "title": "铺装",
        "planned_start": today(),
        "planned_end": today() + timedelta(days=3),
    }
    values.update(resolved(kwargs))
    before = snapshot(project)
    with pytest.raises(DomainError, match=message):
        services.add_milestone(project=project, actor=staff, **values)
    assert snapshot(project) == before


def test_a_project_has_at_most_so_many_milestones(area_a, staff):
    project = project_at(ProjectStatus.PLANNED, actor=staff, area=area_a)
    Milestone.objects.bulk_create(
        Milestone(
            project=project, order=n, title=f"阶段{n}", planned_start=today(), planned_end=today()
        )
        for n in range(1, MAX_MILESTONES + 1)
    )
    with pytest.raises(DomainError, match=f"at most {MAX_MILESTONES} milestones"):
        services.add_milestone(
            project=project, actor=staff, title="多一个", planned_start=today(), planned_end=today()
        )
    assert project.milestones.count() == MAX_MILESTONES


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (10, 11, "The end of the milestone .* is before its start"),
        (-1, None, "The start cannot be in the future"),
        (3, -1, "The end cannot be in the future"),
        ("yesterday", None, "must be a date"),
    ],
)
def test_bad_actual_dates_are_refused(area_a, staff, start, end, message):
    """Days ago (negative: days ahead)."""
    project = project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, area=area_a)
    milestone = project.milestones.get()
    before = snapshot(project)

    def day(n):
        return n if not isinstance(n, int) else today() - timedelta(days=n)

    with pytest.raises(DomainError, match=message):
        services.record_milestone(
            milestone=milestone,
            actor=staff,
            actual_start=day(start),
            actual_end=None if end is None else day(end),
        )
    assert snapshot(project) == before


def test_progress_is_recorded_by_staff_and_the_projects_partners(area_a, people, staff):
    project = project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, area=area_a)
    milestone = project.milestones.get()
    partner = PartnerFactory(area=area_a)
    project.partners.add(partner)
    services.record_milestone(
        milestone=milestone, actor=partner.user, actual_start=today() - timedelta(5), note="开工"
    )
    milestone.refresh_from_db()
    assert milestone.is_open and milestone.note == "开工"
    services.record_milestone(
        milestone=milestone,
        actor=staff,
        actual_start=today() - timedelta(5),
        actual_end=today(),
    )
    milestone.refresh_from_db()
    assert not milestone.is_open and milestone.note == "开工"
    assert milestone.days_late == max(0, (today() - milestone.planned_end).days)
    for outsider in (people["resident"], PartnerFactory(area=area_a).user):
        with pytest.raises(PermissionDenied):
            services.record_milestone(milestone=milestone, actor=outsider, actual_start=today())
    milestone.refresh_from_db()
    assert milestone.actual_end == today()


def test_milestones_of_a_finished_or_suspended_project_are_refused(area_a, staff):
    done = project_at(ProjectStatus.COMPLETED, actor=staff, area=area_a)
    before = snapshot(done)
    with pytest.raises(DomainError, match="milestones are final"):
        services.add_milestone(
            project=done, actor=staff, title="补", planned_start=today(), planned_end=today()
        )
    with pytest.raises(DomainError, match="milestones are final"):
        services.record_milestone(
            milestone=done.milestones.get(), actor=staff, actual_start=today() - timedelta(9)
        )
    assert snapshot(done) == before
    building = project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, area=area_a)
    services.suspend(project=building, actor=staff, reason="停工", on=today())
    with pytest.raises(DomainError, match="suspended"):
        services.record_milestone(
            milestone=building.milestones.get(), actor=staff, actual_start=today()
        )
    assert building.milestones.get().actual_start is None


def test_completing_with_open_milestones_changes_nothing(
    area_a, staff, django_capture_on_commit_callbacks
):
    project = ready(project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, area=area_a), staff)
    for title in ("收尾", "验收"):
        services.add_milestone(
            project=project, actor=staff, title=title, planned_start=today(), planned_end=today()
        )
    before = snapshot(project)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(DomainError, match=r"2 milestone\(s\) still open"),
    ):
        services.complete_project(project=project, actor=staff, result="建成", completed_on=today())
    assert callbacks == []
    assert snapshot(project) == before
    project.refresh_from_db()
    assert project.status == ProjectStatus.UNDER_CONSTRUCTION
    assert (project.result, project.result_published_at, project.actual_end) == ("", None, None)
    assert project.satisfaction_survey is None


def test_completion_needs_a_before_and_an_after_photo(area_a, staff):
    project = new_project(actor=staff, area=area_a)
    services.add_milestone(
        project=project, actor=staff, title="施工", planned_start=today(), planned_end=today()
    )
    services.start_construction(project=project, actor=staff, on=today() - timedelta(5))
    services.record_milestone(
        milestone=project.milestones.get(),
        actor=staff,
        actual_start=today() - timedelta(5),
        actual_end=today(),
    )
    assert services.completion_missing(project) == [
        "a photo from before construction",
        "a photo of the finished work",
    ]
    before = snapshot(project)
    with pytest.raises(DomainError, match="a photo from before construction; a photo of the fin"):
        services.complete_project(project=project, actor=staff, result="建成", completed_on=today())
    assert snapshot(project) == before

    def photo(phase):
        services.add_photo(
            project=project,
            actor=staff,
            phase=phase,
            upload=jpeg_upload(),
            content=phase,
            taken_at=aware(1),
            place="中心花园",
            photographer="陈社工",
        )

    photo(Phase.DURING)
    photo(Phase.AFTER)
    assert services.completion_missing(project) == ["a photo from before construction"]
    with pytest.raises(DomainError, match="before construction"):
        services.complete_project(project=project, actor=staff, result="建成", completed_on=today())
    photo(Phase.BEFORE)
    assert services.completion_missing(project) == []
    services.complete_project(project=project, actor=staff, result="建成", completed_on=today())


# --- Money -----------------------------------------------------------------------------


def spend(project, actor, amount, *, days_ago=1, item="材料费"):
    return services.record_spending(
        project=project,
        actor=actor,
        amount=amount,
        spent_on=today() - timedelta(days=days_ago),
        item=item,
        payee="上海某园林公司",
    )


def approve(project, actor, amount, *, reason="增加照明", authority="联席会议 2024-3"):
    return services.approve_extra_budget(
        project=project,
        actor=actor,
        amount=amount,
        reason=reason,
        authority=authority,
        approved_on=today(),
    )


@pytest.fixture
def building(area_a, staff):
    """A project under construction with a budget of 1,000.00 yuan."""
    return project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, area=area_a, budget="1000")


def test_spending_up_to_the_budget_and_not_one_cent_beyond(building, staff):
    spend(building, staff, "600.00")
    spend(building, staff, "399.99")
    spend(building, staff, "0.01")
    assert Spending.objects.filter(project=building).aggregate(t=Sum("amount"))["t"] == 1000
    before = snapshot(building)
    with pytest.raises(DomainError) as info:
        spend(building, staff, "0.01")
    assert "1000.01 yuan against a budget of 1000.00 yuan" in info.value.message
    assert "approval" in info.value.message
    assert snapshot(building) == before


def test_an_approval_lets_the_extra_pass(building, staff, secretary, people):
    spend(building, staff, "1000")
    with pytest.raises(PermissionDenied):
        approve(building, staff, "200")
    with pytest.raises(PermissionDenied):
        approve(building, people["other_secretariat"], "200")
    assert not BudgetApproval.objects.exists()
    approve(building, secretary, "150.50")
    approve(building, people["administrator"], "49.50")
    spend(building, staff, "0.01")
    spend(building, staff, "199.99")
    with pytest.raises(DomainError, match="1200.01 yuan against a budget of 1200.00 yuan"):
        spend(building, staff, "0.01")
    assert Spending.objects.filter(project=building).count() == 3
    event = AuditEvent.objects.filter(verb="project.budget_approval").first()
    assert event.after == {"amount": "49.50", "authority": "联席会议 2024-3"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount": "0"}, "must be more than zero"),
        ({"amount": "-5"}, "must be more than zero"),
        ({"amount": "1.001"}, "two decimals"),
        ({"amount": "abc"}, "amount in yuan"),
        ({"amount": "1e26"}, "too large"),
        ({"spent_on": tomorrow}, "cannot be in the future"),
        ({"spent_on": None}, "must be a date"),
        ({"item": "  "}, "cannot be empty"),
        ({"item": "x" * 121}, "too long"),
        ({"payee": "x" * 101}, "too long"),
    ],
)
def test_a_bad_spending_is_refused(building, staff, kwargs, message):
    values = {"amount": "10", "spent_on": today(), "item": "材料费", "payee": ""}
    values.update(resolved(kwargs))
    before = snapshot(building)
    with pytest.raises(DomainError, match=message):
        services.record_spending(project=building, actor=staff, **values)
    assert snapshot(building) == before


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount": "0"}, "must be more than zero"),
        ({"amount": "1.005"}, "two decimals"),
        ({"reason": ""}, "The reason cannot be empty"),
        ({"authority": ""}, "Who approved it cannot be empty"),
        ({"approved_on": tomorrow}, "in the future"),
    ],
)
def test_a_bad_approval_is_refused(building, secretary, kwargs, message):
    values = {"amount": "10", "reason": "增加照明", "authority": "联席会议", "approved_on": today()}
    values.update(resolved(kwargs))
    before = snapshot(building)
    with pytest.raises(DomainError, match=message):
        services.approve_extra_budget(project=building, actor=secretary, **values)
    assert snapshot(building) == before


def test_who_records_spending(building, people, area_b):
    partner = PartnerFactory(area=building.area)
    building.partners.add(partner)
    for actor in (
        people["resident"],
        partner.user,
        area_staff(area_b),
        people["other_secretariat"],
    ):
        with pytest.raises(PermissionDenied):
            spend(building, actor, "1")
    spend(building, people["secretariat"], "1")
    spend(building, people["administrator"], "1")
    assert Spending.objects.filter(project=building).count() == 2


def edit(project, actor, **overrides):
    values = {
        "title": project.title,
        "description": project.description,
        "kind": project.kind,
        "budget": project.budget,
        "funding_source": project.funding_source,
        "contractor": project.contractor,
        "planned_start": project.planned_start,
        "planned_end": project.planned_end,
        "partners": list(project.partners.all()),
    }
    values.update(overrides)
    return services.edit_project(project=project, actor=actor, **values)


def test_the_budget_cannot_fall_below_what_is_spent(building, staff, secretary):
    spend(building, staff, "800")
    with pytest.raises(DomainError, match="800.00 yuan is already spent"):
        edit(building, staff, budget="799.99")
    building.refresh_from_db()
    assert building.budget == 1000
    edit(building, staff, budget="800")
    building.refresh_from_db()
    assert building.budget == 800
    # With an approval of 200 the budget may go as low as spent - 200.
    approve(building, secretary, "200")
    spend(building, staff, "150")
    # The message states what is really spent (950) and the lowest budget (750).
    with pytest.raises(DomainError) as refused:
        edit(building, staff, budget="749.99")
    assert refused.value.message == (
        "950.00 yuan is already spent, 200.00 yuan of it approved beyond the budget: "
        "the budget cannot be less than 750.00 yuan."
    )
    edit(building, staff, budget="750")
    building.refresh_from_db()
    assert building.budget == 750
    event = AuditEvent.objects.filter(verb="project.edit").first()
    assert (event.before["budget"], event.after["budget"]) == ("800.00", "750.00")


def test_editing_checks_like_creating(area_a, other_town, staff, building):
    before = snapshot(building)
    with pytest.raises(DomainError, match="before its start"):
        edit(building, staff, planned_end=building.planned_start - timedelta(1))
    with pytest.raises(DomainError, match="partner of this town"):
        edit(building, staff, partners=[PartnerFactory(area=AreaFactory(town=other_town))])
    with pytest.raises(DomainError, match="two decimals"):
        edit(building, staff, budget="1.234")
    with pytest.raises(DomainError, match="Choose the kind"):
        edit(building, staff, kind="castle")
    with pytest.raises(PermissionDenied):
        edit(building, area_staff(AreaFactory(town=area_a.town)))
    assert snapshot(building) == before
    partner = PartnerFactory(area=area_a)
    edit(building, staff, title="新名称", partners=[partner], contractor="另一家公司")
    building.refresh_from_db()
    assert building.title == "新名称" and list(building.partners.all()) == [partner]


def test_a_finished_projects_details_and_accounts_are_closed(area_a, staff, secretary):
    project = project_at(ProjectStatus.COMPLETED, actor=staff, area=area_a)
    before = snapshot(project)
    with pytest.raises(DomainError, match="details are final"):
        edit(project, staff, title="改名")
    with pytest.raises(DomainError, match="accounts are closed"):
        approve(project, secretary, "100")
    assert snapshot(project) == before


def test_with_money_sums_without_multiplying_rows(area_a, staff, secretary):
    first = project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, area=area_a, budget="100")
    second = project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, area=area_a, budget="10")
    empty = project_at(ProjectStatus.PLANNED, actor=staff, area=area_a)
    for amount in ("0.50", "0.49", "7.01"):
        approve(first, secretary, amount)
    for amount in ("30", "50.25", "19.75", "0.99"):
        spend(first, staff, amount)
    spend(second, staff, "10")
    approve(second, secretary, "3")
    rows = {p.pk: (p.spent, p.approved_extra) for p in Project.objects.with_money().order_by("pk")}
    assert rows == {
        first.pk: (Decimal("100.99"), Decimal("8.00")),
        second.pk: (Decimal("10.00"), Decimal("3.00")),
        empty.pk: (Decimal("0"), Decimal("0")),
    }
    # Equal to the sums taken one table at a time.
    for project in (first, second):
        assert rows[project.pk] == (
            project.spendings.aggregate(t=Sum("amount"))["t"],
            project.approvals.aggregate(t=Sum("amount"))["t"],
        )
    assert Project.objects.with_money().count() == 3  # no row per spending or approval
    # Exact to the fen on every database (SQLite sums decimals as floats).
    assert [str(p.spent) for p in Project.objects.with_money().order_by("pk")] == [
        "100.99",
        "10.00",
        "0.00",
    ]


@given(
    amounts=st.lists(st.integers(min_value=1, max_value=600), min_size=1, max_size=8),
    extras=st.lists(st.integers(min_value=1, max_value=300), max_size=2),
)
@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_spending_never_exceeds_budget_and_approvals(building, staff, secretary, amounts, extras):
    """Whatever arrives, in yuan and fen, what is stored stays within the budget plus
    the approvals, and an entry is refused exactly when it would go beyond."""
    Spending.objects.filter(project=building).delete()
    BudgetApproval.objects.filter(project=building).delete()
    limit = Decimal("1000.00")
    for extra in extras:
        approve(building, secretary, Decimal(extra) + Decimal("0.50"))
        limit += Decimal(extra) + Decimal("0.50")
    total = Decimal("0")
    for yuan in amounts:
        amount = Decimal(yuan) + Decimal(yuan % 100) / 100  # e.g. 101.01
        if total + amount <= limit:
            spend(building, staff, amount)
            total += amount
        else:
            with pytest.raises(DomainError, match=f"against a budget of {limit} yuan"):
                spend(building, staff, amount)
    row = Project.objects.with_money().get(pk=building.pk)
    assert row.spent == total <= limit == row.budget + row.approved_extra


# --- Photos ----------------------------------------------------------------------------


def photo(project, actor, *, phase=Phase.BEFORE, upload=None, taken_at=None, **extra):
    values = {
        "content": "中心花园现状",
        "place": "中心花园",
        "photographer": "陈社工",
        "people": "",
    }
    values.update(extra)
    return services.add_photo(
        project=project,
        actor=actor,
        phase=phase,
        upload=upload or jpeg_upload(),
        taken_at=taken_at or aware(2),
        **values,
    )


def test_a_photo_is_stored_without_its_location(area_a, staff, settings):
    project = project_at(ProjectStatus.PLANNED, actor=staff, area=area_a)
    upload = jpeg_upload("IMG_0001.jpg", size=(64, 48))
    with Image.open(upload) as original:
        assert original.getexif().get_ifd(0x8825)  # the upload does carry a GPS position
    upload.seek(0)
    stored = photo(project, staff, upload=upload, people="居民代表三人")
    stored.refresh_from_db()
    with Image.open(stored.image.path) as image:
        assert image.format == "JPEG" and image.size == (64, 48)
        assert len(image.getexif()) == 0
        assert not image.getexif().get_ifd(0x8825)
    with open(stored.image.path, "rb") as file:
        assert b"PhoneMaker" not in file.read()
    assert stored.image.name.startswith(f"projects/{project.pk}/before/")
    assert (stored.content, stored.place, stored.people, stored.photographer) == (
        "中心花园现状",
        "中心花园",
        "居民代表三人",
        "陈社工",
    )
    assert stored.uploaded_by == staff
    event = AuditEvent.objects.filter(verb="project.photo").first()
    assert event.after == {"phase": "before", "photo": stored.pk}


def _gif():
    import io

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (1, 2, 3)).save(out, "GIF")
    return SimpleUploadedFile("moving.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: SimpleUploadedFile("notes.jpg", b"just text\n" * 20, content_type="image/jpeg"),
            "Upload a photo",
        ),
        (lambda: SimpleUploadedFile("empty.jpg", b"", content_type="image/jpeg"), "Upload a photo"),
        (_gif, "Upload a photo"),
        (lambda: jpeg_upload(size=(400, 300)), "files may be at most"),
    ],
)
def test_a_wrong_upload_is_refused_and_nothing_stored(area_a, staff, settings, make, message):
    project = project_at(ProjectStatus.PLANNED, actor=staff, area=area_a)
    files = stored_files(settings)
    settings.GONGZHI_MAX_UPLOAD_BYTES = 1000  # the big JPEG is above it, nothing else is
    with pytest.raises(DomainError, match=message):
        photo(project, staff, upload=make())
    assert not ProjectPhoto.objects.exists()
    assert stored_files(settings) == files


def test_photos_follow_the_construction(area_a, staff):
    planned = project_at(ProjectStatus.PLANNED, actor=staff, area=area_a)
    for phase in (Phase.DURING, Phase.AFTER):
        with pytest.raises(DomainError, match="only photos from before"):
            photo(planned, staff, phase=phase)
    photo(planned, staff, phase=Phase.BEFORE)
    # Suspended before construction started: still nothing to show from during it.
    services.suspend(project=planned, actor=staff, reason="等待审批", on=today())
    with pytest.raises(DomainError, match="only photos from before"):
        photo(planned, staff, phase=Phase.AFTER)
    building = project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, area=area_a)
    services.suspend(project=building, actor=staff, reason="雨季", on=today())
    photo(building, staff, phase=Phase.DURING)
    with pytest.raises(DomainError, match="before, during or after"):
        photo(building, staff, phase="sideways")
    assert ProjectPhoto.objects.filter(project=planned).count() == 1
    assert ProjectPhoto.objects.filter(project=building, phase=Phase.DURING).count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"taken_at": lambda: timezone.now() + timedelta(minutes=5)}, "cannot be later than now"),
        ({"taken_at": "2024-05-01 10:00"}, "must be a date and time"),
        ({"content": ""}, "What it shows cannot be empty"),
        ({"place": "x" * 121}, "The place is too long"),
        ({"photographer": ""}, "The photographer cannot be empty"),
        ({"people": "x" * 201}, "too long"),
    ],
)
def test_bad_photo_details_are_refused(area_a, staff, settings, overrides, message):
    project = project_at(ProjectStatus.PLANNED, actor=staff, area=area_a)
    files = stored_files(settings)
    with pytest.raises(DomainError, match=message):
        photo(project, staff, **resolved(overrides))
    assert not ProjectPhoto.objects.exists()
    assert stored_files(settings) == files


def test_a_time_without_offset_is_the_towns_local_time(area_a, staff):
    """An API client may send a time without an offset: it is read as local time
    (comparing it with an aware "now" used to raise TypeError, a 500)."""
    project = project_at(ProjectStatus.PLANNED, actor=staff, area=area_a)
    naive = datetime.combine(today() - timedelta(days=1), datetime.min.time()).replace(hour=9)
    stored = photo(project, staff, taken_at=naive)
    stored.refresh_from_db()
    assert timezone.localtime(stored.taken_at).replace(tzinfo=None) == naive
    with pytest.raises(DomainError, match="later than now"):
        photo(project, staff, taken_at=naive + timedelta(days=3))


def test_at_most_so_many_photos_per_phase(area_a, staff):
    project = project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, area=area_a)
    have = project.photos.filter(phase=Phase.BEFORE).count()
    ProjectPhoto.objects.bulk_create(
        ProjectPhoto(
            project=project,
            phase=Phase.BEFORE,
            image=f"projects/{project.pk}/before/{n}.jpg",
            content="现状",
            taken_at=aware(3),
            place="中心花园",
            photographer="陈社工",
            uploaded_by=staff,
        )
        for n in range(MAX_PHOTOS_PER_PHASE - have)
    )
    with pytest.raises(DomainError, match=f"At most {MAX_PHOTOS_PER_PHASE} photos per phase"):
        photo(project, staff, phase=Phase.BEFORE)
    photo(project, staff, phase=Phase.DURING)  # another phase has its own count
    assert project.photos.filter(phase=Phase.BEFORE).count() == MAX_PHOTOS_PER_PHASE


def test_who_adds_photos(area_a, area_b, people, staff):
    project = project_at(ProjectStatus.PLANNED, actor=staff, area=area_a)
    partner = PartnerFactory(area=area_a)
    project.partners.add(partner)
    photo(project, partner.user)
    for outsider in (people["resident"], PartnerFactory(area=area_a).user, area_staff(area_b)):
        with pytest.raises(PermissionDenied):
            photo(project, outsider)
    assert project.photos.count() == 1


# --- Completion: the published result, the survey, the people told -----------------------


def test_completion_publishes_the_result_and_opens_the_survey(area_a, staff):
    project = ready(project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, area=area_a), staff)
    before = timezone.now()
    services.complete_project(
        project=project, actor=staff, result="  建成步道、座椅和雨水花园  ", completed_on=today()
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED and project.is_finished
    assert project.result == "建成步道、座椅和雨水花园"
    assert project.actual_end == today()
    assert before <= project.result_published_at <= timezone.now()
    survey = project.satisfaction_survey
    assert survey.status == SurveyStatus.OPEN and survey.is_open
    assert (survey.town, survey.area) == (project.town, project.area)
    assert not survey.allows_anonymous  # one response per account
    assert project.title in survey.title
    questions = list(survey.questions.order_by("order"))
    assert [(q.kind, q.required) for q in questions] == [
        ("scale", True),
        ("scale", True),
        ("text", False),
    ]
    assert (project.gain_question, project.satisfaction_question) == tuple(questions[:2])
    assert "获得感" in questions[0].text and "满意度" in questions[1].text
    event = AuditEvent.objects.filter(verb="project.result").get()
    assert event.after == {
        "budget": "50000.00",
        "spent": "0.00",
        "completed_on": today().isoformat(),
    }


def notified(users=None):
    """{user pk: how many notifications} for the completion messages."""
    rows = Notification.objects.filter(message__contains="is built")
    if users is not None:
        rows = rows.filter(user__in=users)
    counts = {}
    for user_id in rows.values_list("user_id", flat=True):
        counts[user_id] = counts.get(user_id, 0) + 1
    return counts


def under_construction(project, actor):
    """A planned project, made ready and started five days ago."""
    services.add_milestone(
        project=project, actor=actor, title="施工", planned_start=today(), planned_end=today()
    )
    photo(project, actor, phase=Phase.BEFORE)
    return services.start_construction(project=project, actor=actor, on=today() - timedelta(5))


def complete(project, staff, callbacks):
    project = ready(project, staff)
    with callbacks(execute=True):
        services.complete_project(project=project, actor=staff, result="建成", completed_on=today())
    project.refresh_from_db()
    return project


def test_a_proposals_author_and_current_supporters_are_told_once(
    town, area_a, staff, site, django_capture_on_commit_callbacks
):
    author, staying, leaving, deleted, bystander = UserFactory.create_batch(5)
    proposal = make_proposal(town=town, author=author, area=area_a)
    for user in (staying, leaving, deleted):
        proposals.support_proposal(proposal=proposal, user=user)
    proposals.withdraw_support(proposal=proposal, user=leaving)
    proposal = proposals.adopt(proposal=proposal, actor=staff)
    delete_account(user=deleted, password=TEST_PASSWORD)
    project = under_construction(create(town, staff, site, proposal=proposal), staff)
    assert list(participants(project)) == [author, staying]
    with django_capture_on_commit_callbacks(execute=False) as pending:
        ready(project, staff)
        services.complete_project(project=project, actor=staff, result="建成", completed_on=today())
    assert not Notification.objects.filter(
        message__contains="is built"
    ).exists()  # not before commit
    for callback in pending:
        callback()
    assert notified() == {author.pk: 1, staying.pk: 1}
    message = Notification.objects.get(user=author, message__contains="is built")
    assert project.title in message.message
    assert message.url == project.get_absolute_url()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IMPLEMENTED
    assert bystander.pk not in notified()


def test_a_plans_participants_are_told_once(
    town, area_a, staff, site, django_capture_on_commit_callbacks
):
    plan = completed_process(area=area_a, actor=staff)
    follower, respondent, attendee, everywhere, deleted = UserFactory.create_batch(5)
    author, supporter, withdrawn, bystander = UserFactory.create_batch(4)
    for user in (follower, everywhere, deleted):
        planning.follow(process=plan, user=user)
    # Step 1's needs survey, answered through the surveys service.
    needs = surveys.create_survey(town=town, area=area_a, actor=staff, title="需求调查")
    surveys.add_question(survey=needs, actor=staff, kind="scale", text="您对现状满意吗？")
    surveys.open_survey(survey=needs, actor=staff)
    for user in (respondent, everywhere):
        surveys.submit_response(survey=needs, user=user, answers={needs.questions.get().pk: 2})
    SurveyLink.objects.create(run=run_of(plan, 1), survey=needs)
    # Step 4's workshop and who signed in at it.
    workshop = ActivityFactory(area=area_a, starts_at=aware(30), ends_at=aware(30, hour=12))
    for user in (attendee, everywhere):
        Attendance.objects.create(activity=workshop, user=user, method="roster")
    ActivityLink.objects.create(run=run_of(plan, 4), activity=workshop)
    # An activity nobody linked: its attendees did not take part in this plan.
    Attendance.objects.create(activity=ActivityFactory(area=area_a), user=bystander, method="qr")
    # A proposal taken in (added directly: take_in_proposal would make them followers).
    proposal = make_proposal(
        town=town, author=author, area=area_a, title="加装座椅", description="花园里没有座椅。"
    )
    for user in (supporter, withdrawn, everywhere):
        proposals.support_proposal(proposal=proposal, user=user)
    proposals.withdraw_support(proposal=proposal, user=withdrawn)
    proposal = proposals.adopt(proposal=proposal, actor=staff)
    plan.proposals.add(proposal)
    delete_account(user=deleted, password=TEST_PASSWORD)
    project = project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, site=site, process=plan)
    expected = {follower, respondent, attendee, everywhere, author, supporter}
    assert set(participants(project)) == expected
    assert participants(project).count() == len(expected)  # distinct
    complete(project, staff, django_capture_on_commit_callbacks)
    assert notified() == {user.pk: 1 for user in expected}


def test_the_entrant_of_a_winning_entry_is_told(
    town, area_a, secretary, django_capture_on_commit_callbacks
):
    winner, loser = awarded_contest(town, area_a, secretary)
    project = create(
        town,
        secretary,
        winner.site,
        entry=winner,
        planned_start=today() - timedelta(days=60),
        planned_end=today() - timedelta(days=10),
    )
    complete(under_construction(project, secretary), secretary, django_capture_on_commit_callbacks)
    assert notified() == {winner.submitted_by_id: 1}


def test_a_second_completion_is_refused_and_tells_nobody_again(
    area_a, staff, django_capture_on_commit_callbacks
):
    project = project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, area=area_a)
    planning.follow(process=project.process, user=UserFactory())
    project = complete(project, staff, django_capture_on_commit_callbacks)
    before = snapshot(project)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(DomainError, match="Only a project under construction"),
    ):
        services.complete_project(project=project, actor=staff, result="再次", completed_on=today())
    assert callbacks == []
    assert snapshot(project) == before
    assert list(notified().values()) == [1]


def test_the_project_is_scoped_to_its_town(area_a, staff):
    """Staff of another town's area cannot act on it, whatever they hold at home."""
    project = project_at(ProjectStatus.PLANNED, actor=staff, area=area_a)
    elsewhere = area_staff(AreaFactory(town=TownFactory()))
    RoleGrantFactory(user=elsewhere, town=elsewhere.role_grants.get().town, role="secretariat")
    with pytest.raises(PermissionDenied):
        services.suspend(project=project, actor=elsewhere, reason="停", on=today())
    project.refresh_from_db()
    assert project.status == ProjectStatus.PLANNED


def test_no_spending_after_the_result_is_published(area_a, staff):
    """The published result states the cost against the budget: it stays true."""
    project = project_at(ProjectStatus.COMPLETED, actor=staff, area=area_a)
    with translation.override("en"), pytest.raises(DomainError, match="accounts are closed"):
        services.record_spending(
            project=project,
            actor=staff,
            amount="10.00",
            spent_on=timezone.localdate(),
            item="尾款",
        )
    assert not project.spendings.exists()


# --- No date before EARLIEST_DATE ------------------------------------------------------

TOO_EARLY = [date(1, 1, 1), date(1999, 12, 31)]
EARLY_MESSAGE = f"cannot be before {services.EARLIEST_DATE.isoformat()}"


def _milestone_of(project, staff):
    return services.add_milestone(
        project=project, actor=staff, title="收尾", planned_start=today(), planned_end=today()
    )


# Every service that takes a date, given ``day`` for one of them.
DATED_CALLS = {
    "add_milestone": lambda p, staff, secretary, day: services.add_milestone(
        project=p, actor=staff, title="铺装", planned_start=day, planned_end=today()
    ),
    "add_milestone_end": lambda p, staff, secretary, day: services.add_milestone(
        project=p, actor=staff, title="铺装", planned_start=day, planned_end=day
    ),
    "record_milestone": lambda p, staff, secretary, day: services.record_milestone(
        milestone=p.milestones.get(), actor=staff, actual_start=day
    ),
    "record_spending": lambda p, staff, secretary, day: services.record_spending(
        project=p, actor=staff, amount="10", spent_on=day, item="材料费"
    ),
    "approve_extra_budget": lambda p, staff, secretary, day: services.approve_extra_budget(
        project=p, actor=secretary, amount="10", reason="照明", authority="联席会", approved_on=day
    ),
    "edit_project": lambda p, staff, secretary, day: edit(p, staff, planned_start=day),
    "start_construction": lambda p, staff, secretary, day: services.start_construction(
        project=p, actor=staff, on=day
    ),
    "suspend": lambda p, staff, secretary, day: services.suspend(
        project=p, actor=staff, reason="停工", on=day
    ),
    "resume": lambda p, staff, secretary, day: services.resume(project=p, actor=staff, on=day),
    "complete_project": lambda p, staff, secretary, day: services.complete_project(
        project=p, actor=staff, result="建成", completed_on=day
    ),
    "start_maintenance": lambda p, staff, secretary, day: services.start_maintenance(
        project=p, actor=staff, maintained_by="物业", on=day
    ),
}


@pytest.mark.parametrize("day", TOO_EARLY)
@pytest.mark.parametrize("call", list(DATED_CALLS))
def test_no_service_takes_a_date_before_2000(building, staff, secretary, call, day):
    """A year typed as 0001 or 1999 is a slip: refused with the same message
    everywhere (the floor is checked before the status, so any status will do)."""
    before = snapshot(building)
    with pytest.raises(DomainError, match=EARLY_MESSAGE):
        DATED_CALLS[call](building, staff, secretary, day)
    assert snapshot(building) == before


@pytest.mark.parametrize("day", TOO_EARLY)
def test_a_project_is_not_planned_before_2000(town, staff, plan, site, day):
    with pytest.raises(DomainError, match=f"The start {EARLY_MESSAGE}"):
        create(town, staff, site, process=plan, planned_start=day)
    assert not Project.objects.exists()


def test_the_first_day_of_2000_is_taken(building, staff):
    milestone = services.add_milestone(
        project=building,
        actor=staff,
        title="前期",
        planned_start=services.EARLIEST_DATE,
        planned_end=services.EARLIEST_DATE,
    )
    assert milestone.planned_start == date(2000, 1, 1)


@pytest.mark.parametrize(
    "taken_at",
    [
        datetime(1, 1, 1),  # naive, as an API client may send it
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(1999, 12, 31, 23, 59),
        datetime(1999, 12, 31, 15, 59, tzinfo=UTC),  # 23:59 in Shanghai
    ],
)
def test_a_photo_time_before_2000_is_refused(area_a, staff, settings, taken_at):
    """Year 1 used to be stored (PostgreSQL) and then fail on every read of the
    project page, or fail to store at all (SQLite): now it is a message."""
    project = project_at(ProjectStatus.PLANNED, actor=staff, area=area_a)
    files = stored_files(settings)
    with pytest.raises(DomainError, match=f"When the photo was taken {EARLY_MESSAGE}"):
        photo(project, staff, taken_at=taken_at)
    assert not ProjectPhoto.objects.exists()
    assert stored_files(settings) == files
    # Midnight of the first day, in the town's time, is taken.
    first = photo(project, staff, taken_at=datetime(2000, 1, 1))
    first.refresh_from_db()
    assert timezone.localtime(first.taken_at).replace(tzinfo=None) == datetime(2000, 1, 1)


def test_a_rolled_back_photo_leaves_no_file(area_a, staff, settings, monkeypatch):
    """The file is written last, and deleted when its row is rolled back (here the
    audit record fails after the file was stored)."""
    project = project_at(ProjectStatus.PLANNED, actor=staff, area=area_a)
    files = stored_files(settings)

    def audit_fails(**kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(services, "record_event", audit_fails)
    with pytest.raises(RuntimeError, match="audit log"):
        photo(project, staff)
    assert not ProjectPhoto.objects.exists()
    assert stored_files(settings) == files


def test_a_refused_photo_writes_no_file(area_a, staff, settings, monkeypatch):
    """Every check runs before the image is re-encoded and written."""
    project = project_at(ProjectStatus.PLANNED, actor=staff, area=area_a)
    encoded = []
    monkeypatch.setattr(services, "clean_photo", lambda *a, **k: encoded.append(1))
    for overrides in ({"content": ""}, {"taken_at": aware(-2)}, {"photographer": "x" * 41}):
        with pytest.raises(DomainError):
            photo(project, staff, **overrides)
    assert encoded == []
    assert stored_files(settings) == []


# --- Dates that follow each other ----------------------------------------------------------


def test_completion_is_not_before_the_last_milestone_finished(area_a, staff):
    project = ready(project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, area=area_a), staff)
    last = today() - timedelta(days=5)
    assert project.milestones.get().actual_end == last
    before = snapshot(project)
    with pytest.raises(DomainError) as refused:
        services.complete_project(
            project=project, actor=staff, result="建成", completed_on=last - timedelta(1)
        )
    assert refused.value.message == (
        f"The completion date is before the last milestone finished ({last.isoformat()})."
    )
    assert snapshot(project) == before
    done = services.complete_project(project=project, actor=staff, result="建成", completed_on=last)
    assert done.actual_end == last


def test_a_milestone_does_not_start_before_construction(area_a, staff):
    project = project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, area=area_a)
    milestone = project.milestones.get()
    started = project.actual_start
    before = snapshot(project)
    with pytest.raises(DomainError) as refused:
        services.record_milestone(
            milestone=milestone, actor=staff, actual_start=started - timedelta(1)
        )
    assert refused.value.message == (
        f"The milestone cannot start before construction started ({started.isoformat()})."
    )
    assert snapshot(project) == before
    services.record_milestone(milestone=milestone, actor=staff, actual_start=started)
    # Before construction starts there is no start to compare with.
    planned = project_at(ProjectStatus.PLANNED, actor=staff, area=area_a)
    early = _milestone_of(planned, staff)
    services.record_milestone(
        milestone=early, actor=staff, actual_start=today() - timedelta(days=400)
    )


# --- Who takes part, who contributes ---------------------------------------------------------


def test_participants_are_a_union_of_id_subqueries(town, area_a, staff, site):
    """Each group of people is a ``pk IN (subquery)`` branch: the user query itself
    joins no table, so no row is multiplied and no DISTINCT is needed."""
    from django.contrib.auth import get_user_model

    from gongzhi.renewal.participants import participant_filter

    plan_project = project_at(ProjectStatus.PLANNED, actor=staff, site=site)
    proposal_project = create(
        town, staff, site, proposal=adopted_proposal(town, area_a, staff), title="扶手"
    )
    for project in (plan_project, proposal_project):
        query = get_user_model().objects.filter(participant_filter(project)).query
        assert len(query.alias_map) == 1, query.alias_map
        assert "DISTINCT" not in str(participants(project).query).split("WHERE")[0]


@pytest.mark.parametrize("status", ["paused", "left"])
def test_only_active_partners_contribute(area_a, staff, status):
    from gongzhi.accounts.models import User
    from gongzhi.partners.models import Partner

    project = project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, area=area_a)
    partner = PartnerFactory(area=area_a)
    project.partners.add(partner)
    photo(project, partner.user, phase=Phase.DURING)
    Partner.objects.filter(pk=partner.pk).update(status=status)
    user = User.objects.get(pk=partner.user_id)  # a fresh account: no cached answer
    assert not user.has_perm("renewal.contribute", project)
    with pytest.raises(PermissionDenied):
        photo(project, user, phase=Phase.DURING)
    with pytest.raises(PermissionDenied):
        services.record_milestone(
            milestone=project.milestones.get(), actor=user, actual_start=project.actual_start
        )
    assert project.photos.filter(phase=Phase.DURING).count() == 1
