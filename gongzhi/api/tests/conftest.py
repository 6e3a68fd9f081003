"""Fixtures shared by the API tests."""

import pytest

from .builders import api_world


@pytest.fixture
def w(town, area_a, area_b, people):
    """The API's small world (see builders.api_world)."""
    return api_world(town=town, area_a=area_a, area_b=area_b, people=people)
