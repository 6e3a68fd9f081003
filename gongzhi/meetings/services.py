"""Writes on meetings: scheduling, the agenda (adopting proposals onto it), invitees
and sign-in, the parties of a joint meeting, motions, speeches, votes, decisions,
minutes and action items. Each checks state, writes in one transaction with the rows
it depends on locked, and records the audit event for every decision-bearing change."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongzhi.core.access import require_perm
from gongzhi.core.errors import DomainError
from gongzhi.core.errors import checked_text as _text
from gongzhi.core.services import claim_submission, notify, record_event
from gongzhi.core.validators import PLANNED
from gongzhi.proposals import services as proposal_services
from gongzhi.proposals.models import Proposal, ProposalStatus
from gongzhi.venues.services import (
    book_venue,
    booked_venue_ids,
    move_bookings,
    release_bookings,
)

from . import decisions
from .models import (
    MEETING_TRANSITIONS,
    MINUTES_MAX,
    MOTION_MAX,
    MOTION_TRANSITIONS,
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendee,
    Choice,
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

MAX_AGENDA_ITEMS = 30
# Bounds of the owners' figures (the columns hold 12 digits, 2 after the point).
MAX_FLOOR_AREA = Decimal("9999999999.99")
MAX_OWNERS = 1_000_000
# A meeting is signed in to on its day; staff may record attendance for up to 30
# days afterwards (ledgers are often filed after the meeting).
SIGN_IN_EARLY = timedelta(hours=2)
SIGN_IN_LATE = timedelta(days=30)
# A speech longer than this many times the meeting's limit is a typing error.
SPEECH_OVERRUN_FACTOR = 3


def self_sign_in_open(meeting: Meeting, now=None) -> bool:
    """Whether an invitee may sign themself in: from two hours before the start
    until the meeting ends, while it is scheduled (staff record later sign-ins)."""
    now = now or timezone.now()
    return (
        meeting.status == MeetingStatus.SCHEDULED
        and meeting.starts_at - SIGN_IN_EARLY <= now <= meeting.ends_at
    )


def _lock(meeting: Meeting, actor=None, *, check: bool = True) -> Meeting:
    """The meeting, locked; with ``check`` the actor must be allowed to run it."""
    if check:
        require_perm(actor, "meetings.manage", meeting)
    return Meeting.objects.select_for_update().select_related("town").get(pk=meeting.pk)


def _lock_motion(motion: Motion, actor) -> Motion:
    require_perm(actor, "meetings.manage", motion.meeting)
    return Motion.objects.select_for_update().select_related("meeting").get(pk=motion.pk)


def _not_cancelled(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("This meeting was cancelled."))


def _not_closed(meeting: Meeting) -> None:
    """Once the minutes are approved the record is final."""
    _not_cancelled(meeting)
    if meeting.status == MeetingStatus.HELD:
        raise DomainError(_("The minutes of this meeting are approved; its record is final."))


def _check_meeting_move(meeting: Meeting, to: str) -> None:
    """Refuse a move MEETING_TRANSITIONS does not allow, saying why: every state the
    table leaves without moves is a final one that _not_closed names."""
    if to not in MEETING_TRANSITIONS[meeting.status]:
        _not_closed(meeting)
        raise AssertionError(f"no reason given for refusing {meeting.status} -> {to}")


def _check_motion_move(motion: Motion, to: str, refusal: str) -> None:
    """Refuse a move MOTION_TRANSITIONS does not allow with ``refusal``."""
    if to not in MOTION_TRANSITIONS[motion.status]:
        raise DomainError(refusal)


def _present(meeting: Meeting, attendee: Attendee | None, role: str) -> Attendee:
    if attendee is None or attendee.meeting_id != meeting.pk:
        raise DomainError(_("The %(role)s must be an attendee of this meeting.") % {"role": role})
    if not attendee.present:
        raise DomainError(
            _("%(name)s has not signed in; only those present can do this.")
            % {"name": attendee.name}
        )
    return attendee


# --- Scheduling ----------------------------------------------------------------------


def _check_meeting(town, fields) -> None:
    area, organiser = fields.get("area"), fields.get("organiser")
    if area is not None and area.town_id != town.pk:
        raise DomainError(_("Choose a residential area of this town."))
    if organiser is not None and organiser.town_id != town.pk:
        raise DomainError(_("Choose an organising unit of this town."))
    if fields["kind"] not in MeetingKind.values:
        raise DomainError(_("Choose one of the meeting kinds."))
    if fields["kind"] == MeetingKind.JOINT and area is None:
        raise DomainError(_("A joint meeting belongs to a residential area."))
    if fields["ends_at"] <= fields["starts_at"]:
        raise DomainError(_("The meeting must end after it starts."))
    if fields["ends_at"] - fields["starts_at"] > timedelta(hours=12):
        raise DomainError(_("A meeting lasts at most 12 hours."))
    if fields.get("member_count") is not None and fields["member_count"] < 1:
        raise DomainError(_("A meeting has at least one member."))


@transaction.atomic
def create_meeting(
    *, town, actor, submission_token: str | None = None, booked_venue=None, **fields
) -> Meeting:
    """Schedule a meeting. ``fields``: kind, title, venue, starts_at, ends_at and
    optionally area, organiser, member_count and the rules of order. With
    ``booked_venue`` (a venue of the register) also book it for the meeting's time, or
    refuse the whole (taken, closed then, of another town, not the actor's to book)."""
    require_perm(actor, "meetings.create", town)
    claim_submission(submission_token, user=actor)
    if booked_venue is not None and not (fields.get("venue") or "").strip():
        fields["venue"] = booked_venue.name
    _check_meeting(town, fields)
    fields["title"] = _text(fields["title"], label=_("The title"), limit=100)
    fields["venue"] = _text(fields["venue"], label=_("The venue"), limit=100)
    meeting = Meeting(town=town, created_by=actor, **fields)
    # Town-wide meetings are the secretariat's; area staff schedule their own areas'.
    require_perm(actor, "meetings.manage", meeting)
    try:
        meeting.full_clean()
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None
    meeting.save()
    record_event(
        actor=actor,
        verb="meeting.create",
        target=meeting,
        after={"kind": meeting.kind, "title": meeting.title, "starts_at": meeting.starts_at},
    )
    if booked_venue is not None:
        _book(meeting, booked_venue, actor)
    return meeting


def _book(meeting: Meeting, venue, actor) -> None:
    """Book ``venue`` for the meeting's time (venues.services refuses a taken slot)."""
    book_venue(
        venue=venue, actor=actor, starts_at=meeting.starts_at, ends_at=meeting.ends_at,
        purpose=meeting.title, town=meeting.town, meeting=meeting, directly=True,
    )  # fmt: skip


# What staff may change on a scheduled meeting (its rules of order included) until it
# takes its first decision; after that the record must stay as the decisions found it.
EDITABLE_FIELDS = (
    "kind",
    "title",
    "area",
    "organiser",
    "venue",
    "starts_at",
    "ends_at",
    "member_count",
    "decision_rule",
    "second_required",
    "speech_minutes",
    "speeches_per_person",
)


@transaction.atomic
def update_meeting(*, meeting: Meeting, actor, booked_venue=None, **fields) -> Meeting:
    """Change a scheduled meeting: its time, place, member count or rules of order,
    e.g. to give the member count that the quorum needs. Refused once the meeting has
    decided a motion or its minutes are approved. Its venue booking moves with its
    time (refused, and nothing changed, when the new time is taken); with
    ``booked_venue`` that venue is booked for the meeting's (new) time instead."""
    meeting = _lock(meeting, actor)
    _not_closed(meeting)
    if meeting.motions.filter(status=MotionStatus.DECIDED).exists():
        raise DomainError(
            _("The meeting has taken decisions; its details can no longer be changed.")
        )
    if booked_venue is not None and not (fields.get("venue") or "").strip():
        fields["venue"] = booked_venue.name
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("These cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    merged = {name: getattr(meeting, name) for name in EDITABLE_FIELDS} | fields
    _check_meeting(meeting.town, merged)
    merged["title"] = _text(merged["title"], label=_("The title"), limit=100)
    merged["venue"] = _text(merged["venue"], label=_("The venue"), limit=100)
    before = {name: getattr(meeting, name) for name in EDITABLE_FIELDS}
    for name, value in merged.items():
        setattr(meeting, name, value)
    # Moving the meeting to another area needs the right to run meetings there too.
    require_perm(actor, "meetings.manage", meeting)
    try:
        meeting.full_clean()
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None
    meeting.save()
    changed = {name for name in EDITABLE_FIELDS if before[name] != merged[name]}
    record_event(
        actor=actor,
        verb="meeting.update",
        target=meeting,
        before={name: _plain_value(before[name]) for name in sorted(changed)},
        after={name: _plain_value(merged[name]) for name in sorted(changed)},
    )
    if booked_venue is not None and booked_venue.pk not in booked_venue_ids(meeting=meeting):
        # A meeting is held in one place: booking another venue frees the one it held.
        release_bookings(actor=actor, meeting=meeting)
        _book(meeting, booked_venue, actor)
    else:
        # Its booking follows its time, or the whole change is refused.
        move_bookings(
            actor=actor, meeting=meeting, starts_at=meeting.starts_at, ends_at=meeting.ends_at
        )
    return meeting


def _plain_value(value):
    """A field's value as the audit trail stores it (related rows by their key)."""
    return getattr(value, "pk", value)


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, actor, reason: str) -> Meeting:
    meeting = _lock(meeting, actor)
    _check_meeting_move(meeting, MeetingStatus.CANCELLED)
    if meeting.motions.filter(status=MotionStatus.DECIDED).exists():
        raise DomainError(_("A meeting that has taken decisions cannot be cancelled."))
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor,
        verb="meeting.cancel",
        target=meeting,
        after={"reason": _text(reason, label=_("The reason"), limit=200)},
    )
    release_bookings(actor=actor, meeting=meeting)
    return meeting


# --- Agenda --------------------------------------------------------------------------


@transaction.atomic
def add_agenda_item(
    *,
    meeting: Meeting,
    actor,
    title: str = "",
    proposal: Proposal | None = None,
    submission_token: str | None = None,
) -> AgendaItem:
    """A topic on the agenda. Citing a proposal that is still open adopts it (the
    proposal's supporters are told); an adopted one may be cited again later."""
    claim_submission(submission_token, user=actor)
    meeting = _lock(meeting, actor)
    _not_closed(meeting)
    if meeting.agenda.count() >= MAX_AGENDA_ITEMS:
        raise DomainError(_("An agenda has at most %(n)d items.") % {"n": MAX_AGENDA_ITEMS})
    if proposal is not None:
        if proposal.town_id != meeting.town_id:
            raise DomainError(_("Cite a proposal of this town."))
        if meeting.area_id and proposal.area_id != meeting.area_id:
            raise DomainError(_("Cite a proposal of the meeting's residential area."))
        if meeting.agenda.filter(proposal=proposal).exists():
            raise DomainError(_("This proposal is already on the agenda."))
        if proposal.is_open:
            proposal_services.adopt(
                proposal=proposal,
                actor=actor,
                reason=_("On the agenda of “%(meeting)s” (%(date)s).")
                % {
                    "meeting": meeting.title,
                    "date": timezone.localdate(meeting.starts_at).isoformat(),
                },
            )
        elif proposal.status != ProposalStatus.ADOPTED:
            raise DomainError(
                _("Only an open or adopted proposal can go on an agenda; this one is “%(s)s”.")
                % {"s": proposal.get_status_display()}
            )
        title = title.strip() or proposal.title
    order = (meeting.agenda.aggregate(m=Max("order"))["m"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        order=order,
        title=_text(title, label=_("The topic"), limit=100),
        proposal=proposal,
    )
    record_event(
        actor=actor,
        verb="meeting.agenda",
        target=meeting,
        after={"item": item.title, "proposal": getattr(proposal, "pk", None)},
    )
    return item


# --- Invitees and attendance ---------------------------------------------------------


@transaction.atomic
def invite(
    *,
    meeting: Meeting,
    actor,
    name: str,
    party: str = Party.RESIDENT,
    user=None,
    submission_token: str | None = None,
):
    """An invitee, by the name staff give; with ``user`` (an account registered in
    the meeting's town) they can sign themself in on their phone."""
    claim_submission(submission_token, user=actor)
    meeting = _lock(meeting, actor)
    _not_closed(meeting)
    if party not in Party.values:
        raise DomainError(_("Choose one of the parties."))
    if user is not None:
        area = getattr(user, "residential_area", None)
        if area is None or area.town_id != meeting.town_id:
            raise DomainError(_("No account registered in this town has this mobile number."))
        if meeting.attendees.filter(user=user).exists():
            raise DomainError(_("This person is already on the list."))
    attendee = Attendee.objects.create(
        meeting=meeting,
        user=user,
        name=_text(name, label=pgettext("person", "The name"), limit=40),
        party=party,
        invited=True,
    )
    if user is not None and meeting.starts_at > timezone.now():
        # A resident with an account is told (by SMS too, if they take it); a list
        # written after the meeting tells nobody.
        notify(
            user=user,
            kind="meetings.invited",
            params={
                "title": meeting.title,
                "starts_at": meeting.starts_at.isoformat(),
                "venue": meeting.venue,
            },
            url=meeting.get_absolute_url(),
            key=f"meetings.invited:{attendee.pk}",
            town_id=meeting.town_id,
        )
    return attendee


def _check_sign_in_time(meeting: Meeting, now) -> None:
    if now < meeting.starts_at - SIGN_IN_EARLY:
        raise DomainError(_("Sign-in opens two hours before the meeting starts."))
    if now > meeting.ends_at + SIGN_IN_LATE:
        raise DomainError(_("Attendance can be recorded up to 30 days after the meeting."))


@transaction.atomic
def sign_in(
    *,
    meeting: Meeting,
    actor,
    attendee: Attendee | None = None,
    name="",
    party="",
    submission_token: str | None = None,
):
    """Mark an invitee present, or sign in someone who came uninvited (by name)."""
    claim_submission(submission_token, user=actor)
    meeting = _lock(meeting, actor)
    _not_closed(meeting)
    now = timezone.now()
    _check_sign_in_time(meeting, now)
    return _mark_present(meeting, now, attendee=attendee, name=name, party=party)


def _mark_present(meeting: Meeting, now, *, attendee=None, name="", party="") -> Attendee:
    if attendee is None:
        attendee = Attendee(
            meeting=meeting,
            name=_text(name, label=pgettext("person", "The name"), limit=40),
            party=party or Party.RESIDENT,
            invited=False,
        )
        if attendee.party not in Party.values:
            raise DomainError(_("Choose one of the parties."))
    else:
        attendee = Attendee.objects.select_for_update().get(pk=attendee.pk, meeting=meeting)
        if attendee.present:
            raise DomainError(_("%(name)s has already signed in.") % {"name": attendee.name})
    attendee.present = True
    attendee.signed_in_at = now
    attendee.save()
    return attendee


@transaction.atomic
def sign_in_self(*, meeting: Meeting, user) -> Attendee:
    """An invited resident signs themself in on their phone, from two hours before
    the start until the meeting ends (later, staff record attendance)."""
    require_perm(user, "meetings.take_part", meeting)
    meeting = _lock(meeting, check=False)
    attendee = Attendee.objects.filter(meeting=meeting, user=user).first()
    if attendee is None:
        raise DomainError(
            _("You are not on this meeting's list; ask the organiser to sign you in.")
        )
    _not_closed(meeting)
    now = timezone.now()
    if not self_sign_in_open(meeting, now):
        if now < meeting.starts_at:
            raise DomainError(_("Sign-in opens two hours before the meeting starts."))
        raise DomainError(_("The meeting is over; ask the organiser to record your attendance."))
    return _mark_present(meeting, now, attendee=attendee)


@transaction.atomic
def record_party(*, meeting: Meeting, actor, party: str, present: bool, note: str = ""):
    """A joint meeting's record of one party: present (and who came) or absent (and
    why). It can be corrected until the minutes are approved."""
    meeting = _lock(meeting, actor)
    _not_closed(meeting)
    if not meeting.is_joint:
        raise DomainError(_("Parties are recorded for joint meetings only."))
    if party not in Party.joint_parties():
        raise DomainError(_("Choose one of the three parties of a joint meeting."))
    note = (note or "").strip()
    if not present and not note:
        raise DomainError(_("Give the reason the party is absent."))
    if len(note) > 100:
        raise DomainError(_("Keep the note under 100 characters."))
    presence, _created = PartyPresence.objects.update_or_create(
        meeting=meeting, party=party, defaults={"present": present, "note": note}
    )
    record_event(
        actor=actor,
        verb="meeting.party",
        target=meeting,
        after={"party": party, "present": present},
    )
    return presence


@dataclass(frozen=True)
class AttendanceFigures:
    """A meeting's attendance as every page shows it (the public record, the staff
    page, the minutes' approval): counted from the attendee rows, with the number the
    quorum is counted against and the quorum's reading."""

    invited: int
    present: int
    # What the quorum counts against: the members or delegates staff recorded on the
    # meeting when given, else those invited.
    members: int
    quorate: bool
    quorum_text: str


def attendance(meeting: Meeting) -> AttendanceFigures:
    """The one reading of a meeting's attendance and quorum: one query for the
    attendee counts, one more for the parties of a joint meeting (whose quorum is its
    three parties, not a head count)."""
    counts = meeting.attendees.aggregate(
        invited=Count("pk", filter=Q(invited=True)), present=Count("pk", filter=Q(present=True))
    )
    invited, present = counts["invited"], counts["present"]
    members = meeting.member_count or invited
    if meeting.is_joint:
        presence = dict(meeting.parties.values_list("party", "present"))
        quorate = decisions.joint_quorum_met(presence)
        text = _("%(present)d of 3 parties present; %(recorded)d of 3 on record.") % {
            "present": sum(presence.values()),
            "recorded": len(presence),
        }
    elif members == 0:
        # Nothing to count the quorum against: say how to fix it rather than leave
        # the meeting unable ever to decide.
        quorate = False
        text = _(
            "The quorum cannot be counted: give the number of members or delegates "
            "(edit the meeting), or invite the members."
        )
    else:
        quorate = decisions.quorum_met(members=members, present=present)
        text = _("%(present)d present of %(members)d members (more than half needed).") % {
            "present": present,
            "members": members,
        }
    return AttendanceFigures(invited, present, members, quorate, text)


def members_of(meeting: Meeting) -> int:
    """The number quorum is counted against: the members or delegates when given,
    else those invited."""
    return attendance(meeting).members


def present_count(meeting: Meeting) -> int:
    return meeting.attendees.filter(present=True).count()


def quorum(meeting: Meeting) -> tuple[bool, str]:
    """Whether the meeting is quorate, and the figures that say so (``attendance``)."""
    figures = attendance(meeting)
    return figures.quorate, figures.quorum_text


# --- Motions, speeches and votes -----------------------------------------------------


@transaction.atomic
def move_motion(
    *,
    meeting: Meeting,
    actor,
    text: str,
    mover: Attendee,
    agenda_item=None,
    vote_mode=None,
    submission_token: str | None = None,
) -> Motion:
    claim_submission(submission_token, user=actor)
    meeting = _lock(meeting, actor)
    _not_closed(meeting)
    _present(meeting, mover, _("mover"))
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise DomainError(_("Choose an item of this meeting's agenda."))
    mode = vote_mode or VoteMode.BY_NAME
    if mode not in VoteMode.values:
        raise DomainError(_("Choose how the votes are recorded."))
    motion = Motion.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        text=_text(text, label=_("The motion"), limit=MOTION_MAX),
        mover=mover,
        vote_mode=mode,
        # Without the rule of a second, debate opens as soon as it is moved.
        status=MotionStatus.MOVED if meeting.second_required else MotionStatus.OPEN,
    )
    record_event(actor=actor, verb="motion.move", target=meeting, after={"motion": motion.pk})
    return motion


@transaction.atomic
def second_motion(*, motion: Motion, actor, seconder: Attendee) -> Motion:
    motion = _lock_motion(motion, actor)
    _not_closed(motion.meeting)
    _check_motion_move(
        motion, MotionStatus.OPEN, _("Only a motion awaiting a second can be seconded.")
    )
    _present(motion.meeting, seconder, _("seconder"))
    if seconder.pk == motion.mover_id:
        raise DomainError(_("The mover cannot second their own motion."))
    motion.seconder = seconder
    motion.status = MotionStatus.OPEN
    motion.save(update_fields=["seconder", "status"])
    record_event(
        actor=actor, verb="motion.second", target=motion.meeting, after={"motion": motion.pk}
    )
    return motion


@transaction.atomic
def withdraw_motion(*, motion: Motion, actor) -> Motion:
    motion = _lock_motion(motion, actor)
    _not_closed(motion.meeting)
    _check_motion_move(motion, MotionStatus.WITHDRAWN, _("A decided motion cannot be withdrawn."))
    if motion.votes.exists():
        raise DomainError(_("Voting has started; the motion can no longer be withdrawn."))
    motion.status = MotionStatus.WITHDRAWN
    motion.save(update_fields=["status"])
    record_event(
        actor=actor, verb="motion.withdraw", target=motion.meeting, after={"motion": motion.pk}
    )
    return motion


@transaction.atomic
def record_speech(
    *,
    motion: Motion,
    actor,
    attendee: Attendee,
    stance: str,
    seconds: int,
    submission_token: str | None = None,
) -> Speech:
    """A speaking turn: the stance is stated, and nobody speaks more than the
    meeting's turns per person on one motion."""
    claim_submission(submission_token, user=actor)
    motion = _lock_motion(motion, actor)
    meeting = motion.meeting
    _not_closed(meeting)
    if motion.status != MotionStatus.OPEN:
        raise DomainError(_("Speeches are made while a seconded motion is under debate."))
    _present(meeting, attendee, _("speaker"))
    from .models import Stance

    if stance not in Stance.values:
        raise DomainError(_("State the speaker's stance: for, against, or neutral."))
    if not 0 <= int(seconds) <= 3600:
        raise DomainError(_("A speech lasts between 0 seconds and an hour."))
    if int(seconds) > SPEECH_OVERRUN_FACTOR * meeting.speech_minutes * 60:
        raise DomainError(
            _(
                "%(s)d seconds is more than three times the %(m)d minutes a speech may "
                "last; check the time."
            )
            % {"s": int(seconds), "m": meeting.speech_minutes}
        )
    turns = motion.speeches.filter(attendee=attendee).count()
    if turns >= meeting.speeches_per_person:
        raise DomainError(
            _("%(name)s has had their %(n)d turns on this motion.")
            % {"name": attendee.name, "n": meeting.speeches_per_person}
        )
    return Speech.objects.create(motion=motion, attendee=attendee, stance=stance, seconds=seconds)


def _open_for_votes(motion: Motion) -> None:
    if motion.status != MotionStatus.OPEN:
        if motion.status == MotionStatus.MOVED:
            raise DomainError(_("The motion needs a second before it can be voted on."))
        raise DomainError(_("This motion is not open for votes."))


@transaction.atomic
def cast_vote(*, motion: Motion, actor, attendee: Attendee, choice: str) -> Vote:
    motion = _lock_motion(motion, actor)
    _not_closed(motion.meeting)
    _open_for_votes(motion)
    if motion.vote_mode != VoteMode.BY_NAME:
        raise DomainError(_("This motion's votes are recorded as counts."))
    if choice not in Choice.values:
        raise DomainError(_("Vote yes, no or abstain."))
    _present(motion.meeting, attendee, _("voter"))
    try:
        with transaction.atomic():
            return Vote.objects.create(motion=motion, attendee=attendee, choice=choice)
    except IntegrityError:
        raise DomainError(_("%(name)s has already voted.") % {"name": attendee.name}) from None


@transaction.atomic
def cast_votes(*, motion: Motion, actor, votes: dict) -> list[Vote]:
    """The vote grid: ``votes`` maps attendee pks to choices. All or nothing: one
    refused vote refuses them all and nothing is stored."""
    motion = _lock_motion(motion, actor)
    if not votes:
        raise DomainError(_("Choose a vote for at least one person."))
    attendees = motion.meeting.attendees.in_bulk([pk for pk in votes if pk is not None])
    cast = []
    for pk, choice in votes.items():
        attendee = attendees.get(pk)
        if attendee is None:
            raise DomainError(_("Choose someone on this meeting's list."))
        cast.append(cast_vote(motion=motion, actor=actor, attendee=attendee, choice=choice))
    return cast


@transaction.atomic
def record_counts(*, motion: Motion, actor, yes: int, no: int, abstain: int) -> Motion:
    """Votes taken by show of hands, recorded as counts."""
    motion = _lock_motion(motion, actor)
    _not_closed(motion.meeting)
    _open_for_votes(motion)
    if motion.vote_mode != VoteMode.COUNTS:
        raise DomainError(_("This motion's votes are recorded by name."))
    tally = decisions.Tally(int(yes), int(no), int(abstain))
    problem = decisions.check_tally(tally, present=present_count(motion.meeting))
    if problem:
        raise DomainError(problem)
    motion.yes_count, motion.no_count, motion.abstain_count = tally.yes, tally.no, tally.abstain
    motion.save(update_fields=["yes_count", "no_count", "abstain_count"])
    return motion


@transaction.atomic
def record_owners_count(*, motion: Motion, actor, **figures) -> Motion:
    """The art. 278 figures for an owners' decision: total, participating and yes,
    each by floor area and by headcount."""
    motion = _lock_motion(motion, actor)
    _not_closed(motion.meeting)
    _open_for_votes(motion)
    if motion.meeting.decision_rule == DecisionRule.MAJORITY:
        raise DomainError(_("This meeting decides by a simple majority of those voting."))
    try:
        count = decisions.OwnersCount(
            total_area=Decimal(str(figures["total_area"])),
            total_owners=int(figures["total_owners"]),
            participating_area=Decimal(str(figures["participating_area"])),
            participating_owners=int(figures["participating_owners"]),
            yes_area=Decimal(str(figures["yes_area"])),
            yes_owners=int(figures["yes_owners"]),
        )
    except (KeyError, TypeError, ValueError, ArithmeticError):
        raise DomainError(_("Give every area and number of owners.")) from None
    areas = (count.total_area, count.participating_area, count.yes_area)
    owners = (count.total_owners, count.participating_owners, count.yes_owners)
    if any(not a.is_finite() or not 0 <= a <= MAX_FLOOR_AREA for a in areas) or any(
        not 0 <= n <= MAX_OWNERS for n in owners
    ):
        raise DomainError(
            _("Floor areas are at most %(area)s m² and owners at most %(owners)s.")
            % {"area": f"{MAX_FLOOR_AREA:,}", "owners": f"{MAX_OWNERS:,}"}
        )
    problem = decisions.check_owners_count(count)
    if problem:
        raise DomainError(problem)
    for field in (
        "total_area",
        "total_owners",
        "participating_area",
        "participating_owners",
        "yes_area",
        "yes_owners",
    ):
        setattr(motion, field, getattr(count, field))
    motion.save()
    return motion


def tally_of(motion: Motion) -> decisions.Tally | None:
    """The votes on a motion: its Vote rows when by name, its counts otherwise."""
    if motion.vote_mode == VoteMode.BY_NAME:
        counts = dict.fromkeys(Choice.values, 0)
        for choice in motion.votes.values_list("choice", flat=True):
            counts[choice] += 1
        return decisions.Tally(counts["yes"], counts["no"], counts["abstain"])
    if motion.yes_count is None:
        return None
    return decisions.Tally(motion.yes_count, motion.no_count, motion.abstain_count)


def owners_count_of(motion: Motion) -> decisions.OwnersCount | None:
    if motion.total_owners is None:
        return None
    return decisions.OwnersCount(
        total_area=motion.total_area,
        total_owners=motion.total_owners,
        participating_area=motion.participating_area,
        participating_owners=motion.participating_owners,
        yes_area=motion.yes_area,
        yes_owners=motion.yes_owners,
    )


def compute_outcome(motion: Motion) -> decisions.Outcome:
    """The outcome the meeting's rule gives for the votes on record (raises when the
    votes needed are missing or the meeting is not quorate)."""
    meeting = motion.meeting
    if meeting.decision_rule == DecisionRule.MAJORITY:
        met, figures = quorum(meeting)
        if not met:
            raise DomainError(_("The meeting is not quorate: %(f)s") % {"f": figures})
        tally = tally_of(motion)
        if tally is None or tally.voting == 0:
            raise DomainError(_("No votes are recorded on this motion yet."))
        return decisions.decide_majority(tally)
    count = owners_count_of(motion)
    if count is None:
        raise DomainError(_("Record the owners' figures (area and headcount) first."))
    return decisions.decide_owners(count, major=meeting.decision_rule == DecisionRule.OWNERS_MAJOR)


@transaction.atomic
def decide_motion(*, motion: Motion, actor, declared: str | None = None) -> Motion:
    """Close the vote and record the decision computed from the votes. When the chair
    declares a result (``declared`` "passed" or "failed") it must agree with the
    votes: a decision that contradicts them is refused and nothing is stored."""
    motion = _lock_motion(motion, actor)
    _not_closed(motion.meeting)
    _open_for_votes(motion)
    _check_motion_move(motion, MotionStatus.DECIDED, _("This motion is not open for votes."))
    outcome = compute_outcome(motion)
    result = MotionResult.PASSED if outcome.passed else MotionResult.FAILED
    if declared and declared != result:
        raise DomainError(
            _("The declared result contradicts the recorded votes: %(explanation)s")
            % {"explanation": outcome.explanation}
        )
    motion.status = MotionStatus.DECIDED
    motion.result = result
    motion.result_explanation = outcome.explanation[:300]
    motion.decided_at = timezone.now()
    motion.save(update_fields=["status", "result", "result_explanation", "decided_at"])
    tally = tally_of(motion)
    record_event(
        actor=actor,
        verb="motion.decide",
        target=motion.meeting,
        after={
            "motion": motion.pk,
            "text": motion.text,
            "result": result,
            "votes": [tally.yes, tally.no, tally.abstain] if tally else None,
        },
    )
    return motion


# --- Minutes and action items --------------------------------------------------------


@transaction.atomic
def save_minutes(*, meeting: Meeting, actor, body: str) -> Minutes:
    meeting = _lock(meeting, actor)
    _not_closed(meeting)
    body = _text(body, label=_("The minutes"), limit=MINUTES_MAX)
    minutes, _created = Minutes.objects.update_or_create(meeting=meeting, defaults={"body": body})
    return minutes


@transaction.atomic
def approve_minutes(*, meeting: Meeting, actor) -> Minutes:
    """Approving the minutes closes the record: the meeting was held. It needs a
    quorum (and, for a joint meeting, each party on record) and no motion left open."""
    meeting = _lock(meeting, actor)
    _check_meeting_move(meeting, MeetingStatus.HELD)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        raise DomainError(_("Write the minutes before approving them."))
    met, figures = quorum(meeting)
    if not met:
        raise DomainError(
            _("The minutes cannot be approved: the meeting was not quorate (%(f)s)")
            % {"f": figures}
        )
    if meeting.motions.filter(status__in=[MotionStatus.MOVED, MotionStatus.OPEN]).exists():
        raise DomainError(_("Decide or withdraw every motion before approving the minutes."))
    minutes.status = MinutesStatus.APPROVED
    minutes.approved_at = timezone.now()
    minutes.approved_by = actor
    minutes.save()
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor,
        verb="meeting.minutes_approved",
        target=meeting,
        after={"present": present_count(meeting), "quorum": figures},
    )
    return minutes


@transaction.atomic
def add_action_item(
    *,
    meeting: Meeting,
    actor,
    title: str,
    owner_name: str,
    due_on,
    owner_unit=None,
    motion=None,
    submission_token: str | None = None,
) -> ActionItem:
    claim_submission(submission_token, user=actor)
    meeting = _lock(meeting, actor)
    _not_cancelled(meeting)
    if owner_unit is not None and owner_unit.town_id != meeting.town_id:
        raise DomainError(_("Choose a unit of this town."))
    if motion is not None and motion.meeting_id != meeting.pk:
        raise DomainError(_("Choose a motion of this meeting."))
    PLANNED.check(due_on, label=_("The due date"))
    if due_on < timezone.localdate(meeting.starts_at):
        raise DomainError(_("The due date cannot be before the meeting."))
    item = ActionItem.objects.create(
        meeting=meeting,
        motion=motion,
        title=_text(title, label=_("The action"), limit=200),
        owner_name=_text(owner_name, label=_("The owner"), limit=60),
        owner_unit=owner_unit,
        due_on=due_on,
    )
    record_event(actor=actor, verb="meeting.action", target=meeting, after={"action": item.title})
    return item


@transaction.atomic
def set_action_status(*, item: ActionItem, actor, status: str) -> ActionItem:
    if status not in ActionStatus.values:
        raise DomainError(_("Choose one of the statuses."))
    require_perm(actor, "meetings.manage", item.meeting)
    item = ActionItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    before = item.status
    if before == status:
        return item
    item.status = status
    item.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor,
        verb="meeting.action_status",
        target=item.meeting,
        before={"action": item.pk, "status": before},
        after={"action": item.pk, "status": status},
    )
    return item
