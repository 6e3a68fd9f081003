"""Every page a resident or partner reaches, and the reports, the annual report and the
progress board, on a 360 px phone: nothing scrolls sideways, axe finds nothing serious,
every link, button, control and disclosure on the page is at least 44 × 44 CSS px
(an inline link in running text excepted, as WCAG allows), and no date or time breaks
across lines. At a desk the board uses the screen's width.

The whole demo is seeded once for the module (it takes most of the module's time) and
each page is one test; each person logs in once, in their own browser context. The
pages are found from the seeded records, not from fixed ids.
"""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from .browser import assert_touch_targets, check_page, log_in, new_page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("pages_360")]

PHONES = {"resident": "13800000001", "partner": "13800000002", "secretariat": "13800000004"}

# Any date or time on the page that a line break splits (<time> keeps them whole).
BROKEN_DATES_JS = """() => [...document.querySelectorAll("main time")]
    .filter((t) => new Set([...t.getClientRects()].filter((r) => r.width)
        .map((r) => Math.round(r.top))).size > 1)
    .map((t) => t.textContent)"""


@pytest.fixture(autouse=True)
def _live_server_helper(request, django_db_blocker):
    """pytest-django's helper of the same name, without the transactional_db it asks
    for: that fixture empties the database after every test, and this module's world
    (the ``world`` fixture) is seeded once and lives until the module ends."""
    if "live_server" not in request.fixturenames:
        yield
        return
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    with django_db_blocker.unblock():
        yield
    live_server._live_server_modified_settings.disable()


def _urls() -> dict[str, str]:
    """The pages to visit, from the seeded demo."""
    from gongzhi.contests.models import Contest, Entry
    from gongzhi.demo.places import NAMED_AREA
    from gongzhi.events.models import Activity
    from gongzhi.meetings.models import Meeting
    from gongzhi.partners.models import Partner
    from gongzhi.places.models import ResidentialArea, Town
    from gongzhi.planning.models import Consultation, PlanningProcess, PublicNotice, StepRun
    from gongzhi.proposals.models import Proposal
    from gongzhi.renewal.models import Project
    from gongzhi.surveys.models import Survey

    town = Town.objects.get()
    slug = town.slug
    now = timezone.now()
    area = ResidentialArea.objects.get(town=town, name=NAMED_AREA)
    coming = Activity.objects.filter(town=town, starts_at__gte=now).order_by("starts_at").first()
    past = Activity.objects.filter(town=town, starts_at__lt=now).order_by("-starts_at").first()
    discussed = max(Proposal.objects.filter(town=town), key=lambda p: p.comments.count())
    completed = PlanningProcess.objects.filter(town=town, status="completed").first()
    returned = (
        PlanningProcess.objects.filter(town=town, runs__outcome="returned").distinct().first()
    )
    running = StepRun.objects.filter(process__town=town, closed_at__isnull=True)
    in_design = running.filter(step__kind="participatory_design").first()
    notice = PublicNotice.objects.filter(run__process__town=town).order_by("-starts_on").first()
    consultation = Consultation.objects.filter(run__process__town=town).last()
    built = Project.objects.filter(town=town, status="completed").first()
    building = Project.objects.filter(town=town, status="construction").first()
    contest = Contest.objects.filter(town=town).first()
    entry = Entry.objects.filter(contest=contest).first()
    survey = Survey.objects.filter(town=town, status="open").first()
    held = Meeting.objects.filter(town=town, motions__isnull=False).distinct().last()
    year = Activity.objects.filter(town=town).earliest("starts_at").starts_at.year
    partner = Partner.objects.get(user__phone=PHONES["partner"])

    def plan(process, page=""):
        return f"/t/{slug}/plans/{process.pk}/{page}"

    return {
        "home": reverse("places:home"),
        "town": town.get_absolute_url(),
        "areas": reverse("places:area_list", args=[slug]),
        "area": reverse("places:area", args=[slug, area.pk]),
        "activities": reverse("events:activity_list", args=[slug]),
        "figures": reverse("events:figures", args=[slug]),
        "activity-coming": coming.get_absolute_url(),
        "activity-past": past.get_absolute_url(),
        "proposals": reverse("proposals:proposal_list", args=[slug]),
        "proposal": discussed.get_absolute_url(),
        "proposal-new": reverse("proposals:submit", args=[slug]),
        "plans": reverse("planning:process_list", args=[slug]),
        "plan-completed": plan(completed),
        "plan-returned": plan(returned),
        "plan-in-design": plan(in_design.process),
        "plan-notice": plan(notice.run.process),
        "notice": plan(notice.run.process, "notice/"),
        "consultation": plan(consultation.run.process, "consultation/"),
        "projects": reverse("renewal:project_list", args=[slug]),
        "project-built": built.get_absolute_url(),
        "project-building": building.get_absolute_url(),
        "contests": reverse("contests:contest_list", args=[slug]),
        "contest": contest.get_absolute_url(),
        "entry": entry.get_absolute_url(),
        "survey": survey.get_absolute_url(),
        "survey-manage": reverse("surveys:manage", args=[slug, survey.pk]),
        "meetings": reverse("meetings:meeting_list", args=[slug]),
        "meeting": held.get_absolute_url(),
        "apply": reverse("partners:apply", args=[slug]),
        "login": reverse("account_login"),
        "signup": reverse("account_signup"),
        "privacy": reverse("accounts:privacy"),
        "me": reverse("me"),
        "notifications": reverse("notifications"),
        "my-data": reverse("accounts:my_data"),
        "password": reverse("account_change_password"),
        "hours": reverse("events:my_hours"),
        "certificate": reverse("events:certificate"),
        "my-applications": reverse("partners:my_applications"),
        "partner-profile": partner.get_absolute_url(),
        "reports": reverse("reports:dashboard", args=[slug]),
        "annual": reverse("reports:annual", args=[slug, year]),
        "board": reverse("planning:board", args=[slug]),
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, seeded once for the module; the database is emptied after it, as
    transactional_db would, so the tests after this module start from nothing."""
    media = tmp_path_factory.mktemp("media")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The photos stay in ``media`` while the module's pages show them.
    with override_settings(MEDIA_ROOT=media):
        with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=hashers):
            call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
            urls = _urls()
        yield urls
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def pages(browser, live_server):
    """One page per person (a context of its own, at 360 px), logged in on first use."""
    opened = {}
    yield opened
    for page in opened.values():
        page.context.close()


def page_of(pages, browser, live_server, person: str, world):
    if person not in pages:
        page = new_page(browser, live_server, "phone")
        pages[person] = page
        if person != "anonymous":
            log_in(page, PHONES[person], world["me"], f"pages-360-{person}-login")
    return pages[person]


# (who, page): anonymous visitors see the public pages, the resident their own pages
# and the forms, the partner theirs, the secretariat the reports and the board.
VISITS = [
    ("anonymous", "home"),
    ("anonymous", "town"),
    ("anonymous", "areas"),
    ("anonymous", "area"),
    ("anonymous", "activities"),
    ("anonymous", "activity-past"),
    ("anonymous", "figures"),
    ("anonymous", "proposals"),
    ("anonymous", "plans"),
    ("anonymous", "plan-completed"),
    ("anonymous", "plan-returned"),
    ("anonymous", "plan-in-design"),
    ("anonymous", "notice"),
    ("anonymous", "consultation"),
    ("anonymous", "projects"),
    ("anonymous", "project-built"),
    ("anonymous", "project-building"),
    ("anonymous", "contests"),
    ("anonymous", "contest"),
    ("anonymous", "entry"),
    ("anonymous", "meetings"),
    ("anonymous", "meeting"),
    ("anonymous", "login"),
    ("anonymous", "signup"),
    ("anonymous", "privacy"),
    ("resident", "me"),
    ("resident", "notifications"),
    ("resident", "my-data"),
    ("resident", "password"),
    ("resident", "hours"),
    ("resident", "certificate"),
    ("resident", "my-applications"),
    ("resident", "apply"),
    ("resident", "activity-coming"),
    ("resident", "proposal"),
    ("resident", "proposal-new"),
    ("resident", "plan-notice"),
    ("resident", "survey"),
    ("partner", "me"),
    ("partner", "partner-profile"),
    ("partner", "my-applications"),
    ("secretariat", "reports"),
    ("secretariat", "annual"),
    ("secretariat", "board"),
]


@pytest.mark.parametrize(("person", "name"), VISITS, ids=[f"{p}-{n}" for p, n in VISITS])
def test_page_works_on_a_phone(browser, live_server, world, pages, person, name):
    page = page_of(pages, browser, live_server, person, world)
    response = page.goto(world[name])
    assert response.status == 200, (name, page.url, response.status)
    check_page(page, f"pages-360-{person}-{name}")
    assert_touch_targets(page, "body")
    assert not page.evaluate(BROKEN_DATES_JS), (name, page.url)


def test_the_progress_board_uses_a_desk_screens_width(browser, live_server, world):
    page = new_page(browser, live_server, "desk")
    try:
        log_in(page, PHONES["secretariat"], world["board"], "pages-desk-board-login")
        check_page(page, "pages-desk-board")
        main, table, window = page.evaluate(
            """() => [document.querySelector("main").getBoundingClientRect().width,
                      document.querySelector("main table").getBoundingClientRect().width,
                      window.innerWidth]"""
        )
        assert main >= window - 1, (main, window)
        assert table >= window * 0.9, (table, window)
        # Each row reads as a row at a desk, not as a stacked card.
        cell = page.evaluate("() => getComputedStyle(document.querySelector('main td')).display")
        assert cell == "table-cell", cell
    finally:
        page.context.close()


def test_the_printed_qr_codes_show_at_a_desk(browser, live_server, world):
    """The QR codes staff print for posters are SVG files shown in an <img>; a file
    without its namespace shows as a broken image (check_page lists broken images)."""
    page = new_page(browser, live_server, "desk")
    try:
        log_in(page, PHONES["secretariat"], world["survey-manage"], "pages-desk-survey-login")
        check_page(page, "pages-desk-survey-manage")
        assert page.locator("img.qr-large").evaluate("img => img.naturalWidth") > 0
        page.goto(world["apply"])
        check_page(page, "pages-desk-apply")
    finally:
        page.context.close()
