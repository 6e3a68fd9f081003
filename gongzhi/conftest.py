"""Fixtures shared by every app: two towns, areas in and out of a staff member's
scope, and one signed-in client per role."""

import pytest
from django.test import Client

from gongzhi.tests.factories import AreaFactory, RoleGrantFactory, TownFactory, UserFactory

ROLES = [
    "anonymous",
    "resident",
    "partner",
    "area_staff",
    "secretariat",
    "other_secretariat",
    "administrator",
]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (a request in English would
    otherwise leave English active for the tests after it)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (log-in throttling counts live there)."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["pages"].clear()
    yield
    cache.clear()
    caches["pages"].clear()


# The shared places, by name: the fixtures below make them, and so does a module that
# builds its world once for all its tests (the permission matrix).
TOWN = {"name": "高境镇", "slug": "gaojing"}
OTHER_TOWN = {"name": "另一镇", "slug": "other"}
AREA_A = {"name": "逸景佳苑", "code": "01"}
AREA_B = {"name": "第二居民区", "code": "02"}


@pytest.fixture
def town(db):
    return TownFactory(**TOWN)


@pytest.fixture
def other_town(db):
    return TownFactory(**OTHER_TOWN)


@pytest.fixture
def area_a(town):
    """The area the area-staff user serves."""
    return AreaFactory(town=town, **AREA_A)


@pytest.fixture
def area_b(town):
    """An area of the same town that the area-staff user does not serve."""
    return AreaFactory(town=town, **AREA_B)


def make_people(*, town, other_town, area_a) -> dict:
    """One signed-in user per role; area staff serve area_a only."""
    users = {
        "resident": UserFactory(display_name="李居民", residential_area=area_a),
        "partner": UserFactory(display_name="王合伙人"),
        "area_staff": UserFactory(display_name="陈社工"),
        "secretariat": UserFactory(display_name="赵秘书"),
        "other_secretariat": UserFactory(display_name="钱秘书"),
        "administrator": UserFactory(display_name="管理员", is_superuser=True, is_staff=True),
    }
    RoleGrantFactory(user=users["partner"], town=town, role="partner")
    RoleGrantFactory(user=users["area_staff"], town=town, role="area_staff", areas=[area_a])
    RoleGrantFactory(user=users["secretariat"], town=town, role="secretariat")
    RoleGrantFactory(user=users["other_secretariat"], town=other_town, role="secretariat")
    return users


@pytest.fixture
def people(town, other_town, area_a, area_b):
    """One user per role; area staff serve area_a only."""
    return make_people(town=town, other_town=other_town, area_a=area_a)


def clients_for(people, *, language=None):
    """make(role) -> a Client signed in as that role of ``people`` (anonymous: none);
    with ``language`` its requests ask for that language (Accept-Language), since
    translation.override does not reach a request: the locale middleware picks the
    language from the request, Chinese by default."""

    def make(role):
        client = Client() if language is None else Client(HTTP_ACCEPT_LANGUAGE=language)
        if role != "anonymous":
            client.force_login(people[role])
        return client

    return make


@pytest.fixture
def client_for(people):
    """client_for("area_staff") -> a Client signed in as that role (anonymous: none)."""
    return clients_for(people)


@pytest.fixture
def english_client_for(people):
    """Like client_for, for pages read in English: what such tests assert are the
    msgids."""
    return clients_for(people, language="en")


@pytest.fixture
def staff(people):
    """The area-staff user, who serves area_a only."""
    return people["area_staff"]


@pytest.fixture
def secretary(people):
    """The secretariat user of the town."""
    return people["secretariat"]


@pytest.fixture
def in_english():
    """Messages are matched in English, the source language: a module asks for it with
    ``pytestmark = pytest.mark.usefixtures("in_english")``."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def postgresql_only():
    """Skips the test off PostgreSQL (a module asks for it with
    ``pytest.mark.usefixtures("postgresql_only")``): SQLite serialises every writer, so
    concurrent requests never overlap and the locks under test are not exercised."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite serialises every writer, so requests never "
            "overlap and the locks under test are not exercised"
        )


# Fixtures that build a large world once for many tests (seed_demo for the demo year,
# the permission matrix's world). Under pytest-xdist (--dist loadgroup) the tests
# sharing one stay on one worker, so it is built once per run, not once per worker.
SHARED_WORLDS = ("seeded_once", "world_once")


def pytest_collection_modifyitems(items):
    for item in items:
        for name in SHARED_WORLDS:
            if name in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.xdist_group(name))
