"""我的: a resident on a phone signs up for an activity and finds it on their 我的 page,
with when check-in opens; the page passes axe and every link on it is a finger's
size. Assertions rely on data and stable selectors, not on translated words."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from gongzhi.accounts.models import User
from gongzhi.demo.places import NAMED_AREA
from gongzhi.places.models import ResidentialArea
from gongzhi.tests.factories import ActivityFactory

from .browser import check_page, log_in

pytestmark = pytest.mark.browser

RESIDENT = "13800000001"
AREA_STAFF = "13800000003"


def test_resident_finds_the_activity_they_signed_up_for_on_me(page, demo_town):
    staff = User.objects.get(phone=AREA_STAFF)
    area = ResidentialArea.objects.get(town=demo_town, name=NAMED_AREA)
    starts = timezone.localtime() + timedelta(days=3)
    activity = ActivityFactory(
        area=area,
        title="口袋公园共建日",
        venue="逸景佳苑睦邻中心",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=30,
        created_by=staff,
    )
    detail = activity.get_absolute_url()
    log_in(page, RESIDENT, detail, "me-01-login")
    page.locator(f'main form[action$="{detail}register/"] button').click()
    expect(page.locator(f'main form[action$="{detail}cancel/"]')).to_be_visible()

    page.goto("/me/")
    section = page.locator("section[aria-labelledby=mine-events]")
    expect(section.locator(f'a[href="{detail}"]')).to_be_visible()
    # When check-in opens: an hour before the start.
    with translation.override("zh-hans"):  # as the Chinese page writes it
        opens = date_format(timezone.localtime(starts - timedelta(hours=1)), "DATETIME_FORMAT")
    expect(section).to_contain_text(opens)
    check_page(page, "me-02-signed-up")
    # Every link a finger reaches on 我的 is at least 44 × 44 CSS px.
    sizes = page.eval_on_selector_all(
        ".mine-sections a",
        "links => links.filter(a => a.offsetParent !== null).map(a => {"
        " const r = a.getBoundingClientRect();"
        " return [a.getAttribute('href'), r.width, r.height]; })",
    )
    assert sizes
    small = [size for size in sizes if size[1] < 44 or size[2] < 44]
    assert not small, small

    section.locator(f'a[href="{detail}"]').click()
    expect(page).to_have_url(re.compile(re.escape(detail) + "$"))
