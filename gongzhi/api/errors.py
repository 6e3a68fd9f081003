"""JSON errors for the API: every error is ``{"detail": "<message>"}`` in the
request's language (LocaleMiddleware reads Accept-Language for API calls as for
pages), with the status the pages use:

=====================================  ======
bad input (parameters, body, page size)  400
no token, unknown/expired/revoked token  401
not allowed, CSRF missing (session)      403
no such object                           404
not allowed in the current state         409
=====================================  ======

Invalid input is 400, not ninja's default 422: the pages answer a bad form with 400
and so does the API, with a message naming the field.
"""

import logging

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from gongzhi.core.access import LoginRequired
from gongzhi.core.errors import DomainError
from gongzhi.core.views import RETRY_AFTER, database_unavailable

logger = logging.getLogger(__name__)


def _field(loc) -> str:
    """The field an error is about: ("query", "page_size") -> "page_size",
    ("body", "payload", "answers", "12") -> "answers.12" (ninja puts the function's
    argument name after "body"); the body as a whole -> "the request body"."""
    parts = [str(part) for part in loc or ()]
    if parts and parts[0] == "body":
        parts = parts[2:]
        if not parts:
            return _("the request body")
    elif parts and parts[0] in ("query", "path", "header", "cookie", "form"):
        parts = parts[1:]
    return ".".join(parts) or _("the request")


def _problem(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    field = _field(error.get("loc"))
    if kind == "missing":
        return _("%(field)s is required.") % {"field": field}
    if kind in ("less_than_equal", "less_than"):
        limit = ctx.get("le", ctx.get("lt"))
        return _("%(field)s must be at most %(limit)s.") % {"field": field, "limit": limit}
    if kind in ("greater_than_equal", "greater_than"):
        limit = ctx.get("ge", ctx.get("gt"))
        return _("%(field)s must be at least %(limit)s.") % {"field": field, "limit": limit}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("%(field)s must be a whole number.") % {"field": field}
    if kind in ("bool_parsing", "bool_type"):
        return _("%(field)s must be true or false.") % {"field": field}
    if kind == "string_too_long":
        return _("%(field)s is too long: at most %(limit)s characters.") % {
            "field": field,
            "limit": ctx.get("max_length"),
        }
    if kind == "string_pattern_mismatch":
        return _("%(field)s has characters that are not allowed.") % {"field": field}
    if kind in ("enum", "literal_error"):
        return _("%(field)s must be one of: %(expected)s.") % {
            "field": field,
            "expected": ctx.get("expected", ""),
        }
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    return _("%(field)s is not valid: %(problem)s") % {"field": field, "problem": message}


def validation_message(errors) -> str:
    return " ".join(dict.fromkeys(_problem(error) for error in errors or [])) or _(
        "The request is not valid."
    )


def install(api) -> None:
    """Register the exception handlers on ``api``."""

    def respond(request, message, status):
        return api.create_response(request, {"detail": str(message)}, status=status)

    def on_validation(request, exc: ValidationError):
        return respond(request, validation_message(exc.errors), 400)

    def on_django_validation(request, exc: DjangoValidationError):
        return respond(request, " ".join(exc.messages) or _("The request is not valid."), 400)

    def on_domain(request, exc: DomainError):
        return respond(request, exc.message, getattr(exc, "status", 409))

    def on_authentication(request, exc: AuthenticationError):
        message = exc.message
        if message == "Unauthorized":  # ninja's own, when no method authenticated
            message = _("Sign in, or send an API token as “Authorization: Bearer <key>”.")
        return respond(request, message, exc.status_code)

    def on_http(request, exc: HttpError):
        message = exc.message
        if message == "CSRF check Failed":
            message = _("The CSRF token is missing or wrong: reload the page and try again.")
        elif message.startswith("Cannot parse request body"):
            message = _("The request body is not valid JSON.")
        return respond(request, message, exc.status_code)

    def on_denied(request, exc: PermissionDenied):
        return respond(request, _("You are not allowed to do this."), 403)

    def on_login(request, exc: LoginRequired):
        return respond(
            request, _("Sign in, or send an API token as “Authorization: Bearer <key>”."), 401
        )

    def on_not_found(request, exc):
        return respond(request, _("Not found."), 404)

    def on_other(request, exc: Exception):
        # A bug, not bad input: logged with its traceback, answered in JSON.
        logger.exception("API error", exc_info=exc)
        if database_unavailable(exc):
            # Not a bug: the database is down for a while (core/views.py unavailable_page).
            response = respond(
                request,
                _("The system cannot reach its database at the moment. Please try again later."),
                503,
            )
            response["Retry-After"] = str(RETRY_AFTER)
            return response
        return respond(request, _("Something went wrong on our side; it was logged."), 500)

    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(DjangoValidationError, on_django_validation)
    api.add_exception_handler(DomainError, on_domain)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(HttpError, on_http)
    api.add_exception_handler(PermissionDenied, on_denied)
    api.add_exception_handler(LoginRequired, on_login)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(ObjectDoesNotExist, on_not_found)
    api.add_exception_handler(Exception, on_other)
