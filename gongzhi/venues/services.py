"""Writes on venues and their bookings (一客一厅).

Only confirmed bookings hold a slot (see models.py). Every booking service locks the
venue's row first, so that on every database two bookings of one venue are checked
one after the other; on PostgreSQL the exclusion constraint ``booking_no_overlap`` is
the last word (its violation becomes the same refusal as the check's).
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from gongzhi.core.access import require_perm
from gongzhi.core.errors import DomainError, checked_text
from gongzhi.core.images import clean_photo
from gongzhi.core.services import claim_submission, notify, record_event

from . import queries
from .models import LIVE, Booking, BookingStatus, Venue, Weekday


def _taken_message(clash: Booking | None = None) -> str:
    if clash is None:
        return _("The venue is already booked at this time. Choose another time or venue.")
    return _(
        "The venue is already booked from %(start)s to %(end)s. Choose another time or venue."
    ) % {
        "start": formats.date_format(timezone.localtime(clash.starts_at), "DATETIME_FORMAT"),
        "end": formats.time_format(timezone.localtime(clash.ends_at), "TIME_FORMAT"),
    }


# What the register and edit pages change (the photo is handled on its own).
VENUE_FIELDS = (
    "name",
    "kind",
    "area",
    "capacity",
    "address",
    "step_free",
    "accessible_toilet",
    "hearing_loop",
    "accessibility_notes",
    "equipment",
    "opens_at",
    "closes_at",
    "open_days",
    "keeper",
)


def _check_venue(town, fields: dict, *, venue: Venue | None = None) -> None:
    """Refuse facts a venue cannot have, each with its own message (the model's check
    constraints would only say which constraint failed). ``fields`` are the venue's
    whole facts after the change; its text is stripped in place."""
    area = fields.get("area")
    if area is not None and area.town_id != town.pk:
        raise DomainError(_("The residential area is not in this town."))
    fields["name"] = checked_text(fields.get("name", ""), label=_("The name"), limit=60)
    for name, label, limit in (
        ("address", _("The address"), 120),
        ("accessibility_notes", _("The other accessibility facts"), 200),
        ("equipment", _("The equipment"), 2000),
    ):
        if name in fields:
            fields[name] = checked_text(fields[name], label=label, limit=limit, required=False)
    capacity = fields.get("capacity")
    if capacity is not None and capacity < 1:
        raise DomainError(_("A venue holds at least one person."))
    days = fields.get("open_days")
    if days is not None and (not days or set(days) - set(Weekday.values)):
        raise DomainError(_("Choose the weekdays the venue is open."))
    if (
        fields.get("opens_at")
        and fields.get("closes_at")
        and (fields["closes_at"] <= fields["opens_at"])
    ):
        raise DomainError(_("The venue must close after it opens."))
    keeper = fields.get("keeper")
    if keeper is not None and not queries.keepers_of(town).filter(pk=keeper.pk).exists():
        raise DomainError(
            _(
                "The keeper must be staff of this town: its secretariat or the staff of "
                "one of its residential areas."
            )
        )
    same_name = Venue.objects.filter(town=town, name=fields["name"])
    if venue is not None:
        same_name = same_name.exclude(pk=venue.pk)
    if same_name.exists():
        raise DomainError(_("The town already has a venue of this name."))


def _set_photo(venue: Venue, photo) -> None:
    """Check the uploaded photo by its content and store it re-encoded (core.images)."""
    try:
        venue.photo = clean_photo(photo, name="venue")
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None


def _save_venue(venue: Venue) -> None:
    """Save; a venue of the same name that another request saved since our check (the
    unique constraint) becomes the check's message."""
    try:
        with transaction.atomic():
            venue.save()
    except IntegrityError:
        raise DomainError(_("The town already has a venue of this name.")) from None


def _full_clean(venue: Venue) -> None:
    try:
        venue.full_clean()
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None


@transaction.atomic
def create_venue(
    *, town, actor, photo=None, submission_token: str | None = None, **fields
) -> Venue:
    """Add a venue to the town's register. ``fields``: name, kind, capacity, opens_at,
    closes_at and optionally area, open_days, keeper (staff of the town), address,
    accessibility facts, equipment; ``photo`` an upload, checked and re-encoded.
    The secretariat registers any venue of the town, area staff those of their areas."""
    area = fields.get("area")
    require_perm(actor, "venues.manage_venue", area or town)
    claim_submission(submission_token, user=actor)
    unknown = set(fields) - set(VENUE_FIELDS)
    if unknown:
        raise DomainError(_("These cannot be set: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    _check_venue(town, fields)
    venue = Venue(town=town, **fields)
    if photo is not None:
        _set_photo(venue, photo)
    _full_clean(venue)
    _save_venue(venue)
    record_event(actor=actor, verb="venue.create", target=venue, after={"name": venue.name})
    return venue


def _plain(value):
    """A field's value as the audit trail stores it (related rows by their key)."""
    return getattr(value, "pk", value)


@transaction.atomic
def update_venue(*, venue: Venue, actor, photo=None, **fields) -> Venue:
    """Change a venue's facts (``fields`` as ``create_venue`` takes them; those not
    given stay), and with ``photo`` replace its photo. Moving it to another area (or
    making it town-wide) needs the right to manage venues there too. Bookings already
    made stand as they are."""
    require_perm(actor, "venues.manage_venue", venue)
    venue = _lock_venue(venue)
    if not venue.active:
        raise DomainError(_("This venue is not in use; it can no longer be changed."))
    unknown = set(fields) - set(VENUE_FIELDS)
    if unknown:
        raise DomainError(_("These cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    before = {name: getattr(venue, name) for name in VENUE_FIELDS}
    merged = before | fields
    if merged["area"] != before["area"]:
        require_perm(actor, "venues.manage_venue", merged["area"] or venue.town)
    _check_venue(venue.town, merged, venue=venue)
    for name, value in merged.items():
        setattr(venue, name, value)
    if photo is not None:
        _set_photo(venue, photo)
    _full_clean(venue)
    _save_venue(venue)
    changed = sorted(name for name in VENUE_FIELDS if before[name] != merged[name])
    if photo is not None:
        changed.append("photo")
    record_event(
        actor=actor,
        verb="venue.update",
        target=venue,
        before={name: _plain(before[name]) for name in changed if name != "photo"},
        after={name: _plain(merged[name]) if name != "photo" else True for name in changed},
    )
    return venue


@transaction.atomic
def retire_venue(*, venue: Venue, actor) -> int:
    """Take a venue out of use: it leaves the register's list and can no longer be
    booked; its live bookings that have not ended are cancelled (their slots would
    otherwise be held by a place nobody can book). Returns how many were cancelled."""
    require_perm(actor, "venues.manage_venue", venue)
    venue = _lock_venue(venue)
    if not venue.active:
        raise DomainError(_("This venue is already not in use."))
    venue.active = False
    venue.save(update_fields=["active", "updated_at"])
    record_event(
        actor=actor, verb="venue.retire", target=venue, before={"active": True},
        after={"active": False},
    )  # fmt: skip
    live = venue.bookings.filter(status__in=LIVE, ends_at__gt=timezone.now())
    cancelled = 0
    for booking in live.order_by("starts_at", "pk"):
        _cancel(booking, actor)
        cancelled += 1
    return cancelled


def _check_slot(venue: Venue, starts_at: datetime, ends_at: datetime, *, exclude=None) -> None:
    """Refuse a time that is reversed, outside opening hours or taken by a confirmed
    booking (the venue's row is locked by the caller)."""
    if starts_at is None or ends_at is None:
        raise DomainError(_("Give the booking's start and end."))
    if ends_at <= starts_at:
        raise DomainError(_("The booking must end after it starts."))
    if not venue.active:
        raise DomainError(_("This venue is not in use and cannot be booked."))
    if not venue.is_open(starts_at, ends_at):
        raise DomainError(
            _(
                "%(venue)s is open %(days)s from %(opens)s to %(closes)s; the booking must "
                "lie within one day's opening hours."
            )
            % {
                "venue": venue.name,
                "days": venue.open_days_text,
                "opens": venue.opens_at.strftime("%H:%M"),
                "closes": venue.closes_at.strftime("%H:%M"),
            }
        )
    clashes = venue.bookings.confirmed().overlapping(starts_at, ends_at)
    if exclude is not None:
        clashes = clashes.exclude(pk=exclude.pk)
    clash = clashes.order_by("starts_at").first()
    if clash is not None:
        raise DomainError(_taken_message(clash))


def _save(booking: Booking) -> None:
    """Save; the exclusion constraint's refusal (PostgreSQL, a booking that committed
    between our check and our write) becomes the check's message."""
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        raise DomainError(_taken_message()) from None


def _lock_venue(venue: Venue) -> Venue:
    return Venue.objects.select_for_update().get(pk=venue.pk)


@transaction.atomic
def book_venue(
    *,
    venue: Venue,
    actor,
    starts_at: datetime,
    ends_at: datetime,
    purpose: str,
    town=None,
    activity=None,
    meeting=None,
    directly: bool = False,
) -> Booking:
    """Book ``venue``: confirmed at once for those who may book it directly (its area's
    staff, the town's secretariat), else a request its keeper decides. ``town``, when
    given, is the town the booking is made for (an activity's, a meeting's): a venue
    of another town is refused. With ``directly`` (an activity's or meeting's own form)
    a person who may only ask is refused instead of leaving a request. Refuses a time
    taken by a confirmed booking, outside opening hours, or ending before it starts."""
    require_perm(actor, "venues.request_booking", venue)
    if town is not None and venue.town_id != town.pk:
        raise DomainError(_("This venue belongs to another town."))
    for thing in (activity, meeting):
        if thing is not None and thing.town_id != venue.town_id:
            raise DomainError(_("This venue belongs to another town."))
    if activity is not None and meeting is not None:
        raise DomainError(_("A booking is for one activity or one meeting, not both."))
    purpose = checked_text(purpose, label=_("The purpose"), limit=100)
    direct = actor.has_perm("venues.book_directly", venue)
    if directly and not direct:
        raise DomainError(
            _("You may not book %(venue)s directly; ask its keeper on the venue's page.")
            % {"venue": venue.name}
        )
    venue = _lock_venue(venue)
    _check_slot(venue, starts_at, ends_at)
    now = timezone.now()
    booking = Booking(
        venue=venue,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=purpose,
        requested_by=actor,
        status=BookingStatus.CONFIRMED if direct else BookingStatus.REQUESTED,
        decided_by=actor if direct else None,
        decided_at=now if direct else None,
        activity=activity,
        meeting=meeting,
    )
    _save(booking)
    record_event(
        actor=actor,
        verb="booking.confirm" if direct else "booking.request",
        target=booking,
        after={"venue": venue.pk, "starts_at": starts_at, "ends_at": ends_at},
    )
    if not direct and venue.keeper_id and venue.keeper_id != actor.pk:
        # In-app only: the request also waits in the keeper's 待办 (todo.py).
        notify(
            user=venue.keeper,
            kind="venues.requested",
            params={"venue": venue.name, "starts_at": starts_at.isoformat(), "purpose": purpose},
            url=venue.get_absolute_url(),
            sms=False,
            town_id=venue.town_id,
        )
    return booking


def _lock_booking(booking: Booking, actor, perm: str) -> Booking:
    require_perm(actor, perm, booking)
    _lock_venue(booking.venue)
    return Booking.objects.select_related("venue").get(pk=booking.pk)


@transaction.atomic
def confirm_booking(*, booking: Booking, actor) -> Booking:
    """Confirm a request; refused when a confirmed booking took its time meanwhile."""
    booking = _lock_booking(booking, actor, "venues.decide_booking")
    if not booking.may_become(BookingStatus.CONFIRMED):
        raise DomainError(_("Only a requested booking can be confirmed."))
    _check_slot(booking.venue, booking.starts_at, booking.ends_at, exclude=booking)
    booking.status = BookingStatus.CONFIRMED
    booking.decided_by = actor
    booking.decided_at = timezone.now()
    _save(booking)
    record_event(actor=actor, verb="booking.confirm", target=booking, after={"status": "confirmed"})
    return booking


@transaction.atomic
def decline_booking(*, booking: Booking, actor, reason: str) -> Booking:
    """Decline a request, with the reason the requester reads."""
    booking = _lock_booking(booking, actor, "venues.decide_booking")
    if not booking.may_become(BookingStatus.DECLINED):
        raise DomainError(_("Only a requested booking can be declined."))
    booking.reason = checked_text(reason, label=_("The reason"), limit=200)
    booking.status = BookingStatus.DECLINED
    booking.decided_by = actor
    booking.decided_at = timezone.now()
    booking.save()
    record_event(
        actor=actor,
        verb="booking.decline",
        target=booking,
        after={"status": "declined", "reason": booking.reason},
    )
    return booking


def _cancel(booking: Booking, actor) -> None:
    """Cancel a live booking and record it (the caller checked permission and holds
    the transaction)."""
    before = booking.status
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor,
        verb="booking.cancel",
        target=booking,
        before={"status": before},
        after={"status": "cancelled"},
    )


@transaction.atomic
def cancel_booking(*, booking: Booking, actor) -> Booking:
    """Cancel a requested or confirmed booking (its requester, the keeper or staff)."""
    booking = _lock_booking(booking, actor, "venues.cancel_booking")
    if not booking.may_become(BookingStatus.CANCELLED):
        raise DomainError(_("This booking is already declined or cancelled."))
    _cancel(booking, actor)
    return booking


def _bookings_of(activity=None, meeting=None):
    """The live bookings of an activity or a meeting (none for neither)."""
    live = Booking.objects.filter(status__in=LIVE)
    if activity is not None:
        return live.filter(activity=activity)
    if meeting is not None:
        return live.filter(meeting=meeting)
    return live.none()


def release_bookings(*, actor, activity=None, meeting=None) -> int:
    """Cancel the live bookings of a cancelled activity or meeting, so that its slot is
    free again and its hours are not counted as use. Returns how many.

    Permission: checked by the calling service (the one that cancels the activity or
    meeting), inside whose transaction this runs.
    """
    released = 0
    for booking in _bookings_of(activity, meeting).select_related("venue").select_for_update():
        _cancel(booking, actor)
        released += 1
    return released


def booked_venue_ids(*, activity=None, meeting=None) -> set[int]:
    """The venues an activity or a meeting holds a live booking of."""
    return set(_bookings_of(activity, meeting).values_list("venue_id", flat=True))


def move_bookings(*, actor, starts_at: datetime, ends_at: datetime, activity=None, meeting=None):
    """Move the live bookings of an activity or a meeting whose time changed to its new
    time. Refused (a DomainError, so the caller's whole change is rolled back) when the
    new time is taken by another confirmed booking, outside opening hours or the venue
    is no longer in use. Returns how many moved.

    Permission: checked by the calling service (the one that changes the activity's
    or meeting's time), inside whose transaction this runs.
    """
    moved = 0
    for pk in _bookings_of(activity, meeting).order_by("pk").values_list("pk", flat=True):
        booking = Booking.objects.select_related("venue").get(pk=pk)
        if (booking.starts_at, booking.ends_at) == (starts_at, ends_at):
            continue
        venue = _lock_venue(booking.venue)
        booking = Booking.objects.select_related("venue").get(pk=pk)
        _check_slot(venue, starts_at, ends_at, exclude=booking)
        before = {"starts_at": booking.starts_at, "ends_at": booking.ends_at}
        booking.starts_at, booking.ends_at = starts_at, ends_at
        _save(booking)
        record_event(
            actor=actor,
            verb="booking.move",
            target=booking,
            before=before,
            after={"starts_at": starts_at, "ends_at": ends_at},
        )
        moved += 1
    return moved
