"""A newcomer's first visit: home page, language switch, sign-up (a mistake first),
log out, log in, log out again, at a phone's and a desk's width.

Assertions rely on data (高境镇, 逸景佳苑), the html lang attribute and stable
selectors, not on translated words.
"""

import re

import pytest
from playwright.sync_api import expect

from gongzhi.accounts.models import User

from .browser import check_page

pytestmark = pytest.mark.browser

PASSWORD = "lantern-harbour-73"
NEWCOMERS = {
    "phone": ("13912340001", "林小满"),
    "desk": ("13912340002", "周明远"),
}
LOGIN_LINK = '.account-nav a[href$="/accounts/login/"]'
SIGNUP_LINK = '.account-nav a[href$="/accounts/signup/"]'
LOGOUT_BUTTON = 'form[action$="/accounts/logout/"] button[type="submit"]'
SUBMIT = 'main form[method="post"] button[type="submit"]'


def sent_code(phone: str) -> str:
    """The code in the last text message to ``phone`` (the console backend's outbox)."""
    from gongzhi.core.models import SmsOutbox

    text = SmsOutbox.objects.filter(phone=phone).latest("pk").text
    return re.search(r"\d{6}", text).group(0)


def switch_language(page, code: str) -> None:
    """Pick a language in the header. The script submits the form on change; if it
    has not (no script, or not loaded yet) press the button, as a keyboard user would."""
    page.select_option("#lang-select", code)
    html = page.locator("html")
    try:
        expect(html).to_have_attribute("lang", code, timeout=5_000)
    except AssertionError:
        page.locator('form.lang-switch button[type="submit"]').click()
        expect(html).to_have_attribute("lang", code)
    page.wait_for_load_state("load")


def expect_logged_in_as(page, name: str) -> None:
    expect(page.locator(".account-nav .user-name")).to_have_text(name)
    expect(page.locator(LOGOUT_BUTTON)).to_be_visible()
    expect(page.locator(LOGIN_LINK)).to_have_count(0)


def log_out(page) -> None:
    page.locator(LOGOUT_BUTTON).click()
    expect(page.locator(LOGIN_LINK)).to_be_visible()
    expect(page.locator(".account-nav .user-name")).to_have_count(0)


def test_newcomer_signs_up_logs_in_and_out(page, viewport, demo_town):
    phone, name = NEWCOMERS[viewport]

    # The only town: the home page goes straight to it, in Chinese.
    page.goto("/")
    expect(page).to_have_url(re.compile(rf"/{demo_town.slug}/?$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("main h1")).to_have_text("高境镇")
    expect(page.locator("#lang-select")).to_have_value("zh-hans")
    check_page(page, "01-town-zh")

    # English, and the choice sticks on the same page.
    switch_language(page, "en")
    expect(page).to_have_url(re.compile(rf"/{demo_town.slug}/?$"))
    expect(page.locator("main h1")).to_have_text("高境镇")
    expect(page.locator(LOGIN_LINK)).to_have_text("Log in")
    expect(page.locator("#lang-select")).to_have_value("en")
    check_page(page, "02-town-en")

    page.locator(SIGNUP_LINK).click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check_page(page, "03-signup")

    # A mistyped number: the page says what is wrong, next to the field, and the
    # field points screen readers at the message.
    page.fill("#id_phone", "12345")
    page.fill("#id_display_name", name)
    area = page.locator("#id_residential_area option", has_text="逸景佳苑")
    page.select_option("#id_residential_area", area.get_attribute("value"))
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.check("#id_privacy_consent")
    page.locator(SUBMIT).click()
    phone_input = page.locator("#id_phone")
    expect(phone_input).to_have_attribute("aria-invalid", "true")
    expect(phone_input).to_have_attribute("aria-describedby", re.compile(r"\bid_phone_error\b"))
    expect(page.locator("#id_phone_error")).to_be_visible()
    expect(page.locator("#id_phone_error")).not_to_be_empty()
    # What was right is kept; passwords are never sent back.
    expect(page.locator("#id_display_name")).to_have_value(name)
    expect(page.locator("#id_residential_area option:checked")).to_contain_text("逸景佳苑")
    expect(page.locator("#id_privacy_consent")).to_be_checked()
    expect(page.locator("#id_password1")).to_have_value("")
    assert not User.objects.filter(display_name=name).exists()
    check_page(page, "04-signup-errors")

    page.fill("#id_phone", phone)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.locator(SUBMIT).click()

    # The number is proved by the code sent to it (the demo's console outbox).
    expect(page).to_have_url(re.compile(r"/accounts/phone/verify/$"))
    check_page(page, "05a-verify-phone")
    assert not User.objects.get(phone=phone).phone_verified
    page.fill("#id_code", sent_code(phone))
    page.locator(SUBMIT).first.click()
    expect(page).to_have_url(re.compile(rf"/{demo_town.slug}/?$"))
    expect_logged_in_as(page, name)
    expect(page.locator(".messages")).to_contain_text(name)
    user = User.objects.get(phone=phone)
    assert user.display_name == name and user.phone_verified
    assert user.residential_area.name == "逸景佳苑"
    check_page(page, "05-signed-up")

    log_out(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.locator(LOGIN_LINK).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    check_page(page, "06-login")
    page.fill("#id_login", phone)
    page.fill("#id_password", PASSWORD)
    page.locator(SUBMIT).click()
    expect(page).to_have_url(re.compile(rf"/{demo_town.slug}/?$"))
    expect_logged_in_as(page, name)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check_page(page, "07-logged-in")

    log_out(page)
    expect(page.locator(SIGNUP_LINK)).to_be_visible()
    check_page(page, "08-logged-out")
