import re

import pytest
from django.urls import reverse

from gongzhi.accounts.models import ConsentRecord, User
from gongzhi.core.models import SmsOutbox
from gongzhi.core.testing import assert_nothing_written

URL = "/accounts/signup/"


@pytest.fixture
def form(area_a):
    return {
        "phone": "13912345678",
        "display_name": "张三丰",
        "residential_area": str(area_a.pk),
        "password1": "quiet-garden-42",
        "password2": "quiet-garden-42",
        "privacy_consent": "on",
    }


def test_sign_up_creates_account_with_consent_and_verifies_the_number(client, form, area_a):
    form["sms_consent"] = "on"
    response = client.post(URL, form)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_verify_phone")
    user = User.objects.get(phone="13912345678")
    assert user.display_name == "张三丰" and user.residential_area == area_a
    assert user.check_password("quiet-garden-42") and not user.phone_verified
    assert set(user.consents.active().values_list("kind", flat=True)) == {
        "privacy_notice",
        "sms_notifications",
    }
    consent = ConsentRecord.objects.get(user=user, kind="privacy_notice")
    assert consent.purpose
    code = re.search(r"\d{6}", SmsOutbox.objects.get(phone=user.phone).text).group(0)
    client.post(reverse("account_verify_phone"), {"code": code})
    assert client.get(reverse("accounts:my_data")).status_code == 200


def test_phone_with_spaces_is_accepted(client, form):
    form["phone"] = "139 1234 5678"
    assert client.post(URL, form).status_code == 302
    assert User.objects.filter(phone="13912345678").exists()


def test_age_band_needs_its_own_consent(client, form):
    form["age_band"] = "60_69"
    with assert_nothing_written():
        response = client.post(URL, form)
    assert response.status_code == 400
    assert "age" in response.content.decode().lower() or "年龄" in response.content.decode()
    assert not User.objects.exists()
    form["age_band_consent"] = "on"
    assert client.post(URL, form).status_code == 302
    user = User.objects.get()
    assert user.age_band == "60_69"
    assert set(user.consents.values_list("kind", flat=True)) == {"privacy_notice", "age_band"}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"phone": "23912345678"}, "phone", "11 digits starting with 1"),
        ({"phone": "1391234567"}, "phone", "11 digits starting with 1"),
        ({"phone": "139123456789"}, "phone", ""),
        ({"phone": "1391234567a"}, "phone", "11 digits starting with 1"),
        ({"password1": "123", "password2": "123"}, "password1", ""),
        ({"password1": "12345678", "password2": "12345678"}, "password1", "entirely numeric"),
        ({"password1": "password", "password2": "password"}, "password1", "too common"),
        ({"password2": "something-else-9"}, "password2", "do not match"),
        ({"privacy_consent": ""}, "privacy_consent", "privacy notice"),
        ({"display_name": ""}, "display_name", ""),
        ({"residential_area": "999999"}, "residential_area", ""),
    ],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(client, form, change, field, message):
    form.update(change)
    form = {k: v for k, v in form.items() if v != ""}
    with assert_nothing_written():
        response = client.post(URL, form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    if message:
        assert message in " ".join(errors[field])
    # The error is tied to its field for screen readers.
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not User.objects.exists()
    assert not ConsentRecord.objects.exists()


def test_a_number_with_an_account_is_not_revealed_but_its_owner_told(client, form, people):
    """Signing up with a number that has an account (perhaps made at an activity's
    door) answers as for a new one, so nobody learns whose number is registered;
    the number's owner gets a text message saying to log in with a code."""
    existing = people["resident"]
    form["phone"] = existing.phone
    response = client.post(URL, form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_verify_phone")
    assert User.objects.filter(phone=existing.phone).count() == 1
    existing.refresh_from_db()
    assert existing.display_name != form["display_name"]
    message = SmsOutbox.objects.get(phone=existing.phone)
    assert not re.search(r"\d{6}", message.text)  # a notice, not a code


def test_errors_are_in_chinese_by_default(client, form):
    form["phone"] = "12345"
    with assert_nothing_written():
        response = client.post(URL, form)
    assert response.status_code == 400
    assert "11 位" in " ".join(response.context["form"].errors["phone"])


def test_forged_csrf_is_refused_with_a_clear_message(form):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    with assert_nothing_written():
        response = client.post(URL, form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "form has expired" in response.content.decode()
    assert not User.objects.exists()


def test_oversized_request_gets_413_and_stores_nothing(client, form, settings):
    settings.GONGZHI_MAX_REQUEST_BYTES = 1024
    form["display_name"] = "x" * 4096
    response = client.post(URL, form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    assert "limit" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_sign_ups_with_one_number_at_once_make_one_account(settings):
    """The form checks for duplicates, but requests can pass it together; the unique
    constraint then decides and the losers get a clear error, not a 500. First eight
    at once; then, certainly, one that checked before the other's account was
    committed."""
    from django.db import connection

    from gongzhi.accounts import services
    from gongzhi.core.testing import all_at_once, into_a_held_write

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast

    def sign_up(phone):
        services.sign_up(
            phone=phone, display_name="张三", password="quiet-garden-42", privacy_consent=True
        )

    outcomes = all_at_once(sign_up, ["13900000000"] * 8)
    assert sorted(outcomes) == ["ok"] + ["refused"] * 7
    outcome = into_a_held_write(lambda: sign_up("13900000001"), lambda: sign_up("13900000001"))
    assert outcome == "refused"
    for phone in ("13900000000", "13900000001"):
        assert User.objects.filter(phone=phone).count() == 1
        assert ConsentRecord.objects.filter(user__phone=phone).count() == 1
