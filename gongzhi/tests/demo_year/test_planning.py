"""The demo's planning (seed_demo): processes across the demo areas at different
steps, one completed after going back from a joint meeting, one in public notice
with a resident's objection, a 2023 batch; linked to the demo's own activities,
meetings and adopted proposals; idempotent."""

from gongzhi.events.models import Activity
from gongzhi.meetings.models import Meeting
from gongzhi.places.demo import NAMED_AREA
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


def test_processes_in_many_areas_at_different_steps(town, demo_year):
    processes = PlanningProcess.objects.filter(town=town)
    assert processes.count() == 18
    assert processes.values("area").distinct().count() == 17
    active = processes.filter(status=ProcessStatus.ACTIVE)
    assert len(set(active.values_list("current_order", flat=True))) >= 4
    assert all(p.starts_on.year == 2023 for p in processes)
    assert processes.filter(area__name=NAMED_AREA).count() == 2
    # Every active process has exactly one open step, the one it shows.
    for process in active:
        run = services.open_run(process)
        assert run.step.order == process.current_order
    assert "Planning:" in demo_year.out


def test_one_completed_process_went_back_once_from_a_joint_meeting(town):
    completed = PlanningProcess.objects.filter(town=town, status=ProcessStatus.COMPLETED)
    assert completed.count() == 1
    process = completed.get()
    assert process.area.name == NAMED_AREA and process.completed_at
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


def test_one_process_in_notice_with_an_objection(town):
    process = PlanningProcess.objects.get(town=town, status=ProcessStatus.ACTIVE, current_order=11)
    notice = PublicNotice.objects.get(run__process=process)
    objection = notice.objections.get()
    assert objection.user.phone == "13800000001" and not objection.reply
    # The unanswered objection is what holds the plan.
    lacking = services.missing_evidence(process)
    assert len(lacking) == 1
    assert Follower.objects.filter(process=process, user=objection.user).exists()


def test_a_2023_batch_launch(town):
    batch = BatchLaunch.objects.get(town=town)
    assert batch.launched_at.year == 2023
    processes = batch.processes.all()
    assert processes.count() == 12
    assert set(processes.values_list("current_order", flat=True)) == {1, 2, 3, 4}


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
    """Planning links the demo's activities and adds none; its joint meetings are
    held after the demo year."""
    assert Activity.objects.filter(town=town).count() == 20
    assert Meeting.objects.filter(town=town, starts_at__year=2023).count() == 96
    planning_meetings = Meeting.objects.filter(
        pk__in=MeetingLink.objects.filter(run__process__town=town).values("meeting")
    )
    assert planning_meetings.count() == 5
    assert all(m.starts_at.year == 2024 for m in planning_meetings)
