"""Query counts of the moderation queue and of a proposal's merged list do not grow
with their rows."""

from django.urls import reverse

from gongzhi.core.testing import assert_constant_queries
from gongzhi.proposals import services
from gongzhi.proposals.models import Comment, Proposal, ProposalStatus
from gongzhi.proposals.tests.builders import make_proposal, supported_proposal
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


def test_a_proposal_page_reads_at_most_eight_queries(client_for, town, area_a, people, staff):
    """Issue 19: a visitor's proposal page, with supports (one from paper), comments and
    an official reply, in at most 8 queries; counts come from the proposal's columns."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongzhi.paper.kinds import KINDS
    from gongzhi.paper.services import record_from_paper

    proposal, _author, _users = supported_proposal(town=town, area=area_a, supporters=4)
    record_from_paper(
        kind=KINDS["support"], target=proposal, actor=staff, area=area_a,
        name="王秀英（12号楼）", reference="YJ-9",
    )  # fmt: skip
    comment = services.add_comment(proposal=proposal, author=people["resident"], body="赞成")
    services.add_comment(proposal=proposal, author=staff, body="已收到", parent=comment)
    visitor = client_for("anonymous")
    visitor.get(proposal.get_absolute_url())  # the first request loads the site's settings
    caches["pages"].clear()  # the page rendered, not served from the visitors' page cache
    with CaptureQueriesContext(connection) as queries:
        page = visitor.get(proposal.get_absolute_url())
    text = page.content.decode()
    assert page.status_code == 200 and "已收到" in text
    assert page.context["support_count"] == 5 and page.context["paper_support_count"] == 1
    assert page.context["comment_count"] == 2
    assert len(queries.captured_queries) <= 8, [q["sql"][:80] for q in queries.captured_queries]


def test_an_adopted_proposal_taken_into_a_plan_and_built_reads_at_most_eight_queries(
    client_for, town, area_a, people, staff
):
    """Issue 19: an adopted proposal's page shows the plan it was taken into and the
    project built from it, still in at most 8 queries for a visitor."""
    from gongzhi.core.testing import count_queries
    from gongzhi.planning.services import take_in_proposal
    from gongzhi.planning.tests.builders import process_at_step
    from gongzhi.proposals.tests.builders import adopted_proposal
    from gongzhi.renewal.tests.builders import make_project
    from gongzhi.tests.factories import SiteFactory

    proposal = adopted_proposal(town=town, area=area_a)
    process = process_at_step(3, town=town, area=area_a, actor=staff, title="逸景佳苑社区规划")
    take_in_proposal(process=process, proposal=proposal, actor=staff)
    site = SiteFactory(area=area_a, town=town)
    project = make_project(actor=people["secretariat"], site=site, proposal=proposal)
    visitor = client_for("anonymous")
    visitor.get(proposal.get_absolute_url())  # the first request loads the site's settings
    queries, page = count_queries(visitor, proposal.get_absolute_url())
    text = page.content.decode()
    assert "逸景佳苑社区规划" in text and project.title in text
    assert queries <= 8, queries


def test_the_list_is_read_once_until_the_next_write(client_for, town, area_a):
    """A signed-in resident's list (rendered for them, unlike a visitor's page kept
    whole): its results are kept until the next write, shared by everyone who reads
    the same address (a template fragment, core/pagecache.py), and its total is kept
    per query (places.views CountKeptPaginator), so 20,000 proposals are counted once
    per write. A new proposal shows on the next read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        make_proposal(town=town, area=area_a, title=f"楼道加装扶手{n}")
    resident = client_for("resident")
    url = reverse("proposals:proposal_list", args=[town.slug])

    def read(path=url):
        with CaptureQueriesContext(connection) as queries:
            response = resident.get(path)
        sql = [q["sql"] for q in queries.captured_queries]
        counts = [q for q in sql if 'COUNT(*) AS "__count" FROM "proposals_proposal"' in q]
        rows = [q for q in sql if q.startswith('SELECT "proposals_proposal"."id"')]
        return len(counts), len(rows), response.content.decode()

    assert read()[:2] == (1, 1)
    counted, rows, text = read()
    assert (counted, rows) == (0, 0) and "3 项提案" in text and "楼道加装扶手2" in text
    # Another address (a sort) reads its rows, but the total is the same query's.
    counted, rows, text = read(url + "?sort=supports")
    assert (counted, rows) == (0, 1) and "3 项提案" in text
    make_proposal(town=town, area=area_a, title="楼道加装扶手3")
    counted, rows, text = read()
    assert (counted, rows) == (1, 1) and "4 项提案" in text and "楼道加装扶手3" in text
