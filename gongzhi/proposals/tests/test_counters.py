"""The support and comment counts kept on each proposal (counters.py) always equal
what the rows say, after every service that changes them; drift written around the
services is found and repaired by ``manage.py repair_counts``."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongzhi.paper.kinds import KINDS
from gongzhi.paper.services import record_from_paper
from gongzhi.proposals import services
from gongzhi.proposals.counters import drift
from gongzhi.proposals.models import Comment, Proposal, Support
from gongzhi.proposals.tests.builders import make_proposal
from gongzhi.tests.factories import UserFactory


def counts(proposal):
    proposal = Proposal.objects.get(pk=proposal.pk)
    rows = (
        Support.objects.filter(proposal=proposal, withdrawn_at__isnull=True).count(),
        Comment.objects.filter(proposal=proposal, hidden_at__isnull=True).count(),
    )
    assert (proposal.support_count, proposal.comment_count) == rows
    return rows


def test_every_service_keeps_the_counts_equal_to_the_rows(town, area_a, people, staff):
    proposal = make_proposal(town=town, area=area_a)
    other = make_proposal(town=town, area=area_a, title="另一个提案")
    residents = UserFactory.create_batch(3, residential_area=area_a)
    assert counts(proposal) == (0, 0)
    for resident in residents:
        services.support_proposal(proposal=proposal, user=resident)
    assert counts(proposal) == (3, 0)
    services.withdraw_support(proposal=proposal, user=residents[0])
    assert counts(proposal) == (2, 0)
    services.support_proposal(proposal=proposal, user=residents[0])
    assert counts(proposal) == (3, 0)
    comment = services.add_comment(proposal=proposal, author=residents[1], body="赞成")
    services.add_comment(proposal=proposal, author=staff, body="已收到", parent=comment)
    assert counts(proposal) == (3, 2)
    services.hide_comment(comment=comment, actor=staff, reason="广告")
    assert counts(proposal) == (3, 1)
    # A support from a resident's paper form goes through the same service.
    record_from_paper(
        kind=KINDS["support"], target=proposal, actor=staff, area=area_a,
        name="王秀英（12号楼）", reference="YJ-1",
    )  # fmt: skip
    assert counts(proposal) == (4, 1)
    services.support_proposal(proposal=other, user=residents[2])
    services.merge(proposal=other, into=proposal, actor=people["secretariat"])
    assert counts(other) == (1, 0) and counts(proposal) == (4, 1)


def test_repair_counts_finds_and_repairs_drift(town, area_a, capsys):
    proposal = make_proposal(town=town, area=area_a)
    UserFactory.create_batch(2, residential_area=area_a)
    Support.objects.bulk_create(
        Support(proposal=proposal, user=user)
        for user in UserFactory.create_batch(2, residential_area=area_a)
    )
    assert drift() == [{"pk": proposal.pk, "support_count": (0, 2), "comment_count": (0, 0)}]
    with pytest.raises(CommandError):
        call_command("repair_counts", "--check")
    assert Proposal.objects.get(pk=proposal.pk).support_count == 0  # --check changes nothing
    call_command("repair_counts")
    assert counts(proposal) == (2, 0) and drift() == []
    call_command("repair_counts", "--check")
    assert "All proposal counts match" in capsys.readouterr().out
