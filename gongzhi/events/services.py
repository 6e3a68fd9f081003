"""Writes on activities: publishing, registering with a waiting list, checking in."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from gongzhi.accounts.services import AccountExists, create_account
from gongzhi.core.access import require_perm
from gongzhi.core.errors import DomainError, checked_text
from gongzhi.core.services import claim_submission, notify, notify_all, record_event
from gongzhi.venues.services import (
    book_venue,
    booked_venue_ids,
    move_bookings,
    release_bookings,
)

from .models import (
    Activity,
    ActivityStatus,
    Attendance,
    CheckInMethod,
    Registration,
    RegistrationStatus,
    WalkInCount,
    WorldCafe,
)

User = get_user_model()

# The check-in QR code changes every TOKEN_PERIOD; a code is accepted during its own
# period and the next one, so a phone that scanned just before the change still works.
TOKEN_PERIOD = timedelta(minutes=5)
# Check-in opens an hour before the start and closes half an hour after the end.
OPENS_BEFORE = timedelta(hours=1)
CLOSES_AFTER = timedelta(minutes=30)
# Staff may still check people in from the roster the day after (paper sign-in sheets).
ROSTER_CLOSES_AFTER = timedelta(days=1)


@transaction.atomic
def create_activity(
    *, town, actor, submission_token: str | None = None, booked_venue=None, **fields
) -> Activity:
    """Create a draft activity; with ``booked_venue`` (a venue of the register) also
    book it for the activity's time, or refuse the whole (the venue is taken, closed
    then, of another town, or not the actor's to book directly)."""
    # On the area: its staff or the town's secretariat; town-wide: the secretariat only.
    require_perm(actor, "events.manage_activity", fields.get("area") or town)
    claim_submission(submission_token, user=actor)
    area = fields.get("area")
    if area is not None and area.town_id != town.pk:
        raise DomainError(_("The residential area is not in this town."))
    organiser = fields.get("organiser")
    if organiser is not None and organiser.town_id != town.pk:
        raise DomainError(_("The organising unit belongs to another town."))
    if fields["ends_at"] <= fields["starts_at"]:
        raise DomainError(_("The activity must end after it starts."))
    if booked_venue is not None and not (fields.get("venue") or "").strip():
        fields["venue"] = booked_venue.name
    activity = Activity(town=town, created_by=actor, **fields)
    activity.full_clean()
    activity.save()
    record_event(actor=actor, verb="activity.create", target=activity)
    if booked_venue is not None:
        book_venue(
            venue=booked_venue, actor=actor, starts_at=activity.starts_at,
            ends_at=activity.ends_at, purpose=activity.title, town=town, activity=activity,
            directly=True,
        )  # fmt: skip
    return activity


@transaction.atomic
def publish_activity(*, activity: Activity, actor) -> Activity:
    require_perm(actor, "events.manage_activity", activity)
    if not activity.may_become(ActivityStatus.PUBLISHED):
        raise DomainError(_("Only a draft can be published."))
    activity.status = ActivityStatus.PUBLISHED
    activity.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor, verb="activity.publish", target=activity, after={"status": "published"}
    )
    return activity


def _lock(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


# --- Changing and cancelling --------------------------------------------------------

# What staff may change on an activity until it ends (the create form's fields).
EDITABLE_FIELDS = (
    "title",
    "kind",
    "area",
    "organiser",
    "venue",
    "starts_at",
    "ends_at",
    "capacity",
    "description",
)
# A change of these is news to those signed up: they are told.
WHEN_AND_WHERE = ("starts_at", "ends_at", "venue")
# ``update_activity``'s default for ``booked_venue``: leave the venue booking as it is
# (it still follows the activity's time).
KEEP_BOOKING = object()


def check_editable(activity: Activity) -> None:
    """Refuse to change a cancelled or ended activity, saying which (the edit page
    asks before it shows the form)."""
    if activity.status == ActivityStatus.CANCELLED:
        raise DomainError(_("This activity was cancelled; it can no longer be changed."))
    if activity.is_past:
        raise DomainError(_("This activity has ended; its details can no longer be changed."))


def _plain(value):
    """A field's value as the audit trail stores it (related rows by their key)."""
    return getattr(value, "pk", value)


def _notify_registrants(activity: Activity, kind: str, params: dict) -> int:
    """Tell everyone signed up or waiting (not those who cancelled), in-app."""
    people = [
        registration.user
        for registration in activity.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("user")
        .order_by("pk")
    ]
    return notify_all(
        users=people,
        kind=kind,
        params=params,
        url=activity.get_absolute_url(),
        town_id=activity.town_id,
    )


def _promote_waiting(activity: Activity) -> None:
    """Fill places that a larger capacity freed from the waiting list, first come
    first served, telling each person (as a cancelled sign-up does)."""
    registered = activity.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    waiting = activity.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by(
        "created_at", "pk"
    )
    if activity.capacity is not None:
        waiting = waiting[: max(activity.capacity - registered, 0)]
    for registration in waiting.select_related("user"):
        registration.status = RegistrationStatus.REGISTERED
        registration.save(update_fields=["status", "updated_at"])
        notify(
            user=registration.user,
            kind="events.place_free",
            params={"title": activity.title},
            url=activity.get_absolute_url(),
            town_id=activity.town_id,
        )


@transaction.atomic
def update_activity(*, activity: Activity, actor, booked_venue=KEEP_BOOKING, **fields) -> Activity:
    """Change an activity before it ends: what the create form gives. Its venue booking
    follows a new time (refused, and nothing changed, when the venue is taken then);
    ``booked_venue`` (a venue of the register) books that venue instead of the one it
    held, and None gives the booking up. Capacity cannot drop below those already
    signed up; a larger one lets in people from the waiting list. Everyone signed up
    or waiting is told of a new time or place."""
    require_perm(actor, "events.manage_activity", activity)
    activity = _lock(activity)
    check_editable(activity)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("These cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    held = booked_venue_ids(activity=activity)
    if booked_venue is not KEEP_BOOKING and booked_venue is not None:
        old_names = set(
            activity.bookings.filter(venue_id__in=held).values_list("venue__name", flat=True)
        )
        place = (fields.get("venue") or "").strip()
        # The place's text follows the venue booked unless staff wrote another one.
        if not place or place in old_names:
            fields["venue"] = booked_venue.name
    before = {name: getattr(activity, name) for name in EDITABLE_FIELDS}
    merged = before | fields
    town = activity.town
    area, organiser = merged["area"], merged["organiser"]
    if area is not None and area.town_id != town.pk:
        raise DomainError(_("The residential area is not in this town."))
    if organiser is not None and organiser.town_id != town.pk:
        raise DomainError(_("The organising unit belongs to another town."))
    if merged["starts_at"] is None or merged["ends_at"] is None:
        raise DomainError(_("Give the activity's start and end."))
    if merged["ends_at"] <= merged["starts_at"]:
        raise DomainError(_("The activity must end after it starts."))
    if merged["ends_at"] <= timezone.now():
        raise DomainError(_("The new time has already passed; choose a time still to come."))
    merged["title"] = checked_text(merged["title"], label=_("The title"), limit=100)
    merged["venue"] = checked_text(merged["venue"], label=_("The venue"), limit=120)
    merged["description"] = (merged["description"] or "").strip()
    capacity = merged["capacity"]
    if capacity is not None:
        if capacity < 1:
            raise DomainError(_("An activity with a sign-up limit has at least one place."))
        registered = activity.registrations.filter(status=RegistrationStatus.REGISTERED).count()
        if capacity < registered:
            raise DomainError(
                _(
                    "%(registered)d people are already signed up, more than %(capacity)d "
                    "places. Give at least %(registered)d places, or ask some to cancel first."
                )
                % {"registered": registered, "capacity": capacity}
            )
    if merged["kind"] != activity.kind and (
        WorldCafe.objects.filter(activity=activity).exists() or activity.stalls.exists()
    ):
        raise DomainError(
            _("Its World Café or market stalls are set up already; the kind cannot change.")
        )
    for name, value in merged.items():
        setattr(activity, name, value)
    # Moving the activity to another area (or town-wide) needs the right there too.
    require_perm(actor, "events.manage_activity", activity)
    try:
        activity.full_clean()
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None
    activity.save()
    changed = sorted(name for name in EDITABLE_FIELDS if before[name] != merged[name])
    if changed:
        record_event(
            actor=actor,
            verb="activity.update",
            target=activity,
            before={name: _plain(before[name]) for name in changed},
            after={name: _plain(merged[name]) for name in changed},
        )
    moved_venue = False
    if booked_venue is None:
        moved_venue = release_bookings(actor=actor, activity=activity) > 0
    elif booked_venue is not KEEP_BOOKING and booked_venue.pk not in held:
        # An activity is held in one place: booking another venue frees the one it held.
        moved_venue = True
        release_bookings(actor=actor, activity=activity)
        book_venue(
            venue=booked_venue, actor=actor, starts_at=activity.starts_at,
            ends_at=activity.ends_at, purpose=activity.title, town=town, activity=activity,
            directly=True,
        )  # fmt: skip
    # The booking follows the time, or the whole change is refused.
    move_bookings(
        actor=actor, activity=activity, starts_at=activity.starts_at, ends_at=activity.ends_at
    )
    if "starts_at" in changed:
        # The day-before reminder is due again for the new day.
        activity.registrations.filter(reminded_at__isnull=False).update(reminded_at=None)
    if moved_venue or any(name in changed for name in WHEN_AND_WHERE):
        _notify_registrants(
            activity,
            "events.changed",
            {
                "title": activity.title,
                "starts_at": activity.starts_at.isoformat(),
                "ends_at": activity.ends_at.isoformat(),
                "venue": activity.venue,
            },
        )
    if activity.status == ActivityStatus.PUBLISHED and timezone.now() < activity.starts_at:
        _promote_waiting(activity)
    return activity


@transaction.atomic
def cancel_activity(*, activity: Activity, actor, reason: str) -> Activity:
    """Call off a draft or published activity before it ends, with the reason its
    page shows. Its venue bookings are released and everyone signed up or waiting is
    told, in-app (the reason is free text, longer than an SMS template's variable)."""
    require_perm(actor, "events.manage_activity", activity)
    activity = _lock(activity)
    reason = checked_text(reason, label=_("The reason"), limit=200)
    if not activity.may_become(ActivityStatus.CANCELLED):
        raise DomainError(_("This activity was already cancelled."))
    if activity.is_past:
        raise DomainError(_("This activity has ended; it can no longer be cancelled."))
    before = activity.status
    activity.status = ActivityStatus.CANCELLED
    activity.cancel_reason = reason
    activity.cancelled_as_draft = before == ActivityStatus.DRAFT
    activity.save(update_fields=["status", "cancel_reason", "cancelled_as_draft", "updated_at"])
    record_event(
        actor=actor,
        verb="activity.cancel",
        target=activity,
        before={"status": before},
        after={"status": ActivityStatus.CANCELLED, "reason": reason},
    )
    release_bookings(actor=actor, activity=activity)
    _notify_registrants(
        activity,
        "events.cancelled",
        {"title": activity.title, "starts_at": activity.starts_at.isoformat(), "reason": reason},
    )
    return activity


@transaction.atomic
def register(*, activity: Activity, user) -> Registration:
    """Sign up; beyond the capacity, join the waiting list. The activity row is locked
    so that two people cannot both take the last place."""
    require_perm(user, "events.take_part", activity)
    activity = _lock(activity)
    if activity.status != ActivityStatus.PUBLISHED:
        raise DomainError(_("This activity is not open for sign-up."))
    if timezone.now() >= activity.starts_at:
        raise DomainError(_("Sign-up has closed: the activity has started."))
    if (
        activity.registrations.filter(user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .exists()
    ):
        raise DomainError(_("You are already signed up for this activity."))
    taken = activity.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    full = activity.capacity is not None and taken >= activity.capacity
    registration = Registration.objects.create(
        activity=activity,
        user=user,
        status=RegistrationStatus.WAITLISTED if full else RegistrationStatus.REGISTERED,
    )
    return registration


@transaction.atomic
def cancel_registration(*, registration: Registration, user) -> Registration | None:
    """Cancel a sign-up; a freed place goes to the first on the waiting list, who is
    told. Returns the promoted registration, if any."""
    require_perm(user, "events.take_part", registration.activity)
    if registration.user_id != user.pk:
        raise DomainError(_("This sign-up is not yours."))
    activity = _lock(registration.activity)
    registration.refresh_from_db()
    if registration.status == RegistrationStatus.CANCELLED:
        raise DomainError(_("This sign-up was already cancelled."))
    freed = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    if not freed or timezone.now() >= activity.starts_at:
        return None
    first = (
        activity.registrations.filter(status=RegistrationStatus.WAITLISTED)
        .order_by("created_at", "pk")
        .first()
    )
    if first is None:
        return None
    first.status = RegistrationStatus.REGISTERED
    first.save(update_fields=["status", "updated_at"])
    notify(
        user=first.user,
        kind="events.place_free",
        params={"title": activity.title},
        url=activity.get_absolute_url(),
        town_id=activity.town_id,
    )
    return first


# --- Check-in -----------------------------------------------------------------------


def _period(moment) -> int:
    return int(moment.timestamp() // TOKEN_PERIOD.total_seconds())


def _signature(activity_id: int, period: int) -> str:
    return salted_hmac("gongzhi.events.checkin", f"{activity_id}:{period}").hexdigest()[:20]


def checkin_token(activity: Activity, *, at=None) -> str:
    """The token in the QR code shown at the venue right now."""
    period = _period(at or timezone.now())
    return f"{period}-{_signature(activity.pk, period)}"


def check_token(activity: Activity, token: str, *, at=None) -> None:
    """Raise a clear error unless ``token`` is a current code of this activity."""
    now = at or timezone.now()
    try:
        period_text, signature = token.split("-", 1)
        period = int(period_text)
    except ValueError:
        raise DomainError(_("This check-in code is not valid.")) from None
    if not constant_time_compare(signature, _signature(activity.pk, period)):
        raise DomainError(_("This check-in code is not valid."))
    if not 0 <= _period(now) - period <= 1:
        raise DomainError(_("This check-in code has expired. Scan the code on the screen again."))


@dataclass(frozen=True)
class CheckInWindow:
    """When check-in is open: the QR code and every check-in button say so, and are
    not offered as live outside it (the services refuse outside it)."""

    opens_at: datetime
    closes_at: datetime
    state: str  # "not_yet", "open" or "closed"


def checkin_window(activity: Activity, *, roster: bool = False, now=None) -> CheckInWindow:
    """Check-in opens an hour before the start; by code it closes half an hour after
    the end, from the roster (the paper sheet filed that evening) a day after."""
    now = now or timezone.now()
    opens_at = activity.starts_at - OPENS_BEFORE
    closes_at = activity.ends_at + (ROSTER_CLOSES_AFTER if roster else CLOSES_AFTER)
    state = "not_yet" if now < opens_at else "closed" if now > closes_at else "open"
    return CheckInWindow(opens_at, closes_at, state)


def _check_window(activity: Activity, now, *, roster: bool) -> None:
    if activity.status != ActivityStatus.PUBLISHED:
        raise DomainError(_("This activity is not taking place."))
    window = checkin_window(activity, roster=roster, now=now)
    if window.state == "not_yet":
        raise DomainError(_("Check-in opens one hour before the activity starts."))
    if window.state == "closed":
        raise DomainError(_("Check-in for this activity has closed."))


def check_in(
    *, activity: Activity, user, method: str, recorded_by=None, at=None
) -> tuple[Attendance, bool]:
    """Record that ``user`` is here. A second check-in is ignored: it returns the first
    attendance and False, and counts nothing twice — also when two arrive at once.

    From the roster (the paper sheet), ``recorded_by`` is the staff member who ticks
    the person off, and must manage the activity."""
    if method == CheckInMethod.ROSTER:
        require_perm(recorded_by, "events.manage_activity", activity)
    now = at or timezone.now()
    _check_window(activity, now, roster=method == CheckInMethod.ROSTER)
    existing = Attendance.objects.filter(activity=activity, user=user).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                activity=activity,
                user=user,
                method=method,
                checked_in_at=now,
                recorded_by=recorded_by,
            )
    except IntegrityError:
        # The same person checked in from two devices at the same moment.
        return Attendance.objects.get(activity=activity, user=user), False
    return attendance, True


def check_in_with_code(*, activity: Activity, token: str, user, at=None):
    require_perm(user, "events.take_part", activity)
    check_token(activity, token, at=at)
    return check_in(activity=activity, user=user, method=CheckInMethod.QR, at=at)


@transaction.atomic
def quick_check_in(
    *, activity: Activity, token: str, phone: str, name: str, consent: bool, at=None
):
    """At the door, without an account: a mobile number and a name are enough. The
    account is created without a password (the person may sign up properly later)."""
    if not consent:
        raise DomainError(_("You must agree to the privacy notice to check in."))
    check_token(activity, token, at=at)
    user = User.objects.filter(phone=phone).first()
    if user is None:
        try:
            user = create_account(phone=phone, display_name=name)
        except AccountExists:  # the same number at the same moment from another phone
            user = User.objects.get(phone=phone)
    return check_in(activity=activity, user=user, method=CheckInMethod.QUICK, at=at)


@transaction.atomic
def check_out(*, attendance: Attendance, actor, at=None) -> Attendance:
    """Staff record when someone left (their volunteer hours run until then)."""
    require_perm(actor, "events.manage_activity", attendance.activity)
    now = at or timezone.now()
    attendance = Attendance.objects.select_for_update().get(pk=attendance.pk)
    if attendance.checked_out_at is not None:
        raise DomainError(_("Already checked out."))
    if now <= attendance.checked_in_at:
        raise DomainError(_("Check-out must come after check-in."))
    attendance.checked_out_at = min(now, attendance.activity.ends_at + CLOSES_AFTER)
    attendance.save(update_fields=["checked_out_at"])
    return attendance


@transaction.atomic
def record_walk_ins(
    *, activity: Activity, actor, count: int, note: str = "", submission_token: str | None = None
) -> WalkInCount:
    """A head count at an open event: person-times, no names."""
    require_perm(actor, "events.manage_activity", activity)
    claim_submission(submission_token, user=actor)
    if activity.status == ActivityStatus.CANCELLED:
        raise DomainError(_("This activity was cancelled; nobody can be counted at it."))
    if count <= 0:
        raise DomainError(_("Count at least one person."))
    if count > 100_000:
        raise DomainError(_("That head count is not plausible."))
    walk_in = WalkInCount.objects.create(
        activity=activity, count=count, note=note, recorded_by=actor
    )
    record_event(actor=actor, verb="activity.walk_ins", target=activity, after={"count": count})
    return walk_in
