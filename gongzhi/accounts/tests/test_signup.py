import pytest
from django.urls import reverse

from gongzhi.accounts.models import ConsentRecord, User

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


def test_sign_up_creates_account_with_consent_and_logs_in(client, form, area_a):
    response = client.post(URL, form)
    assert response.status_code == 302
    user = User.objects.get(phone="13912345678")
    assert user.display_name == "张三丰" and user.residential_area == area_a
    assert user.check_password("quiet-garden-42")
    consent = ConsentRecord.objects.get(user=user)
    assert consent.kind == "privacy_notice" and consent.is_active and consent.purpose
    assert client.get(reverse("accounts:my_data")).status_code == 200


def test_phone_with_spaces_is_accepted(client, form):
    form["phone"] = "139 1234 5678"
    assert client.post(URL, form).status_code == 302
    assert User.objects.filter(phone="13912345678").exists()


def test_age_band_needs_its_own_consent(client, form):
    form["age_band"] = "60_69"
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


def test_duplicate_phone_is_refused(client, form, people):
    existing = people["resident"]
    form["phone"] = existing.phone
    response = client.post(URL, form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "already exists" in " ".join(response.context["form"].errors["phone"])
    assert User.objects.filter(phone=existing.phone).count() == 1


def test_errors_are_in_chinese_by_default(client, form):
    form["phone"] = "12345"
    response = client.post(URL, form)
    assert response.status_code == 400
    assert "11 位" in " ".join(response.context["form"].errors["phone"])


def test_forged_csrf_is_refused_with_a_clear_message(form):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
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


def test_sign_up_service_race_on_the_same_phone_is_a_domain_error(db, area_a):
    """The form checks for duplicates, but two requests can pass it together; the
    unique constraint then decides and the loser gets a clear error."""
    from unittest import mock

    from gongzhi.accounts import services
    from gongzhi.core.errors import DomainError
    from gongzhi.factories import UserFactory

    UserFactory(phone="13900000000")
    # Let the pre-check miss the existing row, as it would in a race.
    with (
        mock.patch.object(User.objects, "filter", return_value=User.objects.none()),
        pytest.raises(DomainError),
    ):
        services.sign_up(
            phone="13900000000",
            display_name="后来者",
            password="quiet-garden-42",
            privacy_consent=True,
        )
    assert User.objects.filter(phone="13900000000").count() == 1
