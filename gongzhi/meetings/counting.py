"""The meeting figures, counted from records. Labels, rules in words and links are
the reports' (reports/figures.py)."""

from django.utils import timezone

from gongzhi.core.counting import Span, Tally, in_area, tally

from .models import Attendee, Meeting, MeetingStatus


def held(town, period: Span, area=None):
    """Meetings of every kind that started in the period, up to now (what has
    happened, not what is planned), and were not cancelled."""
    return Meeting.objects.filter(
        town=town,
        starts_at__gte=period.first_moment,
        starts_at__lt=period.after_moment,
        starts_at__lte=timezone.now(),
        **in_area(area),
    ).exclude(status=MeetingStatus.CANCELLED)


def meetings(town, period: Span, area=None) -> Tally:
    """The ``held`` meetings by kind and by month; for the whole town also by area
    (town-wide meetings count for the town only). Two or three queries."""
    return tally(held(town, period, area), "kind", month="starts_at", areas=area is None)


def present(town, period: Span, area=None) -> int:
    """Person-times present at the ``held`` meetings: attendee records marked
    present. One query."""
    return Attendee.objects.filter(meeting__in=held(town, period, area), present=True).count()
