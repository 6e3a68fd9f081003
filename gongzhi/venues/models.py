"""Venues of the register (一客一厅: a station-master's studio, a deliberation hall ...)
and their bookings.

Only *confirmed* bookings hold a slot: two confirmed bookings of one venue never
overlap (on PostgreSQL an exclusion constraint over the time range, added by the
migration; on SQLite the service's check inside its write transaction). Requests may
overlap one another: the keeper chooses which to confirm, and confirming one that
overlaps a confirmed booking is refused.
"""

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.fields import area_link, person_link, town_link
from gongzhi.core.models import TimeStampedModel
from gongzhi.core.pinyin import PinyinSorted
from gongzhi.core.scope import Scoped


class VenueKind(models.TextChoices):
    STUDIO = "studio", _("Station-master's studio")
    HALL = "hall", _("Deliberation hall")
    ROOM = "room", _("Community-centre room")
    OUTDOOR = "outdoor", _("Outdoor space")
    OTHER = "other", _("Other venue")


class Weekday(models.TextChoices):
    MON = "0", _("Monday")
    TUE = "1", _("Tuesday")
    WED = "2", _("Wednesday")
    THU = "3", _("Thursday")
    FRI = "4", _("Friday")
    SAT = "5", _("Saturday")
    SUN = "6", _("Sunday")


ALL_WEEK = "".join(Weekday.values)


class VenueQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Venue(Scoped, PinyinSorted, TimeStampedModel):
    town = town_link(related_name="venues")
    area = area_link(
        related_name="venues", optional=True, help_text=_("Empty for a town-wide venue.")
    )
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=VenueKind.choices)
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    address = models.CharField(_("address"), max_length=120, blank=True)
    step_free = models.BooleanField(_("step-free access"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accessibility_notes = models.CharField(
        _("other accessibility facts"), max_length=200, blank=True
    )
    equipment = models.TextField(_("equipment"), blank=True)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))
    open_days = models.CharField(
        _("open on"),
        max_length=7,
        default=ALL_WEEK,
        help_text=_("The weekdays it is open, Monday = 0."),
    )
    keeper = person_link(_("keeper"), related_name="kept_venues", optional=True)
    photo = models.ImageField(_("photo"), upload_to="venues/%Y/%m/", blank=True)
    active = models.BooleanField(_("in use"), default=True)

    objects = VenueQuerySet.as_manager()

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["town", "name_sort", "name"]
        constraints = [
            models.UniqueConstraint(fields=["town", "name"], name="venue_name_unique_in_town"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="venue_closes_after_opening"
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="venue_capacity_positive"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("venues:venue", args=[self.town.slug, self.pk])

    @property
    def open_weekdays(self) -> list[str]:
        """The names of the days it is open, Monday first."""
        return [str(label) for value, label in Weekday.choices if value in self.open_days]

    @property
    def open_days_text(self) -> str:
        """ "Every day", or the days it is open."""
        if set(self.open_days) >= set(Weekday.values):
            return str(_("Every day"))
        return "、".join(self.open_weekdays)

    def is_open(self, starts_at: datetime, ends_at: datetime) -> bool:
        """Whether the whole of [starts_at, ends_at) lies in one local day's opening hours."""
        start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
        return (
            start.date() == end.date()
            and str(start.weekday()) in self.open_days
            and self.opens_at <= start.time()
            and end.time() <= self.closes_at
        )


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


# Where a booking may go from each status (read by the services and the venue page).
BOOKING_TRANSITIONS: dict[str, set[str]] = {
    BookingStatus.REQUESTED: {
        BookingStatus.CONFIRMED,
        BookingStatus.DECLINED,
        BookingStatus.CANCELLED,
    },
    BookingStatus.CONFIRMED: {BookingStatus.CANCELLED},
    BookingStatus.DECLINED: set(),
    BookingStatus.CANCELLED: set(),
}
# The statuses that hold (or ask for) the venue's time.
LIVE = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED)


class BookingQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=BookingStatus.CONFIRMED)

    def live(self):
        """Requested or confirmed, of a venue in use, with the venue and its town (for
        the link to the venue's page: ``activity.bookings.live.first`` in a template)."""
        return (
            self.filter(status__in=LIVE, venue__active=True)
            .select_related("venue__town")
            .order_by("starts_at", "pk")
        )

    def overlapping(self, starts_at, ends_at):
        """Bookings whose time shares a moment with [starts_at, ends_at)."""
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class Booking(Scoped, TimeStampedModel):
    """A venue's time asked for or held. Linked to the activity or meeting it is for
    (by reference only: venues comes before events and meetings, and imports neither)."""

    scope_parent = "venue"

    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="bookings"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    purpose = models.CharField(_("purpose"), max_length=100)
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.REQUESTED
    )
    requested_by = person_link(_("requested by"))
    decided_by = person_link(_("decided by"), optional=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    activity = models.ForeignKey(
        "events.Activity",
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["venue", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(activity__isnull=True) | Q(meeting__isnull=True),
                name="booking_for_one_thing_at_most",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(reason=""),
                name="declined_booking_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.venue} · {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def audit_label(self) -> str:
        return f"booking #{self.pk} of {self.venue.name}"

    def may_become(self, status: str) -> bool:
        return status in BOOKING_TRANSITIONS[self.status]

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600
