from uuid import uuid4

import pytest
from django.urls import reverse

from gongzhi.core.testing import assert_constant_queries
from gongzhi.demo import places as demo
from gongzhi.places.models import ResidentialArea, Town
from gongzhi.tests.factories import AreaFactory, SiteFactory, UserFactory


def test_home_lists_towns_when_there_are_several(client, town, other_town, area_a):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "高境镇" in html and "另一镇" in html


def test_home_is_paginated_and_searchable(client, town, other_town):
    from gongzhi.tests.factories import TownFactory

    TownFactory.create_batch(25)
    response = client.get("/")
    assert len(response.context["page"]) == 20
    found = client.get("/", {"q": "高境"})
    assert [t.name for t in found.context["page"]] == ["高境镇"]
    assert client.get("/", {"q": "nowhere"}).status_code == 200


def test_home_goes_straight_to_the_only_town(client, town):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == town.get_absolute_url()


def test_town_page_counts_areas_from_records(client, town):
    AreaFactory.create_batch(7, town=town)
    response = client.get(town.get_absolute_url())
    assert response.context["town"].area_count == 7


def test_area_list_search_and_htmx_partial(client, town, area_a, area_b):
    url = reverse("places:area_list", args=[town.slug])
    response = client.get(url, {"q": "逸景"})
    assert [a.name for a in response.context["page"]] == ["逸景佳苑"]
    partial = client.get(url, {"q": "第二"}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "第二居民区" in body and "<html" not in body
    assert partial["Vary"].count("HX-Request") >= 1


def test_area_list_is_paginated_and_keeps_the_query(client, town):
    AreaFactory.create_batch(45, town=town)
    url = reverse("places:area_list", args=[town.slug])
    page3 = client.get(url, {"page": 3})
    assert len(page3.context["page"]) == 5
    assert client.get(url, {"page": "abc"}).status_code == 200  # bad page number: first page


def test_area_detail_lists_sites_and_hides_staff_links(client, town, area_a):
    SiteFactory(area=area_a, name="中心花园")
    response = client.get(area_a.get_absolute_url())
    html = response.content.decode()
    assert "中心花园" in html
    assert reverse("places:area_residents", args=[town.slug, area_a.pk]) not in html


def test_area_of_another_town_is_not_found_under_this_town(client, town, other_town):
    foreign = AreaFactory(town=other_town)
    assert client.get(reverse("places:area", args=[town.slug, foreign.pk])).status_code == 404


def test_staff_see_residents_with_full_contact(client_for, town, area_a, people):
    client = client_for("area_staff")
    response = client.get(reverse("places:area_residents", args=[town.slug, area_a.pk]))
    assert response.status_code == 200
    assert people["resident"].phone in response.content.decode()


def test_roster_access_is_logged(client_for, town, area_a, people):
    from gongzhi.core.models import AuditEvent

    client_for("area_staff").get(reverse("places:area_residents", args=[town.slug, area_a.pk]))
    event = AuditEvent.objects.get(verb="personal_data.view")
    assert event.actor == people["area_staff"] and event.target_id == str(area_a.pk)
    assert event.town_id == town.pk


def test_area_staff_get_403_for_another_area_without_leaking(client_for, town, area_b, people):
    UserFactory(display_name="秘密居民", phone="13700001111", residential_area=area_b)
    response = client_for("area_staff").get(
        reverse("places:area_residents", args=[town.slug, area_b.pk])
    )
    assert response.status_code == 403
    assert "13700001111" not in response.content.decode()


# Query counts: a list page makes the same number of queries with 5 and 50 rows.


def test_area_list_query_count_is_constant(client, town):
    def make(n):
        areas = AreaFactory.create_batch(n, town=town)
        for area in areas:
            SiteFactory(area=area)
        return areas

    assert_constant_queries(client, reverse("places:area_list", args=[town.slug]) + "?page=1", make)


def test_home_town_list_query_count_is_constant(client, town):
    from gongzhi.tests.factories import TownFactory

    def make(n):
        towns = TownFactory.create_batch(n)
        for t in towns:
            AreaFactory(town=t)
        return towns

    assert_constant_queries(client, "/", make)


def test_area_detail_query_count_is_constant(client, town, area_a):
    assert_constant_queries(
        client,
        area_a.get_absolute_url(),
        lambda n: [site.name for site in SiteFactory.create_batch(n, area=area_a)],
    )


def test_area_residents_query_count_is_constant(client_for, town, area_a):
    client = client_for("area_staff")
    assert_constant_queries(
        client,
        reverse("places:area_residents", args=[town.slug, area_a.pk]),
        lambda n: [u.phone for u in UserFactory.create_batch(n, residential_area=area_a)],
    )


def test_town_audit_query_count_is_constant(client_for, town, people):
    from gongzhi.core.services import record_event

    def make(n):
        verbs = [f"test.event.{uuid4().hex}" for _ in range(n)]
        for verb in verbs:
            record_event(actor=people["secretariat"], verb=verb, target=town)
        return verbs

    assert_constant_queries(
        client_for("secretariat"), reverse("places:town_audit", args=[town.slug]), make
    )


def test_seed_demo_is_idempotent_and_has_32_areas(db):
    demo.seed()
    demo.seed()
    town = Town.objects.get()
    assert town.name == "高境镇"
    names = list(ResidentialArea.objects.filter(town=town).values_list("name", flat=True))
    assert len(names) == 32 and len(set(names)) == 32
    assert "逸景佳苑" in names and "第三十二居民区" in names


def test_demo_accounts_have_their_roles(db, client):
    from gongzhi.accounts.models import User
    from gongzhi.core.scope import user_scope

    demo.seed()
    roles = {u.phone: user_scope(u).roles for u in User.objects.all()}
    assert roles["13800000001"] == ["resident"]
    assert "partner" in roles["13800000002"]
    assert "area_staff" in roles["13800000003"]
    assert "secretariat" in roles["13800000004"]
    assert "administrator" in roles["13800000005"]
    assert client.login(phone="13800000003", password=demo.DEMO_PASSWORD)


def test_home_page_is_chinese_by_default(client, town):
    response = client.get(town.get_absolute_url())
    assert 'lang="zh-Hans"' in response.content.decode()
    assert "居民区" in response.content.decode()


@pytest.mark.parametrize(
    "header", ["Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"]
)
def test_security_headers(client, town, header):
    response = client.get(town.get_absolute_url())
    assert header in response
    if header == "Content-Security-Policy":
        assert "'unsafe-inline'" not in response[header]
        assert "script-src 'self'" in response[header]
