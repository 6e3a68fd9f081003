"""The demo's planning history (seed_demo): processes across the demo areas at
different steps at the end of 2023, one completed after going back from a joint
meeting, one whose notice drew a resident's objection, a 2023 batch; linked to the
demo's own activities, meetings and adopted proposals; all of them carried on to the
end in 2024, so that none is open (or overdue) today; idempotent. The present's
plans: test_today.py."""

from datetime import datetime

from django.utils import timezone

from gongzhi.demo import planning as demo
from gongzhi.demo.places import NAMED_AREA
from gongzhi.events.models import Activity
from gongzhi.meetings.models import Meeting
from gongzhi.planning import services
from gongzhi.planning.models import (
    ActivityLink,
    BatchLaunch,
    Follower,
    JointDecision,
    MeetingLink,
    PlanningProcess,
    ProcessStatus,
    PublicNotice,
    RunOutcome,
    StepKind,
    StepRun,
)

END_OF_2023 = timezone.make_aware(datetime(2023, 12, 31, 23, 59))


def step_then(process, moment=END_OF_2023) -> int | None:
    """The step open at ``moment`` (None: none, the process was final)."""
    run = (
        process.runs.filter(opened_at__lte=moment)
        .exclude(closed_at__lte=moment)
        .select_related("step")
        .first()
    )
    return run.step.order if run else None


def test_processes_in_many_areas_at_different_steps(town, demo_year):
    processes = PlanningProcess.objects.filter(town=town, starts_on__year=2023)
    assert processes.count() == 18
    assert processes.values("area").distinct().count() == 17
    # At the end of 2023 all of them were open, at different steps...
    then = [step_then(p) for p in processes]
    assert then.count(None) == 0 and len(then) == 18
    assert len(set(then)) >= 4
    assert processes.filter(area__name=NAMED_AREA).count() == 2
    # ... and they went on to the end in 2024: none of the history is open today.
    assert {p.status for p in processes} == {ProcessStatus.COMPLETED}
    assert all(p.completed_at.year == 2024 for p in processes)
    active = PlanningProcess.objects.filter(town=town, status=ProcessStatus.ACTIVE)
    assert active.count() == 11  # the present's, one at each step (test_today.py)
    # Every active process has exactly one open step, the one it shows.
    for process in active:
        run = services.open_run(process)
        assert run.step.order == process.current_order
    assert "Planning:" in demo_year.out


def test_one_completed_process_went_back_once_from_a_joint_meeting(town):
    process = PlanningProcess.objects.get(town=town, title="逸景佳苑中心花园微更新")
    assert process.status == ProcessStatus.COMPLETED
    assert process.area.name == NAMED_AREA and process.completed_at
    returned_anywhere = StepRun.objects.filter(
        process__town=town, process__starts_on__year=2023, outcome=RunOutcome.RETURNED
    )
    assert returned_anywhere.count() == 1
    returned = StepRun.objects.get(process=process, outcome=RunOutcome.RETURNED)
    assert returned.step.kind == StepKind.JOINT_MEETING and returned.note
    link = MeetingLink.objects.get(run=returned)
    assert link.decision == JointDecision.RETURN and link.return_to == 5 and link.reasons
    assert link.meeting.kind == "joint" and link.meeting.status == "held"
    assert link.motion.passed
    runs = list(process.runs.order_by("opened_at", "pk").values_list("step__order", "revision"))
    assert runs[:6] == [(1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1)]
    assert runs[6:8] == [(5, 2), (6, 2)]
    assert [order for order, _r in runs[8:]] == [7, 8, 9, 10, 11]
    completed_runs = StepRun.objects.filter(process=process, outcome=RunOutcome.COMPLETED)
    assert completed_runs.count() == 12
    # Its co-design session is the demo's own workshop (no activity added).
    activity = ActivityLink.objects.get(run__process=process).activity
    assert activity.kind == "workshop" and activity.area_id == process.area_id
    # Nothing is missing on any completed run.
    from gongzhi.planning import evidence

    for run in completed_runs:
        assert evidence.missing(run, run.closed_at) == [], run


def test_one_process_whose_notice_drew_an_objection_answered_before_the_result(town):
    process = PlanningProcess.objects.get(town=town, title="逸致议事厅“一客一厅”改造")
    notice = PublicNotice.objects.get(run__process=process)
    objection = notice.objections.get()
    assert objection.user.phone == "13800000001" and objection.body == demo.OBJECTION
    # Answered while the notice ran; the result says so; the plan final after it ended.
    assert objection.reply == demo.OBJECTION_REPLY and objection.replied_by
    assert objection.created_at < objection.replied_at
    assert notice.starts_on <= timezone.localdate(objection.replied_at) <= notice.ends_on
    assert "异议1条" in notice.result
    assert process.status == ProcessStatus.COMPLETED
    assert timezone.localdate(process.completed_at) > notice.ends_on
    assert process.completed_at.year == 2024
    assert Follower.objects.filter(process=process, user=objection.user).exists()
    from gongzhi.planning import evidence

    closed = list(process.runs.filter(outcome=RunOutcome.COMPLETED))
    assert len(closed) == 11
    for run in closed:
        assert evidence.missing(run, run.closed_at) == [], run


def test_a_2023_batch_launch(town):
    batch = BatchLaunch.objects.get(town=town)
    assert batch.launched_at.year == 2023
    processes = batch.processes.all()
    assert processes.count() == 12
    # At steps 1 to 4 when 2023 ended; each completed in 2024, every step proved.
    assert {step_then(p) for p in processes} == {1, 2, 3, 4}
    from gongzhi.planning import evidence

    for process in processes:
        assert process.status == ProcessStatus.COMPLETED and process.completed_at.year == 2024
        runs = process.runs.filter(outcome=RunOutcome.COMPLETED)
        assert runs.count() == 11
        later = list(runs.filter(closed_at__year=2024))
        assert later
        for run in later:
            assert evidence.missing(run, run.closed_at) == [], run


def test_adopted_proposals_are_in_plans(town):
    linked = PlanningProcess.objects.filter(town=town, proposals__isnull=False).distinct()
    assert linked.count() == 7
    for process in linked:
        proposals = list(process.proposals.all())
        assert proposals
        for proposal in proposals:
            assert proposal.status == "adopted" and proposal.area_id == process.area_id
            assert Follower.objects.filter(process=process, user=proposal.author).exists()


def test_the_other_demos_keep_their_counts(town):
    """Planning links the demo's activities of 2023 and adds none that year (its 2024
    steps' workshops are its own); its joint meetings are held after the demo year."""
    assert Activity.objects.filter(town=town, starts_at__year=2023).count() == 17
    workshops = Activity.objects.filter(town=town, starts_at__year=2024)
    linked = ActivityLink.objects.filter(run__process__starts_on__year=2023)
    assert set(workshops.values_list("pk", flat=True)) <= set(
        linked.values_list("activity", flat=True)
    )
    assert workshops.count() == 16
    assert Meeting.objects.filter(town=town, starts_at__year=2023).count() == 96
    planning_meetings = Meeting.objects.filter(
        pk__in=MeetingLink.objects.filter(
            run__process__town=town, run__process__starts_on__year=2023
        ).values("meeting")
    )
    # The garden's three and the hall's two, then two for each of the other sixteen.
    assert planning_meetings.count() == 5 + 2 * 16
    assert all(m.starts_at.year == 2024 for m in planning_meetings)
