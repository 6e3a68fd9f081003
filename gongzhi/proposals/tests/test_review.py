"""The review of issue 5 for proposals: query counts of the moderation queue and of a
proposal's merged list, a year that is not a number, the logged ledger download and
the services' own permission checks."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongzhi.core.models import AuditEvent
from gongzhi.core.testing import assert_constant_queries
from gongzhi.proposals import services
from gongzhi.proposals.models import Comment, Proposal, ProposalSettings, ProposalStatus
from gongzhi.tests.factories import UserFactory


def make(town, area, title="在3号楼转角加装休息座椅"):
    return services.submit_proposal(
        town=town,
        author=UserFactory(residential_area=area),
        area=area,
        title=title,
        description="老人散步累了没有地方坐。",
        category="facilities",
    )


def test_moderation_queue_queries_do_not_grow(client_for, town, area_a, people):
    staff = people["area_staff"]
    count = [0]

    def rows(n):
        bodies = []
        for _ in range(n):
            count[0] += 1
            proposal = make(town, area_a, f"提案{count[0]}")
            services.start_review(proposal=proposal, actor=staff)
            bodies.append(f"这条评论骂人了（{count[0]}）")
            comment = services.add_comment(proposal=proposal, author=UserFactory(), body=bodies[-1])
            services.report_comment(comment=comment, reporter=UserFactory(), reason="辱骂")
        return bodies

    url = reverse("proposals:moderation", args=[town.slug])
    assert_constant_queries(client_for("area_staff"), url, rows, 3, 15)


def test_merged_list_on_the_proposal_page_queries_do_not_grow(client_for, town, area_a, people):
    target = make(town, area_a, "合并目标")
    count = [0]

    def rows(n):
        duplicates = []
        for _ in range(n):
            count[0] += 1
            duplicates.append(make(town, area_a, f"重复{count[0]}"))
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


def test_ledger_year_with_unicode_digits_is_the_whole_ledger(client_for, town, area_a):
    make(town, area_a)
    response = client_for("secretariat").get(
        reverse("proposals:ledger", args=[town.slug]) + "?year=²"
    )
    assert response.status_code == 200
    b"".join(response.streaming_content)
    event = AuditEvent.objects.get(verb="ledger.export")
    assert event.after == {"ledger": "proposals", "rows": 1, "year": None}


def test_staff_writes_check_permission_in_the_service(town, area_a, area_b, people):
    proposal = make(town, area_a)
    other = make(town, area_a, "另一条")
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
    area_b_proposal = make(town, area_b, "乙区提案")
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
