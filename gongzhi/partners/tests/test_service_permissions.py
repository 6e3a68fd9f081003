"""Every staff write on the talent pool checks the actor's permission inside the
service, so that a view (or any other caller) that forgets its check still cannot act:
each service is called directly by people who may not, and must refuse with nothing
written.

The partner and the recommendation are in area B, which the area staff of the shared
fixtures do not serve; the other secretariat serves another town. The allowed calls
are the other tests of this app.
"""

from functools import partial

import pytest

from gongzhi.core.testing import assert_refused
from gongzhi.partners import ledgers, services
from gongzhi.partners.tests.builders import make_application
from gongzhi.partners.tests.test_ledgers import row, upload, xlsx_bytes
from gongzhi.tests.factories import PartnerFactory

# Everyone who may not review, manage or import for the town, nor edit this partner.
UNAUTHORISED = ("resident", "partner", "area_staff", "other_secretariat")
# A partner of the town may recommend a neighbour in any of its areas.
MAY_NOT_RECOMMEND = ("resident", "area_staff", "other_secretariat")


@pytest.fixture
def world(town, area_b):
    return {
        "town": town,
        "area": area_b,
        "application": make_application(town=town, area=area_b),
        "partner": PartnerFactory(area=area_b),
    }


CASES = {
    "accept_application": lambda w, actor: services.accept_application(
        application=w["application"], actor=actor, primary_mode="education"
    ),
    "decline_application": lambda w, actor: services.decline_application(
        application=w["application"], actor=actor, reason="名额已满"
    ),
    "request_more_info": lambda w, actor: services.request_more_info(
        application=w["application"], actor=actor, question="请补充经历"
    ),
    "update_partner_profile": lambda w, actor: services.update_partner_profile(
        partner=w["partner"], actor=actor, profession="律师", skills=["法律"], availability=[]
    ),
    "manage_partner": lambda w, actor: services.manage_partner(
        partner=w["partner"], actor=actor, status="paused", primary_mode="media", note="暂停"
    ),
    "import_applications": lambda w, actor: ledgers.import_applications(
        town=w["town"], actor=actor, upload=upload(xlsx_bytes([row(area=w["area"].name)]))
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_service_refuses_who_may_not_act_for_the_town(name, world, people):
    assert_refused(*(partial(CASES[name], world, people[role]) for role in UNAUTHORISED))


def test_recommending_is_refused_outside_ones_areas(world, people):
    recommend = partial(
        services.recommend,
        town=world["town"],
        area=world["area"],
        name="邻居",
        phone="13912345678",
        reason="热心公益",
    )
    assert_refused(*(partial(recommend, actor=people[role]) for role in MAY_NOT_RECOMMEND))


def test_only_the_applicant_answers_a_request_for_more_information(world, people):
    """partners.answer_application: nobody but the applicant, staff included."""
    application = services.request_more_info(
        application=world["application"], actor=people["secretariat"], question="请补充经历"
    )
    answer = partial(
        services.update_application,
        application=application,
        name="王老师",
        area=world["area"],
        profession="律师",
        skills=["法律"],
        modes=["education"],
        party_status="none",
        availability=["weekend_day"],
        motivation="",
    )
    assert_refused(*(partial(answer, user=people[role]) for role in (*UNAUTHORISED, "secretariat")))
