"""The register of venues: the secretariat registers, changes and retires any venue of
its town, area staff those of their areas; bad facts are refused with a message and
nothing stored; the keeper is staff of the town; the photo is checked and cleaned."""

from datetime import time

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from gongzhi.core.errors import DomainError
from gongzhi.core.models import AuditEvent
from gongzhi.core.testing import assert_nothing_written
from gongzhi.venues import services
from gongzhi.venues.models import Booking, BookingStatus, Venue

from .builders import at, make_venue, png, request_booking, venue_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def facts(**changes) -> dict:
    values = {"name": "睦邻中心活动室", "kind": "room", "capacity": 30, "opens_at": time(9),
              "closes_at": time(17)}  # fmt: skip
    return values | changes


def not_an_image() -> SimpleUploadedFile:
    return SimpleUploadedFile("hall.png", b"%PDF-1.4 not a photo", content_type="image/png")


# --- Services -------------------------------------------------------------------------


def test_the_secretariat_registers_a_venue_with_its_keeper_and_a_cleaned_photo(town, people):
    venue = services.create_venue(
        town=town, actor=people["secretariat"], keeper=people["area_staff"], photo=png(),
        **facts(step_free=True, equipment="投影仪"),
    )  # fmt: skip
    assert venue.area is None and venue.keeper == people["area_staff"]
    with Image.open(venue.photo.path) as stored:
        assert not stored.getexif().get_ifd(0x8825)  # where it was taken is gone
    assert AuditEvent.objects.filter(verb="venue.create", target_id=str(venue.pk)).exists()


def test_area_staff_register_venues_of_their_own_area_only(town, area_a, area_b, people):
    staff = people["area_staff"]
    assert services.create_venue(town=town, actor=staff, area=area_a, **facts()).area == area_a
    for area in (area_b, None):
        with assert_nothing_written(), pytest.raises(PermissionDenied):
            services.create_venue(town=town, actor=staff, area=area, **facts(name="别处"))


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"capacity": 0}, "at least one person"),
        ({"capacity": -3}, "at least one person"),
        ({"closes_at": time(9)}, "close after it opens"),
        ({"closes_at": time(8)}, "close after it opens"),
        ({"keeper": "resident"}, "keeper must be staff of this town"),
        ({"keeper": "partner"}, "keeper must be staff of this town"),
        ({"keeper": "other_secretariat"}, "keeper must be staff of this town"),
        ({"photo": "not an image"}, "Upload a photo"),
        ({"name": "  "}, "name cannot be empty"),
    ],
)
def test_bad_facts_are_refused_and_nothing_is_stored(town, people, bad, message):
    if "keeper" in bad:
        bad = {"keeper": people[bad["keeper"]]}
    if "photo" in bad:
        bad = {"photo": not_an_image()}
    with assert_nothing_written(), pytest.raises(DomainError, match=message):
        services.create_venue(town=town, actor=people["secretariat"], **facts(**bad))


def test_keepers_are_the_towns_staff(town, people):
    from gongzhi.venues.queries import keepers_of

    assert set(keepers_of(town)) == {people["area_staff"], people["secretariat"]}


def test_editing_changes_the_facts_and_checks_them_again(town, area_a, area_b, hall, people):
    staff = people["area_staff"]
    services.update_venue(
        venue=hall, actor=staff, capacity=55, closes_at=time(22), keeper=people["secretariat"],
        name=hall.name, photo=png(),
    )  # fmt: skip
    hall.refresh_from_db()
    assert (hall.capacity, hall.closes_at, hall.keeper) == (55, time(22), people["secretariat"])
    assert hall.photo
    event = AuditEvent.objects.get(verb="venue.update", target_id=str(hall.pk))
    assert event.before["capacity"] == 40 and event.after["capacity"] == 55
    for bad, message in [
        ({"capacity": 0}, "at least one person"),
        ({"opens_at": time(22)}, "close after it opens"),
        ({"keeper": people["resident"]}, "keeper must be staff"),
        ({"photo": not_an_image()}, "Upload a photo"),
    ]:
        with assert_nothing_written(), pytest.raises(DomainError, match=message):
            services.update_venue(venue=hall, actor=staff, **bad)
    make_venue(town=town, area=area_a, name="站长工作室")
    with assert_nothing_written(), pytest.raises(DomainError, match="already has a venue"):
        services.update_venue(venue=hall, actor=staff, name="站长工作室")


def test_only_who_manages_the_venue_edits_it_and_moves_it(town, area_b, hall, people):
    with assert_nothing_written(), pytest.raises(PermissionDenied):
        services.update_venue(venue=hall, actor=people["area_staff"], area=area_b)
    other = make_venue(town=town, area=area_b, name="二居活动室")
    for role in ("area_staff", "partner", "other_secretariat"):
        with assert_nothing_written(), pytest.raises(PermissionDenied):
            services.update_venue(venue=other, actor=people[role], capacity=10)
    services.update_venue(venue=hall, actor=people["secretariat"], area=area_b)
    assert Venue.objects.get(pk=hall.pk).area == area_b


def test_retiring_cancels_the_bookings_to_come_and_keeps_the_past(hall, people):
    staff = people["area_staff"]
    coming = request_booking(hall, people["partner"])
    confirmed = services.book_venue(venue=hall, actor=staff, starts_at=at(3, 9),
                                    ends_at=at(3, 10), purpose="议事会")  # fmt: skip
    past = Booking.objects.create(venue=hall, starts_at=at(-3, 9), ends_at=at(-3, 10),
                                  purpose="旧", requested_by=staff,
                                  status=BookingStatus.CONFIRMED)  # fmt: skip
    assert services.retire_venue(venue=hall, actor=staff) == 2
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses == {coming.pk: "cancelled", confirmed.pk: "cancelled", past.pk: "confirmed"}
    hall.refresh_from_db()
    assert not hall.active
    with assert_nothing_written(), pytest.raises(DomainError, match="already not in use"):
        services.retire_venue(venue=hall, actor=staff)
    with assert_nothing_written(), pytest.raises(DomainError, match="not in use"):
        services.update_venue(venue=hall, actor=staff, capacity=3)


@pytest.mark.parametrize("role", ["partner", "resident", "other_secretariat"])
def test_who_may_not_manage_cannot_retire(hall, people, role):
    with assert_nothing_written(), pytest.raises(PermissionDenied):
        services.retire_venue(venue=hall, actor=people[role])


# --- Pages ----------------------------------------------------------------------------


def test_the_register_page_offers_only_the_persons_areas_and_the_towns_staff(
    english_client_for, town, area_a, area_b
):
    url = reverse("venues:register_venue", args=[town.slug])
    page = english_client_for("area_staff").get(url).content.decode()
    assert area_a.name in page and area_b.name not in page and "Town-wide" not in page
    assert "陈社工" in page and "赵秘书" in page  # area staff and secretariat may keep it
    for not_staff in ("李居民", "王合伙人", "钱秘书"):
        assert not_staff not in page
    page = english_client_for("secretariat").get(url).content.decode()
    assert area_a.name in page and area_b.name in page and "Town-wide" in page


def test_registering_through_the_page(client_for, town, area_a, people):
    url = reverse("venues:register_venue", args=[town.slug])
    data = venue_form_data(area=area_a.pk, keeper=people["area_staff"].pk, photo=png())
    response = client_for("area_staff").post(url, data)
    venue = Venue.objects.get(name="社区睦邻中心活动室")
    assert response.status_code == 302 and response["Location"] == venue.get_absolute_url()
    assert (venue.area, venue.capacity, venue.open_days, venue.step_free) == (
        area_a, 30, "01234", True
    )  # fmt: skip
    assert venue.keeper == people["area_staff"] and venue.photo


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"capacity": "0"}, "A venue holds at least one person."),
        ({"closes_at": "08:00"}, "The venue must close after it opens."),
        ({"keeper": "resident"}, "The keeper must be staff of this town"),
        ({"keeper": "other_secretariat"}, "The keeper must be staff of this town"),
        ({"photo": "not an image"}, "Upload a photo (JPEG, PNG or WebP)."),
        ({"open_days": []}, "This field is required."),
    ],
)
def test_bad_input_on_the_register_page_is_a_400_with_its_message(
    english_client_for, town, area_a, people, bad, message
):
    if "keeper" in bad:
        bad = {"keeper": people[bad["keeper"]].pk}
    if "photo" in bad:
        bad = {"photo": not_an_image()}
    url = reverse("venues:register_venue", args=[town.slug])
    client = english_client_for("secretariat")
    with assert_nothing_written():
        response = client.post(url, venue_form_data(area=area_a.pk, **bad))
    assert response.status_code == 400
    assert message in response.content.decode()


def test_editing_through_the_page(english_client_for, town, area_a, hall, people):
    url = reverse("venues:edit_venue", args=[town.slug, hall.pk])
    client = english_client_for("area_staff")
    page = client.get(url).content.decode()
    assert 'value="逸致议事厅"' in page
    data = venue_form_data(name=hall.name, area=area_a.pk, capacity="80")
    with assert_nothing_written():
        refused = client.post(url, {**data, "opens_at": "21:00"})
    assert refused.status_code == 400
    assert "The venue must close after it opens." in refused.content.decode()
    assert client.post(url, data).status_code == 302
    hall.refresh_from_db()
    assert hall.capacity == 80 and hall.address == "长宁路1号"


def test_retiring_through_the_page(client_for, town, hall):
    url = reverse("venues:retire_venue", args=[town.slug, hall.pk])
    client = client_for("area_staff")
    response = client.post(url)
    assert response["Location"] == reverse("venues:venue_list", args=[town.slug])
    assert hall.get_absolute_url() not in client.get(response["Location"]).content.decode()
    assert client.get(hall.get_absolute_url()).status_code == 404
    assert client.get(reverse("venues:edit_venue", args=[town.slug, hall.pk])).status_code == 404


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("anonymous", False),
        ("resident", False),
        ("partner", False),
        ("other_secretariat", False),
        ("area_staff", True),
        ("secretariat", True),
        ("administrator", True),
    ],
)
def test_the_register_button_is_shown_to_those_who_may_register(client_for, town, role, sees):
    page = client_for(role).get(reverse("venues:venue_list", args=[town.slug])).content.decode()
    assert (reverse("venues:register_venue", args=[town.slug]) in page) is sees


@pytest.mark.parametrize(("role", "sees"), [("area_staff", True), ("partner", False)])
def test_the_venue_page_offers_editing_and_retiring_to_its_managers(client_for, hall, role, sees):
    page = client_for(role).get(hall.get_absolute_url()).content.decode()
    assert (reverse("venues:edit_venue", args=[hall.town.slug, hall.pk]) in page) is sees
    assert (reverse("venues:retire_venue", args=[hall.town.slug, hall.pk]) in page) is sees


def test_the_menu_leads_to_the_venues(client, town, hall):
    venues = reverse("venues:venue_list", args=[town.slug])
    home = client.get(reverse("places:town", args=[town.slug])).content.decode()
    menu = home[home.index('<nav class="pillars"') :]
    assert f'href="{venues}"' in menu[: menu.index("</nav>")]
    page = client.get(hall.get_absolute_url()).content.decode()
    menu = page[page.index('<nav class="pillars"') :]
    assert f'<a href="{venues}" aria-current="true">' in menu[: menu.index("</nav>")]
