from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from gongzhi.core.testing import assert_constant_queries, assert_nothing_written
from gongzhi.events import services
from gongzhi.events.models import Activity, Attendance, Registration, WalkInCount
from gongzhi.tests.factories import ActivityFactory, UserFactory


@pytest.fixture
def activity(area_a):
    return ActivityFactory(area=area_a, capacity=1, title="共创美好社区")


def at_activity(activity):
    """Pretend it is half an hour into the activity."""
    return mock.patch(
        "django.utils.timezone.now", return_value=activity.starts_at + timedelta(minutes=30)
    )


def test_resident_signs_up_then_the_next_joins_the_waiting_list(client_for, people, activity, town):
    client = client_for("resident")
    url = reverse("events:register", args=[town.slug, activity.pk])
    assert client.post(url).status_code == 302
    assert Registration.objects.get(user=people["resident"]).status == "registered"
    client.post(url)  # again: refused with a message, nothing stored
    assert Registration.objects.filter(user=people["resident"]).count() == 1
    client_for("partner").post(url)
    assert Registration.objects.get(user=people["partner"]).status == "waitlisted"
    page = client.get(activity.get_absolute_url()).content.decode()
    assert reverse("events:cancel_registration", args=[town.slug, activity.pk]) in page


def test_qr_link_checks_in_a_signed_in_resident_on_post_only(client_for, people, activity, town):
    client = client_for("resident")
    with at_activity(activity):
        token = services.checkin_token(activity)
        url = reverse("events:checkin", args=[town.slug, activity.pk, token])
        assert client.get(url).status_code == 200
        assert not Attendance.objects.exists()  # opening the link changes nothing
        response = client.post(url)
        assert response.status_code == 200
        again = client.post(url)
    assert Attendance.objects.filter(user=people["resident"]).count() == 1
    assert response.context["created"] and not again.context["created"]


def test_quick_check_in_at_the_door(client, activity, town):
    with at_activity(activity):
        url = reverse(
            "events:checkin", args=[town.slug, activity.pk, services.checkin_token(activity)]
        )
        with assert_nothing_written():
            bad = client.post(url, {"name": "邻居", "phone": "12345", "consent": "on"})
        assert bad.status_code == 400 and not Attendance.objects.exists()
        ok = client.post(url, {"name": "邻居", "phone": "13712345678", "consent": "on"})
    assert ok.status_code == 200
    assert Attendance.objects.get().user.phone == "13712345678"


def test_expired_code_is_refused_with_a_message(client, activity, town):
    old = services.checkin_token(activity, at=timezone.now() - timedelta(hours=1))
    response = client.get(
        reverse("events:checkin", args=[town.slug, activity.pk, old]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 410 and "expired" in response.content.decode()


def test_check_in_outside_the_window_is_refused(client_for, activity, town):
    url = reverse("events:checkin", args=[town.slug, activity.pk, services.checkin_token(activity)])
    with assert_nothing_written():
        response = client_for("resident").post(url)  # now: the activity is tomorrow
    assert response.status_code == 409 and not Attendance.objects.exists()


def test_a_post_to_the_roster_is_refused(client_for, activity, town):
    """Each form posts to its own URL; a POST to the page itself (an old copy of it,
    a hand-made request) is refused, not answered with the page and nothing done."""
    url = reverse("events:roster", args=[town.slug, activity.pk])
    client = client_for("area_staff")
    with assert_nothing_written():
        for data in ({}, {"action": "walk_ins", "count": "35"}, {"action": "nonsense"}):
            assert client.post(url, data).status_code == 405


def test_roster_check_in_check_out_and_head_count(client_for, people, activity, town):
    services.register(activity=activity, user=people["resident"])
    registration = Registration.objects.get()
    client = client_for("area_staff")
    url = reverse("events:roster", args=[town.slug, activity.pk])

    def action(name):
        return reverse(f"events:roster_{name}", args=[town.slug, activity.pk])

    with at_activity(activity):
        assert client.post(action("check_in"), {"registration": registration.pk}).status_code == 302
    attendance = Attendance.objects.get()
    assert attendance.method == "roster" and attendance.recorded_by == people["area_staff"]
    with mock.patch(
        "django.utils.timezone.now", return_value=activity.starts_at + timedelta(hours=1)
    ):
        client.post(action("check_out"), {"attendance": attendance.pk})
    attendance.refresh_from_db()
    assert attendance.checked_out_at is not None
    client.post(action("walk_ins"), {"count": "0"})
    assert not WalkInCount.objects.exists()
    client.post(action("walk_ins"), {"count": "35", "note": "上午"})
    page = client.get(url).content.decode()
    assert WalkInCount.objects.get().count == 35
    assert people["resident"].phone in page  # organisers see the contact


def test_check_in_screen_shows_a_qr_and_refreshes_by_htmx(client_for, activity, town):
    client = client_for("secretariat")
    url = reverse("events:checkin_screen", args=[town.slug, activity.pk])
    with at_activity(activity):
        page = client.get(url)
        assert (
            "data:image/svg+xml" in page.content.decode()
            and 'hx-trigger="every 60s"' in page.content.decode()
        )
        partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "data:image/svg+xml" in partial


def test_check_in_is_not_offered_as_live_before_it_opens_or_after_it_closes(
    client_for, activity, town, people
):
    """The activity is tomorrow: the QR screen says when check-in opens (and keeps
    polling), the roster offers no check-in buttons; after the close it says so."""
    registration = Registration.objects.create(activity=activity, user=people["resident"])
    client = client_for("area_staff")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    screen = reverse("events:checkin_screen", args=[town.slug, activity.pk])
    roster = reverse("events:roster", args=[town.slug, activity.pk])
    opens = timezone.localtime(activity.starts_at - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    page = client.get(screen).content.decode()
    assert "data:image/svg+xml" not in page and 'hx-trigger="every 60s"' in page
    assert f"Check-in opens at {opens}" in page
    page = client.get(roster).content.decode()
    assert f"Check-in opens at {opens}" in page
    assert f'name="registration" value="{registration.pk}"' not in page
    with at_activity(activity):
        page = client.get(roster).content.decode()
    assert f'name="registration" value="{registration.pk}"' in page
    with mock.patch(
        "django.utils.timezone.now", return_value=activity.ends_at + timedelta(hours=1)
    ):
        page = client.get(screen).content.decode()
    assert "data:image/svg+xml" not in page and "Check-in closed at" in page


def test_the_qr_link_offers_no_live_button_outside_the_window(client_for, activity, town, people):
    """A resident who opens the check-in link too early (the code of an old screen, a
    forwarded link) reads when check-in opens and finds no button the service would
    refuse; the activity page tells a signed-up resident the same hours."""
    services.register(activity=activity, user=people["resident"])
    client = client_for("resident")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("events:checkin", args=[town.slug, activity.pk, services.checkin_token(activity)])
    opens = timezone.localtime(activity.starts_at - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    page = client.get(url).content.decode()
    assert f"Check-in opens at {opens}" in page and 'type="submit"' not in page.split("<main")[1]
    detail = client.get(activity.get_absolute_url()).content.decode()
    with translation.override("en"):  # the activity page gives dates as residents read them
        opens_long = date_format(
            timezone.localtime(activity.starts_at - timedelta(hours=1)), "DATETIME_FORMAT"
        )
    assert f"scan the check-in QR code between {opens_long}" in detail
    with at_activity(activity):
        token = services.checkin_token(activity)
        url = reverse("events:checkin", args=[town.slug, activity.pk, token])
        page = client.get(url).content.decode()
    assert 'type="submit"' in page.split("<main")[1] and "Check-in opens at" not in page


def test_create_and_publish_an_activity(client_for, town, area_a, area_b, people):
    client = client_for("area_staff")
    url = reverse("events:create_activity", args=[town.slug])
    start = (timezone.localtime() + timedelta(days=3)).replace(second=0, microsecond=0)
    data = {
        "title": "小小园艺师",
        "kind": "placemaking",
        "area": area_a.pk,
        "venue": "中心花园",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": "20",
    }
    with assert_nothing_written():
        bad = client.post(url, {**data, "ends_at": data["starts_at"]})
    assert bad.status_code == 400 and not Activity.objects.exists()
    with assert_nothing_written():
        other_area = client.post(url, {**data, "area": area_b.pk})
    assert other_area.status_code == 400
    # Town-wide is the secretariat's: area staff are not offered it (their own area is
    # the default), and sending it anyway is the form's 400, not a bare 403.
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Town-wide" not in page and f'value="{area_a.pk}"' in page
    assert area_b.name not in page
    with assert_nothing_written():
        town_wide = client.post(url, {**data, "area": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert town_wide.status_code == 400 and "This field is required." in town_wide.content.decode()
    secretariat_page = client_for("secretariat").get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert "Town-wide" in secretariat_page.content.decode()
    from gongzhi.organisations.services import set_up_organisation

    secretariat_unit = set_up_organisation(town=town, actor=people["secretariat"])
    assert client.post(url, {**data, "organiser": secretariat_unit.pk}).status_code == 302
    activity = Activity.objects.get()
    assert activity.organiser == secretariat_unit
    assert activity.status == "draft"
    client.post(reverse("events:publish", args=[town.slug, activity.pk]))
    activity.refresh_from_db()
    assert activity.status == "published"


def test_activity_list_query_count_is_constant(client, town, area_a):
    def make(n):
        activities = ActivityFactory.create_batch(n, area=area_a, capacity=30)
        for activity in activities:
            services.register(activity=activity, user=UserFactory())
        return activities

    assert_constant_queries(client, reverse("events:activity_list", args=[town.slug]), make)


def test_past_list_shows_person_times_and_people(client, town, area_a, people):
    past = ActivityFactory(
        area=area_a,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2, hours=-2),
    )
    for user in UserFactory.create_batch(3):
        services.check_in(
            activity=past,
            user=user,
            method="roster",
            recorded_by=people["area_staff"],
            at=past.starts_at,
        )
    services.record_walk_ins(activity=past, actor=people["area_staff"], count=40)
    response = client.get(
        reverse("events:activity_list", args=[town.slug]),
        {"when": "past"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "43 person-times · 3 people" in response.content.decode()
    assert_constant_queries(
        client,
        reverse("events:activity_list", args=[town.slug]) + "?when=past",
        lambda n: ActivityFactory.create_batch(
            n,
            area=area_a,
            starts_at=timezone.now() - timedelta(days=3),
            ends_at=timezone.now() - timedelta(days=3, hours=-1),
        ),
    )


def test_organiser_adds_a_photo_without_location_data(client_for, town, area_a, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    activity = ActivityFactory(area=area_a)
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # any EXIF: it must not survive re-encoding
    Image.new("RGB", (40, 30), "green").save(buffer, "JPEG", exif=exif)
    url = reverse("events:add_photo", args=[town.slug, activity.pk])
    client = client_for("area_staff")
    data = {
        "content": "居民在花园种植",
        "taken_at": "2026-11-20T10:00",
        "place": "中心花园",
        "people": "居民和合伙人",
        "photographer": "陈社工",
    }
    fake = SimpleUploadedFile("fake.jpg", b"not an image", content_type="image/jpeg")
    with assert_nothing_written():
        assert client.post(url, {**data, "image": fake}).status_code == 400
    assert not activity.photos.exists()
    real = SimpleUploadedFile("garden.jpg", buffer.getvalue(), content_type="image/jpeg")
    assert client.post(url, {**data, "image": real}).status_code == 302
    photo = activity.photos.get()
    with Image.open(photo.image.path) as stored:
        assert not stored.getexif()
    assert "居民在花园种植" in client.get(activity.get_absolute_url()).content.decode()
    assert client_for("resident").get(url).status_code == 403
