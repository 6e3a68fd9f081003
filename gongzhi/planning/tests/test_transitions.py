"""The transition rules of the planning loop, exhaustively: every default step ×
evidence present/missing × role for advancing; returns, abandoning and the revision
rule; and the evidence table's boundaries, kind by kind (evidence.missing).

A role without the transition's permission (rules.TRANSITIONS, checked with
user.has_perm as the views do) is refused before any service runs; a role with it
advances when the evidence exists and gets a DomainError naming each missing item
when it does not. A refusal changes nothing: the same open run, the same current
step, no audit event.
"""

from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from gongzhi.conftest import ROLES
from gongzhi.core.errors import DomainError
from gongzhi.core.models import AuditEvent
from gongzhi.planning import evidence, services
from gongzhi.planning.calendar import last_day
from gongzhi.planning.models import (
    DesignDraft,
    Holiday,
    MeetingLink,
    ProcessStatus,
    PublicNotice,
    RunOutcome,
    StepKind,
    StepRun,
)
from gongzhi.planning.rules import TRANSITIONS
from gongzhi.planning.tests.builders import (
    MISSABLE,
    give_evidence,
    make_draft,
    make_people,
    open_run,
    process_at_step,
    run_of,
    take_away,
)
from gongzhi.tests.factories import AreaFactory

pytestmark = pytest.mark.django_db

STEPS = len(services.DEFAULT_STEPS)
ORDERS = list(range(1, STEPS + 1))
KIND_OF = {order: kind for order, (kind, *_rest) in enumerate(services.DEFAULT_STEPS, 1)}

# Who may do each transition on a process of area_a (the area staff's area).
ALLOWED = {
    "advance": {"area_staff", "secretariat", "administrator"},
    "return_by_meeting": {"area_staff", "secretariat", "administrator"},
    "return_by_secretariat": {"secretariat", "administrator"},
    "abandon": {"secretariat", "administrator"},
}


def user_for(people, role):
    return AnonymousUser() if role == "anonymous" else people[role]


def attempt(user, transition, process, **kwargs):
    """What a view does: check the transition's permission, then call the service."""
    if not user.has_perm(f"planning.{transition}", process):
        raise PermissionDenied
    if transition == "advance":
        return services.advance_step(process=process, actor=user, **kwargs)
    if transition in ("return_by_meeting", "return_by_secretariat"):
        return services.return_to_step(process=process, actor=user, **kwargs)
    return services.abandon(process=process, actor=user, **kwargs)


def state(process):
    """Everything a refused transition must leave as it was."""
    process.refresh_from_db()
    run = StepRun.objects.open().filter(process=process).first()
    return {
        "open_run": getattr(run, "pk", None),
        "current_order": process.current_order,
        "status": process.status,
        "runs": StepRun.objects.filter(process=process).count(),
        "closed": list(
            StepRun.objects.filter(process=process, closed_at__isnull=False).values_list(
                "pk", "outcome"
            )
        ),
        "events": AuditEvent.objects.count(),
    }


def missing(run, now=None):
    """evidence.missing on a fresh copy of the run (a run caches its consultation and
    notice, which the tests change behind its back)."""
    return evidence.missing(StepRun.objects.get(pk=run.pk), now)


def latest_event():
    return AuditEvent.objects.order_by("-seq").first()


# --- The table itself ---------------------------------------------------------------


def test_the_transition_table_names_every_transition():
    assert set(TRANSITIONS) == set(ALLOWED)


@pytest.mark.parametrize("role", ROLES)
def test_permissions_by_role(role, people, town, area_a, area_b):
    own = process_at_step(3, town=town, area=area_a, actor=people["secretariat"])
    other = process_at_step(3, town=town, area=area_b, actor=people["secretariat"])
    user = user_for(people, role)
    for transition, allowed in ALLOWED.items():
        assert user.has_perm(f"planning.{transition}", own) is (role in allowed), transition
        # Area staff never act on another area's process.
        expected = role in allowed and role != "area_staff"
        assert user.has_perm(f"planning.{transition}", other) is expected, transition


# --- Advance: every step × evidence × role -----------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("given", ["present", "missing"])
@pytest.mark.parametrize("order", ORDERS)
def test_advance(order, given, role, people, town, area_a):
    process = process_at_step(order, town=town, area=area_a, actor=people["secretariat"])
    run = open_run(process)
    assert run.step.kind == KIND_OF[order]
    now = timezone.now()
    if given == "present":
        give_evidence(run, now, actor=people["secretariat"])
    user = user_for(people, role)
    before = state(process)

    if role not in ALLOWED["advance"]:
        with pytest.raises(PermissionDenied):
            attempt(user, "advance", process, now=now)
        assert state(process) == before
        return

    if given == "missing":
        lacking = missing(run, now)
        assert lacking
        with pytest.raises(DomainError) as refused:
            attempt(user, "advance", process, now=now)
        for item in lacking:
            assert item in refused.value.message
        assert run.step.display_title in refused.value.message
        assert state(process) == before
        return

    attempt(user, "advance", process, now=now)
    process.refresh_from_db()
    run.refresh_from_db()
    assert run.outcome == RunOutcome.COMPLETED and run.closed_at == now
    if order < STEPS:
        assert process.status == ProcessStatus.ACTIVE
        assert process.current_order == order + 1
        following = open_run(process)
        assert (following.step.order, following.revision) == (order + 1, 1)
    else:
        assert process.status == ProcessStatus.COMPLETED
        assert process.completed_at == now
        assert process.current_order == STEPS
        assert not StepRun.objects.open().filter(process=process).exists()
    event = latest_event()
    assert event.verb == "planning.advance"
    assert event.actor_id == user.pk
    assert event.before == {"step": order, "revision": 1}
    assert event.after["step"] == process.current_order
    assert AuditEvent.objects.count() == before["events"] + 1


def test_a_completed_process_does_not_advance(people, town, area_a):
    process = process_at_step(STEPS, town=town, area=area_a, actor=people["secretariat"])
    now = timezone.now()
    give_evidence(open_run(process), now)
    services.advance_step(process=process, actor=people["secretariat"], now=now)
    before = state(process)
    for transition, kwargs in [
        ("advance", {}),
        ("return_by_secretariat", {"to_order": 3, "reason": "重新调研"}),
        ("abandon", {"reason": "不再需要"}),
    ]:
        with pytest.raises(DomainError):
            attempt(people["secretariat"], transition, process, **kwargs)
    assert state(process) == before


def test_steps_cannot_be_skipped(people, town, area_a):
    """Evidence for a later step does not close the open one."""
    process = process_at_step(2, town=town, area=area_a, actor=people["secretariat"])
    later = process.template.steps.get(order=3)
    run = open_run(process)
    make_draft(run, actor=people["secretariat"])
    make_draft(run, actor=people["secretariat"])  # step 3's evidence, on step 2's run
    before = state(process)
    with pytest.raises(DomainError):
        services.advance_step(process=process, actor=people["secretariat"])
    assert state(process) == before
    assert not StepRun.objects.filter(process=process, step=later).exists()


# --- Return --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("transition", ["return_by_meeting", "return_by_secretariat"])
def test_return_by_role(transition, role, people, town, area_a):
    process = process_at_step(6, town=town, area=area_a, actor=people["secretariat"])
    sent_back = open_run(process)
    user = user_for(people, role)
    before = state(process)
    kwargs = {"to_order": 5, "reason": "居民意见尚未充分吸纳"}
    if transition == "return_by_meeting":
        made = give_evidence(sent_back, without="approve")
        kwargs["meeting_link"] = made["link"]
    if role not in ALLOWED[transition]:
        with pytest.raises(PermissionDenied):
            attempt(user, transition, process, **kwargs)
        assert state(process) == before
        return
    attempt(user, transition, process, **kwargs)
    process.refresh_from_db()
    sent_back.refresh_from_db()
    assert process.current_order == 5 and process.status == ProcessStatus.ACTIVE
    assert sent_back.outcome == RunOutcome.RETURNED
    assert sent_back.note == "居民意见尚未充分吸纳"
    reopened = open_run(process)
    assert (reopened.step.order, reopened.revision) == (5, 2)
    assert reopened.note == "居民意见尚未充分吸纳"
    event = latest_event()
    assert event.verb == "planning.return" and event.actor_id == user.pk
    assert event.before == {"step": 6, "revision": 1}
    assert event.after["step"] == 5 and event.after["revision"] == 2
    assert event.after["reason"] == "居民意见尚未充分吸纳"
    if transition == "return_by_meeting":
        assert event.after["meeting"] == kwargs["meeting_link"].meeting_id


@pytest.mark.parametrize("order", ORDERS)
def test_return_only_to_an_earlier_step(order, people, town, area_a):
    secretariat = people["secretariat"]
    process = process_at_step(order, town=town, area=area_a, actor=secretariat)
    before = state(process)
    for to_order in [0, order, order + 1, STEPS + 1, -1]:
        with pytest.raises(DomainError):
            services.return_to_step(
                process=process, actor=secretariat, to_order=to_order, reason="x"
            )
        assert state(process) == before
    for to_order in range(1, order):  # may be empty: the first step has none before it
        # One active process per area: each fresh copy in an area of its own.
        fresh = process_at_step(order, town=town, area=AreaFactory(town=town), actor=secretariat)
        services.return_to_step(process=fresh, actor=secretariat, to_order=to_order, reason="退回")
        fresh.refresh_from_db()
        assert fresh.current_order == to_order
        assert open_run(fresh).revision == 2


@pytest.mark.parametrize("reason", ["", "   ", "长" * 501])
def test_return_needs_a_reason(reason, people, town, area_a):
    process = process_at_step(6, town=town, area=area_a, actor=people["secretariat"])
    before = state(process)
    with pytest.raises(DomainError) as refused:
        services.return_to_step(
            process=process, actor=people["secretariat"], to_order=3, reason=reason
        )
    assert "理由" in refused.value.message
    assert state(process) == before


# --- Abandon ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_abandon_by_role(role, people, town, area_a):
    process = process_at_step(4, town=town, area=area_a, actor=people["secretariat"])
    run = open_run(process)
    user = user_for(people, role)
    before = state(process)
    if role not in ALLOWED["abandon"]:
        with pytest.raises(PermissionDenied):
            attempt(user, "abandon", process, reason="居民区整体拆迁")
        assert state(process) == before
        return
    attempt(user, "abandon", process, reason="居民区整体拆迁")
    process.refresh_from_db()
    run.refresh_from_db()
    assert process.status == ProcessStatus.ABANDONED
    assert process.abandoned_reason == "居民区整体拆迁"
    assert process.current_order == 4
    assert run.outcome == RunOutcome.ABANDONED and run.note == "居民区整体拆迁"
    assert latest_event().verb == "planning.abandon"
    # An abandoned process changes no more.
    after = state(process)
    for transition, kwargs in [
        ("advance", {}),
        ("return_by_secretariat", {"to_order": 1, "reason": "重启"}),
        ("abandon", {"reason": "再次放弃"}),
    ]:
        with pytest.raises(DomainError):
            attempt(user, transition, process, **kwargs)
    assert state(process) == after


@pytest.mark.parametrize("reason", ["", "  ", "长" * 501])
def test_abandon_needs_a_reason(reason, people, town, area_a):
    process = process_at_step(4, town=town, area=area_a, actor=people["secretariat"])
    before = state(process)
    with pytest.raises(DomainError):
        services.abandon(process=process, actor=people["secretariat"], reason=reason)
    assert state(process) == before


# --- The revision rule ----------------------------------------------------------------


def test_going_back_opens_a_new_revision_and_keeps_the_evidence(people, town, area_a):
    staff = people["area_staff"]
    process = process_at_step(5, town=town, area=area_a, actor=people["secretariat"])
    first = open_run(process)
    first_draft = give_evidence(first, actor=staff)["draft"]
    services.advance_step(process=process, actor=staff)

    # The joint meeting sends the plan back: its decision is no approval.
    meeting_run = open_run(process)
    link = give_evidence(meeting_run, without="approve", actor=staff)["link"]
    with pytest.raises(DomainError) as refused:
        services.advance_step(process=process, actor=staff)
    assert missing(meeting_run)[0] in refused.value.message
    services.return_to_step(
        process=process,
        actor=staff,
        to_order=5,
        reason=link.reasons,
        meeting_link=link,
    )
    second = open_run(process)
    assert (second.step_id, second.revision) == (first.step_id, 2)
    # The new revision starts empty: the first run's evidence stays with it.
    assert missing(second)
    assert list(first.drafts.all()) == [first_draft]
    assert DesignDraft.objects.get(pk=first_draft.pk).run_id == first.pk
    assert MeetingLink.objects.get(pk=link.pk).run_id == meeting_run.pk

    second_draft = give_evidence(second, actor=staff)["draft"]
    assert second_draft.version == first_draft.version + 1
    services.advance_step(process=process, actor=staff)
    meeting_again = open_run(process)
    assert (meeting_again.step.order, meeting_again.revision) == (6, 2)
    give_evidence(meeting_again, actor=staff)
    services.advance_step(process=process, actor=staff)
    process.refresh_from_db()
    assert process.current_order == 7
    runs = list(
        StepRun.objects.filter(process=process, step__order__gte=5)
        .order_by("opened_at", "pk")
        .values_list("step__order", "revision", "outcome")
    )
    assert runs == [
        (5, 1, RunOutcome.COMPLETED),
        (6, 1, RunOutcome.RETURNED),
        (5, 2, RunOutcome.COMPLETED),
        (6, 2, RunOutcome.COMPLETED),
        (7, 1, ""),
    ]
    assert list(first.drafts.all()) == [first_draft]
    assert list(second.drafts.all()) == [second_draft]


def test_a_later_return_to_the_same_step_is_revision_three(people, town, area_a):
    secretariat = people["secretariat"]
    process = process_at_step(3, town=town, area=area_a, actor=secretariat)
    for revision in (2, 3):
        services.return_to_step(process=process, actor=secretariat, to_order=2, reason="补充访谈")
        assert open_run(process).revision == revision
        give_evidence(open_run(process))
        services.advance_step(process=process, actor=secretariat)
    assert run_of(process, 2).revision == 3
    assert StepRun.objects.filter(process=process, step__order=3).count() == 3


# --- The evidence table: each kind's items and boundaries -------------------------------


@pytest.mark.parametrize("order", ORDERS)
def test_full_evidence_is_enough(order, people, town, area_a):
    process = process_at_step(order, town=town, area=area_a, actor=people["secretariat"])
    run = open_run(process)
    assert missing(run) != []
    give_evidence(run)
    assert missing(run) == []


MISSING_ITEMS = [
    (order, item)
    for order in ORDERS
    if order != 10  # step 10 is the same kind as step 6
    for item in MISSABLE[KIND_OF[order]]
]


@pytest.mark.parametrize(("order", "item"), MISSING_ITEMS)
def test_one_item_missing_is_named(order, item, people, town, area_a, area_b):
    """Leaving out one item leaves exactly one line in the list, whether it was never
    given or was taken away afterwards."""
    actor = people["secretariat"]
    now = timezone.now()
    never = open_run(process_at_step(order, town=town, area=area_a, actor=actor))
    give_evidence(never, now, without=item)
    lacking = missing(never, now)
    assert len(lacking) == 1, lacking

    removed = open_run(process_at_step(order, town=town, area=area_b, actor=actor))
    give_evidence(removed, now)
    assert missing(removed, now) == []
    take_away(removed, item, now)
    assert missing(removed, now) == lacking


def _one_step_template(kind, actor, **rules):
    """A copy of the default template whose step of ``kind`` has ``rules``."""
    copy = services.copy_template(
        template=services.ensure_default_template(), actor=actor, name="测试模板"
    )
    step = copy.steps.filter(kind=kind).first()
    services.change_step_rule(step=step, actor=actor, **rules)
    return copy, step.order


def test_survey_responses_boundary(people, town, area_a):
    admin = people["administrator"]
    template, order = _one_step_template(StepKind.SURVEY, admin, min_count=3)
    process = process_at_step(order, town=town, area=area_a, actor=admin, template=template)
    run = open_run(process)
    made = give_evidence(run, without="responses")
    assert len(made["responses"]) == 2
    lacking = missing(run)
    assert len(lacking) == 1 and "3" in lacking[0] and "2" in lacking[0]
    from gongzhi.surveys.models import Response

    Response.objects.create(survey=made["survey"], user=make_people(1)[0])
    assert missing(run) == []


def test_survey_counts_distinct_people(people, town, area_a):
    """One response per account: the same person cannot answer twice."""
    from django.db import IntegrityError, transaction

    from gongzhi.surveys.models import Response

    process = process_at_step(1, town=town, area=area_a, actor=people["secretariat"])
    made = give_evidence(open_run(process))
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=made["survey"], user=made["responses"][0].user)


def test_interviews_boundary(people, town, area_a):
    process = process_at_step(2, town=town, area=area_a, actor=people["secretariat"])
    run = open_run(process)
    made = give_evidence(run, without="interviews")
    assert len(made["interviews"]) == run.step.min_count - 1 == 4
    assert len(missing(run)) == 1
    give_evidence(run, without="interviews")  # four more: eight with consent
    assert missing(run) == []


def test_drafts_must_differ(people, town, area_a):
    actor = people["secretariat"]
    process = process_at_step(3, town=town, area=area_a, actor=actor)
    run = open_run(process)
    make_draft(run, actor=actor, body=b"%PDF same")
    make_draft(run, actor=actor, body=b"%PDF same")
    assert DesignDraft.objects.filter(process=process).count() == 2
    assert len(missing(run)) == 1  # two uploads of one file are one draft
    make_draft(run, actor=actor, body=b"%PDF other")
    assert missing(run) == []


def test_participatory_inputs_boundary(people, town, area_a):
    process = process_at_step(4, town=town, area=area_a, actor=people["secretariat"])
    run = open_run(process)
    made = give_evidence(run, without="inputs")
    assert len(made["votes"]) + len(made["comments"]) == run.step.min_count - 1
    assert len(missing(run)) == 1
    from gongzhi.planning.models import DraftComment

    DraftComment.objects.create(
        run=run, draft=made["comments"][0].draft, user=make_people(1)[0], body="支持第二稿"
    )
    assert missing(run) == []


def test_participatory_session_must_have_been_held(people, town, area_a):
    process = process_at_step(4, town=town, area=area_a, actor=people["secretariat"])
    run = open_run(process)
    now = timezone.now()
    activity = give_evidence(run, now)["activity"]
    # Before it ended, it was not held yet.
    assert len(missing(run, activity.ends_at - timedelta(seconds=1))) == 1
    assert missing(run, activity.ends_at) == []


def test_participatory_session_must_be_co_design(people, town, area_a):
    """A market or a salon is not a co-design session."""
    process = process_at_step(4, town=town, area=area_a, actor=people["secretariat"])
    run = open_run(process)
    activity = give_evidence(run)["activity"]
    type(activity).objects.filter(pk=activity.pk).update(kind="charity_market")
    assert len(missing(run)) == 1
    type(activity).objects.filter(pk=activity.pk).update(kind="world_cafe")
    assert missing(run) == []


def test_joint_meeting_motion_must_have_passed(people, town, area_a):
    process = process_at_step(6, town=town, area=area_a, actor=people["secretariat"])
    run = open_run(process)
    motion = give_evidence(run)["motion"]
    type(motion).objects.filter(pk=motion.pk).update(result="failed")
    assert len(missing(run)) == 1
    type(motion).objects.filter(pk=motion.pk).update(result="passed")
    assert missing(run) == []


def test_joint_meeting_reads_the_latest_link(people, town, area_a):
    process = process_at_step(6, town=town, area=area_a, actor=people["secretariat"])
    run = open_run(process)
    give_evidence(run, without="approve")  # first meeting: sent back
    assert len(missing(run)) == 1
    give_evidence(run)  # a second meeting approves
    assert missing(run) == []


def test_consultation_must_have_closed(people, town, area_a):
    process = process_at_step(8, town=town, area=area_a, actor=people["secretariat"])
    run = open_run(process)
    now = timezone.now()
    consultation = give_evidence(run, now)["consultation"]
    closes = consultation.closes_at
    assert len(missing(run, closes - timedelta(seconds=1))) == 1  # still open
    assert missing(run, closes) == []


def test_consultation_length_boundary(people, town, area_a):
    process = process_at_step(8, town=town, area=area_a, actor=people["secretariat"])
    run = open_run(process)
    consultation = give_evidence(run)["consultation"]
    assert run.step.min_days == 7
    type(consultation).objects.filter(pk=consultation.pk).update(
        opens_at=consultation.closes_at - timedelta(days=7)
    )
    assert missing(run) == []
    type(consultation).objects.filter(pk=consultation.pk).update(
        opens_at=consultation.closes_at - timedelta(days=7) + timedelta(seconds=1)
    )
    assert len(missing(run)) == 1


def test_consultation_every_comment_replied(people, town, area_a):
    process = process_at_step(8, town=town, area=area_a, actor=people["secretariat"])
    run = open_run(process)
    comments = give_evidence(run)["comments"]
    type(comments[0]).objects.filter(pk=comments[1].pk).update(reply="")
    assert len(missing(run)) == 1


def test_revision_must_answer_the_consultation(people, town, area_a):
    actor = people["secretariat"]
    process = process_at_step(8, town=town, area=area_a, actor=actor)
    give_evidence(open_run(process))
    services.advance_step(process=process, actor=actor)
    run = open_run(process)
    draft = make_draft(run, actor=actor, change_note="调整了座椅位置")
    assert len(missing(run)) == 1
    draft.answers_consultation.set(run_of(process, 8).consultation.comments.all()[:1])
    assert missing(run) == []


def _at(day, hour=0, minute=0, second=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute, second)))


def test_notice_cannot_end_on_its_last_day(people, town, area_a):
    process = process_at_step(11, town=town, area=area_a, actor=people["secretariat"])
    run = open_run(process)
    notice = give_evidence(run)["notice"]
    ends_on = PublicNotice.objects.get(pk=notice.pk).ends_on
    assert ends_on == notice.starts_on + timedelta(days=6)  # seven calendar days
    for moment in [_at(notice.starts_on, 9), _at(ends_on), _at(ends_on, 23, 59, 59)]:
        lacking = missing(run, moment)
        assert len(lacking) == 1 and ends_on.isoformat() in lacking[0]
    assert missing(run, _at(ends_on + timedelta(days=1))) == []


def test_notice_in_working_days(people, town, area_a):
    """Seven working days posted before the 2023 National Day holiday (9/29–10/6, with
    the weekend of 10/7–10/8 worked) end on 10/12, not on 10/4."""
    admin = people["administrator"]
    for day in range(29, 31):
        Holiday.objects.create(date=date(2023, 9, day), name="中秋节")
    for day in range(1, 7):
        Holiday.objects.create(date=date(2023, 10, day), name="国庆节")
    for day in (7, 8):
        Holiday.objects.create(date=date(2023, 10, day), name="国庆调休", is_workday=True)
    holidays = set(Holiday.objects.filter(is_workday=False).values_list("date", flat=True))
    workdays = frozenset(Holiday.objects.filter(is_workday=True).values_list("date", flat=True))
    posted = date(2023, 9, 28)
    ends_on = last_day(posted, 7, working=True, holidays=holidays, workdays=workdays)
    assert ends_on == date(2023, 10, 12)
    assert last_day(posted, 7, working=False) == date(2023, 10, 4)

    template, order = _one_step_template(
        StepKind.PUBLIC_NOTICE, admin, working_days=True, min_days=7
    )
    process = process_at_step(order, town=town, area=area_a, actor=admin, template=template)
    run = open_run(process)
    now = _at(date(2023, 10, 20), 10)
    notice = give_evidence(run, now)["notice"]
    PublicNotice.objects.filter(pk=notice.pk).update(starts_on=posted, ends_on=ends_on)
    assert len(missing(run, _at(date(2023, 10, 5), 10))) == 1
    assert len(missing(run, _at(date(2023, 10, 12), 18))) == 1
    assert missing(run, _at(date(2023, 10, 13), 8)) == []


def test_notice_period_boundary(people, town, area_a):
    process = process_at_step(11, town=town, area=area_a, actor=people["secretariat"])
    run = open_run(process)
    notice = give_evidence(run)["notice"]
    PublicNotice.objects.filter(pk=notice.pk).update(period_days=6)
    assert len(missing(run)) == 1
    PublicNotice.objects.filter(pk=notice.pk).update(period_days=7)
    assert missing(run) == []
