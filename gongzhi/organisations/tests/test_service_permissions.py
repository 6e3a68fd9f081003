"""Every write on the organisation checks the actor's permission inside the service,
so that a view (or any other caller) that forgets its check still cannot act: each
service is called directly by people who may not, and must refuse with nothing written.

The team serves area B, which the area staff of the shared fixtures do not serve; the
other secretariat serves another town. The allowed calls are the other tests of this
app.
"""

from functools import partial

import pytest

from gongzhi.core.testing import assert_refused
from gongzhi.organisations import services
from gongzhi.tests.factories import PartnerFactory

# Everyone who may not run the organisation of the town, nor this team.
UNAUTHORISED = ("resident", "partner", "area_staff", "other_secretariat")


@pytest.fixture
def world(town, area_b, people):
    staff = people["secretariat"]
    services.set_up_organisation(town=town, actor=staff)
    team = services.create_team(
        town=town, actor=staff, name="第二队", basis="group", group_name="规划小组", areas=[area_b]
    )
    member = services.add_member(
        unit=team, partner=PartnerFactory(area=area_b), role="member", actor=staff
    )
    return {
        "town": town,
        "team": team,
        "member": member,
        "partner": PartnerFactory(area=area_b),
    }


CASES = {
    "set_up_organisation": lambda w, actor: services.set_up_organisation(
        town=w["town"], actor=actor
    ),
    "create_committee": lambda w, actor: services.create_committee(
        town=w["town"], actor=actor, mode="media", name="又一个媒体委员会"
    ),
    "create_team": lambda w, actor: services.create_team(
        town=w["town"], actor=actor, name="新队", basis="group", group_name="新小组"
    ),
    "add_member": lambda w, actor: services.add_member(
        unit=w["team"], partner=w["partner"], role="member", actor=actor
    ),
    "end_membership": lambda w, actor: services.end_membership(membership=w["member"], actor=actor),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_service_refuses_who_may_not_run_the_organisation(name, world, people):
    assert_refused(*(partial(CASES[name], world, people[role]) for role in UNAUTHORISED))
