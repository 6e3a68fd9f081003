"""一客一厅 at 逸景佳苑: the station-master's studio (站长工作室) and the deliberation
hall (逸致议事厅) in the register, and their year of use: every activity and meeting
the demo holds at the hall is booked there (through the booking service, so that a
demo slot that overlaps another or lies outside opening hours is left out, as it
would be refused), and the studio's weekly reception afternoons of 2023."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from gongzhi.core.errors import DomainError
from gongzhi.events.models import Activity
from gongzhi.meetings.models import Meeting, MeetingStatus
from gongzhi.places.models import ResidentialArea
from gongzhi.venues import services
from gongzhi.venues.models import Venue, VenueKind

from .meetings import YEAR

HALL = "逸致议事厅"
STUDIO = "站长工作室"


def _venues(town, area, keeper, secretariat) -> tuple[Venue, Venue]:
    existing = {v.name: v for v in Venue.objects.filter(town=town, name__in=[HALL, STUDIO])}
    if HALL not in existing:
        existing[HALL] = services.create_venue(
            town=town, actor=secretariat, area=area, name=HALL, kind=VenueKind.HALL,
            capacity=60, address="逸景佳苑居委会二楼", step_free=True, accessible_toilet=True,
            hearing_loop=False, accessibility_notes="电梯直达二楼；可借用轮椅一辆",
            equipment="投影仪、音响两套、白板、可移动桌椅（可拼成五张世界咖啡馆桌）",
            opens_at=time(8), closes_at=time(21, 30), keeper=keeper,
        )  # fmt: skip
    if STUDIO not in existing:
        existing[STUDIO] = services.create_venue(
            town=town, actor=secretariat, area=area, name=STUDIO, kind=VenueKind.STUDIO,
            capacity=12, address="逸景佳苑小区南门旁", step_free=True, accessible_toilet=False,
            hearing_loop=False, accessibility_notes="门口有坡道；无障碍卫生间在居委会一楼",
            equipment="接待桌、茶水、社区地图展板", opens_at=time(9), closes_at=time(20),
            open_days="0123456", keeper=keeper,
        )  # fmt: skip
    return existing[HALL], existing[STUDIO]


def _book(venue, actor, starts_at, ends_at, purpose, **link) -> bool:
    try:
        services.book_venue(
            venue=venue, actor=actor, starts_at=starts_at, ends_at=ends_at, purpose=purpose,
            **link,
        )  # fmt: skip
    except DomainError:
        return False
    return True


def seed(town, area_staff, secretariat) -> int:
    """Idempotent: what is booked stays, and nothing is booked twice. Returns the
    number of bookings made."""
    area = ResidentialArea.objects.get(town=town, code="01")
    hall, studio = _venues(town, area, area_staff, secretariat)
    made = 0
    booked_activities = set(hall.bookings.values_list("activity_id", flat=True))
    for activity in (
        Activity.objects.filter(town=town, venue=HALL)
        .exclude(pk__in=booked_activities)
        .exclude(status="cancelled")
        .order_by("starts_at", "pk")
    ):
        made += _book(hall, secretariat, activity.starts_at, activity.ends_at, activity.title,
                      activity=activity)  # fmt: skip
    booked_meetings = set(hall.bookings.values_list("meeting_id", flat=True))
    for meeting in (
        Meeting.objects.filter(town=town, venue=HALL)
        .exclude(pk__in=booked_meetings)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at", "pk")
    ):
        made += _book(hall, secretariat, meeting.starts_at, meeting.ends_at, meeting.title,
                      meeting=meeting)  # fmt: skip
    # The studio: the station master receives residents every Wednesday afternoon.
    if not studio.bookings.exists():
        day = date(YEAR, 1, 4)
        while day.year == YEAR:
            start = timezone.make_aware(datetime.combine(day, time(14)))
            made += _book(studio, secretariat, start, start + timedelta(hours=2), "站长接待日")
            day += timedelta(days=7)
    return made
