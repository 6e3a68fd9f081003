"""Visitors' pages from the cache (core/pagecache.py): kept for visitors only, with each
visitor's own CSRF token, and stale after no write at all. Every POST action's write
is also checked in the permission matrix (test_action_matrix draws a new version)."""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client

from gongzhi.core import pagecache
from gongzhi.core.models import Notification
from gongzhi.core.testing import during_a_held_write
from gongzhi.proposals import services
from gongzhi.proposals.models import Proposal
from gongzhi.proposals.tests.builders import supported_proposal
from gongzhi.tests.factories import AreaFactory, TownFactory, UserFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def supports_shown(response) -> int:
    """The support count a proposal page shows (in Chinese, the default)."""
    found = re.search(r"(\d+) 位居民支持这项提案", response.content.decode())
    assert found, "the page shows no support count"
    return int(found.group(1))


@pytest.fixture
def proposal(town, area_a):
    proposal, _author, _users = supported_proposal(town=town, area=area_a, supporters=2)
    return proposal


def test_a_visitors_page_is_kept_and_served_with_the_visitors_own_token(proposal):
    url = proposal.get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    stored = first.get(url)
    assert stored["X-Page-Cache"] == "stored"
    hit = second.get(url)
    assert hit["X-Page-Cache"] == "hit" and hit.status_code == 200
    assert supports_shown(hit) == 2
    # The second visitor got a token cookie of their own, and the page's forms carry
    # a token that matches it: the 长辈版 switch posts from the cached page.
    assert second.cookies["csrftoken"].value != first.cookies["csrftoken"].value
    tokens = set(TOKEN.findall(hit.content.decode()))
    assert tokens and pagecache.CSRF_SLOT.decode() not in hit.content.decode()
    switched = second.post(
        "/mode/", {"mode": "elder", "next": url, "csrfmiddlewaretoken": tokens.pop()}
    )
    assert switched.status_code == 302
    # In 长辈版 the page is another page (its own key), rendered for that mode.
    elder = second.get(url)
    assert elder["X-Page-Cache"] == "stored" and 'class="elder"' in elder.content.decode()
    assert first.get(url)["X-Page-Cache"] == "hit"


def test_signed_in_pages_are_never_shared(proposal, client_for, people):
    """Two residents and a staff member: each sees their own page, never a visitor's
    page from the cache, and no visitor is ever served theirs."""
    url = proposal.get_absolute_url()
    clients = {role: client_for(role) for role in ("resident", "partner", "area_staff")}
    Client().get(url)  # a visitor's page is kept (after signing in, which writes)
    seen = {}
    assert len(clients) == 3
    for role, client in clients.items():
        response = client.get(url)
        assert response.get("X-Page-Cache") is None, role  # not even looked up
        seen[role] = response.content.decode()
    assert len(seen) == 3
    for role, text in seen.items():
        assert people[role].display_name in text, f"{role} does not see their own name"
        others = [r for r in seen if r != role]
        assert not any(people[other].display_name in text for other in others), role
    visitor = Client().get(url)
    assert visitor["X-Page-Cache"] == "hit"
    assert not any(person.display_name in visitor.content.decode() for person in people.values())


def test_a_write_is_visible_on_the_next_read(proposal, client_for):
    url = proposal.get_absolute_url()
    visitor = Client()
    visitor.get(url)
    assert supports_shown(visitor.get(url)) == 2
    # Through the service, outside any request (a task, a shell, a paper desk).
    services.support_proposal(proposal=proposal, user=UserFactory())
    page = visitor.get(url)
    assert page["X-Page-Cache"] == "stored" and supports_shown(page) == 3
    # Through a request of a signed-in resident.
    response = client_for("resident").post(f"{url}support/")
    assert response.status_code == 302
    assert supports_shown(visitor.get(url)) == 4
    # A bulk update that sends no model signal.
    Proposal.objects.filter(pk=proposal.pk).update(title="楼道加装扶手和照明")
    assert "楼道加装扶手和照明" in visitor.get(url).content.decode()


def test_writes_nobody_sees_keep_the_cache(proposal, people):
    """A notification (or a session, an audit event, a text message) is on no
    visitor's page: writing one keeps the visitors' pages."""
    url = proposal.get_absolute_url()
    Client().get(url)
    version = pagecache.data_version()
    Notification.objects.create(user=people["resident"], kind="test", message="消息")
    assert pagecache.data_version() == version
    assert Client().get(url)["X-Page-Cache"] == "hit"


def test_pages_that_are_not_the_same_for_every_visitor_are_not_kept(proposal):
    url = proposal.get_absolute_url()
    visitor = Client()
    assert visitor.get(url, headers={"HX-Request": "true"}).get("X-Page-Cache") is None
    visitor.cookies["messages"] = "anything"
    assert visitor.get(url).get("X-Page-Cache") is None
    assert Client().get("/accounts/login/?next=/x/")["X-Page-Cache"] in ("stored", "miss")
    missing = Client().get(url + "nothing-here/")
    assert missing.status_code == 404 and missing.get("X-Page-Cache") != "hit"


def test_which_statements_write():
    assert pagecache.written_table('INSERT INTO "proposals_support" ("a") VALUES (1)') == (
        "proposals_support"
    )
    assert pagecache.written_table('UPDATE "proposals_proposal" SET "x" = 1') == (
        "proposals_proposal"
    )
    assert pagecache.written_table('DELETE FROM "django_session" WHERE 1') == "django_session"
    assert pagecache.written_table("ALTER TABLE x ADD COLUMN y int") == "x"
    assert pagecache.written_table('SELECT * FROM "proposals_proposal" FOR UPDATE') is None
    assert pagecache.written_table("SAVEPOINT s1") is None


@pytest.mark.django_db(transaction=True)
def test_a_page_rendered_before_a_commit_is_not_served_after_it():
    """A visitor's page rendered while a support is written but not yet committed shows
    the old count and is kept; the commit draws a new version, so the next visitor
    sees the support (PostgreSQL only: SQLite lets no one read during a write)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite blocks readers of a table being written")
    town = TownFactory(slug="race")
    area = AreaFactory(town=town)
    proposal, _author, _users = supported_proposal(town=town, area=area, supporters=2)
    url = proposal.get_absolute_url()
    during = during_a_held_write(
        lambda: services.support_proposal(proposal=proposal, user=UserFactory()),
        lambda: Client().get(url),
    )
    assert during["X-Page-Cache"] == "stored" and supports_shown(during) == 2
    after = Client().get(url)
    assert supports_shown(after) == 3, "a page from before the commit was served after it"
    caches[pagecache.CACHE_ALIAS].clear()


@pytest.mark.parametrize("kind", ["redis", "files"])
def test_a_cache_that_cannot_be_reached_is_a_miss(proposal, settings, client_for, tmp_path, kind):
    """Redis away (configured as config/settings.py does with REDIS_URL), or a disk that
    cannot be written: pages are rendered, writes go on, figures are counted, and the
    dashboard's kept fragments are rendered (no 500)."""
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "redis": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": "redis://127.0.0.1:9/0",
                "OPTIONS": {"IGNORE_EXCEPTIONS": True},
            },
            "files": {
                "BACKEND": "gongzhi.core.pagecache.QuietFileBasedCache",
                "LOCATION": str(blocked / "pages"),
            },
        }[kind],
    }
    url = proposal.get_absolute_url()
    page = Client().get(url)
    assert page.status_code == 200 and supports_shown(page) == 2
    assert client_for("resident").post(f"{url}support/").status_code == 302
    assert supports_shown(Client().get(url)) == 3
    year = proposal.created_at.year
    stats = Client().get("/api/v1/stats", {"year": year, "town": proposal.town.slug})
    assert stats.status_code == 200 and stats.json()["figures"]["proposals"]["value"] == 1
    dashboard = f"/t/{proposal.town.slug}/reports/?year={year}"
    for client in (Client(), client_for("secretariat")):
        response = client.get(dashboard)
        assert response.status_code == 200 and 'id="figure-proposals"' in response.content.decode()
    # A person's own pages (kept_per_person) are rendered too.
    mine = client_for("resident").get("/me/")
    assert mine.status_code == 200 and proposal.title in mine.content.decode()


def test_a_visitor_with_a_cookie_the_key_does_not_know_is_neither_served_nor_kept(
    town, area_a, people
):
    """The survey's device cookie says "you have already answered": the page of a
    visitor who answered is not kept for others, nor the form kept for others served
    to them."""
    from gongzhi.surveys.tests.builders import build_survey
    from gongzhi.surveys.tests.test_pages import form_data

    survey = build_survey(town=town, area=area_a, actor=people["area_staff"], allows_anonymous=True)
    url = survey.get_absolute_url()
    assert Client().get(url)["X-Page-Cache"] == "stored"  # the form, kept for visitors
    answered = Client()
    assert answered.post(url, form_data(survey)).status_code == 302
    assert "gz_device" in answered.cookies
    Client().get(url)  # the form kept again, under the version the answer drew
    page = answered.get(url)
    assert page.get("X-Page-Cache") is None and "您已填写过这份问卷" in page.content.decode()
    for visitor in (Client(), Client()):
        form = visitor.get(url)
        assert "您已填写过这份问卷" not in form.content.decode()
        assert 'name="q' in form.content.decode()


# --- A signed-in person's own pages (kept_per_person) -------------------------------------

OWN_PAGES = {
    "resident": ["/me/"],
    "partner": ["/me/"],
    "area_staff": ["/me/", "/todo/"],
    "secretariat": ["/me/", "/todo/"],
}


def personal_hits() -> float:
    from prometheus_client import REGISTRY

    return REGISTRY.get_sample_value("gongzhi_personal_page_cache_total", {"result": "hit"}) or 0


def without_tokens(response) -> str:
    return TOKEN.sub("", response.content.decode())


def test_a_persons_own_page_is_kept_for_them_alone(client_for, people):
    """我的 and 待办 of two residents and two staff members: each kept and served again
    to that person only, and to nobody else."""
    # Everyone signs in first (which writes): then nothing is written between the reads.
    clients = {role: client_for(role) for role in OWN_PAGES}
    hits_before = personal_hits()
    reads = [
        (role, url, clients[role].get(url), clients[role].get(url))
        for role, urls in OWN_PAGES.items()
        for url in urls
    ]
    assert len(reads) == 6
    assert personal_hits() - hits_before == 6  # counted for /metrics
    for role, url, first, again in reads:
        assert (first.status_code, first["X-Page-Cache"]) == (200, "stored"), (role, url)
        assert (again.status_code, again["X-Page-Cache"]) == (200, "hit"), (role, url)
        assert without_tokens(again) == without_tokens(first)
        text = again.content.decode()
        assert people[role].display_name in text, (role, url)
        others = [people[other].display_name for other in OWN_PAGES if other != role]
        assert not any(name in text for name in others), (role, url)
    # A page refused is never kept: the resident is told where their things are, twice.
    resident = client_for("resident")
    refused = [resident.get("/todo/"), resident.get("/todo/")]
    assert [(r.status_code, r["X-Page-Cache"]) for r in refused] == [(403, "miss")] * 2


def test_the_persons_next_read_shows_a_write_a_message_and_a_notice(proposal, client_for, people):
    resident = client_for("resident")
    resident.get("/me/")
    assert resident.get("/me/")["X-Page-Cache"] == "hit"
    # Their own action, which flashes what was done: the next page is rendered to show it.
    assert resident.post(f"{proposal.get_absolute_url()}support/").status_code == 302
    page = resident.get("/me/")
    assert page.get("X-Page-Cache") is None and 'class="message' in page.content.decode()
    assert proposal.title in page.content.decode()
    kept = resident.get("/me/")
    assert kept["X-Page-Cache"] == "stored" and 'class="message' not in kept.content.decode()
    # Someone else's write, through a service outside any request.
    services.support_proposal(proposal=proposal, user=UserFactory())
    assert resident.get("/me/")["X-Page-Cache"] == "stored"
    # A new in-app message draws no version, but its badge shows on the next page.
    assert 'class="badge">1<' not in resident.get("/me/").content.decode()
    Notification.objects.create(user=people["resident"], kind="test", message="消息")
    page = resident.get("/me/")
    assert page["X-Page-Cache"] == "stored" and 'class="badge">1<' in page.content.decode()


def test_a_kept_page_is_not_served_once_the_role_is_taken_away(client_for, people):
    staff = client_for("area_staff")
    staff.get("/todo/")
    assert staff.get("/todo/")["X-Page-Cache"] == "hit"
    people["area_staff"].role_grants.all().delete()
    assert staff.get("/todo/").status_code == 403


def test_kept_forms_carry_the_readers_tokens(rf, people, monkeypatch):
    """Each reader of a kept page gets their current CSRF token and, in each form, a
    fresh one-time submission token (two tabs are two submissions)."""
    from django.template import engines

    page = engines["django"].from_string(
        "{% load gongzhi %}<form>{% csrf_token %}{% submission_token %}</form>"
        "<form>{% submission_token %}</form>"
    )

    monkeypatch.setattr(pagecache, "KEPT_VIEWS", set())  # this view is the test's own

    @pagecache.kept_per_person
    def view(request):
        from django.http import HttpResponse

        return HttpResponse(page.render({}, request))

    def read():
        request = rf.get("/kept/")
        request.user = people["resident"]
        response = view(request)
        text = response.content.decode()
        return response["X-Page-Cache"], TOKEN.findall(text), SUBMISSION.findall(text)

    (stored, _, first), (hit, csrf, second) = read(), read()
    assert (stored, hit) == ("stored", "hit")
    assert len(csrf) == 1 and pagecache.CSRF_SLOT.decode() not in csrf[0]
    assert len(first) == len(second) == 2
    assert len(set(first) | set(second)) == 4, "a submission token was served twice"


SUBMISSION = re.compile(r'name="submission_token" value="([^"]+)"')


def test_a_kept_page_writes_nothing(town, area_a, people, client_for, settings, tmp_path):
    """On a hit the view does not run, so only a view whose GET writes nothing may be
    kept per person: no audit event (the residents' roster logs each read and is not
    kept), no "read" mark. Each kept view is read by a resident and two staff members,
    and not one INSERT, UPDATE or DELETE is sent, to any table."""
    from django.test.utils import CaptureQueriesContext
    from django.urls import resolve

    from gongzhi.meetings.tests.builders import make_meeting
    from gongzhi.renewal.tests.builders import new_project

    settings.MEDIA_ROOT = tmp_path / "media"
    project = new_project(actor=people["area_staff"], area=area_a)
    meeting = make_meeting(town=town, area=area_a, actor=people["area_staff"])
    urls = [
        "/me/",
        "/todo/",
        f"/t/{town.slug}/partners/",
        f"/t/{town.slug}/plans/board/",
        project.process.get_absolute_url(),
        project.get_absolute_url(),
        meeting.get_absolute_url(),
    ]
    views = {f"{resolve(url).func.__module__}.{resolve(url).func.__name__}" for url in urls}
    assert views == pagecache.KEPT_VIEWS, "a kept view this test does not read"
    clients = {role: client_for(role) for role in ("resident", "area_staff", "secretariat")}
    with CaptureQueriesContext(connection) as queries:
        read = {(role, url): client.get(url) for role, client in clients.items() for url in urls}
    assert [read["area_staff", url].status_code for url in urls] == [200] * len(urls)
    assert {r.get("X-Page-Cache") for r in read.values()} <= {"stored", "miss", None}
    writes = [
        q["sql"] for q in queries.captured_queries if pagecache.written_table(q["sql"]) is not None
    ]
    assert len(queries.captured_queries) > len(read) and writes == []
