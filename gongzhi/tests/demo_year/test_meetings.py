"""The demo year's deliberation (seed_demo): 44 proposals in every status and 96
meetings whose recorded decisions agree with their votes; idempotent."""

from collections import Counter

from gongzhi.meetings import decisions, services
from gongzhi.meetings.minutes import public_text
from gongzhi.meetings.models import (
    ActionItem,
    AgendaItem,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Motion,
    MotionStatus,
    VoteMode,
)
from gongzhi.proposals.models import Proposal, ProposalStatus, StatusChange, Support


def test_44_proposals_in_every_status(town, demo_year):
    proposals = Proposal.objects.filter(town=town)
    assert proposals.count() == 44
    statuses = Counter(proposals.values_list("status", flat=True))
    assert set(statuses) == set(ProposalStatus.values)
    assert statuses[ProposalStatus.IMPLEMENTED] == 7  # the 7 sites built in 2023
    assert all(p.created_at.year == 2023 for p in proposals)
    assert all(p.last_activity_at >= p.created_at for p in proposals)
    assert proposals.values("area").distinct().count() >= 20
    for proposal in proposals.filter(status=ProposalStatus.NOT_ADOPTED):
        assert proposal.status_reason
    for proposal in proposals.filter(status=ProposalStatus.MERGED):
        assert proposal.merged_into.area_id == proposal.area_id
    # Every status reached is on record, dated in 2023 and in order.
    for proposal in proposals.exclude(status=ProposalStatus.SUBMITTED):
        history = list(proposal.history.all())
        assert history and history[-1].to_status == proposal.status
        assert all(change.at.year == 2023 for change in history)
    assert "44 proposals" in demo_year.out


def test_proposals_have_supports_comments_and_official_replies(town):
    proposals = Proposal.objects.filter(town=town).with_counts()
    assert Support.objects.filter(proposal__town=town, withdrawn_at__isnull=True).count() > 400
    assert all(p.comment_count > 0 for p in proposals)
    official = Proposal.objects.filter(town=town, comments__is_official=True).distinct()
    assert official.count() >= 30
    # The threshold moved proposals to review by itself.
    assert StatusChange.objects.filter(
        proposal__town=town, to_status=ProposalStatus.UNDER_REVIEW, actor__isnull=True
    ).exists()


def test_96_meetings_of_every_kind_in_2023(town, demo_year):
    meetings = Meeting.objects.filter(town=town, starts_at__year=2023)
    assert meetings.count() == 96
    kinds = Counter(meetings.values_list("kind", flat=True))
    assert set(kinds) == set(MeetingKind.values)
    assert kinds[MeetingKind.SELF_GOVERNANCE] == max(kinds.values())
    assert all(m.status == MeetingStatus.HELD and m.minutes.is_approved for m in meetings)
    assert meetings.filter(venue="逸致议事厅").exists()
    assert "96 meetings in 2023" in demo_year.out
    # Two coming up in 逸景佳苑, open for sign-in on the day.
    assert Meeting.objects.filter(town=town, status=MeetingStatus.SCHEDULED).count() == 2


def test_every_decision_agrees_with_its_votes(town):
    motions = Motion.objects.filter(meeting__town=town).select_related("meeting")
    assert motions.count() > 100
    modes = Counter(motions.values_list("vote_mode", flat=True))
    assert modes[VoteMode.BY_NAME] and modes[VoteMode.COUNTS]
    results = Counter()
    for motion in motions:
        assert motion.status == MotionStatus.DECIDED
        assert motion.seconder_id and motion.seconder_id != motion.mover_id
        meeting = motion.meeting
        tally = services.tally_of(motion)
        if tally is not None:
            assert tally.voting <= services.present_count(meeting)
        outcome = services.compute_outcome(motion)  # raises if not quorate
        assert motion.passed is outcome.passed
        results[motion.passed] += 1
    assert results[True] and results[False]
    owners = motions.exclude(total_owners=None)
    assert owners.values("meeting").distinct().count() == 2
    for motion in owners:
        assert decisions.owners_take_part(services.owners_count_of(motion))


def test_joint_meetings_record_the_three_parties(town):
    joint = Meeting.objects.filter(town=town, kind=MeetingKind.JOINT, starts_at__year=2023)
    for meeting in joint:
        assert meeting.parties.count() == 3
        assert services.quorum(meeting)[0]
        absent = meeting.parties.filter(present=False)
        assert all(p.note for p in absent)


def test_agendas_cite_the_adopted_proposals(town):
    cited = AgendaItem.objects.filter(meeting__town=town, proposal__isnull=False)
    adopted = Proposal.objects.filter(town=town, status=ProposalStatus.ADOPTED)
    assert cited.count() >= 5
    assert set(cited.values_list("proposal", flat=True)) <= set(
        adopted.values_list("pk", flat=True)
    )
    for item in cited.select_related("meeting", "proposal"):
        assert item.meeting.area_id == item.proposal.area_id


def test_action_items_some_still_open(town):
    items = ActionItem.objects.filter(meeting__town=town)
    assert items.count() > 50
    assert items.outstanding().exists() and items.filter(status="done").exists()


def test_public_minutes_mask_every_attendee(town):
    meeting = Meeting.objects.filter(town=town, kind=MeetingKind.JOINT, status="held").first()
    names = list(meeting.attendees.values_list("name", flat=True))
    text = public_text(meeting.minutes.body, names)
    assert not any(name in text for name in names if len(name) >= 2)
