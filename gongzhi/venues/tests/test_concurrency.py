"""Two people book the same slot at the same instant (PostgreSQL only): exactly one
wins; the other gets the check's message, and the exclusion constraint holds even
without the service's check."""

import pytest
from django.db import IntegrityError, transaction

from gongzhi.core.testing import all_at_once
from gongzhi.venues import services
from gongzhi.venues.models import Booking, BookingStatus

from .builders import at, make_venue

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgresql_only"),
]


def test_two_bookings_of_one_slot_at_once_leave_one(town, area_a, people):
    hall = make_venue(town=town, area=area_a)
    actors = [people["area_staff"], people["secretariat"]]

    def book(actor):
        services.book_venue(
            venue=hall, actor=actor, starts_at=at(1, 14), ends_at=at(1, 16), purpose="议事会"
        )

    outcomes = all_at_once(book, actors)
    assert sorted(outcomes) == ["ok", "refused"]
    assert hall.bookings.confirmed().count() == 1


def test_the_exclusion_constraint_refuses_overlaps_written_past_the_service(town, area_a, people):
    hall = make_venue(town=town, area=area_a)
    fields = {"venue": hall, "purpose": "x", "requested_by": people["secretariat"],
              "status": BookingStatus.CONFIRMED}  # fmt: skip
    Booking.objects.create(starts_at=at(1, 14), ends_at=at(1, 16), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(starts_at=at(1, 15), ends_at=at(1, 17), **fields)
    # Back to back is allowed ('[)' ranges), and so are requests over a confirmed slot.
    Booking.objects.create(starts_at=at(1, 16), ends_at=at(1, 17), **fields)
    Booking.objects.create(starts_at=at(1, 14), ends_at=at(1, 16),
                           **(fields | {"status": BookingStatus.REQUESTED}))  # fmt: skip
