"""Every cultivation service checks the actor's permission itself: called directly by
someone who may not (a resident, a partner, area staff, another town's secretariat),
it refuses with nothing written."""

from functools import partial

import pytest

from gongzhi.core.testing import assert_refused
from gongzhi.cultivation import services
from gongzhi.cultivation.queries import trainee
from gongzhi.tests.factories import UserFactory

from .builders import past_activity, programme_with_sessions

UNAUTHORISED = ("resident", "partner", "area_staff", "other_secretariat")


@pytest.fixture
def world(town, area_a, area_b, people):
    staff = people["secretariat"]
    trainee_b = UserFactory(residential_area=area_b)
    return {
        "town": town,
        "area_b": area_b,
        "draft": programme_with_sessions(
            town=town, area=area_a, actor=staff, sessions=1, required=1, status="draft"
        ),
        "open": programme_with_sessions(
            town=town, area=area_a, actor=staff, sessions=1, required=1, title="开放"
        ),
        "activity": past_activity(area=area_a),
        "trainee_b": trainee_b,
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
    # Logging a look at names: refused to whoever may not look (area B is not the area
    # staff's; the trainee of area B is not theirs nor the partner's).
    "log_record_access": lambda w, a: services.log_record_access(
        actor=a, area=w["area_b"], page_number=1
    ),
    "log_certificate_access": lambda w, a: services.log_certificate_access(
        actor=a, trainee=trainee(w["open"], w["trainee_b"])
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_service_refuses_who_may_not_run_programmes(name, world, people):
    assert_refused(*(partial(CASES[name], world, people[role]) for role in UNAUTHORISED))
