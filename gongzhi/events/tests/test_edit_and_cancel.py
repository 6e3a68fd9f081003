"""Staff change an activity before it ends, or call it off with a reason.

A new time moves its venue booking (or the whole change is refused with the clash);
another venue frees the one it held; capacity never drops below those signed up;
those signed up or waiting are told of a new time or place, and of a cancellation.
A cancelled activity says so on its page and takes no sign-ups or check-ins.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from gongzhi.conftest import clients_for
from gongzhi.core.errors import DomainError
from gongzhi.core.models import AuditEvent, Notification, SmsMessage
from gongzhi.core.notifications import get_kind
from gongzhi.core.testing import database_snapshot, snapshot_changes
from gongzhi.events import services
from gongzhi.events.models import Activity, ActivityStatus, Registration, RegistrationStatus
from gongzhi.tests.factories import ActivityFactory, UserFactory
from gongzhi.venues.models import Booking, BookingStatus
from gongzhi.venues.tests.builders import at, make_venue


@pytest.fixture(autouse=True)
def _english():
    """The services' messages in English (their Chinese is merged by the lead); pages
    are read in the language each test's client asks for."""
    with translation.override("en"):
        yield


@pytest.fixture
def staff(people):
    return people["area_staff"]


@pytest.fixture
def hall(town, area_a):
    return make_venue(town=town, area=area_a, name="逸致议事厅")


@pytest.fixture
def booked(town, area_a, staff, hall):
    """A published activity in two days, 10:00–12:00, with the hall booked for it."""
    activity = services.create_activity(
        town=town, actor=staff, area=area_a, kind="workshop", title="花园共建",
        venue="", starts_at=at(2, 10), ends_at=at(2, 12), capacity=None, booked_venue=hall,
    )  # fmt: skip
    return services.publish_activity(activity=activity, actor=staff)


def signed_up(activity, *statuses):
    """One person per status, signed up directly (the sign-up rules are not tested
    here); returns their registrations."""
    return [
        Registration.objects.create(activity=activity, user=UserFactory(), status=status)
        for status in statuses
    ]


def live_bookings(activity):
    return list(
        Booking.objects.filter(activity=activity, status=BookingStatus.CONFIRMED).values_list(
            "venue__name", "starts_at", "ends_at"
        )
    )


def told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("user", flat=True))


# --- Changing --------------------------------------------------------------------------


def test_staff_change_the_details_and_the_trail_keeps_before_and_after(booked, staff):
    services.update_activity(
        activity=booked,
        actor=staff,
        title="  花园共建（第二次）",
        description="带手套",
        capacity=30,
    )
    booked.refresh_from_db()
    assert (booked.title, booked.description, booked.capacity) == (
        "花园共建（第二次）",
        "带手套",
        30,
    )
    event = AuditEvent.objects.get(verb="activity.update")
    assert event.before == {"capacity": None, "description": "", "title": "花园共建"}
    assert event.after["title"] == "花园共建（第二次）"


def test_a_new_time_moves_its_venue_booking(booked, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.update_activity(
            activity=booked, actor=staff, starts_at=at(3, 14), ends_at=at(3, 16)
        )
    assert live_bookings(booked) == [("逸致议事厅", at(3, 14), at(3, 16))]
    assert AuditEvent.objects.filter(verb="booking.move").count() == 1


def test_a_time_taken_at_the_venue_is_refused_with_the_clash_and_nothing_changes(
    booked, staff, hall, town, area_a, django_capture_on_commit_callbacks
):
    other = ActivityFactory(area=area_a, starts_at=at(3, 14), ends_at=at(3, 15))
    Booking.objects.create(
        venue=hall, starts_at=at(3, 14), ends_at=at(3, 15), purpose="读书会",
        requested_by=staff, status=BookingStatus.CONFIRMED, activity=other,
    )  # fmt: skip
    signed_up(booked, RegistrationStatus.REGISTERED)
    before = database_snapshot()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(DomainError, match="already booked from"),
    ):
        services.update_activity(
            activity=booked, actor=staff, title="改了", starts_at=at(3, 13), ends_at=at(3, 16)
        )
    assert snapshot_changes(before, database_snapshot()) == []


def test_another_venue_frees_the_old_one_and_books_the_new(
    booked, staff, town, area_a, django_capture_on_commit_callbacks
):
    room = make_venue(town=town, area=area_a, name="二楼活动室")
    (person,) = signed_up(booked, RegistrationStatus.REGISTERED)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_activity(
            activity=booked, actor=staff, venue="逸致议事厅", booked_venue=room
        )
    booked.refresh_from_db()
    # The place's text followed the booking, since it only named the old venue.
    assert booked.venue == "二楼活动室"
    assert live_bookings(booked) == [("二楼活动室", at(2, 10), at(2, 12))]
    assert Booking.objects.get(activity=booked, venue__name="逸致议事厅").status == "cancelled"
    assert told("events.changed") == {person.user_id}


def test_no_venue_gives_its_booking_up(booked, staff):
    services.update_activity(activity=booked, actor=staff, venue="小区广场", booked_venue=None)
    assert live_bookings(booked) == []


@pytest.mark.parametrize("state", ["cancelled", "ended"])
def test_a_cancelled_or_ended_activity_is_not_changed(area_a, staff, state):
    if state == "cancelled":
        activity = ActivityFactory(area=area_a, status=ActivityStatus.CANCELLED)
        message = "cancelled"
    else:
        start = timezone.now() - timedelta(days=1)
        activity = ActivityFactory(area=area_a, starts_at=start)
        message = "ended"
    with pytest.raises(DomainError, match=message):
        services.update_activity(activity=activity, actor=staff, title="新标题")
    activity.refresh_from_db()
    assert activity.title != "新标题"


def test_a_time_that_has_passed_or_ends_before_it_starts_is_refused(booked, staff):
    with pytest.raises(DomainError, match="already passed"):
        services.update_activity(
            activity=booked, actor=staff, starts_at=at(-2, 10), ends_at=at(-2, 12)
        )
    with pytest.raises(DomainError, match="must end after it starts"):
        services.update_activity(activity=booked, actor=staff, ends_at=at(2, 9))


def test_capacity_below_those_signed_up_is_refused(booked, staff):
    signed_up(booked, *[RegistrationStatus.REGISTERED] * 3, RegistrationStatus.CANCELLED)
    with pytest.raises(DomainError, match="3 people are already signed up, more than 2 places"):
        services.update_activity(activity=booked, actor=staff, capacity=2)
    booked.refresh_from_db()
    assert booked.capacity is None
    services.update_activity(activity=booked, actor=staff, capacity=3)
    booked.refresh_from_db()
    assert booked.capacity == 3


def test_more_places_let_in_the_waiting_list(booked, staff, django_capture_on_commit_callbacks):
    services.update_activity(activity=booked, actor=staff, capacity=1)
    first, second, third = signed_up(
        booked,
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.WAITLISTED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.update_activity(activity=booked, actor=staff, capacity=2)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("registered", "waitlisted")
    assert told("events.place_free") == {second.user_id}


def test_those_signed_up_or_waiting_are_told_of_a_new_time_not_of_other_changes(
    booked, staff, django_capture_on_commit_callbacks
):
    services.update_activity(activity=booked, actor=staff, capacity=1)
    registered, waiting, cancelled = signed_up(
        booked,
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.CANCELLED,
    )
    Registration.objects.filter(pk=registered.pk).update(reminded_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        services.update_activity(activity=booked, actor=staff, description="带手套")
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_activity(
            activity=booked, actor=staff, starts_at=at(4, 9), ends_at=at(4, 11)
        )
    assert told("events.changed") == {registered.user_id, waiting.user_id}
    note = Notification.objects.filter(kind="events.changed").first()
    assert note.url == booked.get_absolute_url()
    assert "逸致议事厅" in note.message
    # The day-before reminder is due again for the new day.
    registered.refresh_from_db()
    assert registered.reminded_at is None


def test_the_kind_stays_once_its_world_cafe_is_set_up(area_a, staff):
    from gongzhi.events import formats

    activity = ActivityFactory(area=area_a, kind="world_cafe")
    formats.set_up_world_cafe(activity=activity, actor=staff, questions=["需要什么？"], tables=1)
    with pytest.raises(DomainError, match="kind cannot change"):
        services.update_activity(activity=activity, actor=staff, kind="salon")


def test_area_staff_cannot_move_an_activity_out_of_their_area(booked, staff, area_b):
    with pytest.raises(PermissionDenied):
        services.update_activity(activity=booked, actor=staff, area=area_b)
    booked.refresh_from_db()
    assert booked.area_id != area_b.pk


# --- Cancelling ------------------------------------------------------------------------


def test_cancelling_frees_the_venue_tells_those_signed_up_and_keeps_the_reason(
    booked, staff, django_capture_on_commit_callbacks
):
    registered, waiting, cancelled = signed_up(
        booked,
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.CANCELLED,
    )
    type(registered.user).objects.update(phone_verified=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_activity(
            activity=booked, actor=staff, reason="  天气预报有大雨，改期另行通知。"
        )
    booked.refresh_from_db()
    assert booked.status == ActivityStatus.CANCELLED
    assert booked.cancel_reason == "天气预报有大雨，改期另行通知。"
    assert live_bookings(booked) == []
    assert told("events.cancelled") == {registered.user_id, waiting.user_id}
    assert "天气预报有大雨" in Notification.objects.filter(kind="events.cancelled").first().message
    # In-app only: the reason is longer than an SMS template's variable takes.
    assert not get_kind("events.cancelled").by_sms
    assert not SmsMessage.objects.exists()
    event = AuditEvent.objects.get(verb="activity.cancel")
    assert event.before == {"status": "published"}
    assert event.after == {"status": "cancelled", "reason": "天气预报有大雨，改期另行通知。"}


def test_a_draft_can_be_cancelled_too(area_a, staff):
    draft = ActivityFactory(area=area_a, status=ActivityStatus.DRAFT)
    services.cancel_activity(activity=draft, actor=staff, reason="合并到下周的活动")
    draft.refresh_from_db()
    assert draft.status == ActivityStatus.CANCELLED


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "cannot be empty"), ("   ", "cannot be empty"), ("长" * 201, "too long")],
)
def test_cancelling_needs_a_reason(booked, staff, reason, message):
    before = database_snapshot()
    with pytest.raises(DomainError, match=message):
        services.cancel_activity(activity=booked, actor=staff, reason=reason)
    assert snapshot_changes(before, database_snapshot()) == []


def test_what_is_cancelled_or_ended_is_not_cancelled(area_a, staff):
    cancelled = ActivityFactory(area=area_a, status=ActivityStatus.CANCELLED)
    with pytest.raises(DomainError, match="already cancelled"):
        services.cancel_activity(activity=cancelled, actor=staff, reason="再取消")
    ended = ActivityFactory(area=area_a, starts_at=timezone.now() - timedelta(days=1))
    with pytest.raises(DomainError, match="ended"):
        services.cancel_activity(activity=ended, actor=staff, reason="补记")
    ended.refresh_from_db()
    assert ended.status == ActivityStatus.PUBLISHED


def test_a_cancelled_activity_takes_no_sign_ups_check_ins_or_head_counts(booked, staff, people):
    (registration,) = signed_up(booked, RegistrationStatus.REGISTERED)
    services.cancel_activity(activity=booked, actor=staff, reason="场地维修")
    booked.refresh_from_db()
    resident = people["resident"]
    with pytest.raises(DomainError, match="not open for sign-up"):
        services.register(activity=booked, user=resident)
    token = services.checkin_token(booked, at=booked.starts_at)
    with pytest.raises(DomainError, match="not taking place"):
        services.check_in_with_code(
            activity=booked, token=token, user=resident, at=booked.starts_at
        )
    with pytest.raises(DomainError, match="not taking place"):
        services.check_in(
            activity=booked, user=registration.user, method="roster", recorded_by=staff,
            at=booked.starts_at,
        )  # fmt: skip
    with pytest.raises(DomainError, match="cancelled"):
        services.record_walk_ins(activity=booked, actor=staff, count=5)
    assert not booked.attendances.exists() and not booked.walk_ins.exists()


# --- Pages -----------------------------------------------------------------------------


@pytest.fixture
def english(people):
    """Clients that read English (the new strings' Chinese is merged by the lead)."""
    return clients_for(people, language="en")


def edit_url(activity):
    return reverse("events:edit_activity", args=[activity.town.slug, activity.pk])


def cancel_url(activity):
    return reverse("events:cancel_activity", args=[activity.town.slug, activity.pk])


def form_data(activity, **changes):
    local = timezone.localtime
    data = {
        "title": activity.title,
        "kind": activity.kind,
        "area": activity.area_id,
        "venue": activity.venue,
        "starts_at": local(activity.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local(activity.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "capacity": activity.capacity or "",
        "description": activity.description,
        "booked_venue": activity.bookings.filter(status="confirmed").first().venue_id,
    }
    data.update(changes)
    return data


def test_the_edit_page_shows_the_activity_as_it_is(booked, client_for, hall):
    page = client_for("area_staff").get(edit_url(booked))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="花园共建"' in html
    assert timezone.localtime(booked.starts_at).strftime("%Y-%m-%dT%H:%M") in html
    assert f'<option value="{hall.pk}" selected>' in html


def test_the_edit_page_saves_and_moves_the_booking(booked, client_for):
    response = client_for("area_staff").post(
        edit_url(booked),
        form_data(booked, title="花园共建日", starts_at=at(3, 9).strftime("%Y-%m-%dT%H:%M"),
                  ends_at=at(3, 11).strftime("%Y-%m-%dT%H:%M")),
    )  # fmt: skip
    assert response.status_code == 302
    booked.refresh_from_db()
    assert (booked.title, booked.starts_at) == ("花园共建日", at(3, 9))
    assert live_bookings(booked) == [("逸致议事厅", at(3, 9), at(3, 11))]


def test_saving_keeps_a_booking_its_editor_could_not_make(town, area_a, people, client_for):
    """The secretariat booked a town-wide hall, which area staff cannot book: the area
    staff still see it chosen, and saving their change keeps the booking."""
    town_hall = make_venue(town=town, name="镇市民中心")
    activity = services.create_activity(
        town=town, actor=people["secretariat"], area=area_a, kind="salon", title="读书会",
        venue="", starts_at=at(2, 14), ends_at=at(2, 16), booked_venue=town_hall,
    )  # fmt: skip
    client = client_for("area_staff")
    assert (
        f'<option value="{town_hall.pk}" selected>'
        in client.get(edit_url(activity)).content.decode()
    )
    response = client.post(edit_url(activity), form_data(activity, title="读书分享会"))
    assert response.status_code == 302
    assert live_bookings(activity) == [("镇市民中心", at(2, 14), at(2, 16))]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_at": "bad"}, "Enter a valid date/time"),
        ({"title": ""}, "This field is required"),
        ({"capacity": "1"}, "2 people are already signed up, more than 1 places"),
    ],
)
def test_bad_input_on_the_edit_page_says_why_and_changes_nothing(booked, english, changes, message):
    signed_up(booked, RegistrationStatus.REGISTERED, RegistrationStatus.REGISTERED)
    client = english("area_staff")
    before = database_snapshot()
    response = client.post(edit_url(booked), form_data(booked, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot_changes(before, database_snapshot()) == []


def test_the_edit_page_shows_the_clash_in_chinese(booked, client_for, hall, area_a, staff):
    other = ActivityFactory(area=area_a, starts_at=at(3, 9), ends_at=at(3, 10))
    services.update_activity(activity=other, actor=staff, booked_venue=hall)
    client = client_for("area_staff")
    before = database_snapshot()
    response = client.post(
        edit_url(booked),
        form_data(booked, starts_at=at(3, 9).strftime("%Y-%m-%dT%H:%M"),
                  ends_at=at(3, 11).strftime("%Y-%m-%dT%H:%M")),
    )  # fmt: skip
    assert response.status_code == 400
    assert "该场地" in response.content.decode()
    assert snapshot_changes(before, database_snapshot()) == []


def test_a_cancelled_activity_has_no_edit_form(area_a, english):
    activity = ActivityFactory(area=area_a, status=ActivityStatus.CANCELLED)
    response = english("area_staff").get(edit_url(activity))
    assert response.status_code == 409
    assert "can no longer be changed" in response.content.decode()


def test_the_cancel_button_asks_the_reason_and_the_page_then_says_cancelled(
    booked, client_for, english
):
    detail = booked.get_absolute_url()
    page = english("area_staff").get(detail).content.decode()
    assert cancel_url(booked) in page and edit_url(booked) in page
    response = client_for("area_staff").post(cancel_url(booked), {"reason": "场地临时维修"})
    assert response.status_code == 302
    page = english("resident").get(detail).content.decode()
    assert "This activity is cancelled." in page and "场地临时维修" in page
    assert reverse("events:register", args=[booked.town.slug, booked.pk]) not in page
    staff_page = english("area_staff").get(detail).content.decode()
    assert cancel_url(booked) not in staff_page and edit_url(booked) not in staff_page


@pytest.mark.parametrize("reason", ["", "长" * 201])
def test_cancelling_without_a_fit_reason_is_refused(booked, english, reason):
    client = english("area_staff")
    before = database_snapshot()
    response = client.post(cancel_url(booked), {"reason": reason})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say why the activity is cancelled." in html or "at most 200 characters" in html
    assert snapshot_changes(before, database_snapshot()) == []
    assert Activity.objects.get(pk=booked.pk).status == ActivityStatus.PUBLISHED


def test_cancelling_twice_says_it_is_cancelled_already(area_a, english):
    activity = ActivityFactory(area=area_a, status=ActivityStatus.CANCELLED)
    response = english("area_staff").post(cancel_url(activity), {"reason": "再取消"})
    assert response.status_code == 409
    assert "already cancelled" in response.content.decode()


def test_a_draft_called_off_before_publishing_stays_off_the_public_page(client_for, area_a, people):
    from gongzhi.events.services import cancel_activity
    from gongzhi.tests.factories import ActivityFactory

    draft = ActivityFactory(area=area_a, status="draft")
    published = ActivityFactory(area=area_a)
    for activity in (draft, published):
        cancel_activity(activity=activity, actor=people["area_staff"], reason="场地维修")
    assert client_for("resident").get(draft.get_absolute_url()).status_code == 404
    assert client_for("area_staff").get(draft.get_absolute_url()).status_code == 200
    shown = client_for("resident").get(published.get_absolute_url())
    assert shown.status_code == 200 and "场地维修" in shown.content.decode()
