"""Fixtures shared by the meetings tests: pages read in English, the area's staff member
and a meeting of three members scheduled by them."""

import pytest

from .builders import make_meeting


@pytest.fixture
def client_for(client_for):
    def make(role):
        made = client_for(role)
        made.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return made

    return make


@pytest.fixture
def staff(people):
    return people["area_staff"]


@pytest.fixture
def meeting(town, area_a, staff):
    return make_meeting(town=town, area=area_a, actor=staff, member_count=3)
