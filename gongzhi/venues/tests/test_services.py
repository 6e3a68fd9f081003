"""Booking a venue: who books directly, who asks, and every refusal (nothing stored)."""

from datetime import time

import pytest
from django.core.exceptions import PermissionDenied

from gongzhi.core.errors import DomainError
from gongzhi.core.testing import assert_nothing_written
from gongzhi.events import services as events
from gongzhi.meetings.tests.builders import make_meeting
from gongzhi.tests.factories import ActivityFactory, AreaFactory
from gongzhi.venues import services
from gongzhi.venues.models import Booking, BookingStatus

from .builders import at, make_venue, request_booking

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def book(venue, actor, start, end, **kwargs):
    return services.book_venue(
        venue=venue, actor=actor, starts_at=start, ends_at=end, purpose="议事会", **kwargs
    )


def test_area_staff_book_their_areas_venue_confirmed_at_once(hall, people):
    booking = book(hall, people["area_staff"], at(1, 14), at(1, 16))
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.decided_by == people["area_staff"]


def test_a_partner_asks_and_the_keeper_confirms(hall, people):
    keeper = people["resident"]
    hall.keeper = keeper
    hall.save()
    booking = request_booking(hall, people["partner"])
    assert booking.status == BookingStatus.REQUESTED
    services.confirm_booking(booking=booking, actor=keeper)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.decided_by == keeper


def test_requests_may_overlap_but_only_one_is_confirmed(hall, people):
    first = request_booking(hall, people["partner"])
    second = request_booking(hall, people["partner"], purpose="另一个小组")
    services.confirm_booking(booking=first, actor=people["area_staff"])
    with assert_nothing_written(), pytest.raises(DomainError, match="already booked"):
        services.confirm_booking(booking=second, actor=people["area_staff"])


def test_staff_of_another_area_ask_instead(town, hall, people, area_b):
    staff_b_venue = make_venue(town=town, area=area_b, name="二居活动室")
    booking = book(staff_b_venue, people["area_staff"], at(1, 9), at(1, 10))
    assert booking.status == BookingStatus.REQUESTED


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (at(1, 16), at(1, 15), "end after it starts"),
        (at(1, 7), at(1, 9), "opening hours"),
        (at(1, 20), at(1, 22), "opening hours"),
        (at(1, 20), at(2, 9), "opening hours"),
        (at(1, 14, 30), at(1, 15, 30), "already booked"),
        (at(1, 13), at(1, 17), "already booked"),
    ],
)
def test_refused_times_store_nothing(hall, people, start, end, message):
    book(hall, people["area_staff"], at(1, 14), at(1, 16))
    with assert_nothing_written(), pytest.raises(DomainError, match=message):
        book(hall, people["secretariat"], start, end)


def test_back_to_back_bookings_do_not_overlap(hall, people):
    book(hall, people["area_staff"], at(1, 14), at(1, 16))
    assert book(hall, people["area_staff"], at(1, 16), at(1, 17)).status == "confirmed"


def test_a_closed_weekday_is_refused(hall, people):
    start = at(1, 10)
    hall.open_days = "".join(d for d in "0123456" if d != str(start.weekday()))
    hall.save()
    with assert_nothing_written(), pytest.raises(DomainError, match="opening hours"):
        book(hall, people["area_staff"], start, at(1, 11))


def test_a_venue_of_another_town_is_refused(hall, people, other_town):
    with assert_nothing_written(), pytest.raises(DomainError, match="another town"):
        book(hall, people["area_staff"], at(1, 9), at(1, 10), town=other_town)
    activity = ActivityFactory(area=AreaFactory(town=other_town))
    with assert_nothing_written(), pytest.raises(DomainError, match="another town"):
        book(hall, people["area_staff"], at(1, 9), at(1, 10), activity=activity)


def test_a_venue_not_in_use_is_refused(hall, people):
    hall.active = False
    hall.save()
    with assert_nothing_written(), pytest.raises(DomainError, match="not in use"):
        book(hall, people["area_staff"], at(1, 9), at(1, 10))


@pytest.mark.parametrize("role", ["resident", "other_secretariat"])
def test_who_may_not_book_is_refused(hall, people, role):
    with assert_nothing_written(), pytest.raises(PermissionDenied):
        book(hall, people[role], at(1, 9), at(1, 10))


def test_an_empty_purpose_is_refused(hall, people):
    with assert_nothing_written(), pytest.raises(DomainError, match="purpose"):
        services.book_venue(
            venue=hall, actor=people["area_staff"], starts_at=at(1, 9), ends_at=at(1, 10),
            purpose="  ",
        )  # fmt: skip


def test_declining_needs_a_reason_and_the_keeper(hall, people):
    booking = request_booking(hall, people["partner"])
    with assert_nothing_written(), pytest.raises(DomainError, match="reason"):
        services.decline_booking(booking=booking, actor=people["area_staff"], reason=" ")
    with assert_nothing_written(), pytest.raises(PermissionDenied):
        services.decline_booking(booking=booking, actor=people["partner"], reason="不行")
    services.decline_booking(booking=booking, actor=people["area_staff"], reason="当天检修")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.DECLINED and booking.reason == "当天检修"
    with assert_nothing_written(), pytest.raises(DomainError, match="Only a requested"):
        services.confirm_booking(booking=booking, actor=people["area_staff"])


def test_the_requester_cancels_and_the_slot_is_free_again(hall, people):
    booking = book(hall, people["area_staff"], at(1, 9), at(1, 10))
    services.cancel_booking(booking=booking, actor=people["area_staff"])
    with assert_nothing_written(), pytest.raises(DomainError, match="already declined"):
        services.cancel_booking(booking=booking, actor=people["area_staff"])
    assert book(hall, people["secretariat"], at(1, 9), at(1, 10)).status == "confirmed"


def test_an_activity_books_its_venue_or_is_not_created(town, area_a, hall, people):
    staff = people["area_staff"]
    fields = {
        "kind": "workshop", "title": "议事规则工作坊", "venue": "", "area": area_a,
        "starts_at": at(3, 14), "ends_at": at(3, 16),
    }  # fmt: skip
    activity = events.create_activity(town=town, actor=staff, booked_venue=hall, **fields)
    booking = Booking.objects.get(activity=activity)
    assert booking.status == "confirmed" and booking.venue == hall
    with assert_nothing_written(), pytest.raises(DomainError, match="already booked"):
        events.create_activity(town=town, actor=staff, booked_venue=hall, **fields)


def test_a_meeting_books_its_venue_only_if_the_person_may_book_directly(
    town, area_a, area_b, people
):
    venue_b = make_venue(town=town, area=area_b, name="二居活动室")
    with assert_nothing_written(), pytest.raises(DomainError, match="directly"):
        make_meeting(
            town=town, area=area_a, actor=people["area_staff"], booked_venue=venue_b,
            starts_at=at(2, 9), ends_at=at(2, 10),
        )  # fmt: skip


def test_create_venue_checks_its_facts(town, area_a, people):
    secretary = people["secretariat"]
    venue = services.create_venue(
        town=town, actor=secretary, area=area_a, name="站长工作室", kind="studio", capacity=12,
        opens_at=time(9), closes_at=time(17), open_days="01234",
    )  # fmt: skip
    assert venue.open_weekdays[0] in ("星期一", "Monday")
    for bad, message in [
        ({"name": "站长工作室"}, "already has a venue"),
        ({"closes_at": time(8)}, "close after"),
        ({"open_days": "9"}, "weekdays"),
    ]:
        fields = {"name": "新场地", "kind": "room", "capacity": 10, "opens_at": time(9),
                  "closes_at": time(17)} | bad  # fmt: skip
        with assert_nothing_written(), pytest.raises(DomainError, match=message):
            services.create_venue(town=town, actor=secretary, **fields)
    with assert_nothing_written(), pytest.raises(PermissionDenied):
        services.create_venue(
            town=town, actor=people["partner"], name="x", kind="room", capacity=1,
            opens_at=time(9), closes_at=time(17),
        )  # fmt: skip


def test_a_cancelled_meeting_frees_its_venue(town, area_a, hall, people):
    from gongzhi.meetings.services import cancel_meeting

    staff = people["area_staff"]
    meeting = make_meeting(
        town=town, area=area_a, actor=staff, booked_venue=hall, starts_at=at(2, 9),
        ends_at=at(2, 10),
    )  # fmt: skip
    cancel_meeting(meeting=meeting, actor=staff, reason="台风")
    assert Booking.objects.get(meeting=meeting).status == BookingStatus.CANCELLED
    assert book(hall, staff, at(2, 9), at(2, 10)).status == BookingStatus.CONFIRMED
