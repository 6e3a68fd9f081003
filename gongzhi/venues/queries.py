"""Reads of venues and bookings shared by the pages, the feed and the counts."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.models import User
from gongzhi.core.scope import Role

from .models import LIVE, Booking, BookingStatus, Venue

# The public page and the feed show this far back and ahead.
BUSY_PAST = timedelta(days=30)
BUSY_AHEAD = timedelta(days=180)
BUSY_LIMIT = 300


def venues_of(town):
    """The town's venues in use, with their area, by pinyin."""
    return (
        Venue.objects.active()
        .filter(town=town)
        .select_related("town", "area")
        .order_by("name_sort", "name", "pk")
    )


def _public_ids(bookings, field: str) -> set[int]:
    """The ids of the linked activities (or meetings) that are public, in one query,
    through the linked model's own ``public()`` (venues imports neither app)."""
    ids = {getattr(b, f"{field}_id") for b in bookings if getattr(b, f"{field}_id")}
    if not ids:
        return set()
    model = Booking._meta.get_field(field).related_model
    return set(model.objects.public().filter(pk__in=ids).values_list("pk", flat=True))


def busy_slots(venue, *, since=None, until=None) -> list[dict]:
    """The venue's confirmed bookings as the public sees them: the time, and the title
    of the activity or meeting when that is public, else just "booked". No names, no
    purposes. Three queries."""
    now = timezone.now()
    since = since or now - BUSY_PAST
    until = until or now + BUSY_AHEAD
    bookings = list(
        venue.bookings.confirmed()
        .filter(ends_at__gte=since, starts_at__lt=until)
        .select_related("activity", "meeting")
        .order_by("starts_at", "pk")[:BUSY_LIMIT]
    )
    public = {
        "activity": _public_ids(bookings, "activity"),
        "meeting": _public_ids(bookings, "meeting"),
    }
    slots = []
    for booking in bookings:
        title, url = _("Booked"), ""
        for field in ("activity", "meeting"):
            thing_id = getattr(booking, f"{field}_id")
            if thing_id and thing_id in public[field]:
                thing = getattr(booking, field)
                title, url = thing.title, thing.get_absolute_url()
        slots.append(
            {"pk": booking.pk, "starts_at": booking.starts_at, "ends_at": booking.ends_at,
             "title": title, "url": url, "past": booking.ends_at <= now}
        )  # fmt: skip
    return slots


def open_requests(venue):
    """Requests awaiting the keeper's decision, oldest first (for those who decide)."""
    return (
        venue.bookings.filter(status=BookingStatus.REQUESTED, ends_at__gt=timezone.now())
        .select_related("requested_by")
        .order_by("starts_at", "pk")
    )


def upcoming_bookings(venue):
    """Live bookings from now on, with who asked (for those who may see bookings)."""
    return (
        venue.bookings.filter(status__in=LIVE, ends_at__gt=timezone.now())
        .select_related("requested_by", "activity", "meeting")
        .order_by("starts_at", "pk")
    )


def bookable_venues(user, town):
    """The venues of the town ``user`` may book directly (offered on the activity and
    meeting forms): a choice a person may not make is not offered."""
    return [venue for venue in venues_of(town) if user.has_perm("venues.book_directly", venue)]


def keepers_of(town):
    """Who may keep a venue of ``town``: its secretariat and the staff of its areas
    (the keeper decides requests, so it is someone who answers for the town's
    places). By pinyin; each person once."""
    staff = User.objects.filter(
        role_grants__town=town, role_grants__role__in=[Role.SECRETARIAT, Role.AREA_STAFF]
    )
    return User.objects.filter(
        pk__in=staff.values("pk"), is_active=True, deleted_at__isnull=True
    ).order_by("name_sort", "display_name", "pk")
