"""Every write on a micro-renewal project checks the actor's permission inside the
service, so that a view (or any other caller) that forgets its check still cannot act:
each service is called directly by people who may not, and must refuse with nothing
written.

The project is in area B, which the area staff of the shared fixtures do not serve, and
the partner is not one of its partners; the other secretariat serves another town
(test_services covers more refusals per service; the allowed calls are the other tests
of this app).
"""

from datetime import timedelta
from decimal import Decimal
from functools import partial

import pytest
from django.utils import timezone

from gongzhi.core.testing import assert_refused
from gongzhi.renewal import services
from gongzhi.renewal.models import ProjectStatus
from gongzhi.renewal.tests.builders import completed_process, jpeg_upload, new_project, project_at
from gongzhi.tests.factories import SiteFactory

# Everyone who may neither manage nor contribute to the project of area B.
UNAUTHORISED = ("resident", "partner", "area_staff", "other_secretariat")


@pytest.fixture
def world(area_b, people):
    staff = people["secretariat"]
    project = project_at(ProjectStatus.UNDER_CONSTRUCTION, actor=staff, area=area_b)
    return {
        "project": project,
        "milestone": project.milestones.get(),
        "site": SiteFactory(area=area_b, town=area_b.town),
        "process": completed_process(area=area_b, actor=staff, title="另一规划"),
    }


def _today(days=0):
    return timezone.localdate() + timedelta(days=days)


def _edit(w, a):
    p = w["project"]
    return services.edit_project(
        project=p,
        actor=a,
        title="改名",
        description=p.description,
        kind=p.kind,
        budget=p.budget,
        funding_source=p.funding_source,
        contractor=p.contractor,
        planned_start=p.planned_start,
        planned_end=p.planned_end,
    )


CASES = {
    "create_project": lambda w, a: new_project(actor=a, site=w["site"], process=w["process"]),
    "edit_project": _edit,
    "add_milestone": lambda w, a: services.add_milestone(
        project=w["project"], actor=a, title="验收", planned_start=_today(), planned_end=_today(7)
    ),
    "record_milestone": lambda w, a: services.record_milestone(
        milestone=w["milestone"], actor=a, actual_start=_today(-40), actual_end=_today(-1)
    ),
    "record_spending": lambda w, a: services.record_spending(
        project=w["project"], actor=a, amount=Decimal("100"), spent_on=_today(), item="材料"
    ),
    "approve_extra_budget": lambda w, a: services.approve_extra_budget(
        project=w["project"],
        actor=a,
        amount=Decimal("1000"),
        reason="追加",
        authority="联席会决议",
        approved_on=_today(),
    ),
    "add_photo": lambda w, a: services.add_photo(
        project=w["project"],
        actor=a,
        phase="during",
        upload=jpeg_upload(),
        content="施工中",
        taken_at=timezone.now(),
        place="花园",
        photographer="张三",
    ),
    "suspend": lambda w, a: services.suspend(
        project=w["project"], actor=a, reason="雨季", on=_today()
    ),
    "complete_project": lambda w, a: services.complete_project(
        project=w["project"], actor=a, result="建成", completed_on=_today()
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_service_refuses_who_may_not_run_the_project(name, world, people):
    assert_refused(*(partial(CASES[name], world, people[role]) for role in UNAUTHORISED))
