"""Browser-test fixtures: one headless Chromium per session against Django's live
server, and a fresh browser context per test at each viewport in VIEWPORTS."""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in the main thread; without this
# Django refuses the ORM calls tests make there (seeding, assertions on rows).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.conf import settings  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from .browser import VIEWPORTS, new_page  # noqa: E402

# The live server serves uploaded photos as the demo does, so a page's photos load in
# the browser and check_page can tell a broken image from a working one. Set before
# the URLconf is first imported, which reads it.
settings.GONGZHI_SERVE_MEDIA = True

CHROMIUM = os.environ.get("GONGZHI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the suite may run as root, in a container
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _live_server_settings(settings):
    """What the plain-http live server needs; settings are shared with its thread."""
    # DEBUG is off, so these cookies would be Secure and never come back over http.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    # The manifest storage needs collectstatic; the live server serves from finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Seeding the demo accounts, signing up and logging in hash passwords; the
    # production hasher's deliberate slowness only costs time here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo_town(transactional_db):
    """高境镇 with its 32 areas and the demo accounts, committed so the server sees them."""
    from gongzhi.demo import places as demo

    return demo.seed()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    """The viewport's name: each browser test runs once per entry in VIEWPORTS."""
    return request.param


@pytest.fixture
def page(browser, viewport, live_server):
    """A new page in a fresh context at this run's viewport."""
    page = new_page(browser, live_server, viewport)
    yield page
    page.context.close()


@pytest.fixture
def open_page(browser, viewport, live_server):
    """Opens another person's page: a fresh context (own cookies) like the ``page``
    fixture's. Call it once per person."""
    pages = []

    def open_():
        pages.append(new_page(browser, live_server, viewport))
        return pages[-1]

    yield open_
    for opened in pages:
        opened.context.close()
