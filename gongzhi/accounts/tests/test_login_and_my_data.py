import json

import pytest
from django.conf import settings
from django.urls import reverse

from gongzhi.accounts.models import ConsentRecord, User
from gongzhi.accounts.services import give_consent
from gongzhi.core.models import AuditEvent
from gongzhi.core.testing import assert_nothing_written
from gongzhi.tests.factories import TEST_PASSWORD


def test_login_by_phone_and_logout(client, people):
    user = people["resident"]
    response = client.post(
        reverse("account_login"), {"login": user.phone, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    page = client.get(reverse("accounts:my_data"))
    assert user.display_name in page.content.decode()
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get(reverse("accounts:my_data")).status_code == 302


def test_wrong_password_is_a_clear_400(client, people):
    with assert_nothing_written():
        response = client.post(
            reverse("account_login"),
            {"login": people["resident"].phone, "password": "nope"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    assert "not correct" in response.content.decode()


def test_password_change(client, people):
    user = people["resident"]
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": TEST_PASSWORD,
            "password1": "new-river-2026",
            "password2": "new-river-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("new-river-2026")


def test_export_my_data_is_json_of_my_own_data(client, people):
    user = people["resident"]
    give_consent(user=user, kind="privacy_notice")
    client.force_login(user)
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["account"]["phone"] == user.phone
    assert data["account"]["residential_area"]["name"] == "逸景佳苑"
    assert [c["kind"] for c in data["consents"]] == ["privacy_notice"]
    assert data["text_messages"] == [] and data["sms_choices"] == {}
    assert people["secretariat"].phone not in response.content.decode()
    assert AuditEvent.objects.filter(verb="personal_data.export", target_id=str(user.pk)).exists()


def test_profile_update_and_age_band_consent_withdrawal(client, people, area_b):
    user = people["resident"]
    client.force_login(user)
    response = client.post(
        reverse("accounts:my_data"),
        {
            "display_name": "李大爷",
            "residential_area": area_b.pk,
            "age_band": "70_plus",
            "age_band_consent": "on",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.residential_area, user.age_band) == (
        "李大爷",
        area_b,
        "70_plus",
    )
    event = AuditEvent.objects.get(verb="personal_data.correct")
    assert event.after == {"fields": ["display_name", "residential_area", "age_band"]}
    assert "李" not in event.target_label + str(event.after)  # no personal data kept
    consent = user.consents.active().get(kind="age_band")
    client.post(reverse("accounts:withdraw_consent", args=[consent.pk]))
    user.refresh_from_db()
    assert user.age_band == ""
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_privacy_notice_cannot_be_withdrawn_without_deleting(client, people):
    user = people["resident"]
    consent = give_consent(user=user, kind="privacy_notice")
    client.force_login(user)
    client.post(reverse("accounts:withdraw_consent", args=[consent.pk]))
    consent.refresh_from_db()
    assert consent.is_active


def test_cannot_withdraw_someone_elses_consent(client, people):
    other = give_consent(user=people["partner"], kind="age_band")
    client.force_login(people["resident"])
    with assert_nothing_written():
        assert client.post(reverse("accounts:withdraw_consent", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.is_active


def test_delete_account_anonymises_and_keeps_the_row(client, people):
    user = people["resident"]
    give_consent(user=user, kind="privacy_notice")
    client.force_login(user)
    with assert_nothing_written():
        bad = client.post(reverse("accounts:delete"), {"password": "wrong", "confirm": "on"})
    assert bad.status_code == 400
    assert User.objects.get(pk=user.pk).phone == user.phone
    response = client.post(reverse("accounts:delete"), {"password": TEST_PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone is None and user.display_name == "" and user.residential_area is None
    assert not user.is_active and user.deleted_at and not user.has_usable_password()
    assert not ConsentRecord.objects.filter(user=user, withdrawn_at__isnull=True).exists()
    assert AuditEvent.objects.filter(verb="account.delete", target_id=str(user.pk)).exists()
    # Logged out, and cannot log in again.
    assert client.get(reverse("accounts:my_data")).status_code == 302
    # The number is free for a new account.
    assert User.objects.filter(phone__isnull=True).count() == 1


@pytest.mark.parametrize("code", ["xx", "fr", "", "zh-hans<script>"])
def test_unknown_language_is_ignored_and_the_page_kept(client, town, code):
    page = town.get_absolute_url()
    response = client.post(reverse("set_language"), {"language": code, "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert 'lang="zh-Hans"' in client.get(page).content.decode()


def test_switching_language(client, town):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": town.get_absolute_url()}
    )
    assert response.status_code == 302 and response["Location"] == town.get_absolute_url()
    page = client.get(town.get_absolute_url())
    assert 'lang="en"' in page.content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    page = client.get(town.get_absolute_url())
    assert 'lang="zh-Hans"' in page.content.decode()


def test_open_redirect_is_not_followed(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_password_guessing_is_throttled_per_number(client, people):
    user = people["resident"]
    url = reverse("account_login")
    for _ in range(5):
        with assert_nothing_written():
            assert client.post(url, {"login": user.phone, "password": "guess"}).status_code == 400
    response = client.post(
        url, {"login": user.phone, "password": TEST_PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    # allauth's rate limit, counted per number in the shared cache: even the right
    # password is refused until the window passes.
    assert response.status_code == 400
    assert "Too many attempts for this number" in response.content.decode()
    # Another number is not affected.
    other = people["partner"]
    ok = client.post(url, {"login": other.phone, "password": TEST_PASSWORD})
    assert ok.status_code == 302


def test_a_successful_login_is_not_counted_as_a_failure(client, people):
    """allauth takes back a success's use of the limit but keeps the failures: a
    guesser cannot reset the count by logging in to their own account in between."""
    user = people["resident"]
    url = reverse("account_login")
    for _ in range(4):
        client.post(url, {"login": user.phone, "password": "guess"})
    assert client.post(url, {"login": user.phone, "password": TEST_PASSWORD}).status_code == 302
    client.post(reverse("account_logout"))
    assert client.post(url, {"login": user.phone, "password": TEST_PASSWORD}).status_code == 302
    client.post(reverse("account_logout"))
    client.post(url, {"login": user.phone, "password": "guess"})
    blocked = client.post(url, {"login": user.phone, "password": TEST_PASSWORD})
    assert blocked.status_code == 400


def test_export_includes_what_other_capabilities_hold(client, people, area_a):
    from gongzhi.events import services as events
    from gongzhi.partners.tests.builders import make_application
    from gongzhi.tests.factories import ActivityFactory

    user = people["resident"]
    make_application(town=area_a.town, user=user, area=area_a, name="李居民", profession="医生")
    activity = ActivityFactory(area=area_a, title="小小园艺师")
    events.register(activity=activity, user=user)
    client.force_login(user)
    data = json.loads(client.get(reverse("accounts:export")).content)
    assert data["partner_applications"][0]["profession"] == "医生"
    assert data["activity_registrations"][0]["activity"] == "小小园艺师"
    assert data["contest_entries"] == [] and data["contest_votes"] == []
