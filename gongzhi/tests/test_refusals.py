"""A forbidden page or action that is still reached explains itself in the person's
language, with a way back and the main menu, never a bare 403 (issue 14, point 4)."""

import html

from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import include, path, reverse

from config.urls import handler403  # noqa: F401 - this test urlconf's too


def _organiser_only(request):
    # A service's refusal, as require_perm raises it (already in the person's language).
    raise PermissionDenied("Only the organiser can do this.")


urlpatterns = [
    path("refused/", _organiser_only),
    path("", include("config.urls")),  # the page's menu links the real URLs
]


def _back_link(page):
    """The way back the page offers: (href, label)."""
    start = page.index('class="button primary" href="') + len('class="button primary" href="')
    href = page[start : page.index('"', start)]
    label = page[page.index(">", start) + 1 : page.index("</a>", start)]
    return html.unescape(href), label


def test_a_refused_page_explains_and_leads_back_to_where_the_person_came_from(
    english_client_for, town
):
    queue = reverse("partners:review_queue", args=[town.slug])
    came_from = f"http://testserver{reverse('partners:directory', args=[town.slug])}?page=2"
    response = english_client_for("resident").get(queue, HTTP_REFERER=came_from)
    assert response.status_code == 403
    page = html.unescape(response.content.decode())
    assert "Not allowed" in page
    assert "It is for another role" in page and "ask your residents' committee" in page
    assert _back_link(page) == (came_from, "Back to the previous page")
    # The main menu and the person's own page, as on every page.
    assert 'aria-label="Main"' in page
    assert reverse("events:activity_list", args=[town.slug]) in page
    assert f'href="{reverse("me")}"' in page


def test_a_referer_of_another_site_is_not_followed(english_client_for, town):
    queue = reverse("partners:review_queue", args=[town.slug])
    page = (
        english_client_for("resident")
        .get(queue, HTTP_REFERER="https://elsewhere.example/phish")
        .content.decode()
    )
    assert "elsewhere.example" not in page
    # The section the refused page belongs to, in its town.
    assert _back_link(page) == (reverse("partners:directory", args=[town.slug]), "Back to People")


def test_a_page_outside_any_town_leads_home(english_client_for):
    response = english_client_for("resident").get(reverse("todo"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "to-do list is for area staff" in page
    assert _back_link(page) == (reverse("places:home"), "Back to the home page")


def test_the_refusal_says_what_the_service_said(settings, people):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(people["resident"])
    response = client.get("/refused/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Only the organiser can do this." in page
    assert "It is for another role" not in page
    assert _back_link(page) == (reverse("places:home"), "Back to the home page")
