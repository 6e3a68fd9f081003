"""Every write of the secretariat on a design contest checks the actor's permission
inside the service, so that a view (or any other caller) that forgets its check still
cannot act: each service is called directly by people who may not, and must refuse
with nothing written.

Contests are the town's: area staff (of any area) may not run them; the other
secretariat serves another town. The allowed calls are the other tests of this app.
Entries, votes and scores are residents' and judges' own actions: any signed-in account
enters and votes, judges score (rules.py); when and for what is the contest's own rule
(see test_services). Signed out, the services refuse entries and drafts themselves.
"""

from functools import partial

import pytest
from django.contrib.auth.models import AnonymousUser

from gongzhi.contests import services
from gongzhi.contests.tests.builders import after_submissions, dates, enter, open_contest, png
from gongzhi.core.testing import assert_refused
from gongzhi.tests.factories import PartnerFactory, SiteFactory

# Everyone who may not run the town's contests.
UNAUTHORISED = ("resident", "partner", "area_staff", "other_secretariat")


@pytest.fixture
def world(town, area_b, people):
    staff = people["secretariat"]
    site = SiteFactory(town=town, area=area_b, name="车棚")
    draft = services.create_contest(
        town=town, actor=staff, sites=[site], title="筹备中的设计赛", **dates()
    )
    services.add_criterion(contest=draft, actor=staff, name="创意", max_points=100)
    return {
        "town": town,
        "site": site,
        "draft": draft,
        "open": open_contest(town=town, area=area_b, actor=staff),
        "partner": PartnerFactory(area=area_b),
    }


CASES = {
    "create_contest": lambda w, actor: services.create_contest(
        town=w["town"], actor=actor, sites=[w["site"]], title="又一个设计赛", **dates()
    ),
    "add_criterion": lambda w, actor: services.add_criterion(
        contest=w["draft"], actor=actor, name="可行性", max_points=50
    ),
    "open_call": lambda w, actor: services.open_call(contest=w["draft"], actor=actor),
    "appoint_judge": lambda w, actor: services.appoint_judge(
        contest=w["open"], partner=w["partner"], stages=["early"], actor=actor
    ),
    "advance_stage": lambda w, actor: services.advance_stage(
        contest=w["open"], actor=actor, at=after_submissions(w["open"])
    ),
    "award": lambda w, actor: services.award(contest=w["open"], actor=actor, titles={}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_service_refuses_who_may_not_run_the_contest(name, world, people):
    assert_refused(*(partial(CASES[name], world, people[role]) for role in UNAUTHORISED))


def test_entries_and_drafts_need_an_account(world, people):
    contest = world["open"]
    entry = enter(contest, people["resident"])
    assert_refused(
        lambda: enter(contest, AnonymousUser(), team="无名队"),
        lambda: services.add_drafts(entry=entry, user=AnonymousUser(), files=[png()]),
    )
