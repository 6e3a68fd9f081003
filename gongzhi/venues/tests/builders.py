"""Building venues and bookings for tests."""

import io
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gongzhi.venues import services
from gongzhi.venues.models import Venue, VenueKind


def make_venue(*, town, area=None, name="逸致议事厅", **fields) -> Venue:
    """A venue open every day 08:00–21:00 (made directly: tests of the venue itself go
    through create_venue)."""
    values = {
        "kind": VenueKind.HALL,
        "capacity": 40,
        "opens_at": time(8),
        "closes_at": time(21),
        "step_free": True,
    }
    values.update(fields)
    return Venue.objects.create(town=town, area=area, name=name, **values)


def at(days: int, hour: int, minute: int = 0) -> datetime:
    """A local moment ``days`` from today at ``hour``:``minute``."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def request_booking(venue, user, *, days=2, hour=10, hours=1, purpose="小组讨论"):
    return services.book_venue(
        venue=venue, actor=user, starts_at=at(days, hour), ends_at=at(days, hour + hours),
        purpose=purpose,
    )  # fmt: skip


def venue_world(*, town, area_a, area_b, people) -> dict:
    """For the permission matrix: a venue in each area, each with a request by the
    partner awaiting its decision."""
    venue_a = make_venue(town=town, area=area_a, name="逸致议事厅")
    venue_b = make_venue(town=town, area=area_b, name="二居活动室", kind=VenueKind.ROOM)
    return {
        "venue_a": venue_a.pk,
        "venue_b": venue_b.pk,
        "venue_request_a": request_booking(venue_a, people["partner"]).pk,
        "venue_request_b": request_booking(venue_b, people["partner"]).pk,
    }


def png(name="hall.png", *, gps=True) -> SimpleUploadedFile:
    """A small PNG photo, by default with a GPS position in its EXIF data."""
    image = Image.new("RGB", (40, 30), (180, 120, 60))
    exif = Image.Exif()
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: (31.0, 18.0, 5.5), 3: "E", 4: (121.0, 27.0, 3.0)})
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def venue_form_data(**changes) -> dict:
    """What the register page sends for a plain venue (every field a person fills)."""
    data = {
        "name": "社区睦邻中心活动室",
        "kind": "room",
        "capacity": "30",
        "address": "长宁路1号",
        "step_free": "on",
        "accessibility_notes": "电梯直达二楼",
        "equipment": "投影仪",
        "opens_at": "08:30",
        "closes_at": "20:00",
        "open_days": list("01234"),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
