"""Every write on a questionnaire checks the actor's permission inside the service, so
that a view (or any other caller) that forgets its check still cannot act: each service
is called directly by people who may not, and must refuse with nothing written.

The surveys are of area B, which the area staff of the shared fixtures do not serve;
the other secretariat serves another town. The allowed calls are the other tests of
this app.
"""

from functools import partial

import pytest

from gongzhi.core.testing import assert_refused
from gongzhi.surveys import services

# Everyone who may not build or run a survey of area B (or a town-wide one).
UNAUTHORISED = ("resident", "partner", "area_staff", "other_secretariat")


@pytest.fixture
def world(town, area_b, people):
    staff = people["secretariat"]
    draft = services.create_survey(town=town, area=area_b, actor=staff, title="需求调查")
    first = services.add_question(survey=draft, actor=staff, kind="text", text="您的建议？")
    second = services.add_question(survey=draft, actor=staff, kind="scale", text="满意度")
    running = services.create_survey(town=town, area=area_b, actor=staff, title="满意度调查")
    services.add_question(survey=running, actor=staff, kind="text", text="还有什么？")
    services.open_survey(survey=running, actor=staff)
    return {
        "town": town,
        "area": area_b,
        "draft": draft,
        "first": first,
        "second": second,
        "running": running,
    }


CASES = {
    "create_survey": lambda w, actor: services.create_survey(
        town=w["town"], area=w["area"], actor=actor, title="新调查"
    ),
    "create_survey_town_wide": lambda w, actor: services.create_survey(
        town=w["town"], actor=actor, title="全镇调查"
    ),
    "add_question": lambda w, actor: services.add_question(
        survey=w["draft"], actor=actor, kind="text", text="再问一句"
    ),
    "update_question": lambda w, actor: services.update_question(
        question=w["first"], actor=actor, kind="text", text="改过的问题"
    ),
    "remove_question": lambda w, actor: services.remove_question(question=w["first"], actor=actor),
    "reorder_questions": lambda w, actor: services.reorder_questions(
        survey=w["draft"], actor=actor, order=[w["second"].pk, w["first"].pk]
    ),
    "move_question": lambda w, actor: services.move_question(
        question=w["second"], actor=actor, step=-1
    ),
    "open_survey": lambda w, actor: services.open_survey(survey=w["draft"], actor=actor),
    "close_survey": lambda w, actor: services.close_survey(survey=w["running"], actor=actor),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_service_refuses_who_may_not_manage_the_survey(name, world, people):
    assert_refused(*(partial(CASES[name], world, people[role]) for role in UNAUTHORISED))
