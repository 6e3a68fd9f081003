"""Writes on API tokens: creating one (the plain key is returned once) and revoking."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.errors import DomainError, checked_text
from gongzhi.core.services import record_event

from .models import ApiToken

KEY_PREFIX = "gz_"
MAX_DAYS = 366
# How stale ``last_used_at`` may get: one write a minute per token, not one a request.
LAST_USED_EVERY = timedelta(minutes=1)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def create_token(*, user, name: str, days: int) -> tuple[ApiToken, str]:
    """A token for ``user`` valid ``days`` days (1 to 366). Returns the token and its
    plain key, which is not stored and cannot be shown again.

    Permission: the operator's command (``create_api_token``) is its only caller; no page
    issues tokens."""
    name = checked_text(name, label=_("The token's name"), limit=80)
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise DomainError(
            _("A token is valid from 1 to %(max)d days; %(days)s is not allowed.")
            % {"max": MAX_DAYS, "days": days}
        )
    if not user.is_active:
        raise DomainError(_("This account is not active."))
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        digest=digest(key),
        prefix=key[:10],
        expires_at=timezone.now() + timedelta(days=days),
    )
    record_event(actor=user, verb="api.token_create", target=token, after={"days": days})
    return token, key


@transaction.atomic
def revoke_token(*, token: ApiToken, actor) -> ApiToken:
    """Revoke a token at once; revoking it twice is refused.

    Permission: the Django admin's change permission on tokens, checked by the admin site,
    its only caller."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise DomainError(_("This token was already revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event(actor=actor, verb="api.token_revoke", target=token)
    return token


def token_for_key(key: str) -> ApiToken | None:
    """The token with this plain key, whatever its state (None when unknown)."""
    if not key or len(key) > 200:
        return None
    return ApiToken.objects.select_related("user").filter(digest=digest(key)).first()


def mark_used(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
