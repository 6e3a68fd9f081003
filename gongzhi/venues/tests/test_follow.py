"""A booking follows what it is for: the activity's and the meeting's pages link the
venue they booked; a meeting whose time changes moves its booking (or the change is
refused whole); cancelling frees the slot. The keeper is told of a request, and the
requests wait in the 待办 of the keeper and of those who may decide them."""

import pytest
from django.urls import reverse

from gongzhi.core.errors import DomainError
from gongzhi.core.models import AuditEvent, Notification
from gongzhi.core.testing import assert_nothing_written
from gongzhi.core.todo import sections_for
from gongzhi.events import services as events
from gongzhi.meetings import services as meetings
from gongzhi.meetings.tests.builders import make_meeting
from gongzhi.tests.factories import ActivityFactory, RoleGrantFactory, UserFactory
from gongzhi.venues import services
from gongzhi.venues.models import Booking, BookingStatus

from .builders import at, make_venue, request_booking

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def booked_meeting(town, area, venue, actor, *, day=2, hour=9):
    return make_meeting(
        town=town, area=area, actor=actor, booked_venue=venue, starts_at=at(day, hour),
        ends_at=at(day, hour + 1), venue="",
    )  # fmt: skip


# --- 3. Pages link the booked venue -------------------------------------------------


def test_the_meeting_page_links_its_booked_venue(client_for, town, area_a, hall, people):
    meeting = booked_meeting(town, area_a, hall, people["area_staff"])
    url = reverse("meetings:meeting", args=[town.slug, meeting.pk])
    client = client_for("area_staff")
    assert (
        f'<a href="{hall.get_absolute_url()}">{hall.name}</a>' in client.get(url).content.decode()
    )
    services.release_bookings(actor=people["area_staff"], meeting=meeting)
    assert hall.get_absolute_url() not in client.get(url).content.decode()


def test_the_activity_page_links_its_booked_venue(client, town, area_a, hall, people):
    activity = events.create_activity(
        town=town, actor=people["area_staff"], booked_venue=hall, kind="workshop",
        title="议事规则工作坊", venue="", area=area_a, starts_at=at(3, 14), ends_at=at(3, 16),
    )  # fmt: skip
    events.publish_activity(activity=activity, actor=people["area_staff"])
    page = client.get(activity.get_absolute_url()).content.decode()
    assert f'<a href="{hall.get_absolute_url()}">{hall.name}</a>' in page
    unbooked = ActivityFactory(area=area_a, venue=hall.name)
    assert hall.get_absolute_url() not in client.get(unbooked.get_absolute_url()).content.decode()


# --- 4. Moving and releasing ----------------------------------------------------------


def test_a_meeting_moved_in_time_moves_its_booking(town, area_a, hall, people):
    staff = people["area_staff"]
    meeting = booked_meeting(town, area_a, hall, staff)
    meetings.update_meeting(meeting=meeting, actor=staff, starts_at=at(4, 14), ends_at=at(4, 16))
    booking = Booking.objects.get(meeting=meeting)
    assert (booking.starts_at, booking.ends_at, booking.status) == (
        at(4, 14), at(4, 16), BookingStatus.CONFIRMED
    )  # fmt: skip
    assert AuditEvent.objects.filter(verb="booking.move", target_id=str(booking.pk)).exists()
    # The old slot is free again.
    services.book_venue(venue=hall, actor=staff, starts_at=at(2, 9), ends_at=at(2, 10),
                        purpose="议事会")  # fmt: skip


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (at(5, 9, 30), at(5, 10, 30), "already booked"),
        (at(4, 20), at(4, 22), "opening hours"),
    ],
)
def test_a_meeting_moved_onto_a_taken_or_closed_time_is_not_changed_at_all(
    town, area_a, hall, people, start, end, message
):
    staff = people["area_staff"]
    meeting = booked_meeting(town, area_a, hall, staff)
    services.book_venue(venue=hall, actor=staff, starts_at=at(5, 9), ends_at=at(5, 10),
                        purpose="另一个会")  # fmt: skip
    with assert_nothing_written(), pytest.raises(DomainError, match=message):
        meetings.update_meeting(meeting=meeting, actor=staff, starts_at=start, ends_at=end)


def test_the_edit_page_answers_a_taken_time_with_the_clash_message(
    english_client_for, town, area_a, hall, people
):
    staff = people["area_staff"]
    meeting = booked_meeting(town, area_a, hall, staff)
    services.book_venue(venue=hall, actor=staff, starts_at=at(5, 9), ends_at=at(5, 10),
                        purpose="另一个会")  # fmt: skip
    data = {
        "kind": meeting.kind, "title": meeting.title, "area": area_a.pk, "venue": hall.name,
        "starts_at": at(5, 9).strftime("%Y-%m-%d %H:%M"),
        "ends_at": at(5, 10).strftime("%Y-%m-%d %H:%M"), "decision_rule": "majority",
        "second_required": "on", "speech_minutes": "2", "speeches_per_person": "2",
    }  # fmt: skip
    url = reverse("meetings:edit_meeting", args=[town.slug, meeting.pk])
    with assert_nothing_written():
        response = english_client_for("area_staff").post(url, data)
    assert response.status_code == 400
    assert "The venue is already booked from" in response.content.decode()


def test_a_meeting_booking_another_venue_frees_the_one_it_held(town, area_a, hall, people):
    staff = people["area_staff"]
    studio = make_venue(town=town, area=area_a, name="站长工作室")
    meeting = booked_meeting(town, area_a, hall, staff)
    meetings.update_meeting(meeting=meeting, actor=staff, booked_venue=studio, venue="")
    held = dict(Booking.objects.filter(meeting=meeting).values_list("venue_id", "status"))
    assert held == {hall.pk: "cancelled", studio.pk: "confirmed"}
    # Choosing the venue it already holds books nothing twice.
    meetings.update_meeting(meeting=meeting, actor=staff, booked_venue=studio, venue="")
    assert Booking.objects.filter(meeting=meeting, status="confirmed").count() == 1


def test_an_activitys_bookings_move_and_are_released(town, area_a, hall, people):
    """Activities cannot yet be edited or cancelled in the product; the two calls
    their services will make are ready."""
    staff = people["area_staff"]
    activity = ActivityFactory(area=area_a)
    services.book_venue(venue=hall, actor=staff, starts_at=at(2, 9), ends_at=at(2, 10),
                        purpose="x", activity=activity)  # fmt: skip
    services.book_venue(venue=hall, actor=staff, starts_at=at(3, 9), ends_at=at(3, 10),
                        purpose="y")  # fmt: skip
    with assert_nothing_written(), pytest.raises(DomainError, match="already booked"):
        services.move_bookings(actor=staff, activity=activity, starts_at=at(3, 9),
                               ends_at=at(3, 11))  # fmt: skip
    assert services.move_bookings(
        actor=staff, activity=activity, starts_at=at(2, 10), ends_at=at(2, 12)
    ) == 1  # fmt: skip
    assert services.release_bookings(actor=staff, activity=activity) == 1
    assert Booking.objects.get(activity=activity).status == BookingStatus.CANCELLED


def test_a_cancelled_meeting_releases_its_booking_through_the_page(
    client_for, town, area_a, hall, people
):
    meeting = booked_meeting(town, area_a, hall, people["area_staff"])
    url = reverse("meetings:cancel_meeting", args=[town.slug, meeting.pk])
    client_for("area_staff").post(url, {"reason": "台风"})
    assert Booking.objects.get(meeting=meeting).status == BookingStatus.CANCELLED


# --- 5. The keeper is told, and the request waits in 待办 -----------------------------


@pytest.fixture
def kept_hall(hall, town, area_b):
    """Area A's hall, kept by a member of area B's staff."""
    keeper = UserFactory(display_name="孙站长")
    RoleGrantFactory(user=keeper, town=town, role="area_staff", areas=[area_b])
    hall.keeper = keeper
    hall.save()
    return hall


def test_the_keeper_is_told_of_a_request_and_of_nothing_else(
    kept_hall, people, django_capture_on_commit_callbacks
):
    keeper = kept_hall.keeper
    with django_capture_on_commit_callbacks(execute=True):
        request_booking(kept_hall, people["partner"], purpose="读书会")
    note = Notification.objects.get(user=keeper, kind="venues.requested")
    assert "读书会" in note.message and kept_hall.name in note.message
    assert note.url == kept_hall.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        # Booked directly: confirmed at once, nothing to decide.
        services.book_venue(venue=kept_hall, actor=people["area_staff"], starts_at=at(3, 9),
                            ends_at=at(3, 10), purpose="议事会")  # fmt: skip
    assert Notification.objects.filter(user=keeper).count() == 1


def test_open_requests_wait_in_the_todo_of_the_keeper_and_the_deciders(
    kept_hall, town, area_b, people, client_for
):
    booking = request_booking(kept_hall, people["partner"], purpose="读书会")
    keeper = kept_hall.keeper
    other_area_staff = UserFactory()
    RoleGrantFactory(user=other_area_staff, town=town, role="area_staff", areas=[area_b])
    for user, waits in [
        (keeper, 1),
        (people["area_staff"], 1),
        (people["secretariat"], 1),
        (other_area_staff, 0),
        (people["other_secretariat"], 0),
    ]:
        assert venue_section_count(user) == waits, user
    page = client_for("secretariat").get(reverse("todo")).content.decode()
    assert "读书会" in page and kept_hall.get_absolute_url() in page
    section = next(s for s in sections_for(keeper) if s["key"] == "venues.requests")
    assert section["count"] == 1 and "读书会" in section["rows"][0]["title"]
    services.confirm_booking(booking=booking, actor=keeper)
    assert venue_section_count(keeper) == 0


def venue_section_count(user) -> int:
    return next((s["count"] for s in sections_for(user) if s["key"] == "venues.requests"), 0)
