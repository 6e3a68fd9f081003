"""The planning services other than the transitions' rules (test_transitions.py):
starting a process, batch launch, template versions, proposals taken into a plan and
followers told of each step."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gongzhi.core.errors import DomainError
from gongzhi.core.models import AuditEvent, Notification
from gongzhi.core.testing import assert_nothing_written
from gongzhi.organisations.models import OrgUnit
from gongzhi.planning import services
from gongzhi.planning.models import (
    BatchLaunch,
    Follower,
    PlanningProcess,
    ProcessStatus,
    StepRun,
    WorkflowTemplate,
)
from gongzhi.planning.tests.builders import give_evidence, open_run, process_at_step
from gongzhi.proposals.models import ProposalStatus, Support
from gongzhi.proposals.tests.builders import proposal_at
from gongzhi.tests.factories import AreaFactory, PartnerFactory, SiteFactory, UserFactory

pytestmark = pytest.mark.django_db


def team(town, name="微更新团队"):
    return OrgUnit.objects.create(town=town, kind="team", basis="group", group_name=name, name=name)


def nothing_started():
    return not PlanningProcess.objects.exists() and not StepRun.objects.exists()


# --- Starting one process ---------------------------------------------------------------


def test_start_process_opens_step_one(people, town, area_a):
    site = SiteFactory(area=area_a, town=town)
    unit = team(town)
    partner = PartnerFactory(area=area_a)
    process = services.start_process(
        town=town,
        area=area_a,
        actor=people["secretariat"],
        title="  逸景佳苑中心花园微更新  ",
        team=unit,
        lead_partner=partner,
        sites=[site],
    )
    assert process.title == "逸景佳苑中心花园微更新"
    assert process.status == ProcessStatus.ACTIVE and process.current_order == 1
    assert process.template == services.ensure_default_template()
    assert process.template.steps.count() == 11
    assert list(process.sites.all()) == [site]
    assert process.starts_on == timezone.localdate()
    run = open_run(process)
    assert (run.step.order, run.revision) == (1, 1)
    assert run.due_on == timezone.localdate() + timedelta(days=run.step.expected_days)
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.verb == "planning.start" and event.town_id == town.pk


def test_the_default_template_has_the_domain_table(db):
    template = services.ensure_default_template()
    assert services.ensure_default_template() == template  # made once
    steps = list(template.steps.values_list("order", "kind", "min_count", "min_days"))
    assert steps == [
        (1, "survey", 30, 0),
        (2, "interviews", 5, 0),
        (3, "drafts", 2, 0),
        (4, "participatory_design", 10, 0),
        (5, "adjustment", 0, 0),
        (6, "joint_meeting", 0, 0),
        (7, "optimisation", 0, 0),
        (8, "consultation", 0, 7),
        (9, "revision", 0, 0),
        (10, "joint_meeting", 0, 0),
        (11, "public_notice", 0, 7),
    ]


@pytest.mark.parametrize("wrong", ["area", "team", "partner", "site", "template", "title"])
def test_start_process_refuses_things_of_elsewhere(wrong, people, town, other_town, area_a, area_b):
    far_area = AreaFactory(town=other_town)
    kwargs = {"town": town, "area": area_a, "actor": people["secretariat"], "title": "微更新"}
    if wrong == "area":
        kwargs["area"] = far_area
    elif wrong == "team":
        kwargs["team"] = team(other_town)
    elif wrong == "partner":
        kwargs["lead_partner"] = PartnerFactory(area=far_area)
    elif wrong == "site":
        kwargs["sites"] = [SiteFactory(area=area_a, town=town), SiteFactory(area=area_b, town=town)]
    elif wrong == "template":
        kwargs["template"] = services.copy_template(
            template=services.ensure_default_template(),
            actor=people["administrator"],
            town=other_town,
        )
    else:
        kwargs["title"] = "   "
    with assert_nothing_written(), pytest.raises(DomainError):
        services.start_process(**kwargs)
    assert nothing_started()


# --- Batch launch ------------------------------------------------------------------------


@pytest.fixture
def town_areas(town, area_a, area_b):
    """The town's 32 residential areas, each with its team."""
    areas = [area_a, area_b] + [AreaFactory(town=town) for _ in range(30)]
    return [(area, team(town, f"{area.name}团队")) for area in areas]


def test_batch_launch_in_32_areas_is_one_action(
    people, town, town_areas, django_assert_max_num_queries
):
    with django_assert_max_num_queries(32 * 20):
        batch = services.launch_batch(
            town=town, actor=people["secretariat"], title="2023年第一批", assignments=town_areas
        )
    processes = PlanningProcess.objects.filter(batch=batch)
    assert processes.count() == 32
    assert set(processes.values_list("area", "team")) == {
        (area.pk, unit.pk) for area, unit in town_areas
    }
    assert set(processes.values_list("status", "current_order")) == {(ProcessStatus.ACTIVE, 1)}
    assert StepRun.objects.open().filter(process__batch=batch, step__order=1).count() == 32
    assert processes.filter(title__endswith="·2023年第一批").count() == 32
    verbs = list(AuditEvent.objects.values_list("verb", flat=True))
    assert verbs.count("planning.start") == 32 and verbs.count("planning.batch") == 1


def test_batch_launch_is_all_or_nothing(people, town, town_areas):
    busy_area = town_areas[7][0]
    services.start_process(town=town, area=busy_area, actor=people["secretariat"], title="已有")
    before = (PlanningProcess.objects.count(), StepRun.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as refused:
        services.launch_batch(
            town=town, actor=people["secretariat"], title="第二批", assignments=town_areas
        )
    assert busy_area.name in refused.value.message
    assert not BatchLaunch.objects.exists()
    after = (PlanningProcess.objects.count(), StepRun.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_batch_launch_rolls_back_on_a_bad_area(people, town, other_town, town_areas):
    """The last area is of another town: the 32 before it do not start either."""
    assignments = town_areas + [(AreaFactory(town=other_town), None)]
    with pytest.raises(DomainError):
        services.launch_batch(
            town=town, actor=people["secretariat"], title="第三批", assignments=assignments
        )
    assert nothing_started() and not BatchLaunch.objects.exists()


@pytest.mark.parametrize("problem", ["empty", "twice", "team"])
def test_batch_launch_refuses_bad_choices(problem, people, town, other_town, town_areas):
    assignments = {
        "empty": [],
        "twice": town_areas[:3] + town_areas[:1],
        "team": town_areas[:3] + [(town_areas[3][0], team(other_town))],
    }[problem]
    with pytest.raises(DomainError):
        services.launch_batch(
            town=town, actor=people["secretariat"], title="批次", assignments=assignments
        )
    assert nothing_started() and not BatchLaunch.objects.exists()


def test_a_finished_process_does_not_block_a_new_batch(people, town, town_areas):
    area = town_areas[0][0]
    old = services.start_process(town=town, area=area, actor=people["secretariat"], title="旧")
    services.abandon(process=old, actor=people["secretariat"], reason="合并到新一批")
    batch = services.launch_batch(
        town=town, actor=people["secretariat"], title="新一批", assignments=town_areas[:2]
    )
    assert batch.processes.count() == 2


# --- Template versions -------------------------------------------------------------------


def test_a_used_template_cannot_change(people, town, area_a):
    admin = people["administrator"]
    default = services.ensure_default_template()
    services.start_process(town=town, area=area_a, actor=admin, title="微更新")
    step = default.steps.get(order=1)
    with pytest.raises(DomainError):
        services.change_step_rule(step=step, actor=admin, min_count=5)
    step.refresh_from_db()
    assert step.min_count == 30


def test_a_process_keeps_the_version_it_started_with(people, town, area_a, area_b):
    admin = people["administrator"]
    default = services.ensure_default_template()
    before = services.start_process(town=town, area=area_a, actor=admin, title="旧规则")
    copy = services.copy_template(template=default, actor=admin, name="小型微更新")
    assert (copy.based_on, copy.version, copy.is_default) == (default, 1, False)
    again = services.copy_template(template=copy, actor=admin)
    assert (again.name, again.version) == ("小型微更新", 2)
    assert list(copy.steps.values_list("order", "kind", "min_count", "min_days")) == list(
        default.steps.values_list("order", "kind", "min_count", "min_days")
    )
    services.change_step_rule(step=copy.steps.get(order=1), actor=admin, min_count=10)
    services.change_step_rule(
        step=copy.steps.get(order=11), actor=admin, min_days=30, working_days=True
    )
    after = services.start_process(
        town=town, area=area_b, actor=admin, title="新规则", template=copy
    )
    assert open_run(before).step.min_count == 30
    assert open_run(after).step.min_count == 10
    assert before.template.steps.get(order=11).min_days == 7
    assert after.template.steps.get(order=11).working_days is True
    assert copy.in_use and default.in_use and not again.in_use
    verbs = list(AuditEvent.objects.values_list("verb", flat=True))
    assert verbs.count("template.copy") == 2 and verbs.count("template.rule") == 2


@pytest.mark.parametrize(
    "rules",
    [
        {"color": "red"},
        {"min_days": 400},
        {"min_days": -1},
        {"min_count": -3},
        {"expected_days": 0},
        {"title_zh": "长" * 61},
    ],
)
def test_change_step_rule_refuses_bad_rules(rules, people):
    admin = people["administrator"]
    copy = services.copy_template(template=services.ensure_default_template(), actor=admin)
    step = copy.steps.get(order=8)
    with pytest.raises(DomainError):
        services.change_step_rule(step=step, actor=admin, **rules)
    fresh = copy.steps.get(order=8)
    assert (fresh.title_zh, fresh.min_days, fresh.min_count) == ("", 7, 0)


def test_a_notice_lasts_at_least_a_day(people):
    admin = people["administrator"]
    copy = services.copy_template(template=services.ensure_default_template(), actor=admin)
    with pytest.raises(DomainError):
        services.change_step_rule(step=copy.steps.get(order=11), actor=admin, min_days=0)


def test_template_versions_are_numbered_per_name(people):
    admin = people["administrator"]
    default = services.ensure_default_template()
    first = services.copy_template(template=default, actor=admin)
    assert first.name == default.name and first.version == default.version + 1
    assert WorkflowTemplate.objects.filter(is_default=True).get() == default


# --- Proposals into plans, followers -----------------------------------------------------


def test_take_in_an_adopted_proposal(people, town, area_a, django_capture_on_commit_callbacks):
    process = process_at_step(3, town=town, area=area_a, actor=people["secretariat"])
    adopted, author, supporters = proposal_at(ProposalStatus.ADOPTED, town=town, area=area_a)
    withdrawn = UserFactory()
    Support.objects.create(proposal=adopted, user=withdrawn, withdrawn_at=timezone.now())
    Follower.objects.create(process=process, user=supporters[0])  # already following
    with django_capture_on_commit_callbacks(execute=True):
        services.take_in_proposal(process=process, proposal=adopted, actor=people["area_staff"])
    assert list(process.proposals.all()) == [adopted]
    assert list(adopted.processes.all()) == [process]
    followers = set(Follower.objects.filter(process=process).values_list("user", flat=True))
    assert followers == {author.pk, *(u.pk for u in supporters)}
    told = set(Notification.objects.values_list("user", flat=True))
    assert told == followers
    assert AuditEvent.objects.order_by("-seq").first().verb == "planning.proposal"
    with pytest.raises(DomainError):
        services.take_in_proposal(process=process, proposal=adopted, actor=people["area_staff"])


@pytest.mark.parametrize(
    "status",
    [s for s in ProposalStatus.values if s != ProposalStatus.ADOPTED],
)
def test_only_an_adopted_proposal_is_taken_in(status, people, town, area_a):
    process = process_at_step(1, town=town, area=area_a, actor=people["secretariat"])
    other, _author, _supporters = proposal_at(status, town=town, area=area_a)
    with pytest.raises(DomainError):
        services.take_in_proposal(process=process, proposal=other, actor=people["secretariat"])
    assert not process.proposals.exists() and not Follower.objects.exists()


def test_a_proposal_of_another_area_is_not_taken_in(people, town, area_a, area_b):
    process = process_at_step(1, town=town, area=area_a, actor=people["secretariat"])
    elsewhere, _author, _supporters = proposal_at(ProposalStatus.ADOPTED, town=town, area=area_b)
    with pytest.raises(DomainError):
        services.take_in_proposal(process=process, proposal=elsewhere, actor=people["secretariat"])
    assert not process.proposals.exists() and not Follower.objects.exists()


def test_followers_are_told_of_each_transition(
    people, town, area_a, django_capture_on_commit_callbacks
):
    staff, secretariat = people["area_staff"], people["secretariat"]
    process = process_at_step(5, town=town, area=area_a, actor=secretariat)
    fans = [people["resident"], UserFactory()]
    for user in fans:
        assert services.follow(process=process, user=user)
    assert not services.follow(process=process, user=fans[0])
    give_evidence(open_run(process))
    with django_capture_on_commit_callbacks(execute=True):
        services.advance_step(process=process, actor=staff)
    notes = Notification.objects.filter(user__in=fans)
    assert notes.count() == 2
    assert all(process.title in n.message and "6" in n.message for n in notes)
    assert {n.url for n in notes} == {process.get_absolute_url()}
    assert not Notification.objects.filter(user=staff).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.return_to_step(process=process, actor=secretariat, to_order=3, reason="重新设计")
    assert Notification.objects.filter(user__in=fans, message__contains="重新设计").count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        services.abandon(process=process, actor=secretariat, reason="小区整体征收")
    assert Notification.objects.filter(user__in=fans, message__contains="小区整体征收").count() == 2


def test_no_one_is_told_of_a_refused_advance(
    people, town, area_a, django_capture_on_commit_callbacks
):
    process = process_at_step(2, town=town, area=area_a, actor=people["secretariat"])
    services.follow(process=process, user=people["resident"])
    with (
        django_capture_on_commit_callbacks(execute=True),
        assert_nothing_written(),
        pytest.raises(DomainError),
    ):
        services.advance_step(process=process, actor=people["area_staff"])
    assert not Notification.objects.exists()


def test_the_last_step_completes_the_plan(people, town, area_a, django_capture_on_commit_callbacks):
    process = process_at_step(11, town=town, area=area_a, actor=people["secretariat"])
    services.follow(process=process, user=people["resident"])
    give_evidence(open_run(process))
    with django_capture_on_commit_callbacks(execute=True):
        services.advance_step(process=process, actor=people["area_staff"])
    process.refresh_from_db()
    assert process.status == ProcessStatus.COMPLETED and process.completed_at
    assert services.missing_evidence(process) == []
    note = Notification.objects.get(user=people["resident"])
    assert process.title in note.message


# --- One active process per area -------------------------------------------------------


def test_an_area_has_one_active_process_at_a_time(people, town, area_a):
    secretariat = people["secretariat"]
    first = services.start_process(town=town, area=area_a, actor=secretariat, title="第一轮")
    with pytest.raises(DomainError, match=area_a.name):
        services.start_process(town=town, area=area_a, actor=secretariat, title="第二轮")
    assert PlanningProcess.objects.filter(area=area_a).count() == 1
    services.abandon(process=first, actor=secretariat, reason="改为下一轮")
    second = services.start_process(town=town, area=area_a, actor=secretariat, title="第二轮")
    assert second.status == "active"


def test_the_database_keeps_one_active_process_per_area(people, town, area_a):
    """The constraint behind the service's check (a real race on it, and the message
    its losers get: test_concurrency.py)."""
    from django.db import IntegrityError, transaction

    secretariat = people["secretariat"]
    services.start_process(town=town, area=area_a, actor=secretariat, title="第一轮")
    with pytest.raises(IntegrityError), transaction.atomic():
        process_at_step(1, town=town, area=area_a, actor=secretariat)
