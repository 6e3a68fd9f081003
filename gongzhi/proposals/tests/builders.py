"""Builders for proposals in any app's tests: made through the service, as a resident would."""

from django.utils import timezone

from gongzhi.proposals import services
from gongzhi.proposals.counters import recount
from gongzhi.proposals.models import Proposal, ProposalStatus, Support
from gongzhi.tests.factories import UserFactory


def make_proposal(
    *,
    town,
    area,
    author=None,
    title="楼道加装扶手",
    description="老人上下楼不方便。",
    category="facilities",
    **fields,
):
    """A submitted proposal; ``author`` is a new resident unless given."""
    return services.submit_proposal(
        town=town,
        author=author or UserFactory(),
        area=area,
        title=title,
        description=description,
        category=category,
        **fields,
    )


def supported_proposal(*, town, area, supporters=3, **fields):
    """A proposal of ``area`` by a new resident of it (see make_proposal), supported
    through the service by ``supporters`` new users. Returns (proposal, author,
    supporters)."""
    author = UserFactory(residential_area=area)
    proposal = make_proposal(town=town, area=area, author=author, **fields)
    users = UserFactory.create_batch(supporters)
    for user in users:
        services.support_proposal(proposal=proposal, user=user)
    return proposal, author, users


def adopted_proposal(**fields):
    """A proposal submitted through the service (see make_proposal), then marked
    adopted directly, skipping the review."""
    proposal = make_proposal(**fields)
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.ADOPTED)
    proposal.refresh_from_db()
    return proposal


def proposal_at(status, *, town, area, supporters=3):
    """A proposal already at ``status``, written with the model (skipping the review
    services), by a new resident of ``area`` and supported by ``supporters`` more.
    Returns (proposal, author, supporters). A merged one is merged into a new adopted
    proposal; a not-adopted one gives its reason."""
    author = UserFactory(residential_area=area)
    extra = {}
    if status == ProposalStatus.NOT_ADOPTED:
        extra["status_reason"] = "不在本年度计划内。"
    elif status == ProposalStatus.MERGED:
        extra["merged_into"], _author, _supporters = proposal_at(
            ProposalStatus.ADOPTED, town=town, area=area, supporters=0
        )
    made = Proposal.objects.create(
        **extra,
        town=town,
        area=area,
        author=author,
        title="中心花园增设座椅",
        description="老人散步没有地方坐。",
        category="public_space",
        status=status,
        last_activity_at=timezone.now(),
    )
    users = UserFactory.create_batch(supporters, residential_area=area)
    Support.objects.bulk_create(Support(proposal=made, user=user) for user in users)
    recount(Proposal.objects.filter(pk=made.pk))  # rows written around the services
    return made, author, users
