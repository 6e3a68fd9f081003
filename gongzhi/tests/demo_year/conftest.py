"""The demo year (``seed_demo``) seeded once for every check in this package.

Seeding the whole demo town and its year takes most of a minute on PostgreSQL; each
capability checking it in its own module multiplied that by seven. Here it is
seeded once and rolled back after the package's last test (``rolled_back_world``).

The present (test_today.py) is counted from the moment seed_demo ran, which it is
given: the tests read ``seeded_at``, never the clock, so they hold at any hour and on
any day, also when the suite runs across midnight.
"""

from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from gongzhi.core.testing import rolled_back_world
from gongzhi.places.models import Town


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture(scope="package")
def seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo run twice (the second run must add nothing): its printed summary,
    the row count of every model after each run, and the moment it was seeded."""
    with rolled_back_world(django_db_blocker, tmp_path_factory.mktemp("media")):
        out = StringIO()
        seeded_at = timezone.now()
        call_command("seed_demo", stdout=out, now=seeded_at)
        counts = _row_counts()
        call_command("seed_demo", stdout=out)
        again = _row_counts()
        yield SimpleNamespace(out=out.getvalue(), counts=counts, again=again, seeded_at=seeded_at)


@pytest.fixture
def demo_year(seeded_once, db):
    """What seeded_once found, for a test with database access: pytest-django runs
    tests that do not ask for ``db`` after all others, which would seed a second time."""
    return seeded_once


@pytest.fixture
def town(demo_year):
    """高境镇, the demo town (the shared ``town`` fixture would be a second one)."""
    return Town.objects.get(slug="gaojing")
