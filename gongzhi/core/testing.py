"""Test helpers shared by every app's tests."""

from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


@contextmanager
def rolled_back_world(django_db_blocker, media_root):
    """For a module- or package-scoped fixture: rows (and uploads, under
    ``media_root``) that many tests share, made once instead of once per test.

    They are made inside a transaction that stays open while those tests run; each
    test nests in it as a savepoint, as pytest-django's ``db`` does, so what a test
    writes goes with it. The transaction is rolled back at the end, so no other test
    sees the rows.
    """
    media, settings.MEDIA_ROOT = settings.MEDIA_ROOT, media_root
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        settings.MEDIA_ROOT = media


def count_queries(client, url: str) -> tuple[int, object]:
    """The queries a page costs when it is rendered: a visitor's page kept in the
    page cache (core/pagecache.py) would read none, so the cache is emptied first."""
    from django.core.cache import caches

    caches["pages"].clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if response.streaming:
            # A streamed file (a ledger) reads its rows while it is sent: count those too.
            response.streaming_content = [b"".join(response.streaming_content)]
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(ctx.captured_queries), response


def response_text(response) -> str:
    """What a response shows, as text to look for rows in: an HTML page (entities
    resolved), JSON (re-encoded without \\u escapes), iCalendar, or the cells of an
    Excel workbook."""
    import html
    import json

    kind = response.get("Content-Type", "")
    if response.streaming:
        content = b"".join(response.streaming_content)
        response.streaming_content = [content]  # the test may read it again
    else:
        content = response.content
    if "spreadsheetml" in kind:
        from io import BytesIO

        from openpyxl import load_workbook

        book = load_workbook(BytesIO(content), read_only=True)
        return "\n".join(
            "\t".join("" if v is None else str(v) for v in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    text = content.decode()
    if "json" in kind:
        return json.dumps(json.loads(text), ensure_ascii=False)
    return html.unescape(text)


def _marker(row) -> str:
    """The text by which a row shows on a page: itself when it is text, else the
    address of its own page."""
    if isinstance(row, str):
        return row
    url = getattr(row, "get_absolute_url", None)
    assert url, f"make_rows returned {row!r}: return text the page shows for it"
    return url()


def _json_ids(text: str) -> set:
    import json

    ids, stack = set(), [json.loads(text)]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if "id" in value:
                ids.add(value["id"])
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return ids


def _shown(response, text: str, rows) -> list:
    """The rows among ``rows`` that the response shows."""
    if "json" in response.get("Content-Type", "") and not all(isinstance(r, str) for r in rows):
        ids = _json_ids(text)
        return [r for r in rows if (r in text if isinstance(r, str) else r.pk in ids)]
    return [r for r in rows if _marker(r) in text]


def assert_constant_queries(client, url: str, make_rows, small: int = 5, large: int = 50):
    """Assert a list page makes as many queries with ``large`` rows as with ``small``,
    and that it lists the rows it was given.

    ``make_rows(n)`` adds n more rows that the page lists and returns them: the model
    instances (found on an HTML page by the address of their own page, in JSON by
    their ``id``) or, for rows without a page of their own, the text the page shows
    for each (a title, a masked name). Catches N+1 queries: a page whose query count
    grows with its rows fails here, whatever the machine. And a check that cannot
    fail does not pass: ``make_rows`` must really add ``n`` rows, every row of the
    first batch must be on the page, and at least one row of the second batch too (a
    paginated list may show only its first page of the ``large`` rows).
    """
    first = list(make_rows(small) or ())
    assert len(first) == small, f"make_rows({small}) returned {len(first)} rows"
    count_queries(client, url)  # warm per-process caches (content types, sessions)
    few, response = count_queries(client, url)
    text = response_text(response)
    missing = [r for r in first if r not in _shown(response, text, first)]
    assert not missing, f"{url} does not show the rows added: {missing[:3]}"
    second = list(make_rows(large - small) or ())
    assert len(second) == large - small, f"make_rows({large - small}) returned {len(second)} rows"
    many, response = count_queries(client, url)
    assert _shown(response, response_text(response), second), (
        f"{url} shows none of the {large - small} rows added last"
    )
    assert few == many, (
        f"{url}: {few} queries with {small} rows but {many} with {large} (N+1 query?)"
    )
    return response


def all_at_once(
    work, items, *, threads: int | None = None, refused=None, results=False, timeout: float = 10
):
    """Run ``work(item)`` for every item at the same instant, each in its own thread
    and so its own database connection; returns, in order, "ok" or "refused" (a
    DomainError, or one of the ``refused`` exception types) per item. Any other
    exception is raised. With ``results``, what ``work`` returned is given instead of
    "ok".

    The threads are released together by a barrier. A barrier that breaks (a thread
    did not arrive in ``timeout`` seconds) fails the test: requests that did not
    overlap prove nothing about a race. With ``threads``, the items run in rounds of
    that many threads (a burst larger than the connections the database allows),
    each round released by its own barrier.
    """
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from gongzhi.core.errors import DomainError

    items = list(items)
    size = threads or len(items)
    rounds = [items[start : start + size] for start in range(0, len(items), size)]
    barriers = [threading.Barrier(len(batch)) for batch in rounds]
    refusals = (DomainError, *(refused or ()))

    def run(numbered):
        number, item = numbered
        try:
            barriers[number // size].wait(timeout=timeout)
            try:
                value = work(item)
                return value if results else "ok"
            except refusals:
                return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=size) as pool:
        return list(pool.map(run, enumerate(items), timeout=timeout * 6 * len(rounds)))


def _holding(hold, held, release, timeout, never):
    """In a thread of its own: ``hold()`` in a transaction kept open (``held`` set)
    until ``release`` is set, then committed."""
    try:
        with transaction.atomic():
            hold()
            held.set()
            assert release.wait(timeout), never
    finally:
        connection.close()


def during_a_held_write(hold, read, *, timeout: float = 10):
    """``read()`` runs while ``hold()``'s write is made but not committed (PostgreSQL
    only: a transaction of its own thread and connection, committed once ``read``
    returns). Returns what ``read`` returned; the write is committed on return. For
    what a reader may keep of the rows as they were (core/pagecache.py)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    held, release = threading.Event(), threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:
        holding = pool.submit(_holding, hold, held, release, timeout, "the read never finished")
        try:
            assert held.wait(timeout), "the held write did not happen"
            return read()
        finally:
            release.set()
            holding.result(timeout=timeout)


def into_a_held_write(hold, work, *, refused=None, timeout: float = 10) -> str:
    """The one interleaving a burst may miss, made certain (PostgreSQL only): ``hold()``
    writes in a transaction of its own thread and connection that stays open while
    ``work()`` runs in another; it commits once ``work`` waits for it (on a row lock
    or a unique index), so ``work`` read before the write was visible and writes
    after it was committed. Returns "ok" or "refused" for ``work``, as ``all_at_once``.

    Fails when ``work`` finishes without waiting: then the race under test did not
    happen.
    """
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from gongzhi.core.errors import DomainError

    held, release, worker = threading.Event(), threading.Event(), {}
    refusals = (DomainError, *(refused or ()))

    def run():
        try:
            assert held.wait(timeout), "the held write did not happen"
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                worker["pid"] = cursor.fetchone()[0]
            try:
                work()
                return "ok"
            except refusals:
                return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        holding = pool.submit(
            _holding, hold, held, release, timeout, "the work never waited for the held write"
        )
        working = pool.submit(run)
        deadline = time.monotonic() + timeout
        waited = False
        while not working.done() and time.monotonic() < deadline:
            if "pid" in worker:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT cardinality(pg_blocking_pids(%s))", [worker["pid"]])
                    waited = cursor.fetchone()[0] > 0
                if waited:
                    break
            time.sleep(0.005)
        release.set()
        holding.result(timeout=timeout)
        outcome = working.result(timeout=timeout)
    assert waited, "the work did not wait for the held write: the race did not happen"
    return outcome


# Tables a request may write whatever it is allowed to do: the session a signed-in
# client carries. Everything else must be unchanged by a refused action.
SNAPSHOT_IGNORES = frozenset({"django_session"})


def database_snapshot() -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of its rows, to compare before and after
    an action that must change nothing (a refused POST). Cheap enough for the small
    worlds tests build: one query per table.
    """
    import hashlib

    from django.apps import apps

    tables = set()
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.proxy and model._meta.managed:
            tables.add(model._meta.db_table)
    tables = sorted(tables - SNAPSHOT_IGNORES)
    snapshot = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One round trip: each table's rows as text, ordered, digested by the server.
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT %s, count(*), md5(coalesce(string_agg(r::text, ',' ORDER BY "  # noqa: S608
                    f"r::text), '')) FROM {connection.ops.quote_name(table)} r"
                    for table in tables
                ),
                tables,
            )
            return {table: (count, digest) for table, count, digest in cursor.fetchall()}
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(repr(row) for row in cursor.fetchall())
            digest = hashlib.blake2b("\n".join(rows).encode(), digest_size=16).hexdigest()
            snapshot[table] = (len(rows), digest)
    return snapshot


def snapshot_changes(before: dict, after: dict) -> list[str]:
    """The tables whose rows differ between two ``database_snapshot()``s, with their
    row counts before and after."""
    return [
        f"{table}: {before.get(table, (0,))[0]} -> {after.get(table, (0,))[0]} rows"
        for table in sorted(set(before) | set(after))
        if before.get(table) != after.get(table)
    ]


@contextmanager
def assert_nothing_written():
    """``with assert_nothing_written(): ...`` fails when the block changed any row
    (a refused action, whether a 4xx answer or a DomainError caught inside the block,
    must leave the database as it was). A client signed in inside the block does not
    count: its last-login stamp is not the action's doing."""
    from django.contrib.auth.models import update_last_login
    from django.contrib.auth.signals import user_logged_in

    before = database_snapshot()
    user_logged_in.disconnect(dispatch_uid="update_last_login")
    try:
        yield
    finally:
        user_logged_in.connect(update_last_login, dispatch_uid="update_last_login")
    changes = snapshot_changes(before, database_snapshot())
    assert changes == [], f"a refused action wrote: {', '.join(changes)}"


def assert_refused(*calls) -> None:
    """Each of ``calls`` raises PermissionDenied and leaves the database as it was: a
    service called directly by someone who may not act (the check inside the service,
    not the view's, is what refuses)."""
    import pytest
    from django.core.exceptions import PermissionDenied

    assert calls
    before = database_snapshot()
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
        assert snapshot_changes(before, database_snapshot()) == [], call
