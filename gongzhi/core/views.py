"""Views every page relies on: error pages, language switch, health and benchmark floor."""

import io
import sys
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.i18n import set_language as django_set_language
from django_guid import get_guid

from .display import (
    ELDER,
    MODE_COOKIE,
    MODE_COOKIE_AGE,
    MODES,
    STANDARD,
    elder_mode_on,
    keep_on_account,
)
from .errors import DomainError
from .htmx import render_page
from .mine import mine_sections
from .models import Notification
from .navigation import section_of, town_entry
from .pagecache import kept_per_person
from .services import SUBMISSION_FIELD, mark_notifications_read
from .sms.preferences import sms_choices


def error_page(request, status, title, message):
    """The error page in the person's language. A refusal (403) also offers the way
    back (``way_back``) and says who else to ask: a forbidden action someone still
    reached explains itself instead of ending the journey."""
    # The request's id (X-Request-ID), for the resident to quote to the staff.
    context = {"status": status, "title": title, "message": message, "request_id": get_guid()}
    template = "errors/error.html"
    if status == 403:
        template = "403.html"
        context["back"] = way_back(request)
    return render(request, template, context, status=status)


def way_back(request) -> dict:
    """Where a refused person goes on from here: the page they came from when it is
    one of this site's (not the refused page itself); else the section of the site
    the refused page belongs to, in its town; else the home page. Reads no database
    (an error page must not fail for want of one)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        if parts.path and parts.path != request.path:
            return {"url": referer, "label": _("Back to the previous page")}
    match = getattr(request, "resolver_match", None)
    town_slug = match.kwargs.get("town_slug") if match else None
    if town_slug:
        entry = town_entry(section_of(match) or "")
        if entry is not None and entry.key != "home":
            url = reverse(entry.url_name, args=[town_slug])
            if url != request.path:
                return {"url": url, "label": _("Back to %(section)s") % {"section": entry.label}}
        url = reverse("places:town", args=[town_slug])
        if url != request.path:
            return {"url": url, "label": _("Back to the town's home page")}
    return {"url": reverse("places:home"), "label": _("Back to the home page")}


def qr_svg(url: str, *, filename: str = "qr.svg", cache: str = "public, max-age=86400"):
    """A QR code of ``url`` as an SVG file, to print or show on a screen.

    A file, unlike SVG inlined in a page, needs its XML namespace: without it browsers
    show a broken image where the poster's code should be.
    """
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = cache
    return response


def parse_id(value) -> int | None:
    """An id or count typed in a form or an address, or None for anything else:
    isdigit() accepts "²", which int() refuses, and an id fits in 18 digits."""
    value = str(value or "").strip()
    if not value.isdecimal() or len(value) > 18:
        return None
    try:
        return int(value)
    except ValueError:  # pragma: no cover - isdecimal() strings are int()-able
        return None


# --- The shape most form views share -------------------------------------------------
# A form view validates its form, calls one service, and either says what was done and
# redirects, or shows the page again with the service's refusal. The service call and
# the success message stay in the view; these helpers take the rest.


def submission_token(request) -> str | None:
    """The one-time token a form carries (``SUBMISSION_FIELD``), for a service's
    ``submission_token``: the service saves a form sent twice only once."""
    return request.POST.get(SUBMISSION_FIELD)


def attempt(form, service, /, **arguments):
    """``service(**arguments)``'s result; when the service refuses (a DomainError), its
    message becomes ``form``'s error above the fields and the result is None. Call it
    once ``form.is_valid()``: afterwards ``form.errors`` is empty exactly when the
    service did the work (test that after a service that returns nothing)."""
    try:
        return service(**arguments)
    except DomainError as error:
        form.add_error(None, error.message)
        return None


def attempt_submission(request, form, service, /, **arguments):
    """``attempt`` for a form the signed-in person sends: the service also gets them
    as ``actor`` and the form's one-time token (``submission_token``), so a form sent
    twice is saved once."""
    return attempt(
        form,
        service,
        actor=request.user,
        submission_token=submission_token(request),
        **arguments,
    )


def carry_out(request, service, /, **arguments) -> bool:
    """Call ``service(**arguments)`` for an action without a form of its own (a
    button): True when done; when the service refuses (a DomainError), its message
    goes to the person's messages and the answer is False."""
    try:
        service(**arguments)
    except DomainError as error:
        messages.error(request, error.message)
        return False
    return True


def form_page(request, template: str, context: dict, form, *, partial: str | None = None):
    """The form's page (``render_page``): status 400 when ``form`` has errors (it was
    sent and refused, by its own checks or by the service), else 200."""
    status = 400 if form.errors else 200
    return render_page(request, template, context, partial=partial, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return error_page(request, 400, _("Bad request"), _("The request could not be understood."))


@requires_csrf_token
def permission_denied(request, exception=None):
    """A PermissionDenied that reached the top: its own message when it has one (the
    services say what is not allowed, in the person's language), else what such a
    refusal usually means and whom to ask."""
    message = str(exception) if exception is not None and exception.args else ""
    if not message:
        message = _(
            "You do not have permission to see or do this. It is for another role (the "
            "area's staff, the town's secretariat or the people it belongs to); if you "
            "think you should be able to, ask your residents' committee."
        )
    return error_page(request, 403, _("Not allowed"), message)


@requires_csrf_token
def page_not_found(request, exception=None):
    return error_page(request, 404, _("Page not found"), _("There is no page at this address."))


@requires_csrf_token
def too_many_requests(request, exception=None):
    """A rate limit held (codes asked for too often, too many wrong passwords)."""
    return error_page(
        request,
        429,
        _("Too many attempts"),
        _(
            "Too many requests came from this number or this network. Please wait a few "
            "minutes and try again. A code you already received stays valid for ten minutes."
        ),
    )


# Seconds a client (and a resident, told "in a moment") should wait before trying again.
RETRY_AFTER = 30


def database_unavailable(error) -> bool:
    """Whether ``error`` says the database cannot be reached (stopped, restarting,
    refusing connections, the network to it down) rather than that a query is wrong.
    SQLite reports a missing table as an OperationalError too: that is a fault."""
    if isinstance(error, InterfaceError):
        return True
    return isinstance(error, OperationalError) and not str(error).startswith("no such ")


def unavailable_page(request):
    """The 503 page while the database cannot be reached, in the person's language.
    Rendered without the request's context processors and from a template that
    extends nothing: no session, user, message or to-do lookup may reach for the
    database that is down."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        body = render_to_string(
            "errors/unavailable.html",
            {
                "request_id": get_guid(),
                "again": request.get_full_path(),
                "retry_after": RETRY_AFTER,
                "LANGUAGE_CODE": translation.get_language(),
            },
        )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = language
    return response


@requires_csrf_token
def server_error(request):
    """An error nobody caught. While the database is unreachable, the 503 page with a
    retry hint instead (a 500 says the site is broken; this will pass)."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_page(request)
    try:
        return error_page(
            request, 500, _("Something went wrong"), _("Please try again in a moment.")
        )
    except DatabaseError:
        # The page's header reads the session or the signed-in person.
        return unavailable_page(request)


def csrf_failure(request, reason=""):
    """A forged or expired form: say so plainly instead of Django's technical page."""
    return error_page(
        request,
        403,
        _("The form has expired"),
        _(
            "For your safety this form could not be accepted. Please go back, reload "
            "the page and send it again."
        ),
    )


def set_language(request):
    """Switch the UI language and stay on the same page. An unknown or malformed
    language code is ignored: the person goes back to the page, its language unchanged
    (issue 15: a switch never ends in an error page or a 500)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    code = request.POST.get("language", "")
    if code not in dict(settings.LANGUAGES) or not check_for_language(code):
        return HttpResponseRedirect(next_url)
    request.POST = request.POST.copy()
    request.POST["next"] = next_url
    return django_set_language(request)


def set_mode(request):
    """Switch between 长辈版 (older residents' mode) and the standard pages, and stay on
    the same page: the choice goes into a cookie and, for a signed-in person, onto the
    account (core/display.py).

    The switch's form posts here; with JavaScript (static/js/switches.js) the same
    form is sent in the background with ``Accept: application/json``, the page changes
    in place and whatever was typed into it stays. A mode that is neither ``elder`` nor
    ``standard`` is ignored (nothing changes, the person goes back to the page); a
    ``next`` that is not this site's leads to the home page."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    mode = request.POST.get("mode", "")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if mode in MODES and request.user.is_authenticated:
        keep_on_account(user=request.user, on=mode == ELDER)
    if "application/json" in request.headers.get("Accept", ""):
        # The mode in force after this request, which the script shows.
        current = ELDER if elder_mode_on(request) else STANDARD
        response = JsonResponse({"mode": mode if mode in MODES else current})
    else:
        response = HttpResponseRedirect(next_url)
    if mode in MODES:
        response.set_cookie(
            MODE_COOKIE,
            mode,
            max_age=MODE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
    return response


@login_required
def notifications(request):
    """The person's in-app messages, newest first; opening the page marks them read."""
    items = list(
        Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")[:100]
    )
    mark_notifications_read(user=request.user)
    return render(request, "core/notifications.html", {"items": items})


@login_required
@kept_per_person
def me(request):
    """我的: everything that is the signed-in person's, one section per capability
    (core/mine.py), each showing only this person's own records."""
    return render(
        request,
        "core/me.html",
        {"sections": mine_sections(request.user), "sms": sms_choices(request.user)},
    )


def healthz(request):
    """For monitoring (README, "Seeing it run"): "ok" when this process reaches the
    database with one trivial query, else 503 "database unreachable"."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        response = HttpResponse("database unreachable", content_type="text/plain", status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return HttpResponse("ok", content_type="text/plain")


def livez(request):
    """For load balancers: the process answers. Touches no database, so an outage of
    the database does not take every app server out of the pool (residents then get
    the 503 page in their language rather than the balancer's own error)."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def bench_floor(request):
    """The benchmark's floor: the base template and full middleware, no database work.
    Rendered for every request (never_cache keeps it out of the visitors' page cache,
    core/pagecache.py), so the benchmark's ratios compare with rendering a page."""
    return render(request, "core/floor.html")
