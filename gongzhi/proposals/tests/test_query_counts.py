"""Query counts of the moderation queue and of a proposal's merged list do not grow
with their rows."""

from django.urls import reverse

from gongzhi.core.testing import assert_constant_queries
from gongzhi.proposals import services
from gongzhi.proposals.models import Comment, Proposal, ProposalStatus
from gongzhi.proposals.tests.builders import make_proposal
from gongzhi.tests.factories import UserFactory


def test_moderation_queue_queries_do_not_grow(client_for, town, area_a, people):
    staff = people["area_staff"]
    count = [0]

    def rows(n):
        bodies = []
        for _ in range(n):
            count[0] += 1
            proposal = make_proposal(town=town, area=area_a, title=f"提案{count[0]}")
            services.start_review(proposal=proposal, actor=staff)
            bodies.append(f"这条评论骂人了（{count[0]}）")
            comment = services.add_comment(proposal=proposal, author=UserFactory(), body=bodies[-1])
            services.report_comment(comment=comment, reporter=UserFactory(), reason="辱骂")
        return bodies

    url = reverse("proposals:moderation", args=[town.slug])
    assert_constant_queries(client_for("area_staff"), url, rows, 3, 15)


def test_merged_list_on_the_proposal_page_queries_do_not_grow(client_for, town, area_a, people):
    target = make_proposal(town=town, area=area_a, title="合并目标")
    count = [0]

    def rows(n):
        duplicates = []
        for _ in range(n):
            count[0] += 1
            duplicates.append(make_proposal(town=town, area=area_a, title=f"重复{count[0]}"))
            services.merge(proposal=duplicates[-1], into=target, actor=people["area_staff"])
        return duplicates

    assert_constant_queries(client_for("anonymous"), target.get_absolute_url(), rows, 3, 15)
    # A merged proposal's page keeps the discussion it had before the merge.
    merged = Proposal.objects.filter(status=ProposalStatus.MERGED).first()

    def discussion(n):
        count[0] += n
        bodies = [f"合并前的讨论（{count[0] - k}）" for k in range(n)]
        Comment.objects.bulk_create(
            Comment(proposal=merged, author=UserFactory(), body=body) for body in bodies
        )
        return bodies

    assert_constant_queries(client_for("anonymous"), merged.get_absolute_url(), discussion, 3, 15)
