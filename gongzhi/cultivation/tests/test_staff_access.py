"""Staff and the named records of cultivation: the certificate of another person, for
the town's secretariat and the staff of that person's area (refused to anyone else,
and to nobody's benefit for a person who did not complete), and the logging of every
look at names (the area's record, another person's certificate)."""

import pytest
from django.urls import reverse

from gongzhi.core.models import AuditEvent
from gongzhi.tests.factories import AreaFactory, RoleGrantFactory, UserFactory

from .builders import attend_sessions, programme_with_sessions


@pytest.fixture
def programme(town, area_a, secretary):
    return programme_with_sessions(town=town, area=area_a, actor=secretary, sessions=3, required=2)


@pytest.fixture
def of_a(programme, area_a, secretary):
    """A resident of area A who completed the programme."""
    person = UserFactory(display_name="周居民", residential_area=area_a)
    attend_sessions(programme, person, 2, staff=secretary)
    return person


def certificate_url(programme, person):
    return reverse(
        "cultivation:certificate_of", args=[programme.town.slug, programme.pk, person.pk]
    )


def viewed():
    return AuditEvent.objects.filter(verb="personal_data.view")


def test_the_secretariat_and_the_persons_area_staff_print_it(programme, of_a, client_for, people):
    url = certificate_url(programme, of_a)
    for role in ("secretariat", "area_staff", "administrator"):
        response = client_for(role).get(url)
        assert response.status_code == 200, role
        page = response.content.decode()
        text = page[page.index('<article class="certificate">') : page.index("</article>")]
        assert "周居民" in text and programme.title in text
        assert f"GZ-PY{programme.pk:04d}-{of_a.pk:06d}-" in text
        # The staff member's own name is not what it certifies.
        assert people[role].display_name not in text
    event = viewed().filter(actor=people["area_staff"]).get()
    assert event.after == {"record": "cultivation_certificate", "person": of_a.pk}
    assert event.target_id == str(programme.pk) and event.town_id == programme.town_id


def test_anyone_else_is_refused_and_nothing_is_logged(programme, of_a, client_for, town, area_b):
    url = certificate_url(programme, of_a)
    for role in ("resident", "partner", "other_secretariat"):
        response = client_for(role).get(url)
        assert response.status_code == 403, role
        assert "周居民" not in response.content.decode()
    anonymous = client_for("anonymous").get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    staff_of_b = UserFactory()
    RoleGrantFactory(user=staff_of_b, town=town, role="area_staff", areas=[area_b])
    from django.test import Client

    client = Client()
    client.force_login(staff_of_b)
    assert client.get(url).status_code == 403
    assert not viewed().exists()


def test_the_holder_may_open_their_own_there_too(programme, of_a, client):
    client.force_login(of_a)
    assert client.get(certificate_url(programme, of_a)).status_code == 200
    assert not viewed().exists()


def test_no_certificate_for_a_person_who_did_not_complete(
    programme, area_a, secretary, client_for, in_english
):
    halfway = UserFactory(residential_area=area_a)
    attend_sessions(programme, halfway, 1, staff=secretary)
    response = client_for("area_staff").get(
        certificate_url(programme, halfway), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 404
    assert "they have attended 1" in response.content.decode()
    stranger = UserFactory(residential_area=area_a)
    assert client_for("secretariat").get(certificate_url(programme, stranger)).status_code == 404
    url = reverse("cultivation:certificate_of", args=[programme.town.slug, programme.pk, 999999])
    assert client_for("secretariat").get(url).status_code == 404
    assert not viewed().exists()


def test_an_account_area_of_another_town_gives_its_staff_nothing(
    programme, secretary, other_town, client
):
    elsewhere = AreaFactory(town=other_town)
    person = UserFactory(residential_area=elsewhere)
    attend_sessions(programme, person, 2, staff=secretary)
    staff = UserFactory()
    RoleGrantFactory(user=staff, town=other_town, role="area_staff", areas=[elsewhere])
    client.force_login(staff)
    assert client.get(certificate_url(programme, person)).status_code == 403


def test_the_area_record_links_the_certificates_of_who_completed(
    programme, of_a, area_a, secretary, client_for
):
    halfway = UserFactory(residential_area=area_a)
    attend_sessions(programme, halfway, 1, staff=secretary)
    page = client_for("area_staff").get(
        reverse("cultivation:area_trainees", args=[area_a.town.slug, area_a.pk])
    )
    text = page.content.decode()
    assert certificate_url(programme, of_a) in text
    assert certificate_url(programme, halfway) not in text


def test_viewing_the_area_record_is_logged(programme, of_a, area_a, client_for, people):
    url = reverse("cultivation:area_trainees", args=[area_a.town.slug, area_a.pk])
    client_for("area_staff").get(url)
    event = viewed().get()
    assert event.actor == people["area_staff"] and event.target_id == str(area_a.pk)
    assert event.after == {"record": "cultivation", "page": 1}
    assert event.town_id == area_a.town_id
    # A refused look is not a look.
    client_for("resident").get(url)
    assert viewed().count() == 1
