"""Every staff write on proposals (review, reply, moderation, the town's rules) checks
the actor's permission inside the service, so that a view (or any other caller) that
forgets its check still cannot act: each service is called directly by people who may
not, and must refuse with nothing written.

The proposal is in area B, which the area staff of the shared fixtures do not serve;
the other secretariat serves another town (the last test below covers the resident, the partner
and nobody; the allowed calls are the other tests of this app). Submitting, supporting,
commenting and reporting are residents' own actions.
"""

from functools import partial

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from gongzhi.core.testing import assert_refused
from gongzhi.proposals import services
from gongzhi.proposals.models import Comment, ProposalSettings, ProposalStatus
from gongzhi.proposals.tests.builders import make_proposal
from gongzhi.tests.factories import UserFactory

# Everyone who may not review proposals of area B; the town's rules are the
# secretariat's, so area staff of any area may not change them.
UNAUTHORISED = ("resident", "partner", "area_staff", "other_secretariat")


@pytest.fixture
def world(town, area_b):
    proposal = make_proposal(town=town, area=area_b)
    comment = services.add_comment(proposal=proposal, author=UserFactory(), body="评论")
    services.report_comment(comment=comment, reporter=UserFactory(), reason="辱骂")
    return {
        "town": town,
        "proposal": proposal,
        "other": make_proposal(town=town, area=area_b, title="另一条"),
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


def test_taking_part_is_refused_to_an_account_that_cannot_act(world, area_b):
    """proposals.take_part: a closed (inactive) account, or nobody, cannot submit,
    support, withdraw a support, comment or report a comment."""
    proposal, comment = world["proposal"], world["comment"]
    calls = []
    for user in (UserFactory(is_active=False), AnonymousUser(), None):
        calls += [
            partial(
                services.submit_proposal,
                town=world["town"],
                author=user,
                area=area_b,
                title="增设路灯",
                description="晚上太黑。",
                category="public_space",
            ),
            partial(services.support_proposal, proposal=proposal, user=user),
            partial(services.withdraw_support, proposal=proposal, user=user),
            partial(services.add_comment, proposal=proposal, author=user, body="赞成"),
            partial(services.report_comment, comment=comment, reporter=user, reason="辱骂"),
        ]
    assert_refused(*calls)


def test_staff_writes_check_permission_in_the_service(town, area_a, area_b, people):
    proposal = make_proposal(town=town, area=area_a)
    other = make_proposal(town=town, area=area_a, title="另一条")
    comment = services.add_comment(proposal=proposal, author=UserFactory(), body="评论")
    services.report_comment(comment=comment, reporter=UserFactory(), reason="辱骂")
    writes = [
        lambda a: services.start_review(proposal=proposal, actor=a),
        lambda a: services.adopt(proposal=proposal, actor=a),
        lambda a: services.merge(proposal=proposal, into=other, actor=a),
        lambda a: services.decline(proposal=proposal, actor=a, reason="不合适"),
        lambda a: services.mark_implemented(proposal=proposal, actor=a),
        lambda a: services.hide_comment(comment=comment, actor=a, reason="辱骂"),
        lambda a: services.dismiss_reports(comment=comment, actor=a),
        lambda a: services.update_settings(
            town=town, actor=a, support_threshold=3, authors_may_support=True
        ),
    ]
    for write in writes:
        for actor in (people["resident"], people["partner"], None):
            with pytest.raises(PermissionDenied):
                write(actor)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert not Comment.objects.filter(hidden_at__isnull=False).exists()
    assert comment.reports.filter(resolved_at__isnull=True).count() == 1
    assert not ProposalSettings.objects.filter(support_threshold=3).exists()
    # staff of another area may not decide this area's proposal; settings are the
    # secretariat's
    area_b_proposal = make_proposal(town=town, area=area_b, title="乙区提案")
    with pytest.raises(PermissionDenied):
        services.start_review(proposal=area_b_proposal, actor=people["area_staff"])
    with pytest.raises(PermissionDenied):
        services.update_settings(
            town=town, actor=people["area_staff"], support_threshold=3, authors_may_support=True
        )
    services.start_review(proposal=proposal, actor=people["area_staff"])
    services.update_settings(
        town=town, actor=people["secretariat"], support_threshold=3, authors_may_support=True
    )
