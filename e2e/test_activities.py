"""Activities: a resident on a phone signs up, opens the check-in link of the QR code
on the organiser's screen, checks in, and appears in the roster and in the counts.

Each person has their own browser context (their own cookies). Assertions rely on
data (names, numbers, addresses) and stable selectors, not on translated words.
"""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.accounts.models import User
from gongzhi.demo.places import DEMO_PASSWORD, NAMED_AREA
from gongzhi.events.models import Attendance, Registration
from gongzhi.places.models import ResidentialArea
from gongzhi.tests.factories import ActivityFactory

from .browser import check_page, log_in

pytestmark = pytest.mark.browser

RESIDENT = "13800000001"
AREA_STAFF = "13800000003"  # staff of 逸景佳苑 and 第二居民区
TITLE = "楼道花园共建日"
SUBMIT = 'main form[method="post"] button[type="submit"]'


@pytest.fixture
def activity(demo_town):
    """Starts in half an hour: sign-up is still open and check-in already is (it
    opens an hour before the start)."""
    staff = User.objects.get(phone=AREA_STAFF)
    area = ResidentialArea.objects.get(town=demo_town, name=NAMED_AREA)
    starts = timezone.now() + timedelta(minutes=30)
    return ActivityFactory(
        area=area,
        title=TITLE,
        venue="逸景佳苑睦邻中心",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=30,
        created_by=staff,
    )


def numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def test_resident_signs_up_checks_in_by_qr_link_and_is_counted(
    page, open_page, demo_town, activity
):
    town = demo_town.slug
    detail = f"/t/{town}/activities/{activity.pk}/"
    resident = User.objects.get(phone=RESIDENT)

    # 1. The resident finds the activity in the list and signs up.
    page.goto(f"/t/{town}/activities/")
    check_page(page, "activities-01-list")
    page.locator(f'#results a[href="{detail}"]').click()
    expect(page.locator("main h1")).to_have_text(TITLE)
    check_page(page, "activities-02-detail-visitor")
    page.locator(f'main a.button[href$="next={detail}"]').click()
    check_page(page, "activities-03-login")
    page.fill("#id_login", RESIDENT)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator(SUBMIT).click()
    expect(page).to_have_url(re.compile(re.escape(detail) + "$"))
    page.locator(f'main form[action$="{detail}register/"] button').click()
    expect(page.locator(f'main form[action$="{detail}cancel/"]')).to_be_visible()
    assert Registration.objects.get(activity=activity, user=resident).status == "registered"
    check_page(page, "activities-04-signed-up")

    # 2. The area staff put the check-in QR code on a screen at the venue.
    staff = open_page()
    qr_screen = f"{detail}qr/"
    log_in(staff, AREA_STAFF, qr_screen, "activities-05-login-staff")
    expect(staff.locator("#code img.qr-large")).to_be_visible()
    assert staff.locator("#code img.qr-large").get_attribute("src").startswith("data:image/svg+xml")
    check_page(staff, "activities-06-qr-screen")
    checkin_url = staff.locator("#code a.checkin-link").get_attribute("href")
    checkin_path = urlsplit(checkin_url).path
    assert re.fullmatch(rf"{re.escape(detail)}checkin/\d+-[0-9a-f]+/", checkin_path)

    # 3. The resident opens the code's link: opening changes nothing, pressing does.
    page.goto(checkin_url)
    expect(page.locator("main h1")).to_be_visible()
    assert not Attendance.objects.filter(activity=activity).exists()
    check_page(page, "activities-07-check-in")
    page.locator(SUBMIT).click()
    expect(page.locator(f'main a[href="{detail}"]')).to_have_text(TITLE)
    attendance = Attendance.objects.get(activity=activity, user=resident)
    assert attendance.method == "qr"
    check_page(page, "activities-08-checked-in")

    # 4. The roster shows the resident checked in (a check-out button), and the
    # counts read 1 person-time, 0 counted at the door, 1 person.
    staff.goto(f"{detail}roster/")
    row = staff.locator("main table tbody tr", has_text=resident.display_name)
    expect(row).to_have_count(1)
    expect(row.locator('input[name="attendance"]')).to_have_value(str(attendance.pk))
    assert numbers(staff.locator("main > p > strong").first.inner_text()) == [1, 0, 1]
    check_page(staff, "activities-09-roster")

    # The QR screen's own count follows (its part refreshes by htmx).
    staff.goto(qr_screen)
    assert numbers(staff.locator("#code p[aria-live]").inner_text()) == [1, 1]

    # 5. The participation figures count it: 1 person-time, 1 person.
    page.goto(f"/t/{town}/activities/figures/")
    check_page(page, "activities-10-figures")
    row = page.locator("#activities tbody tr", has=page.locator(f'a[href="{detail}"]'))
    expect(row).to_have_count(1)
    assert [int(cell) for cell in row.locator("td.num").all_inner_texts()] == [1, 1]
