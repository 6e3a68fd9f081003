"""A venue's use, counted from records by month: hours booked (confirmed bookings),
activities and meetings held there, and person-times at the activities held there
(attendance records, plus walk-in head counts)."""

from dataclasses import dataclass, field

from django.db.models import Count, DurationField, ExpressionWrapper, F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from gongzhi.core.counting import Span, added, grouped, month_key, per_month

from .models import Booking, BookingStatus

_LENGTH = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())


def used(venues, period: Span):
    """Confirmed bookings of ``venues`` (a queryset or list) that started in the period,
    up to now: what was used, not what is planned."""
    return Booking.objects.filter(
        venue__in=venues,
        status=BookingStatus.CONFIRMED,
        starts_at__gte=period.first_moment,
        starts_at__lt=period.after_moment,
        starts_at__lte=timezone.now(),
    )


def _seconds(value) -> float:
    """A summed length in seconds (a timedelta; microseconds where a backend gives a number)."""
    if not value:
        return 0.0
    return value.total_seconds() if hasattr(value, "total_seconds") else value / 1_000_000


def _hours(value) -> float:
    return round(_seconds(value) / 3600, 1)


def hours_booked(venues, period: Span) -> float:
    """Hours of the confirmed bookings used in the period. One query."""
    return _hours(used(venues, period).aggregate(total=Sum(_LENGTH))["total"])


@dataclass
class VenueUse:
    """Per month ("YYYY-MM"): hours booked, activities and meetings held, person-times."""

    months: list[dict] = field(default_factory=list)

    @property
    def totals(self) -> dict:
        keys = ("hours", "activities", "meetings", "person_times")
        return {key: round(sum(row[key] for row in self.months), 1) for key in keys}


def venue_use(venue, period: Span) -> VenueUse:
    """The venue's use by month over the period. Five queries."""
    bookings = used([venue], period)
    hours: dict = {}
    for moment, row in grouped(bookings, TruncMonth("starts_at"), n=Sum(_LENGTH)).items():
        if moment is not None:
            month = month_key(moment)
            hours[month] = hours.get(month, 0) + _seconds(row["n"])
    activities = per_month(bookings.filter(activity__isnull=False), "starts_at",
                           Count("activity", distinct=True))  # fmt: skip
    meetings = per_month(bookings.filter(meeting__isnull=False), "starts_at",
                         Count("meeting", distinct=True))  # fmt: skip
    attendances = per_month(bookings.filter(activity__attendances__isnull=False), "starts_at",
                            Count("activity__attendances"))  # fmt: skip
    walk_ins = per_month(bookings.filter(activity__walk_ins__isnull=False), "starts_at",
                         Sum("activity__walk_ins__count"))  # fmt: skip
    person_times = added(attendances, walk_ins)
    months = sorted(set(hours) | set(activities) | set(meetings) | set(person_times))
    return VenueUse(
        months=[
            {
                "month": month,
                "hours": round(hours.get(month, 0) / 3600, 1),
                "activities": activities.get(month, 0),
                "meetings": meetings.get(month, 0),
                "person_times": person_times.get(month, 0),
            }
            for month in months
        ]
    )


@dataclass(frozen=True)
class Year:
    """A calendar year as a period (the ``Span`` shape), in the town's local time."""

    year: int

    @property
    def start(self):
        from datetime import date

        return date(self.year, 1, 1)

    @property
    def end(self):
        from datetime import date

        return date(self.year, 12, 31)

    @property
    def first_moment(self):
        from datetime import datetime

        return timezone.make_aware(datetime(self.year, 1, 1))

    @property
    def after_moment(self):
        from datetime import datetime

        return timezone.make_aware(datetime(self.year + 1, 1, 1))


def last_year_of_use(venue) -> int:
    """The year of the venue's latest confirmed booking up to now, else this year."""
    latest = (
        venue.bookings.confirmed()
        .filter(starts_at__lte=timezone.now())
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return timezone.localtime(latest).year if latest else timezone.localdate().year
