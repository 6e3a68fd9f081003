"""Test helpers shared by every app's tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(ctx.captured_queries), response


def assert_constant_queries(client, url: str, make_rows, small: int = 5, large: int = 50):
    """Assert a list page makes as many queries with ``large`` rows as with ``small``.

    ``make_rows(n)`` adds n more rows that the page lists. Catches N+1 queries: a
    page whose query count grows with its rows fails here, whatever the machine.
    """
    make_rows(small)
    count_queries(client, url)  # warm per-process caches (content types, sessions)
    few, _ = count_queries(client, url)
    make_rows(large - small)
    many, response = count_queries(client, url)
    assert few == many, (
        f"{url}: {few} queries with {small} rows but {many} with {large} (N+1 query?)"
    )
    return response
