"""Navigation that never dead-ends: on a 360 px phone a resident reading their
messages goes by the tab bar to the activities and on to one, and back by its
breadcrumb; at a desk the top menu does the same work and the tab bar is gone.

Assertions rely on data (titles, addresses) and stable selectors, not on translated
words.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.accounts.models import User
from gongzhi.demo.places import NAMED_AREA
from gongzhi.places.models import ResidentialArea
from gongzhi.tests.factories import ActivityFactory

from .browser import assert_touch_targets, check_page, log_in, new_page

pytestmark = pytest.mark.browser

RESIDENT = "13800000001"
AREA_STAFF = "13800000003"
TITLE = "睦邻花园认领日"
TABS = ".tab-bar"
HEADER = ".site-header"


@pytest.fixture
def activity(demo_town):
    staff = User.objects.get(phone=AREA_STAFF)
    area = ResidentialArea.objects.get(town=demo_town, name=NAMED_AREA)
    starts = timezone.now() + timedelta(days=7)
    return ActivityFactory(
        area=area,
        title=TITLE,
        venue="逸景佳苑睦邻中心",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=30,
        created_by=staff,
    )


def check_navigation(page, name: str) -> None:
    check_page(page, name)
    assert_touch_targets(page, HEADER)
    assert_touch_targets(page, TABS)
    # The fixed tab bar hides nothing: at the bottom of the page, the footer ends
    # above it.
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    footer_bottom, bar_top = page.evaluate(
        """() => [document.querySelector(".site-footer").getBoundingClientRect().bottom,
                  document.querySelector(".tab-bar").getBoundingClientRect().top]"""
    )
    assert footer_bottom <= bar_top + 1, (name, footer_bottom, bar_top)


def test_resident_goes_from_messages_to_an_activity_by_the_tab_bar(
    browser, live_server, demo_town, activity
):
    page = new_page(browser, live_server, "phone")
    try:
        town = demo_town.slug
        log_in(page, RESIDENT, "/notifications/", "navigation-01-login")
        tabs = page.locator(f"{TABS} a")
        expect(tabs).to_have_count(5)
        # Messages belong to 我的, the last tab.
        expect(tabs.nth(4)).to_have_attribute("aria-current", re.compile("page|true"))
        check_navigation(page, "navigation-02-messages")

        # 参与 (the second tab) leads into the resident's own town.
        tabs.nth(1).click()
        expect(page).to_have_url(re.compile(rf"/t/{town}/activities/$"))
        expect(page.locator(f"{TABS} a[aria-current]")).to_have_count(1)
        expect(tabs.nth(1)).to_have_attribute("aria-current", "page")
        check_navigation(page, "navigation-03-activities")

        detail = f"/t/{town}/activities/{activity.pk}/"
        page.locator(f'#results a[href="{detail}"]').click()
        expect(page.locator("main h1")).to_have_text(TITLE)
        expect(tabs.nth(1)).to_have_attribute("aria-current", "true")
        crumbs = page.locator("main nav.breadcrumb ol li a")
        expect(crumbs.first).to_have_attribute("href", f"/t/{town}/activities/")
        check_navigation(page, "navigation-04-activity")
        assert_touch_targets(page, "main nav.breadcrumb")

        # And back by the breadcrumb.
        crumbs.first.click()
        expect(page).to_have_url(re.compile(rf"/t/{town}/activities/$"))
    finally:
        page.context.close()


def test_at_a_desk_the_top_menu_leads_on_and_there_is_no_tab_bar(browser, live_server, demo_town):
    page = new_page(browser, live_server, "desk")
    try:
        log_in(page, RESIDENT, "/partners/applications/mine/", "navigation-05-login-desk")
        expect(page.locator(TABS)).to_be_hidden()
        pillars = page.locator(".pillars a")
        # The four pillars, the venues (一客一厅) and the reports.
        expect(pillars).to_have_count(6)
        check_page(page, "navigation-06-my-applications")
        assert_touch_targets(page, HEADER)
        pillars.nth(1).click()  # planning
        expect(page).to_have_url(re.compile(rf"/t/{demo_town.slug}/plans/$"))
        expect(pillars.nth(1)).to_have_attribute("aria-current", "page")
        check_page(page, "navigation-07-plans-desk")
    finally:
        page.context.close()
