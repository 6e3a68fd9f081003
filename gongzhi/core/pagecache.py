"""Pages for visitors who are not signed in, served from a cache that every write
empties (README, "Pages from the cache").

Most traffic is residents reading a town's pages without signing in; those pages are
the same for every such visitor, so a finished page is kept and served again until
the data under it changes.

The rule that keeps the cache correct: **every committed write to the database draws
a new data version, and cached pages are stored under the version they were rendered
with.** Writes are noticed where all of them pass, the database connection: an
execute wrapper (``watch_writes``) sees each INSERT, UPDATE, DELETE or schema change,
whichever service, admin page, management command or task sent it. So no service can
forget to invalidate, and a write is visible on the very next read. The version is
drawn twice: when the statement runs (so a read in the same transaction, or a test
wrapped in one, sees it) and again when the transaction commits (so a page rendered
by another visitor between the statement and the commit, from the old rows, is not
served once the commit's version is drawn, a moment after the commit).

The version is one value for the whole installation, not one per town: a write in one
town also refreshes the others' pages. That costs a few renders after each write and
can never be wrong; a per-town version would need every table to know its town.

A signed-in person's pages are never among them. A few pages people come back to all
day (我的, 待办, and the plan, board, project and directory pages staff work from) are
kept for that one person instead, under the same rule (``kept_per_person``, below).

What the middleware never caches: signed-in people, and any request with a cookie the key does
not know (only the CSRF token, the language and 长辈版 are known: a session, a flashed
message or the survey's device cookie changes the page), htmx fragments, forms with
a one-time submission token, any answer but a 200 HTML page or public API answer (API
tokens are never kept), and answers that set a cookie. The CSRF token that every
page's language and mode switches carry is the visitor's own: it is cut out before
the page is stored and the visitor's token is put in on the way out.

Pages also depend on the time (a consultation that closes at noon), which is not a
write: a cached page lives at most ``PAGE_SECONDS``.

Tables that no visitor's page shows, written by reading or signing in (sessions, the
audit trail, notifications, task rows, submission tokens, the SMS budget), do not
draw a new version: otherwise every staff member's view of a named record would
empty the cache. Text messages do: staff's 待办 count, kept under the version too,
lists those that did not arrive.
"""

import logging
import re
import uuid

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from prometheus_client import Counter

from .display import ELDER, MODE_COOKIE

log = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
VERSION_KEY = "gongzhi:data-version"
PAGE_SECONDS = 60
FIGURES_SECONDS = 5 * 60

# Written by reading, signing in or sending, and shown on no visitor's page.
UNWATCHED_TABLES = frozenset(
    {
        "django_session",
        "django_admin_log",
        "django_tasks_database_dbtaskresult",
        "core_auditevent",
        "core_auditchainhead",
        "core_submission",
        "core_notification",
        "core_smsbudget",
        "core_smsbudgetalert",
        "api_apitoken",
    }
)

PAGES = Counter(
    "gongzhi_page_cache_total",
    "Visitors' pages: served from the cache (hit), rendered (miss), rendered and kept (stored).",
    ["result"],
)
PERSONAL_PAGES = Counter(
    "gongzhi_personal_page_cache_total",
    "A signed-in person's own pages (kept_per_person): served from the cache (hit), "
    "rendered (miss), rendered and kept (stored).",
    ["result"],
)

_WRITE = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO"
    r"|CREATE|DROP|ALTER|TRUNCATE)\s+(?:TABLE\s+|INDEX\s+)?(?:IF\s+(?:NOT\s+)?EXISTS\s+)?"
    r"[\"`]?(\w+)?",
    re.IGNORECASE,
)
_CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+(")')
CSRF_SLOT = b"\x00csrf\x00"
_SUBMISSION_VALUE = re.compile(rb'(name="submission_token" value=")[^"]+(")')
SUBMISSION_SLOT = b"\x00submission\x00"
# Pages, and the public API's answers to visitors (a token-bearing request is never kept).
KEPT_TYPES = ("text/html", "application/json")
SUBMISSION_INPUT = b'name="submission_token"'


def _cache():
    return caches[CACHE_ALIAS]


# --- The data version ------------------------------------------------------------------


def data_version() -> str:
    """The current version; a new one is drawn when none is kept (a cleared cache)."""
    cache = _cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        version = new_version()
    return version


def new_version() -> str:
    """Draw a new version: pages and figures kept under the old one are never read
    again (they expire). A random value, so two writers never draw the same one.

    A cache that cannot be reached does not stop the write: while it is away nothing
    is read from it either, and what it kept from before expires (PAGE_SECONDS)."""
    version = uuid.uuid4().hex
    try:
        _cache().set(VERSION_KEY, version, None)
    except Exception:  # noqa: BLE001 - Redis away, a full disk: the write goes on
        log.exception("the page cache could not be told of a write")
    return version


def written_table(sql: str) -> str | None:
    """The table a statement writes ("" for a write whose table is not named, such as a
    schema change), or None for a read."""
    match = _WRITE.match(sql)
    if match is None:
        return None
    return match.group(1) or ""


def watch_writes(execute, sql, params, many, context):
    """The execute wrapper every connection carries (installed by ``install``)."""
    result = execute(sql, params, many, context)
    table = written_table(sql) if isinstance(sql, str) else None
    if table is not None and table not in UNWATCHED_TABLES:
        connection = context["connection"]
        new_version()
        if connection.in_atomic_block:
            # Once per transaction: the commit draws again (see the module's docstring).
            pending = (callback for _, callback, _ in connection.run_on_commit)
            if _after_commit not in pending:
                transaction.on_commit(_after_commit, using=connection.alias)
    return result


def _after_commit():
    new_version()


def install(sender, connection, **kwargs):
    """``connection_created`` receiver: watch this connection's writes (once, though
    Django reconnects the same wrapper object)."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


# --- The cache itself --------------------------------------------------------------------


class QuietFileBasedCache(FileBasedCache):
    """The file cache for one machine without Redis (the demo), for which a disk that
    cannot be written or read is a miss, as a Redis that cannot be reached is (the
    ``IGNORE_EXCEPTIONS`` option of django-redis): template fragments kept with
    ``{% cache %}`` read and write it without a guard of their own."""

    def __init__(self, dir, params):
        try:
            super().__init__(dir, params)
        except OSError:  # the folder cannot be made: each read and write will fail
            log.warning("the page cache's folder cannot be made", exc_info=True)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except OSError:
            log.warning("the page cache cannot be read", exc_info=True)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except OSError:
            log.warning("the page cache cannot be written", exc_info=True)


# --- Figures kept between writes ---------------------------------------------------------


def remembered(name: str, parts: tuple, compute, *, seconds: int = FIGURES_SECONDS):
    """``compute()``'s value, kept under ``name``, ``parts`` and the data version (and
    the language, since figures carry their labels): any write in between computes it
    again. For figures that take many queries to count (the dashboard's)."""
    from django.utils.translation import get_language

    cache = _cache()
    try:
        key = ":".join(
            ["gongzhi:figures", name, data_version(), get_language() or "", *map(str, parts)]
        )
        value = cache.get(key)
    except Exception:  # noqa: BLE001 - the cache is away: count
        log.warning("the page cache cannot be reached; figures counted", exc_info=True)
        return compute()
    if value is None:
        value = compute()
        _quietly(cache.set, key, value, seconds)
    return value


def _quietly(operation, *args):
    """A cache write that may fail (Redis away): the page is served all the same."""
    try:
        operation(*args)
    except Exception:  # noqa: BLE001
        log.warning("the page cache cannot be reached", exc_info=True)


# --- The middleware --------------------------------------------------------------------


class AnonymousPageCacheMiddleware:
    """Serve visitors' pages from the cache. Sits after CsrfViewMiddleware (which sets
    the visitor's CSRF cookie on the way out) and before authentication: a request it
    answers from the cache does not load a session or a user at all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            cache = _cache()
            key = self._key(request)
            kept = cache.get(key) if key is not None else None
        except Exception:  # noqa: BLE001 - the cache is away: render the page
            log.warning("the page cache cannot be reached; page rendered", exc_info=True)
            return self.get_response(request)
        if key is None:
            return self.get_response(request)
        if kept is not None:
            PAGES.labels(result="hit").inc()
            return self._from_cache(request, kept)
        response = self.get_response(request)
        kept = self._keepable(request, response)
        if kept is None:
            PAGES.labels(result="miss").inc()
            response["X-Page-Cache"] = "miss"
            return response
        _quietly(cache.set, key, kept, PAGE_SECONDS)
        PAGES.labels(result="stored").inc()
        response["X-Page-Cache"] = "stored"
        return response

    @staticmethod
    def _key(request) -> str | None:
        """The page's key, or None when the request may not be served from the cache."""
        if request.method not in ("GET", "HEAD"):
            return None
        cookies = request.COOKIES
        if set(cookies) - {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME, MODE_COOKIE}:
            # A cookie the key does not know may change the page: a session (signed
            # in), a flashed message, the survey's device cookie ("you have answered").
            # Fail closed: such a visitor is neither served nor kept a page.
            return None
        if "HTTP_AUTHORIZATION" in request.META or request.headers.get("HX-Request"):
            return None
        mode = "elder" if cookies.get(MODE_COOKIE) == ELDER else "standard"
        return ":".join(
            [
                "gongzhi:page",
                data_version(),
                request.scheme,
                request.get_host(),
                getattr(request, "LANGUAGE_CODE", ""),
                mode,
                request.get_full_path(),
            ]
        )

    @staticmethod
    def _keepable(request, response):
        """What to keep of a response, or None when it is not the same for every
        visitor (see the module's docstring)."""
        if (
            response.status_code != 200
            or response.streaming
            or response.cookies
            or not response.get("Content-Type", "").startswith(KEPT_TYPES)
            or "private" in response.get("Cache-Control", "")
            or "no-store" in response.get("Cache-Control", "")
            or getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            return None
        if SUBMISSION_INPUT in response.content:
            return None
        return _for_keeping(response)

    @staticmethod
    def _from_cache(request, kept) -> HttpResponse:
        return _served(request, kept)


def _for_keeping(response) -> tuple:
    """The headers and content to keep, each form's tokens cut out (``_served`` puts
    in the reader's own)."""
    content = _CSRF_VALUE.sub(rb"\1" + CSRF_SLOT + rb"\2", response.content)
    content = _SUBMISSION_VALUE.sub(rb"\1" + SUBMISSION_SLOT + rb"\2", content)
    headers = [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in ("content-length", "set-cookie")
    ]
    return (headers, content)


def _served(request, kept) -> HttpResponse:
    """A kept page with the reader's CSRF token and a fresh one-time submission token
    in each form (two tabs from one kept page are two submissions, as from two
    renders)."""
    headers, content = kept
    if CSRF_SLOT in content:
        content = content.replace(CSRF_SLOT, get_token(request).encode())
    while SUBMISSION_SLOT in content:
        content = content.replace(SUBMISSION_SLOT, str(uuid.uuid4()).encode(), 1)
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


# --- A signed-in person's own pages ---------------------------------------------------------


# The views kept per person, by dotted name: a test reads each of them and checks that
# its GET writes nothing (test_pagecache.test_a_kept_page_writes_nothing).
KEPT_VIEWS: set[str] = set()


def kept_per_person(view):
    """Keep the page ``view`` renders for a signed-in person, for that person only,
    until the next write (README, "Pages from the cache"). For the pages people come
    back to all day without anything changing in between: 我的, staff's 待办, and the
    plan, board, project, meeting and directory pages staff work from.

    The page is kept under the person, the data version, the address, the language,
    长辈版 and their count of unread messages (notifications are written without
    drawing a version), and for ``PAGE_SECONDS`` at most. So it is never another
    person's page, never older than the last write, and shows a new message at once.
    Never kept: an htmx fragment, a page with a flashed message waiting, any answer
    but a 200 HTML page, one that sets a cookie or says no-store.

    Only for views whose GET has no effect but the page: on a hit the view does not
    run. Its permission check included, which is safe because the kept page is the one
    this very person was allowed at this very version (any change of role or record
    is a write), and only 200 answers are kept. Each kept form gets the person's
    current CSRF token and a fresh one-time submission token (two tabs from one kept
    page are two submissions, as from two renders)."""
    from functools import wraps

    KEPT_VIEWS.add(f"{view.__module__}.{view.__name__}")

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            key = _personal_key(request)
            kept = _cache().get(key) if key is not None else None
        except Exception:  # noqa: BLE001 - the cache is away: render the page
            log.warning("the page cache cannot be reached; page rendered", exc_info=True)
            return view(request, *args, **kwargs)
        if key is None:
            return view(request, *args, **kwargs)
        if kept is not None:
            PERSONAL_PAGES.labels(result="hit").inc()
            return _served(request, kept)
        response = view(request, *args, **kwargs)
        kept = _personal_keepable(response)
        if kept is None:
            PERSONAL_PAGES.labels(result="miss").inc()
            response["X-Page-Cache"] = "miss"
            return response
        _quietly(_cache().set, key, kept, PAGE_SECONDS)
        PERSONAL_PAGES.labels(result="stored").inc()
        response["X-Page-Cache"] = "stored"
        return response

    return wrapped


def _personal_key(request) -> str | None:
    from django.contrib.messages import get_messages

    from .display import elder_mode_on
    from .models import Notification

    user = getattr(request, "user", None)
    if (
        request.method != "GET"
        or user is None
        or not user.is_authenticated
        or request.headers.get("HX-Request")
        # A message flashed by the last action is shown once, by a rendered page.
        or len(get_messages(request))
    ):
        return None
    unread = Notification.objects.filter(user=user).unread().count()
    # The header's badge shows the same count: counted once (core/context_processors.py).
    request.unread_notifications = unread
    return ":".join(
        [
            "gongzhi:personal",
            data_version(),
            str(user.pk),
            str(unread),
            request.scheme,
            request.get_host(),
            getattr(request, "LANGUAGE_CODE", ""),
            "elder" if elder_mode_on(request) else "standard",
            request.get_full_path(),
        ]
    )


def _personal_keepable(response):
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or not response.get("Content-Type", "").startswith("text/html")
        or "no-store" in response.get("Cache-Control", "")
    ):
        return None
    return _for_keeping(response)
