"""Accounts on django-allauth with the phone as the login (issue 16): sign-up verifies
the number, log-in by code, claiming an account made at the door, recovering a
forgotten password by code, changing the number, rate limits and no enumeration.

Codes are read from the console backend's outbox, as the demo's administrator does."""

import re
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from gongzhi.accounts.models import User
from gongzhi.accounts.services import create_account
from gongzhi.core.models import SmsOutbox
from gongzhi.core.testing import assert_nothing_written
from gongzhi.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts in the cache; each test starts with none used.
    cache.clear()
    yield
    cache.clear()


def last_code(phone: str) -> str:
    text = SmsOutbox.objects.filter(phone=phone).latest("pk").text
    return re.search(r"\d{6}", text).group(0)


def codes_sent(phone: str) -> int:
    return SmsOutbox.objects.filter(phone=phone).count()


def request_code(client, phone, **extra):
    return client.post(reverse("account_request_login_code"), {"phone": phone}, **extra)


def enter_code(client, code, **extra):
    return client.post(reverse("account_confirm_login_code"), {"code": code}, **extra)


def sign_up(client, area, *, phone="13912345678", password="quiet-garden-42", **extra):
    """The sign-up form, filled in as a resident would."""
    form = {
        "phone": phone,
        "display_name": "张三丰",
        "residential_area": str(area.pk),
        "password1": password,
        "password2": password,
        "privacy_consent": "on",
    }
    return client.post(reverse("account_signup"), form, **extra)


def test_sign_up_sends_a_code_and_verifies_the_number(client, area_a):
    response = sign_up(client, area_a)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_verify_phone")
    user = User.objects.get(phone="13912345678")
    assert not user.phone_verified
    # Not logged in until the number is proved.
    assert client.get(reverse("accounts:my_data")).status_code == 302
    assert codes_sent("13912345678") == 1
    wrong = client.post(reverse("account_verify_phone"), {"code": "000000"})
    assert wrong.status_code == 400
    done = client.post(reverse("account_verify_phone"), {"code": last_code("13912345678")})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.phone_verified
    assert client.get(reverse("accounts:my_data")).status_code == 200


def test_an_unverified_number_is_verified_at_its_first_password_login(client, people):
    """Numbers from before phone verification (the migration marks them unverified)
    prove themselves once, at the next log-in."""
    user = people["resident"]
    User.objects.filter(pk=user.pk).update(phone_verified=False)
    response = client.post(
        reverse("account_login"), {"login": user.phone, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_verify_phone")
    assert codes_sent(user.phone) == 1
    client.post(reverse("account_verify_phone"), {"code": last_code(user.phone)})
    user.refresh_from_db()
    assert user.phone_verified
    assert client.get(reverse("accounts:my_data")).status_code == 200


def test_log_in_by_code_alone(client, people):
    user = people["resident"]
    response = request_code(client, user.phone)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_login_code")
    assert codes_sent(user.phone) == 1
    response = enter_code(client, last_code(user.phone))
    assert response.status_code == 302
    assert client.get(reverse("accounts:my_data")).status_code == 200


def test_an_account_made_at_the_door_is_claimed_by_code(client, area_a):
    """A resident checked in at the door with name and number: no password, number
    unverified. The code proves the number, then they choose a password."""
    account = create_account(phone="13712345678", display_name="王阿姨", residential_area=area_a)
    assert not account.has_usable_password() and not account.phone_verified
    request_code(client, account.phone)
    response = enter_code(client, last_code(account.phone))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_set_password")
    account.refresh_from_db()
    assert account.phone_verified
    response = client.post(
        reverse("account_set_password"),
        {"password1": "morning-tea-77", "password2": "morning-tea-77"},
    )
    assert response.status_code == 302
    client.post(reverse("account_logout"))
    response = client.post(
        reverse("account_login"), {"login": account.phone, "password": "morning-tea-77"}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:my_data")).status_code == 200


def test_a_forgotten_password_is_recovered_by_code(client, people):
    user = people["resident"]
    start = client.get(reverse("account_reset_password"))
    assert start.status_code == 302
    assert start["Location"].startswith(reverse("account_request_login_code"))
    assert f"next={quote(reverse('accounts:new_password'), safe='')}" in start["Location"]
    client.post(
        reverse("account_request_login_code"),
        {"phone": user.phone, "next": reverse("accounts:new_password")},
    )
    response = client.post(
        reverse("account_confirm_login_code"),
        {"code": last_code(user.phone), "next": reverse("accounts:new_password")},
    )
    assert response["Location"] == reverse("accounts:new_password")
    response = client.post(
        reverse("accounts:new_password"),
        {"password1": "new-lantern-58", "password2": "new-lantern-58"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("new-lantern-58")
    # Still logged in after the change.
    assert client.get(reverse("accounts:my_data")).status_code == 200


def test_a_new_password_without_the_old_needs_a_code_login(client, people):
    user = people["resident"]
    client.force_login(user)
    with assert_nothing_written():
        response = client.post(
            reverse("accounts:new_password"),
            {"password1": "new-lantern-58", "password2": "new-lantern-58"},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_change_password")
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_an_unknown_number_gets_the_same_answer_and_no_message(client, people):
    known = request_code(client, people["resident"].phone)
    client.logout()
    unknown = request_code(client, "13600000000")
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert codes_sent("13600000000") == 0
    page = client.get(reverse("account_confirm_login_code"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "If 136****0000 has an account" in page.content.decode()


def test_wrong_codes_are_limited(client, people, settings):
    user = people["resident"]
    request_code(client, user.phone)
    code = last_code(user.phone)
    tries = settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS - 1
    wrong = [enter_code(client, "000000", HTTP_ACCEPT_LANGUAGE="en") for _ in range(tries)]
    assert [r.status_code for r in wrong] == [400] * tries
    assert "The code is not correct" in wrong[-1].content.decode()
    # The last wrong attempt ends the code: back to asking for one, and even the
    # right code no longer logs in.
    last = enter_code(client, "000000")
    assert last.status_code == 302
    assert last["Location"] == reverse("account_request_login_code")
    late = enter_code(client, code)
    assert late["Location"] == reverse("account_request_login_code")
    assert client.get(reverse("accounts:my_data")).status_code == 302


def test_an_expired_code_is_refused(client, people, settings):
    user = people["resident"]
    request_code(client, user.phone)
    code = last_code(user.phone)
    settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT = -1
    response = enter_code(client, code)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_request_login_code")
    assert client.get(reverse("accounts:my_data")).status_code == 302


def test_codes_for_one_number_are_rate_limited(client, people):
    user = people["resident"]
    assert request_code(client, user.phone).status_code == 302
    client.logout()
    again = request_code(client, user.phone, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400
    assert "Too many attempts for this number" in again.content.decode()
    assert codes_sent(user.phone) == 1


def test_codes_from_one_address_are_rate_limited(people):
    """Twenty requests a minute from one address, whatever the numbers (each from a
    fresh session, as a script would send them): then a clear refusal, and no code."""
    statuses = []
    for n in range(21):
        statuses.append(request_code(Client(), f"1360000{n:04d}").status_code)
    assert statuses[:20] == [302] * 20
    refused = request_code(Client(), people["resident"].phone, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "Too many attempts" in refused.content.decode()
    assert SmsOutbox.objects.count() == 0


def log_in(client, user, password=TEST_PASSWORD):
    """A real log-in (allauth records how the session authenticated)."""
    response = client.post(reverse("account_login"), {"login": user.phone, "password": password})
    assert response.status_code == 302


def test_changing_the_number_verifies_the_new_one_and_tells_the_old(client, people):
    user = people["resident"]
    old = user.phone
    log_in(client, user)
    response = client.post(reverse("account_change_phone"), {"phone": "13698765432"})
    assert response.status_code == 302
    # The old number stays until the new one is proved.
    user.refresh_from_db()
    assert user.phone == old
    assert codes_sent("13698765432") == 1
    client.post(reverse("account_verify_phone"), {"code": last_code("13698765432")})
    user.refresh_from_db()
    assert (user.phone, user.phone_verified) == ("13698765432", True)
    # The old number is told, with the new one masked.
    notice = SmsOutbox.objects.filter(phone=old).latest("pk").text
    assert "136****5432" in notice


def test_a_session_kept_for_days_must_prove_who_it_is_before_changing_the_number(client, people):
    """A phone left logged in ("remember me") is not enough to move the account to
    another number: the password again (or a code to the current number) first."""
    user = people["resident"]
    client.force_login(user)  # no log-in of the last minutes on record
    response = client.post(reverse("account_change_phone"), {"phone": "13698765432"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert codes_sent("13698765432") == 0
    wrong = client.post(response["Location"], {"password": "not-it"})
    assert wrong.status_code == 400
    confirmed = client.post(response["Location"], {"password": TEST_PASSWORD})
    assert confirmed.status_code == 302
    client.post(reverse("account_change_phone"), {"phone": "13698765432"})
    assert codes_sent("13698765432") == 1


def test_a_number_in_use_cannot_be_taken(client, people):
    """allauth checks again when the code is entered: the other account's number
    is refused even with the code sent to it, and nothing changes."""
    resident, partner = people["resident"], people["partner"]
    log_in(client, resident)
    client.post(reverse("account_change_phone"), {"phone": partner.phone})
    code = last_code(partner.phone) if codes_sent(partner.phone) else "000000"
    response = client.post(reverse("account_verify_phone"), {"code": code})
    assert response.status_code == 400
    resident.refresh_from_db()
    assert resident.phone != partner.phone
    assert User.objects.get(pk=partner.pk).phone == partner.phone


def test_a_mistyped_new_number_can_be_corrected(client, people):
    log_in(client, people["resident"])
    assert client.post(reverse("account_change_phone"), {"phone": "1369876"}).status_code == 400
    fixed = client.post(reverse("account_change_phone"), {"phone": "13698765432"})
    assert fixed.status_code == 302
    assert codes_sent("13698765432") == 1


def test_a_second_log_in_within_the_minute_of_an_unverified_number_is_a_clear_429(client, people):
    """The first log-in sends a verification code; a second one within the minute
    is past the limit on codes: a page saying to wait, never a 500."""
    user = people["resident"]
    User.objects.filter(pk=user.pk).update(phone_verified=False)
    form = {"login": user.phone, "password": TEST_PASSWORD}
    assert client.post(reverse("account_login"), form).status_code == 302
    client.post(reverse("account_logout"))
    again = client.post(reverse("account_login"), form, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 429
    assert "Please wait a few minutes" in again.content.decode()
    assert codes_sent(user.phone) == 1


def test_whoever_signed_up_with_a_number_loses_it_when_its_owner_claims_it(client, area_a):
    """Someone signs up with another's number (it stays unverified). When the real
    owner proves the number by a code, that password stops working and the owner is
    asked to choose one."""
    sign_up(Client(), area_a, phone="13712349999", password="squatter-pass-31")
    cache.clear()  # the owner comes days later
    request_code(client, "13712349999")
    response = enter_code(client, last_code("13712349999"))
    assert response["Location"] == reverse("account_set_password")
    account = User.objects.get(phone="13712349999")
    assert account.phone_verified and not account.has_usable_password()
    late = Client().post(
        reverse("account_login"), {"login": "13712349999", "password": "squatter-pass-31"}
    )
    assert late.status_code == 400


def test_a_logged_in_person_who_forgot_the_password_recovers_it_by_code(client, people):
    user = people["resident"]
    client.force_login(user)
    start = client.get(reverse("account_reset_password"))
    assert start["Location"].startswith(reverse("account_request_reauthentication_code"))
    client.post(start["Location"], {"recipient": user.phone})
    confirm = client.post(
        reverse("account_confirm_reauthentication_code")
        + f"?next={quote(reverse('accounts:new_password'))}",
        {"code": last_code(user.phone)},
    )
    assert confirm["Location"] == reverse("accounts:new_password")
    done = client.post(
        reverse("accounts:new_password"),
        {"password1": "new-lantern-58", "password2": "new-lantern-58"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("new-lantern-58")


def test_limits_per_address_count_the_residents_address_behind_the_proxy(people, settings):
    """Behind the load balancer (DJANGO_BEHIND_PROXY), the address counted is the
    resident's from X-Forwarded-For: one busy network does not stop another."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(20):
        request_code(Client(), f"1360000{n:04d}", HTTP_X_FORWARDED_FOR="203.0.113.7")
    blocked = request_code(Client(), "13600009998", HTTP_X_FORWARDED_FOR="203.0.113.7")
    other = request_code(Client(), "13600009999", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert blocked.status_code == 400
    assert other.status_code == 302


def test_a_logged_in_person_verifies_their_number(client, people):
    user = people["resident"]
    log_in(client, user)  # (verified: no code at this log-in)
    User.objects.filter(pk=user.pk).update(phone_verified=False)
    page = client.get(reverse("account_change_phone"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Send a code to verify this number" in page.content.decode()
    response = client.post(reverse("account_change_phone"), {"action": "verify"})
    assert response.status_code == 302
    assert codes_sent(user.phone) == 1
    client.post(reverse("account_verify_phone"), {"code": last_code(user.phone)})
    user.refresh_from_db()
    assert user.phone_verified


def test_provider_down_the_person_is_told_the_code_may_be_delayed(client, people, area_a, settings):
    """Through Alibaba's SDK against its fake: the gateway answers 500, so the code
    waits for a retry (its row "retrying") and the verification page says the message
    may be delayed; nothing is lost, and nothing of the code is stored. A log-in by
    code answers the same for every number, so that an outage tells nobody which
    numbers are registered."""
    from gongzhi.core.models import SmsMessage, SmsStatus
    from gongzhi.core.sms.fakes import FakeAliyun

    with FakeAliyun() as fake:
        settings.GONGZHI_SMS = fake.options()
        fake.answer_http(500)
        response = sign_up(client, area_a, HTTP_ACCEPT_LANGUAGE="en", follow=True)
        assert "The text message may be delayed" in response.content.decode()
        message = SmsMessage.objects.get(phone="13912345678", kind="code")
        assert message.status == SmsStatus.RETRYING and message.next_attempt_at
        assert message.params == {} and message.text == ""

        fake.answer_http(500)
        known = request_code(Client(), people["resident"].phone, follow=True)
        unknown = request_code(Client(), "13600000000", follow=True)
        assert known.status_code == unknown.status_code == 200
        assert "may be delayed" not in known.content.decode()
        assert len(known.context["messages"]) == len(unknown.context["messages"]) == 0


def test_the_export_holds_the_texts_sent_but_never_a_code(client, people):
    user = people["resident"]
    request_code(client, user.phone)
    enter_code(client, last_code(user.phone))
    client.post(reverse("sms_choices"), {"kind": ["events.reminder"]})
    data = client.get(reverse("accounts:export")).json()
    assert [m["kind"] for m in data["text_messages"]] == ["code"]
    assert data["text_messages"][0]["text"] == ""
    assert last_code(user.phone) not in str(data)
    assert data["sms_choices"]["events.reminder"] is True
    assert data["sms_choices"]["events.place_free"] is False
