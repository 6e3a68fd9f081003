"""Fixtures shared by the meetings tests: pages read in English and a meeting of three
members scheduled by the area's staff member."""

import pytest

from .builders import make_meeting


@pytest.fixture
def client_for(english_client_for):
    return english_client_for


@pytest.fixture
def meeting(town, area_a, staff):
    return make_meeting(town=town, area=area_a, actor=staff, member_count=3)
