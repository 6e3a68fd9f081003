"""长辈版 (older residents' mode): the switch (core.views.set_mode), where the choice is
kept (cookie and account), which mode a request gets (core/display.py) and what the
pages do with it (the main task first)."""

from html.parser import HTMLParser

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from gongzhi.accounts.models import User
from gongzhi.accounts.services import delete_account, export_personal_data, set_elder_mode
from gongzhi.core.context_processors import display_mode
from gongzhi.core.display import MODE_COOKIE
from gongzhi.core.models import AuditEvent
from gongzhi.core.testing import assert_nothing_written
from gongzhi.proposals.tests.builders import make_proposal
from gongzhi.tests.factories import TEST_PASSWORD, ActivityFactory, UserFactory

pytestmark = pytest.mark.django_db

MODE = reverse("set_mode")


def html_class(response) -> str:
    """The class on the page's <html>."""
    found = {}

    class Finder(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "html" and "class" not in found:
                found["class"] = dict(attrs).get("class", "")

    Finder().feed(response.content.decode())
    return found["class"]


def switch(client, mode, next_url="/", **extra):
    return client.post(MODE, {"mode": mode, "next": next_url}, **extra)


# --- The switch ----------------------------------------------------------------------


def test_a_visitor_switches_on_and_stays_on_the_same_page(client, town):
    page = town.get_absolute_url() + "?q=1"
    response = switch(client, "elder", page)
    assert response.status_code == 302 and response["Location"] == page
    cookie = response.cookies[MODE_COOKIE]
    assert cookie.value == "elder"
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and int(cookie["max-age"]) > 0
    assert html_class(client.get(town.get_absolute_url())) == "elder"
    response = switch(client, "standard", page)
    assert response.cookies[MODE_COOKIE].value == "standard"
    assert html_class(client.get(town.get_absolute_url())) == "standard"


def test_a_signed_in_person_keeps_the_choice_on_the_account(client, town):
    person = UserFactory()
    client.force_login(person)
    assert person.elder_mode is None
    response = switch(client, "elder", town.get_absolute_url())
    assert response.status_code == 302 and response.cookies[MODE_COOKIE].value == "elder"
    person.refresh_from_db()
    assert person.elder_mode is True
    # Another phone (no cookie): the account decides.
    other = Client()
    other.force_login(person)
    assert html_class(other.get(town.get_absolute_url())) == "elder"
    switch(other, "standard")
    person.refresh_from_db()
    assert person.elder_mode is False
    # The account wins over the first phone's cookie, which still says elder.
    assert client.cookies[MODE_COOKIE].value == "elder"
    assert html_class(client.get(town.get_absolute_url())) == "standard"


def test_an_account_that_never_chose_goes_by_the_cookie(client, town):
    person = UserFactory()
    switch(client, "elder")  # before logging in
    client.force_login(person)
    assert html_class(client.get(town.get_absolute_url())) == "elder"
    person.refresh_from_db()
    assert person.elder_mode is None


@pytest.mark.parametrize(
    "mode", ["", "ELDER", "Elder ", "1", "on", "elder<script>", "x" * 5000, "标准版"]
)
def test_a_malformed_mode_is_ignored(client, town, mode):
    person = UserFactory()
    client.force_login(person)
    page = town.get_absolute_url()
    with assert_nothing_written():
        response = switch(client, mode, page)
    assert response.status_code == 302 and response["Location"] == page
    assert MODE_COOKIE not in response.cookies
    person.refresh_from_db()
    assert person.elder_mode is None


def test_no_mode_at_all_is_ignored(client):
    response = client.post(MODE, {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert MODE_COOKIE not in response.cookies


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "http:///evil", ""],
)
def test_a_next_off_this_site_leads_home(client, next_url):
    response = switch(client, "elder", next_url)
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies[MODE_COOKIE].value == "elder"


def test_get_changes_nothing(client):
    person = UserFactory()
    client.force_login(person)
    with assert_nothing_written():
        response = client.get(MODE, {"mode": "elder", "next": "/"})
    assert response.status_code == 405
    assert MODE_COOKIE not in response.cookies


def test_without_the_forms_csrf_token_nothing_changes():
    client = Client(enforce_csrf_checks=True)
    person = UserFactory()
    client.force_login(person)
    response = switch(client, "elder")
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.elder_mode is None and MODE_COOKIE not in response.cookies


def test_the_background_switch_answers_with_the_mode_in_force(client):
    """js/switches.js sends the form with Accept: application/json and reads the
    answer; the page is not reloaded."""
    response = switch(client, "elder", HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json() == {"mode": "elder"}
    assert response.cookies[MODE_COOKIE].value == "elder"
    response = switch(client, "nonsense", HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json() == {"mode": "elder"}
    assert MODE_COOKIE not in response.cookies


# --- Which mode a request gets -------------------------------------------------------


@pytest.mark.parametrize(
    ("cookie", "account", "expected"),
    [
        (None, None, False),
        ("elder", None, True),
        ("standard", None, False),
        ("ELDER", None, False),
        ("elder; x", None, False),
        (None, True, True),
        ("standard", True, True),
        ("elder", False, False),
    ],
)
def test_the_account_wins_and_the_cookie_decides_otherwise(db, cookie, account, expected):
    request = RequestFactory().get("/")
    if cookie is not None:
        request.COOKIES[MODE_COOKIE] = cookie
    person = UserFactory(elder_mode=account)
    request.user = person
    assert display_mode(request) == {
        "elder_mode": expected,
        "display_class": "elder" if expected else "standard",
    }


def test_a_visitor_is_decided_without_the_database(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.COOKIES[MODE_COOKIE] = "elder"
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert display_mode(request)["elder_mode"] is True


# --- The account ---------------------------------------------------------------------


def test_the_service_keeps_the_choice_without_an_audit_event(db):
    """A display preference, not a public record's state: the audit trail, kept for
    good, does not learn who uses the mode for older people."""
    person = UserFactory()
    set_elder_mode(user=person, on=True)
    set_elder_mode(user=person, on=True)
    assert User.objects.get(pk=person.pk).elder_mode is True
    set_elder_mode(user=person, on=False)
    assert User.objects.get(pk=person.pk).elder_mode is False
    assert not AuditEvent.objects.filter(target_id=str(person.pk)).exists()


def test_the_choice_is_in_the_data_export_and_erased_with_the_account(db):
    person = UserFactory(elder_mode=True)
    assert export_personal_data(user=person)["account"]["elder_mode"] is True
    delete_account(user=person, password=TEST_PASSWORD)
    assert User.objects.get(pk=person.pk).elder_mode is None


# --- The pages -----------------------------------------------------------------------


class Forms(HTMLParser):
    """Counts forms inside other forms (the switch must never be one: a nested form's
    button would send the outer form's fields, or lose them) and reads each mode
    switch's button state."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.nested = 0
        self.in_switch = False
        self.pressed = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.depth += 1
            self.nested += self.depth > 1
            self.in_switch = "data-mode-switch" in attrs
        elif tag == "button" and self.in_switch:
            self.pressed.append(attrs.get("aria-pressed"))

    def handle_endtag(self, tag):
        if tag == "form":
            self.depth -= 1
            self.in_switch = False


def read_forms(page: str) -> Forms:
    forms = Forms()
    forms.feed(page)
    return forms


def test_every_page_offers_the_switch_in_a_form_of_its_own(client, town):
    page = client.get(town.get_absolute_url()).content.decode()
    forms = read_forms(page)
    assert forms.nested == 0 and forms.pressed == ["false"]
    assert 'name="mode" value="elder"' in page
    switch(client, "elder")
    page = client.get(town.get_absolute_url()).content.decode()
    assert read_forms(page).pressed == ["true"]
    assert 'name="mode" value="standard"' in page


def test_me_offers_the_setting_with_its_explanation(client, town):
    person = UserFactory()
    client.force_login(person)
    page = client.get(reverse("me"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    forms = read_forms(page)
    assert forms.nested == 0 and forms.pressed == ["false", "false"]  # the header's, 我的's
    assert 'aria-labelledby="mine-display"' in page and "mode-switch-large" in page


def test_the_activitys_sign_up_comes_first_in_elder_mode(client, town, area_a):
    activity = ActivityFactory(area=area_a)
    client.force_login(UserFactory(residential_area=area_a))
    url = activity.get_absolute_url()
    page = client.get(url).content.decode()
    assert page.index('class="facts"') < page.index('data-task="signup"')
    assert page.count('data-task="signup"') == 1
    switch(client, "elder")
    page = client.get(url).content.decode()
    assert page.index("data-task-slot") < page.index('data-task="signup"')
    assert page.index('data-task="signup"') < page.index('class="facts"')
    assert page.count('data-task="signup"') == 1
    assert f'action="{url}register/"' in page


def test_the_proposals_support_and_comment_come_first_in_elder_mode(client, town, area_a):
    author = UserFactory(residential_area=area_a)
    proposal = make_proposal(town=town, author=author, area=area_a)
    client.force_login(UserFactory(residential_area=area_a))
    url = proposal.get_absolute_url()
    page = client.get(url).content.decode()
    assert page.index('class="facts"') < page.index('data-task="support"')
    switch(client, "elder")
    page = client.get(url).content.decode()
    assert page.index('data-task="support"') < page.index('class="facts"')
    assert page.count('data-task="support"') == 1
    assert page.index('href="#comment-form"') < page.index('id="comment-form"')
    # The support box htmx swaps is the same partial, wherever the page shows it.
    swapped = client.post(
        reverse("proposals:support", args=[town.slug, proposal.pk]), HTTP_HX_REQUEST="true"
    )
    assert swapped.status_code == 200
    assert swapped.content.decode().lstrip().startswith('<section class="panel" id="support"')
