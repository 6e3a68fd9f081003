"""Authentication for the API's writes: a bearer token (integrations) or the session
of a signed-in browser (which must then send its CSRF token, as forms do).

A request that sends an ``Authorization: Bearer`` header is judged by the token alone:
an unknown, expired or revoked token is a 401 with a message saying which, never a
fall-back to the session.
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from . import services


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest):
        header = request.headers.get(self.header)
        if not header:
            return None
        scheme, _sep, key = header.partition(" ")
        if scheme.lower() != "bearer":
            raise AuthenticationError(message=_("Send the token as “Authorization: Bearer <key>”."))
        return self.authenticate(request, key.strip())

    def authenticate(self, request: HttpRequest, token: str):
        found = services.token_for_key(token)
        if found is None:
            raise AuthenticationError(message=_("This API token is not known."))
        if found.revoked_at is not None:
            raise AuthenticationError(message=_("This API token was revoked."))
        if not found.is_usable:
            raise AuthenticationError(message=_("This API token has expired."))
        if not found.user.is_active:
            raise AuthenticationError(message=_("The account of this API token is not active."))
        services.mark_used(found)
        request.user = found.user
        request.api_token = found
        return found.user


class SessionAuth(APIKeyCookie):
    """The signed-in browser's session. Unlike ninja's ``django_auth`` it answers an
    anonymous visitor with None (so that the answer is 401, not a CSRF 403), and
    checks CSRF only for a signed-in session."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(
                403,
                _("The CSRF token is missing or wrong: reload the page and try again."),
            )
        return user

    def authenticate(self, request, key):  # pragma: no cover - __call__ decides
        return None


def missing() -> AuthenticationError:
    return AuthenticationError(
        message=_("Sign in, or send an API token as “Authorization: Bearer <key>”.")
    )


token_auth = TokenAuth()
session_auth = SessionAuth()
WRITE_AUTH = [token_auth, session_auth]
