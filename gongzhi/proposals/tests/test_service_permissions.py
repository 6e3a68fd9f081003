"""Every staff write on proposals (review, reply, moderation, the town's rules) checks
the actor's permission inside the service, so that a view (or any other caller) that
forgets its check still cannot act: each service is called directly by people who may
not, and must refuse with nothing written.

The proposal is in area B, which the area staff of the shared fixtures do not serve;
the other secretariat serves another town (test_review covers the resident, the partner
and nobody; the allowed calls are the other tests of this app). Submitting, supporting,
commenting and reporting are residents' own actions.
"""

from functools import partial

import pytest

from gongzhi.core.testing import assert_refused
from gongzhi.proposals import services
from gongzhi.proposals.tests.test_review import make
from gongzhi.tests.factories import UserFactory

# Everyone who may not review proposals of area B; the town's rules are the
# secretariat's, so area staff of any area may not change them.
UNAUTHORISED = ("resident", "partner", "area_staff", "other_secretariat")


@pytest.fixture
def world(town, area_b):
    proposal = make(town, area_b)
    comment = services.add_comment(proposal=proposal, author=UserFactory(), body="评论")
    services.report_comment(comment=comment, reporter=UserFactory(), reason="辱骂")
    return {
        "town": town,
        "proposal": proposal,
        "other": make(town, area_b, "另一条"),
        "comment": comment,
    }


CASES = {
    "start_review": lambda w, a: services.start_review(proposal=w["proposal"], actor=a),
    "adopt": lambda w, a: services.adopt(proposal=w["proposal"], actor=a),
    "merge": lambda w, a: services.merge(proposal=w["proposal"], into=w["other"], actor=a),
    "decline": lambda w, a: services.decline(proposal=w["proposal"], actor=a, reason="不合适"),
    "mark_implemented": lambda w, a: services.mark_implemented(proposal=w["proposal"], actor=a),
    "hide_comment": lambda w, a: services.hide_comment(
        comment=w["comment"], actor=a, reason="辱骂"
    ),
    "dismiss_reports": lambda w, a: services.dismiss_reports(comment=w["comment"], actor=a),
    "update_settings": lambda w, a: services.update_settings(
        town=w["town"], actor=a, support_threshold=3, authors_may_support=True
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_service_refuses_who_may_not_review_the_proposal(name, world, people):
    assert_refused(*(partial(CASES[name], world, people[role]) for role in UNAUTHORISED))
