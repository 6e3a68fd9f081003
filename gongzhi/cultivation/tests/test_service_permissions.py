"""Every cultivation service checks the actor's permission itself: called directly by
someone who may not (a resident, a partner, area staff, another town's secretariat),
it refuses with nothing written."""

from functools import partial

import pytest

from gongzhi.core.testing import assert_refused
from gongzhi.cultivation import services

from .builders import past_activity, programme_with_sessions

UNAUTHORISED = ("resident", "partner", "area_staff", "other_secretariat")


@pytest.fixture
def world(town, area_a, people):
    staff = people["secretariat"]
    return {
        "town": town,
        "draft": programme_with_sessions(
            town=town, area=area_a, actor=staff, sessions=1, required=1, status="draft"
        ),
        "open": programme_with_sessions(
            town=town, area=area_a, actor=staff, sessions=1, required=1, title="开放"
        ),
        "activity": past_activity(area=area_a),
    }


CASES = {
    "create_programme": lambda w, a: services.create_programme(
        town=w["town"], actor=a, title="培训", sessions_required=1
    ),
    "add_session": lambda w, a: services.add_session(
        programme=w["draft"], activity=w["activity"], actor=a
    ),
    "open_programme": lambda w, a: services.open_programme(programme=w["draft"], actor=a),
    "close_programme": lambda w, a: services.close_programme(programme=w["open"], actor=a),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_service_refuses_who_may_not_run_programmes(name, world, people):
    assert_refused(*(partial(CASES[name], world, people[role]) for role in UNAUTHORISED))
