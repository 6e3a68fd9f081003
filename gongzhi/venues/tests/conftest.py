import pytest

from .builders import make_venue


@pytest.fixture
def hall(town, area_a):
    return make_venue(town=town, area=area_a)


@pytest.fixture
def partner_user(people):
    return people["partner"]
