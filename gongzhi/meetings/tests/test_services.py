"""Meeting services: each one's happy path, and each refusal leaving nothing stored."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gongzhi.core.errors import DomainError
from gongzhi.core.models import AuditEvent, Notification
from gongzhi.core.testing import assert_nothing_written
from gongzhi.meetings import minutes as public_minutes
from gongzhi.meetings import services
from gongzhi.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendee,
    DecisionRule,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Motion,
    MotionResult,
    MotionStatus,
    Party,
    PartyPresence,
    Speech,
    Vote,
    VoteMode,
)
from gongzhi.organisations.models import OrgUnit
from gongzhi.proposals import services as proposal_services
from gongzhi.proposals.models import ProposalStatus
from gongzhi.proposals.tests.builders import supported_proposal
from gongzhi.tests.factories import AreaFactory, UserFactory

from .builders import make_meeting


@pytest.fixture
def meeting(town, area_a, staff):
    return make_meeting(town=town, area=area_a, actor=staff)


def attend(meeting, actor, names, *, present=True):
    """Invite each name; sign them in when ``present``."""
    people = []
    for name in names:
        attendee = services.invite(meeting=meeting, actor=actor, name=name)
        if present:
            attendee = services.sign_in(meeting=meeting, actor=actor, attendee=attendee)
        people.append(attendee)
    return people


NAMES = ["张建国", "李秀英", "王小明", "赵丽华", "陈志强"]


@pytest.fixture
def quorate(meeting, staff):
    """Five invited, four present (a quorum); the fifth is invited but absent."""
    present = attend(meeting, staff, NAMES[:4])
    absent = attend(meeting, staff, NAMES[4:], present=False)
    return present + absent


def open_motion(meeting, staff, mover, seconder, **kwargs):
    motion = services.move_motion(
        meeting=meeting, actor=staff, text="在中心花园增设三张休息座椅", mover=mover, **kwargs
    )
    return services.second_motion(motion=motion, actor=staff, seconder=seconder)


def verbs(meeting):
    return list(
        AuditEvent.objects.filter(target_type="meetings.meeting", target_id=str(meeting.pk))
        .order_by("seq")
        .values_list("verb", flat=True)
    )


# --- Scheduling ----------------------------------------------------------------------


def test_create_meeting_is_audited(meeting):
    assert meeting.status == MeetingStatus.SCHEDULED
    assert verbs(meeting) == ["meeting.create"]


@pytest.mark.parametrize(
    "change",
    [
        {"kind": MeetingKind.JOINT, "area": None},  # a joint meeting belongs to an area
        {"kind": "banquet"},
        {"ends_at_offset": timedelta(0)},
        {"ends_at_offset": timedelta(hours=13)},
        {"member_count": 0},
        {"title": "   "},
        {"venue": ""},
        {"title": "会" * 101},
    ],
)
def test_create_meeting_refusals_store_nothing(town, area_a, staff, change):
    change = dict(change)
    if "ends_at_offset" in change:
        start = timezone.now()
        change = {"starts_at": start, "ends_at": start + change.pop("ends_at_offset")}
    area = change.pop("area", area_a)
    with pytest.raises(DomainError):
        make_meeting(town=town, area=area, actor=staff, **change)
    assert not Meeting.objects.exists()
    assert not AuditEvent.objects.filter(verb="meeting.create").exists()


def test_create_meeting_refuses_another_towns_area_or_unit(town, other_town, staff):
    elsewhere = AreaFactory(town=other_town)
    with assert_nothing_written(), pytest.raises(DomainError):
        make_meeting(town=town, area=elsewhere, actor=staff)
    unit = OrgUnit.objects.create(town=other_town, kind="secretariat", name="别镇秘书处")
    with assert_nothing_written(), pytest.raises(DomainError):
        make_meeting(town=town, area=None, actor=staff, organiser=unit)
    assert not Meeting.objects.exists()


def test_cancel_meeting_needs_a_reason_and_not_after_decisions(meeting, staff, quorate):
    with pytest.raises(DomainError):
        services.cancel_meeting(meeting=meeting, actor=staff, reason=" ")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    motion = open_motion(meeting, staff, quorate[0], quorate[1])
    services.cast_vote(motion=motion, actor=staff, attendee=quorate[0], choice="yes")
    services.decide_motion(motion=motion, actor=staff)
    with pytest.raises(DomainError):
        services.cancel_meeting(meeting=meeting, actor=staff, reason="下雨")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_cancelled_meeting_takes_no_more_records(town, area_a, staff):
    meeting = make_meeting(town=town, area=area_a, actor=staff)
    services.cancel_meeting(meeting=meeting, actor=staff, reason="台风预警")
    assert "meeting.cancel" in verbs(meeting)
    with pytest.raises(DomainError):
        services.invite(meeting=meeting, actor=staff, name="张三")
    assert not meeting.attendees.exists()


# --- Agenda --------------------------------------------------------------------------


def test_agenda_citing_a_proposal_adopts_it_and_tells_its_supporters(
    meeting, staff, town, area_a, django_capture_on_commit_callbacks
):
    proposal, author, supporters = supported_proposal(town=town, area=area_a)
    with django_capture_on_commit_callbacks(execute=True):
        item = services.add_agenda_item(meeting=meeting, actor=staff, proposal=proposal)
    assert item.title == proposal.title and item.order == 1
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ADOPTED
    assert meeting.title in proposal.status_reason
    history = proposal.history.get()
    assert (history.from_status, history.to_status, history.actor) == (
        ProposalStatus.SUBMITTED,
        ProposalStatus.ADOPTED,
        staff,
    )
    for user in [author, *supporters]:
        assert Notification.objects.filter(user=user, url=proposal.get_absolute_url()).exists()
    assert "meeting.agenda" in verbs(meeting)
    # An adopted proposal may be cited again at a later meeting (it stays adopted).
    later = make_meeting(town=town, area=area_a, actor=staff, title="第二次自治会议")
    services.add_agenda_item(meeting=later, actor=staff, proposal=proposal, title="座椅选址")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ADOPTED and proposal.history.count() == 1


def test_agenda_refuses_a_proposal_of_another_area_or_twice(meeting, staff, town, area_b):
    other, _author, _supporters = supported_proposal(town=town, area=area_b, supporters=0)
    with pytest.raises(DomainError):
        services.add_agenda_item(meeting=meeting, actor=staff, proposal=other)
    other.refresh_from_db()
    assert other.status == ProposalStatus.SUBMITTED and not other.history.exists()
    assert not AgendaItem.objects.exists()


def test_agenda_refuses_a_proposal_cited_twice_or_declined(meeting, staff, town, area_a):
    proposal, _a, _s = supported_proposal(town=town, area=area_a, supporters=0)
    services.add_agenda_item(meeting=meeting, actor=staff, proposal=proposal)
    with pytest.raises(DomainError):
        services.add_agenda_item(meeting=meeting, actor=staff, proposal=proposal)
    declined, _a, _s = supported_proposal(town=town, area=area_a, supporters=0)
    proposal_services.decline(proposal=declined, actor=staff, reason="不在本小区公共区域")
    with pytest.raises(DomainError):
        services.add_agenda_item(meeting=meeting, actor=staff, proposal=declined)
    assert meeting.agenda.count() == 1


def test_agenda_items_are_numbered_and_capped(meeting, staff, people):
    for n in range(services.MAX_AGENDA_ITEMS):
        services.add_agenda_item(meeting=meeting, actor=staff, title=f"议题{n + 1}")
    assert list(meeting.agenda.values_list("order", flat=True)) == list(
        range(1, services.MAX_AGENDA_ITEMS + 1)
    )
    with assert_nothing_written(), pytest.raises(DomainError):
        services.add_agenda_item(meeting=meeting, actor=staff, title="再加一个")
    secretariat = people["secretariat"]
    town_wide = make_meeting(town=meeting.town, area=None, actor=secretariat)
    with assert_nothing_written(), pytest.raises(DomainError):
        services.add_agenda_item(meeting=town_wide, actor=secretariat)


# --- Invitees, sign-in and parties ---------------------------------------------------


def test_invite_and_sign_in(meeting, staff, area_a):
    resident = UserFactory(display_name="孙居民", residential_area=area_a)
    attendee = services.invite(meeting=meeting, actor=staff, name="孙居民", user=resident)
    assert attendee.name == "孙居民" and not attendee.present
    with assert_nothing_written(), pytest.raises(DomainError):
        services.invite(meeting=meeting, actor=staff, name="孙居民", user=resident)
    signed = services.sign_in_self(meeting=meeting, user=resident)
    assert signed.present and signed.signed_in_at
    with assert_nothing_written(), pytest.raises(DomainError):
        services.sign_in_self(meeting=meeting, user=resident)  # already signed in
    stranger = UserFactory()
    with assert_nothing_written(), pytest.raises(DomainError):
        services.sign_in_self(meeting=meeting, user=stranger)  # not on the list
    walk_in = services.sign_in(meeting=meeting, actor=staff, name="路过的周阿姨")
    assert walk_in.present and not walk_in.invited
    assert meeting.attendees.count() == 2


def test_sign_in_window(town, area_a, staff):
    now = timezone.now()
    early = make_meeting(
        town=town,
        area=area_a,
        actor=staff,
        starts_at=now + timedelta(hours=3),
        ends_at=now + timedelta(hours=5),
    )
    late = make_meeting(
        town=town,
        area=area_a,
        actor=staff,
        starts_at=now - timedelta(days=31, hours=2),
        ends_at=now - timedelta(days=31),
    )
    edge = make_meeting(
        town=town,
        area=area_a,
        actor=staff,
        starts_at=now - timedelta(days=29, hours=2),
        ends_at=now - timedelta(days=29),
    )
    for meeting in (early, late):
        attendee = services.invite(meeting=meeting, actor=staff, name="张三")
        with pytest.raises(DomainError):
            services.sign_in(meeting=meeting, actor=staff, attendee=attendee)
        attendee.refresh_from_db()
        assert not attendee.present and attendee.signed_in_at is None
    attendee = services.invite(meeting=edge, actor=staff, name="张三")
    assert services.sign_in(meeting=edge, actor=staff, attendee=attendee).present


def test_joint_meeting_parties(town, area_a, staff):
    joint = make_meeting(
        town=town, area=area_a, actor=staff, kind=MeetingKind.JOINT, title="三方联席会"
    )
    assert services.quorum(joint)[0] is False
    with pytest.raises(DomainError):
        services.record_party(
            meeting=joint, actor=staff, party=Party.PROPERTY_COMPANY, present=False
        )
    with pytest.raises(DomainError):
        services.record_party(meeting=joint, actor=staff, party=Party.RESIDENT, present=True)
    assert not PartyPresence.objects.exists()
    services.record_party(
        meeting=joint, actor=staff, party=Party.RESIDENTS_COMMITTEE, present=True, note="陈书记"
    )
    services.record_party(meeting=joint, actor=staff, party=Party.OWNERS_COMMITTEE, present=True)
    assert services.quorum(joint)[0] is False  # the property company not on record
    services.record_party(
        meeting=joint,
        actor=staff,
        party=Party.PROPERTY_COMPANY,
        present=False,
        note="项目经理出差",
    )
    assert services.quorum(joint)[0] is True
    # Corrected, not duplicated.
    services.record_party(meeting=joint, actor=staff, party=Party.PROPERTY_COMPANY, present=True)
    assert joint.parties.count() == 3 and joint.parties.filter(present=True).count() == 3
    assert verbs(joint).count("meeting.party") == 4


def test_parties_only_for_joint_meetings(meeting, staff):
    with pytest.raises(DomainError):
        services.record_party(
            meeting=meeting, actor=staff, party=Party.RESIDENTS_COMMITTEE, present=True
        )
    assert not PartyPresence.objects.exists()


def test_quorum_counts_members_or_invitees(meeting, staff, quorate):
    assert services.quorum(meeting)[0] is True  # 4 of 5 invited
    meeting.member_count = 9
    meeting.save()
    assert services.quorum(meeting)[0] is False  # 4 of 9 members
    services.sign_in(meeting=meeting, actor=staff, attendee=quorate[4])
    assert services.quorum(meeting)[0] is True  # 5 of 9


# --- Motions -------------------------------------------------------------------------


def test_motion_moved_seconded_voted_decided(meeting, staff, quorate):
    a, b, c, d, _absent = quorate
    item = services.add_agenda_item(meeting=meeting, actor=staff, title="花园座椅")
    motion = services.move_motion(
        meeting=meeting, actor=staff, text="增设三张座椅", mover=a, agenda_item=item
    )
    assert motion.status == MotionStatus.MOVED
    motion = services.second_motion(motion=motion, actor=staff, seconder=b)
    assert motion.status == MotionStatus.OPEN and motion.seconder == b
    for attendee, choice in [(a, "yes"), (b, "yes"), (c, "no"), (d, "abstain")]:
        services.cast_vote(motion=motion, actor=staff, attendee=attendee, choice=choice)
    motion = services.decide_motion(motion=motion, actor=staff, declared="passed")
    assert motion.status == MotionStatus.DECIDED and motion.result == MotionResult.PASSED
    assert motion.passed is True and motion.decided_at is not None
    assert "2" in motion.result_explanation
    assert verbs(meeting) == [
        "meeting.create",
        "meeting.agenda",
        "motion.move",
        "motion.second",
        "motion.decide",
    ]
    event = AuditEvent.objects.get(verb="motion.decide")
    assert event.after["votes"] == [2, 1, 1] and event.after["result"] == "passed"
    assert list(Motion.objects.passed()) == [motion]


def test_a_tie_is_decided_as_failed(meeting, staff, quorate):
    a, b, c, d, _absent = quorate
    motion = open_motion(meeting, staff, a, b)
    for attendee, choice in [(a, "yes"), (b, "yes"), (c, "no"), (d, "no")]:
        services.cast_vote(motion=motion, actor=staff, attendee=attendee, choice=choice)
    motion = services.decide_motion(motion=motion, actor=staff)
    assert motion.result == MotionResult.FAILED and motion.passed is False


def test_mover_must_be_present(meeting, staff, quorate):
    absent = quorate[4]
    with pytest.raises(DomainError):
        services.move_motion(meeting=meeting, actor=staff, text="动议", mover=absent)
    stranger = Attendee.objects.create(
        meeting=make_meeting(town=meeting.town, area=meeting.area, actor=staff), name="别会的人"
    )
    with pytest.raises(DomainError):
        services.move_motion(meeting=meeting, actor=staff, text="动议", mover=stranger)
    with pytest.raises(DomainError):
        services.move_motion(meeting=meeting, actor=staff, text=" ", mover=quorate[0])
    assert not Motion.objects.exists()


def test_second_by_the_mover_or_someone_absent_is_refused(meeting, staff, quorate):
    a, b, _c, _d, absent = quorate
    motion = services.move_motion(meeting=meeting, actor=staff, text="动议", mover=a)
    for seconder in (a, absent):
        with pytest.raises(DomainError):
            services.second_motion(motion=motion, actor=staff, seconder=seconder)
        motion.refresh_from_db()
        assert motion.status == MotionStatus.MOVED and motion.seconder is None
    services.second_motion(motion=motion, actor=staff, seconder=b)
    with pytest.raises(DomainError):
        services.second_motion(motion=motion, actor=staff, seconder=quorate[2])
    motion.refresh_from_db()
    assert motion.seconder == b


def test_without_the_rule_of_a_second_debate_opens_at_once(town, area_a, staff):
    meeting = make_meeting(town=town, area=area_a, actor=staff, second_required=False)
    (a,) = attend(meeting, staff, ["张建国"])
    motion = services.move_motion(meeting=meeting, actor=staff, text="动议", mover=a)
    assert motion.status == MotionStatus.OPEN
    assert services.cast_vote(motion=motion, actor=staff, attendee=a, choice="yes")


def test_voting_refusals_store_nothing(meeting, staff, quorate):
    a, b, c, _d, absent = quorate
    unseconded = services.move_motion(meeting=meeting, actor=staff, text="未附议", mover=a)
    with pytest.raises(DomainError):
        services.cast_vote(motion=unseconded, actor=staff, attendee=a, choice="yes")
    motion = open_motion(meeting, staff, a, b)
    with pytest.raises(DomainError):
        services.cast_vote(motion=motion, actor=staff, attendee=absent, choice="yes")
    with pytest.raises(DomainError):
        services.cast_vote(motion=motion, actor=staff, attendee=c, choice="maybe")
    services.cast_vote(motion=motion, actor=staff, attendee=c, choice="no")
    with pytest.raises(DomainError):
        services.cast_vote(motion=motion, actor=staff, attendee=c, choice="yes")  # twice
    assert list(Vote.objects.values_list("attendee", "choice")) == [(c.pk, "no")]
    counted = open_motion(meeting, staff, a, b, vote_mode=VoteMode.COUNTS)
    with pytest.raises(DomainError):
        services.cast_vote(motion=counted, actor=staff, attendee=a, choice="yes")
    assert not counted.votes.exists()


def test_votes_as_counts(meeting, staff, quorate):
    a, b, *_rest = quorate
    motion = open_motion(meeting, staff, a, b, vote_mode=VoteMode.COUNTS)
    with pytest.raises(DomainError):
        services.record_counts(motion=motion, actor=staff, yes=3, no=1, abstain=1)  # 5 > 4
    with pytest.raises(DomainError):
        services.record_counts(motion=motion, actor=staff, yes=-1, no=1, abstain=0)
    motion.refresh_from_db()
    assert motion.yes_count is None
    with pytest.raises(DomainError):
        services.decide_motion(motion=motion, actor=staff)  # no votes yet
    services.record_counts(motion=motion, actor=staff, yes=3, no=1, abstain=0)
    motion = services.decide_motion(motion=motion, actor=staff)
    assert motion.result == MotionResult.PASSED
    by_name = open_motion(meeting, staff, a, b)
    with pytest.raises(DomainError):
        services.record_counts(motion=by_name, actor=staff, yes=1, no=0, abstain=0)


def test_decide_without_quorum_stores_nothing(meeting, staff):
    a, b = attend(meeting, staff, NAMES[:2])
    attend(meeting, staff, NAMES[2:], present=False)  # 2 of 5 present
    motion = open_motion(meeting, staff, a, b)
    services.cast_vote(motion=motion, actor=staff, attendee=a, choice="yes")
    with pytest.raises(DomainError):
        services.decide_motion(motion=motion, actor=staff)
    motion.refresh_from_db()
    assert motion.status == MotionStatus.OPEN and motion.result == "" and motion.decided_at is None
    assert "motion.decide" not in verbs(meeting)


def test_declared_result_contradicting_the_votes_stores_nothing(meeting, staff, quorate):
    a, b, c, d, _absent = quorate
    motion = open_motion(meeting, staff, a, b)
    for attendee, choice in [(a, "yes"), (b, "no"), (c, "no"), (d, "abstain")]:
        services.cast_vote(motion=motion, actor=staff, attendee=attendee, choice=choice)
    with pytest.raises(DomainError):
        services.decide_motion(motion=motion, actor=staff, declared=MotionResult.PASSED)
    motion.refresh_from_db()
    assert motion.status == MotionStatus.OPEN
    assert motion.result == "" and motion.result_explanation == "" and motion.decided_at is None
    assert "motion.decide" not in verbs(meeting)
    # The declaration that agrees with the votes is accepted.
    motion = services.decide_motion(motion=motion, actor=staff, declared=MotionResult.FAILED)
    assert motion.result == MotionResult.FAILED
    # And a decided motion takes no more votes, nor a second decision.
    with pytest.raises(DomainError):
        services.cast_vote(motion=motion, actor=staff, attendee=d, choice="yes")
    with pytest.raises(DomainError):
        services.decide_motion(motion=motion, actor=staff)


def test_withdraw_only_before_voting(meeting, staff, quorate):
    a, b, *_rest = quorate
    motion = services.move_motion(meeting=meeting, actor=staff, text="动议", mover=a)
    assert services.withdraw_motion(motion=motion, actor=staff).status == MotionStatus.WITHDRAWN
    voted = open_motion(meeting, staff, a, b)
    services.cast_vote(motion=voted, actor=staff, attendee=a, choice="yes")
    with pytest.raises(DomainError):
        services.withdraw_motion(motion=voted, actor=staff)
    voted.refresh_from_db()
    assert voted.status == MotionStatus.OPEN


def test_speeches_state_a_stance_and_respect_the_turns(meeting, staff, quorate):
    a, b, c, *_rest = quorate
    motion = services.move_motion(meeting=meeting, actor=staff, text="动议", mover=a)
    with pytest.raises(DomainError):  # not yet seconded
        services.record_speech(motion=motion, actor=staff, attendee=c, stance="for", seconds=60)
    motion = services.second_motion(motion=motion, actor=staff, seconder=b)
    with pytest.raises(DomainError):
        services.record_speech(motion=motion, actor=staff, attendee=c, stance="", seconds=60)
    for _turn in range(meeting.speeches_per_person):
        services.record_speech(motion=motion, actor=staff, attendee=c, stance="against", seconds=90)
    with pytest.raises(DomainError):
        services.record_speech(motion=motion, actor=staff, attendee=c, stance="for", seconds=30)
    assert Speech.objects.filter(attendee=c).count() == 2


def test_owners_decision(town, area_a, staff):
    meeting = make_meeting(
        town=town,
        area=area_a,
        actor=staff,
        title="业主大会：使用维修资金",
        decision_rule=DecisionRule.OWNERS_MAJOR,
    )
    a, b = attend(meeting, staff, NAMES[:2])
    motion = open_motion(meeting, staff, a, b)
    with pytest.raises(DomainError):
        services.decide_motion(motion=motion, actor=staff)  # figures missing
    figures = {
        "total_area": "10000.00",
        "total_owners": 120,
        "participating_area": "6900.00",
        "participating_owners": 82,
        "yes_area": "5200.00",
        "yes_owners": 62,
    }
    with pytest.raises(DomainError):
        services.record_owners_count(motion=motion, actor=staff, **{**figures, "yes_owners": 83})
    with pytest.raises(DomainError):
        services.record_owners_count(motion=motion, actor=staff, **{**figures, "yes_area": "x"})
    motion.refresh_from_db()
    assert motion.total_owners is None
    services.record_owners_count(motion=motion, actor=staff, **figures)
    with pytest.raises(DomainError):
        services.decide_motion(motion=motion, actor=staff, declared=MotionResult.FAILED)
    motion = services.decide_motion(motion=motion, actor=staff)
    assert motion.result == MotionResult.PASSED
    assert motion.participating_area == Decimal("6900.00")


def test_owners_figures_refused_for_a_majority_meeting(meeting, staff, quorate):
    motion = open_motion(meeting, staff, quorate[0], quorate[1])
    with assert_nothing_written(), pytest.raises(DomainError):
        services.record_owners_count(
            motion=motion,
            actor=staff,
            total_area=100,
            total_owners=10,
            participating_area=100,
            participating_owners=10,
            yes_area=100,
            yes_owners=10,
        )


# --- Minutes and action items --------------------------------------------------------


def test_approve_minutes_needs_minutes_quorum_and_no_open_motion(meeting, staff):
    a, b = attend(meeting, staff, NAMES[:2])
    attend(meeting, staff, NAMES[2:], present=False)
    with pytest.raises(DomainError):
        services.approve_minutes(meeting=meeting, actor=staff)  # no minutes yet
    services.save_minutes(meeting=meeting, actor=staff, body="会议纪要：张建国提议……")
    with pytest.raises(DomainError):
        services.approve_minutes(meeting=meeting, actor=staff)  # 2 of 5: no quorum
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == MinutesStatus.DRAFT and minutes.approved_at is None
    for attendee in meeting.attendees.filter(present=False)[:1]:
        services.sign_in(meeting=meeting, actor=staff, attendee=attendee)
    motion = open_motion(meeting, staff, a, b)
    with pytest.raises(DomainError):
        services.approve_minutes(meeting=meeting, actor=staff)  # a motion still open
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    assert "meeting.minutes_approved" not in verbs(meeting)
    services.withdraw_motion(motion=motion, actor=staff)
    minutes = services.approve_minutes(meeting=meeting, actor=staff)
    meeting.refresh_from_db()
    assert minutes.is_approved and minutes.approved_by == staff
    assert meeting.status == MeetingStatus.HELD
    event = AuditEvent.objects.get(verb="meeting.minutes_approved")
    assert event.after["present"] == 3


def test_joint_meeting_minutes_need_the_parties_on_record(town, area_a, staff):
    joint = make_meeting(
        town=town, area=area_a, actor=staff, kind=MeetingKind.JOINT, title="三方联席会"
    )
    attend(joint, staff, NAMES[:3])
    services.save_minutes(meeting=joint, actor=staff, body="三方就停车问题协商。")
    with assert_nothing_written(), pytest.raises(DomainError):
        services.approve_minutes(meeting=joint, actor=staff)
    for party in Party.joint_parties():
        services.record_party(meeting=joint, actor=staff, party=party, present=True)
    assert services.approve_minutes(meeting=joint, actor=staff).is_approved


def test_the_record_is_final_after_approval(meeting, staff, quorate):
    a, b, c, *_rest = quorate
    motion = open_motion(meeting, staff, a, b)
    services.cast_vote(motion=motion, actor=staff, attendee=a, choice="yes")
    services.decide_motion(motion=motion, actor=staff)
    services.save_minutes(meeting=meeting, actor=staff, body="纪要")
    services.approve_minutes(meeting=meeting, actor=staff)
    refusals = [
        lambda: services.invite(meeting=meeting, actor=staff, name="迟到的人"),
        lambda: services.sign_in(meeting=meeting, actor=staff, attendee=quorate[4]),
        lambda: services.add_agenda_item(meeting=meeting, actor=staff, title="补充议题"),
        lambda: services.move_motion(meeting=meeting, actor=staff, text="再议", mover=c),
        lambda: services.save_minutes(meeting=meeting, actor=staff, body="改写纪要"),
        lambda: services.approve_minutes(meeting=meeting, actor=staff),
        lambda: services.cancel_meeting(meeting=meeting, actor=staff, reason="取消"),
    ]
    for refused in refusals:
        with pytest.raises(DomainError):
            refused()
    assert Minutes.objects.get(meeting=meeting).body == "纪要"
    assert meeting.motions.count() == 1 and meeting.attendees.count() == 5
    assert not meeting.agenda.exists()
    # Follow-up continues after the meeting: action items may still be added.
    item = services.add_action_item(
        meeting=meeting,
        actor=staff,
        title="联系供应商",
        owner_name="物业公司",
        due_on=timezone.localdate() + timedelta(days=14),
    )
    assert item.status == ActionStatus.OPEN


def test_action_items(meeting, staff, quorate, town, other_town):
    motion = open_motion(meeting, staff, quorate[0], quorate[1])
    day = timezone.localdate(meeting.starts_at)
    with pytest.raises(DomainError):
        services.add_action_item(
            meeting=meeting,
            actor=staff,
            title="采购座椅",
            owner_name="居委会",
            due_on=day - timedelta(days=1),
        )
    unit = OrgUnit.objects.create(town=other_town, kind="secretariat", name="别镇秘书处")
    with pytest.raises(DomainError):
        services.add_action_item(
            meeting=meeting,
            actor=staff,
            title="采购",
            owner_name="别镇",
            due_on=day,
            owner_unit=unit,
        )
    with pytest.raises(DomainError):
        services.add_action_item(
            meeting=meeting, actor=staff, title=" ", owner_name="居委会", due_on=day
        )
    assert not ActionItem.objects.exists()
    item = services.add_action_item(
        meeting=meeting,
        actor=staff,
        title="采购座椅",
        owner_name="居委会",
        due_on=day,
        motion=motion,
    )
    assert ActionItem.objects.outstanding().count() == 1
    with pytest.raises(DomainError):
        services.set_action_status(item=item, actor=staff, status="forgotten")
    services.set_action_status(item=item, actor=staff, status=ActionStatus.DONE)
    assert not ActionItem.objects.outstanding().exists()
    assert verbs(meeting)[-2:] == ["meeting.action", "meeting.action_status"]


# --- Public minutes ------------------------------------------------------------------


def test_public_minutes_mask_names_longest_first():
    body = "王小明提议，王小附议；欧阳娜娜反对。王小明再次发言。张三未到。"
    text = public_minutes.public_text(body, ["王小", "王小明", "欧阳娜娜", " ", "张", ""])
    assert "王小明" not in text and "欧阳娜娜" not in text and "王小附议" not in text
    assert text == "王**提议，王**附议；欧**反对。王**再次发言。张三未到。"


def test_public_minutes_without_names_are_unchanged():
    assert public_minutes.public_text("会议纪要", []) == "会议纪要"
