"""Navigation that never dead-ends (issue 14): the same working main menu and tab bar
on every page, account pages included, with the current entry marked."""

import re

import pytest
from django.urls import reverse

from gongzhi.core.navigation import PILLARS, TABS, me_url
from gongzhi.tests.factories import AreaFactory, RoleGrantFactory, UserFactory

ACCOUNT_PAGES = [
    ("anonymous", "account_login"),
    ("resident", "accounts:my_data"),
    ("resident", "notifications"),
    ("resident", "partners:my_applications"),
]

LINK = re.compile(r'<a href="(?P<href>[^"]*)"(?: aria-current="(?P<current>[^"]*)")?>')


def nav_links(html: str, css_class: str) -> list[tuple[str, str | None]]:
    """(href, aria-current) of each link of the <nav> with that class."""
    found = re.search(rf'<nav class="{css_class}"[^>]*>(.*?)</nav>', html, re.S)
    assert found, f"no <nav class={css_class!r}> on the page"
    return [(m["href"], m["current"]) for m in LINK.finditer(found[1])]


def landing(client, href: str) -> str:
    """Where a menu link leads: itself, or where places:go sends it."""
    response = client.get(href)
    if response.status_code == 302:
        return response["Location"]
    assert response.status_code == 200, (href, response.status_code)
    return href


@pytest.mark.parametrize(("role", "name"), ACCOUNT_PAGES)
def test_account_pages_link_every_pillar_into_the_persons_town(client_for, town, role, name):
    client = client_for(role)
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "coming" not in html.lower()
    links = nav_links(html, "pillars")
    assert len(links) == len(PILLARS)
    for pillar, (href, _current) in zip(PILLARS, links, strict=True):
        target = landing(client, href)
        assert target == reverse(pillar.url_name, args=[town.slug])
        assert client.get(target).status_code == 200
    tabs = nav_links(html, "tab-bar")
    assert len(tabs) == len(TABS) <= 5
    assert [landing(client, href) for href, _ in tabs[:4]] == [
        reverse("places:town", args=[town.slug]),
        reverse("events:activity_list", args=[town.slug]),
        reverse("planning:process_list", args=[town.slug]),
        reverse("renewal:project_list", args=[town.slug]),
    ]
    # 我的 needs no town (a visitor is asked to log in first).
    assert tabs[4][0] == me_url()


def test_the_town_is_the_persons_own_before_a_grant_and_the_first_town(
    client_for, people, town, other_town
):
    go = reverse("places:go", args=["participation"])
    # The secretariat of the other town is led into their town, not the first one.
    assert client_for("other_secretariat").get(go)["Location"] == reverse(
        "events:activity_list", args=[other_town.slug]
    )
    # A resident of an area of the other town who holds a grant in the first town:
    # where they live wins.
    resident = UserFactory(residential_area=AreaFactory(town=other_town))
    RoleGrantFactory(user=resident, town=town, role="partner")
    client = client_for("anonymous")
    client.force_login(resident)
    assert client.get(go)["Location"] == reverse("events:activity_list", args=[other_town.slug])
    # Anyone else: the deployment's first town.
    assert town.pk < other_town.pk
    assert client_for("anonymous").get(go)["Location"] == reverse(
        "events:activity_list", args=[town.slug]
    )


def test_a_town_page_links_its_own_town_directly(client_for, town, other_town):
    html = client_for("anonymous").get(reverse("places:town", args=[other_town.slug])).content
    hrefs = [href for href, _ in nav_links(html.decode(), "pillars")]
    assert hrefs == [reverse(p.url_name, args=[other_town.slug]) for p in PILLARS]


@pytest.mark.django_db
def test_without_a_town_the_menu_leads_home(client):
    assert client.get(reverse("places:go", args=["projects"]))["Location"] == reverse("places:home")
    assert client.get(reverse("places:go", args=["nowhere"])).status_code == 404
    # 我的 is not a town's page.
    assert client.get(reverse("places:go", args=["me"])).status_code == 404


@pytest.mark.parametrize(
    ("name", "town_scoped", "tab", "pillar", "current"),
    [
        ("events:activity_list", True, 1, 2, "page"),
        ("planning:process_list", True, 2, 1, "page"),
        ("places:area_list", True, 0, None, "true"),
        ("notifications", False, 4, None, "true"),
        ("accounts:my_data", False, 4, None, None),
    ],
)
def test_the_current_entry_is_marked(client_for, town, name, town_scoped, tab, pillar, current):
    url = reverse(name, args=[town.slug] if town_scoped else [])
    if current is None:  # 我的 itself, whichever page that is
        url, current = me_url(), "page"
    html = client_for("resident").get(url).content.decode()
    tabs = nav_links(html, "tab-bar")
    assert [c for _, c in tabs] == [current if i == tab else None for i in range(len(TABS))]
    pillars = nav_links(html, "pillars")
    marked = [i for i, (_, c) in enumerate(pillars) if c]
    assert marked == ([] if pillar is None else [pillar])


def test_the_persons_name_in_the_header_leads_to_their_me_page(client_for):
    page = client_for("resident").get(reverse("notifications")).content.decode()
    assert f'<a href="{reverse("me")}" class="user-name">' in page
