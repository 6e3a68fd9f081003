"""Token authentication, session authentication with CSRF, the command and admin."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongzhi.api.models import ApiToken
from gongzhi.api.services import create_token, revoke_token
from gongzhi.core.errors import DomainError
from gongzhi.core.models import AuditEvent
from gongzhi.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def activity(area_a):
    return ActivityFactory(area=area_a)


def register(client, activity, **extra):
    url = f"/api/v1/towns/{activity.town.slug}/activities/{activity.pk}/registrations"
    return client.post(url, **{**EN, **extra})


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_only_the_digest_is_stored(people):
    token, key = create_token(user=people["resident"], name="门禁系统", days=30)
    assert key.startswith("gz_") and len(key) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {getattr(stored, f.attname) for f in ApiToken._meta.concrete_fields}
    assert stored.prefix == key[:10]
    assert stored.expires_at - timezone.now() > timedelta(days=29)
    assert AuditEvent.objects.filter(verb="api.token_create", target_id=str(token.pk)).exists()


@pytest.mark.parametrize("days", [0, -1, 367])
def test_token_validity_is_bounded(people, days):
    with pytest.raises(DomainError):
        create_token(user=people["resident"], name="x", days=days)


def test_a_token_authenticates_writes(people, activity):
    token, key = create_token(user=people["resident"], name="app", days=1)
    response = register(Client(), activity, **bearer(key))
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "registered"
    assert activity.registrations.get().user == people["resident"]
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "header, message",
    [
        (None, "Sign in, or send an API token as “Authorization: Bearer <key>”."),
        ("Bearer gz_unknown", "This API token is not known."),
        ("Bearer ", "This API token is not known."),
        ("Token abc", "Send the token as “Authorization: Bearer <key>”."),
    ],
)
def test_missing_or_unknown_tokens_are_a_401(db, activity, header, message):
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    response = register(Client(), activity, **extra)
    assert response.status_code == 401
    assert response.json() == {"detail": message}
    assert not activity.registrations.exists()


def test_expired_token_is_a_401(people, activity):
    token, key = create_token(user=people["resident"], name="app", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = register(Client(), activity, **bearer(key))
    assert response.status_code == 401
    assert response.json() == {"detail": "This API token has expired."}


def test_revoked_token_is_a_401(people, activity):
    token, key = create_token(user=people["resident"], name="app", days=1)
    revoke_token(token=token, actor=people["administrator"])
    response = register(Client(), activity, **bearer(key))
    assert response.status_code == 401
    assert response.json() == {"detail": "This API token was revoked."}
    with pytest.raises(DomainError):
        revoke_token(token=token, actor=people["administrator"])


def test_inactive_account_is_a_401(people, activity):
    _token, key = create_token(user=people["resident"], name="app", days=1)
    people["resident"].is_active = False
    people["resident"].save()
    response = register(Client(), activity, **bearer(key))
    assert response.status_code == 401


def test_a_bad_token_does_not_fall_back_to_the_session(people, activity):
    client = Client()
    client.force_login(people["resident"])
    response = register(client, activity, **bearer("gz_wrong"))
    assert response.status_code == 401


def test_401_message_in_chinese_by_default(db, activity):
    response = register(Client(), activity, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 401
    assert response["Content-Language"] == "zh-hans"


def _csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_session_writes_need_the_csrf_token(people, activity):
    client = _csrf_client(people["resident"])
    response = register(client, activity)
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    response = register(client, activity, HTTP_X_CSRFTOKEN=_mask_cipher_secret(secret))
    assert response.status_code == 201, response.content


def test_token_writes_need_no_csrf(people, activity):
    _token, key = create_token(user=people["resident"], name="app", days=1)
    response = register(Client(enforce_csrf_checks=True), activity, **bearer(key))
    assert response.status_code == 201


def test_anonymous_session_write_is_a_401_not_a_csrf_403(db, activity):
    response = register(Client(enforce_csrf_checks=True), activity)
    assert response.status_code == 401


def test_command_creates_a_token_and_prints_the_key_once(people, activity):
    out = StringIO()
    call_command(
        "create_api_token", people["resident"].phone, "--name", "门禁", "--days", "7", stdout=out
    )
    key = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert token.name == "门禁" and token.prefix == key[:10]
    assert register(Client(), activity, **bearer(key)).status_code == 201


def test_command_refuses_unknown_phone_and_bad_days(people):
    with pytest.raises(CommandError):
        call_command("create_api_token", "19900000000", "--name", "x", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command(
            "create_api_token",
            people["resident"].phone,
            "--name",
            "x",
            "--days",
            "0",
            stdout=StringIO(),
        )


def test_admin_lists_and_revokes_tokens(client_for, people):
    token, _key = create_token(user=people["resident"], name="门禁", days=7)
    client = client_for("administrator")
    url = reverse("admin:api_apitoken_changelist")
    page = client.get(url)
    assert page.status_code == 200 and "门禁" in page.content.decode()
    assert client.get(reverse("admin:api_apitoken_add")).status_code == 403
    response = client.post(url, {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(verb="api.token_revoke").count() == 1
