"""The cultivation pages: the list, a programme, the certificate and its refusal, the
area's record (names for staff) and the area page's summary (no names)."""

import pytest
from django.urls import reverse

from gongzhi.core.testing import assert_constant_queries
from gongzhi.cultivation import services
from gongzhi.cultivation.models import Programme, Session
from gongzhi.tests.factories import UserFactory

from .builders import attend, attend_sessions, past_activity, programme_with_sessions


@pytest.fixture
def staff(people):
    return people["secretariat"]


@pytest.fixture
def programme(town, area_a, staff):
    return programme_with_sessions(town=town, area=area_a, actor=staff, sessions=3, required=2)


def test_creating_a_programme(town, client_for):
    client = client_for("secretariat")
    url = reverse("cultivation:create_programme", args=[town.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "参与式规划培训", "sessions_required": "2"})
    programme = Programme.objects.get(title="参与式规划培训")
    assert response.status_code == 302 and response["Location"] == programme.get_absolute_url()
    bad = client.post(url, {"title": "", "sessions_required": "0"})
    assert bad.status_code == 400 and Programme.objects.count() == 1


def test_linking_a_session_offers_only_what_may_be_linked(programme, area_a, client_for):
    draft_activity = past_activity(area=area_a, status="draft")
    free = past_activity(area=area_a)
    linked = programme.sessions.get(order=1).activity
    client = client_for("secretariat")
    page = client.get(programme.get_absolute_url()).content.decode()
    assert f'value="{free.pk}"' in page
    assert f'value="{draft_activity.pk}"' not in page and f'value="{linked.pk}"' not in page
    url = reverse("cultivation:add_session", args=[programme.town.slug, programme.pk])
    for refused in (draft_activity, linked):
        response = client.post(url, {"session-activity": refused.pk})
        assert response.status_code == 400
    assert Session.objects.filter(programme=programme).count() == 3
    assert client.post(url, {"session-activity": free.pk}).status_code == 302
    assert Session.objects.get(activity=free).order == 4


def test_opening_without_enough_sessions_is_refused_on_the_page(town, client_for, staff):
    draft = services.create_programme(town=town, actor=staff, title="草稿", sessions_required=2)
    url = reverse("cultivation:open_programme", args=[town.slug, draft.pk])
    response = client_for("secretariat").post(url)
    assert response.status_code == 409
    assert Programme.objects.get(pk=draft.pk).status == "draft"


def test_the_certificate_for_someone_who_completed(programme, staff, client):
    person = UserFactory(display_name="周合伙人")
    attend_sessions(programme, person, 2, staff=staff)
    client.force_login(person)
    page = client.get(programme.get_absolute_url()).content.decode()
    url = reverse("cultivation:certificate", args=[programme.town.slug, programme.pk])
    assert url in page
    response = client.get(url)
    text = response.content.decode()
    assert response.status_code == 200
    assert "周合伙人" in text and programme.title in text


def test_the_certificate_is_refused_to_someone_who_did_not_attend_enough(programme, staff, client):
    person = UserFactory()
    attend_sessions(programme, person, 1, staff=staff)
    client.force_login(person)
    page = client.get(programme.get_absolute_url()).content.decode()
    url = reverse("cultivation:certificate", args=[programme.town.slug, programme.pk])
    assert url not in page
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "attended 1" in response.content.decode()


def test_the_area_record_names_people_for_staff_only(programme, area_a, staff, client_for):
    person = UserFactory(display_name="吴居民", residential_area=area_a)
    attend_sessions(programme, person, 2, staff=staff)
    record = reverse("cultivation:area_trainees", args=[area_a.town.slug, area_a.pk])
    page = client_for("area_staff").get(record)
    assert page.status_code == 200 and "吴居民" in page.content.decode()
    assert client_for("resident").get(record).status_code == 403
    public = client_for("anonymous").get(area_a.get_absolute_url()).content.decode()
    assert programme.title in public and "吴居民" not in public and record not in public


def test_a_draft_is_shown_to_the_secretariat_only(town, staff, client_for):
    draft = services.create_programme(town=town, actor=staff, title="草稿培训", sessions_required=1)
    listing = reverse("cultivation:programme_list", args=[town.slug])
    assert "草稿培训" in client_for("secretariat").get(listing).content.decode()
    assert "草稿培训" not in client_for("resident").get(listing).content.decode()
    assert client_for("resident").get(draft.get_absolute_url()).status_code == 403


def test_list_queries_do_not_grow(town, area_a, staff, client_for):
    def make(n):
        return [
            services.create_programme(town=town, actor=staff, title=f"培训{i}", sessions_required=1)
            for i in range(n)
        ]

    assert_constant_queries(
        client_for("secretariat"), reverse("cultivation:programme_list", args=[town.slug]), make
    )


def test_area_record_queries_do_not_grow(programme, area_a, staff, client_for):
    session = programme.sessions.get(order=1).activity

    def make(n):
        names = []
        for _ in range(n):
            person = UserFactory(residential_area=area_a)
            attend(session, person, staff=staff)
            names.append(person.display_name)
        return names

    assert_constant_queries(
        client_for("area_staff"),
        reverse("cultivation:area_trainees", args=[area_a.town.slug, area_a.pk]),
        make,
    )
