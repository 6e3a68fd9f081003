"""Reaching residents by their phone (issue 16), as they do it in a browser:

- a resident checks in at an activity's door with name and number (an account with
  no password), claims it by a code sent to that number, chooses a password; later
  forgets it and recovers it by code; then logs in with the new one;
- another resident logs in by code alone.

Codes are read from the console backend's outbox, as the demo's administrator does.
Assertions rely on data and stable selectors, not on translated words.
"""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.accounts.models import User
from gongzhi.core.models import SmsOutbox
from gongzhi.demo.places import NAMED_AREA
from gongzhi.events.models import Attendance
from gongzhi.events.services import checkin_token
from gongzhi.places.models import ResidentialArea
from gongzhi.tests.factories import ActivityFactory

from .browser import check_page

pytestmark = pytest.mark.browser

SUBMIT = 'main form[method="post"] button[type="submit"]'
DOOR = {"phone": ("13766660001", "吴阿婆"), "desk": ("13766660002", "郑老伯")}
FIRST_PASSWORD = "osmanthus-tea-51"
NEW_PASSWORD = "camellia-path-84"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts codes per number in the cache (one a minute): each test starts
    with none used, as a person would after a while."""
    cache.clear()
    yield
    cache.clear()


def sent_code(phone: str, before: int = 0) -> str:
    """The code in the newest text message to ``phone``; ``before`` is how many had
    been sent to it, so a message still on its way is not mistaken for the last."""
    messages = SmsOutbox.objects.filter(phone=phone)
    assert messages.count() > before, f"no new text message to {phone}"
    return re.search(r"\d{6}", messages.latest("pk").text).group(0)


def ask_for_code(page, phone: str, name: str) -> str:
    """On the log-in-by-code page: type the number, send, and read the code."""
    before = SmsOutbox.objects.filter(phone=phone).count()
    expect(page).to_have_url(re.compile(r"/accounts/login/code/"))
    check_page(page, name)
    page.fill("#id_phone", phone)
    page.locator(SUBMIT).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/code/confirm/"))
    return sent_code(phone, before)


def enter_code(page, code: str, name: str) -> None:
    check_page(page, name)
    page.fill("#id_code", code)
    page.locator(SUBMIT).first.click()


def log_out(page) -> None:
    page.locator('form[action$="/accounts/logout/"] button[type="submit"]').click()
    expect(page.locator(".account-nav .user-name")).to_have_count(0)


def test_door_account_is_claimed_and_its_password_recovered(page, viewport, demo_town):
    phone, name = DOOR[viewport]
    area = ResidentialArea.objects.get(town=demo_town, name=NAMED_AREA)
    starts = timezone.now() + timedelta(minutes=30)
    activity = ActivityFactory(
        area=area, title="睦邻茶话会", starts_at=starts, ends_at=starts + timedelta(hours=2)
    )

    # At the door: the QR code's link, a name and a number.
    page.goto(f"/t/{demo_town.slug}/activities/{activity.pk}/checkin/{checkin_token(activity)}/")
    page.fill("#id_name", name)
    page.fill("#id_phone", phone)
    page.check("#id_consent")
    page.locator(SUBMIT).click()
    account = User.objects.get(phone=phone)
    assert Attendance.objects.filter(activity=activity, user=account).exists()
    assert not account.has_usable_password() and not account.phone_verified
    check_page(page, "phone-01-checked-in")

    # The page says the account exists and leads to logging in by code.
    page.locator('main a[href$="/accounts/login/code/"]').click()
    code = ask_for_code(page, phone, "phone-02-request-code")
    enter_code(page, code, "phone-03-enter-code")

    # Claimed: asked to choose a password.
    expect(page).to_have_url(re.compile(r"/accounts/password/set/$"))
    check_page(page, "phone-04-choose-password")
    page.fill("#id_password1", FIRST_PASSWORD)
    page.fill("#id_password2", FIRST_PASSWORD)
    page.locator(SUBMIT).click()
    expect(page.locator(".account-nav .user-name")).to_have_text(name)
    account.refresh_from_db()
    assert account.phone_verified and account.check_password(FIRST_PASSWORD)
    log_out(page)

    # Months later the password is forgotten (the minute between codes long past).
    cache.clear()
    page.goto("/accounts/login/")
    check_page(page, "phone-05-login")
    page.locator('main a[href$="/accounts/password/reset/"]').click()
    code = ask_for_code(page, phone, "phone-06-recover")
    enter_code(page, code, "phone-07-recover-code")
    expect(page).to_have_url(re.compile(r"/accounts/password/new/$"))
    check_page(page, "phone-08-new-password")
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    page.locator(SUBMIT).click()
    expect(page).to_have_url(re.compile(r"/me/$"))
    log_out(page)

    # The new password works; the old one no longer does.
    page.goto("/accounts/login/")
    page.fill("#id_login", phone)
    page.fill("#id_password", FIRST_PASSWORD)
    page.locator(SUBMIT).click()
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.fill("#id_password", NEW_PASSWORD)
    page.locator(SUBMIT).click()
    expect(page.locator(".account-nav .user-name")).to_have_text(name)


def test_resident_logs_in_by_code_alone(page, viewport, demo_town):
    phone = {"phone": "13800000001", "desk": "13800000002"}[viewport]
    page.goto("/accounts/login/")
    page.locator('main a[href*="/accounts/login/code/"]').click()
    code = ask_for_code(page, phone, "code-01-request")
    enter_code(page, code, "code-02-enter")
    expect(page.locator(".account-nav .user-name")).to_have_text(
        User.objects.get(phone=phone).display_name
    )


def test_a_reminder_reaches_each_registered_person_once(page, viewport, demo_town):
    """The day-before reminder, run twice by cron (or by two workers at once), texts
    each registered person once: the administrator reads the demo outbox."""
    from gongzhi.accounts.services import give_consent
    from gongzhi.core.sms.outgoing import quiet_until, send_due
    from gongzhi.events.services import register
    from gongzhi.events.tasks import remind_tomorrow
    from gongzhi.tests.factories import UserFactory

    from .browser import log_in

    area = ResidentialArea.objects.get(town=demo_town, name=NAMED_AREA)
    starts = timezone.localtime() + timedelta(days=1)
    activity = ActivityFactory(
        area=area, title="旧物改造工作坊", starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    people = [UserFactory(phone=f"1375555{viewport == 'desk':d}{n:03d}") for n in range(3)]
    for person in people:
        give_consent(user=person, kind="sms_notifications")  # takes texts; number verified
        register(activity=activity, user=person)

    assert [remind_tomorrow(), remind_tomorrow()] == [3, 0]
    # cron's send_due_sms, twice; between 21:00 and 08:00 the texts wait for 08:00.
    morning = quiet_until(timezone.now()) or timezone.now()
    send_due(now=morning)
    send_due(now=morning)

    log_in(page, "13800000005", "/sms/outbox/", "outbox-01")
    for person in people:
        rows = page.locator("main tbody tr", has_text=person.phone)
        expect(rows).to_have_count(1)
        expect(rows).to_contain_text("旧物改造工作坊")
