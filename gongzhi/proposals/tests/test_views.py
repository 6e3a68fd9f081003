"""Proposal pages: the public list, submitting, supporting, the comment threads and
their moderation, staff decisions and who may take them, the town's settings. Bad
input gets a clear message and stores nothing; typed HTML stays inert."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from gongzhi.core.models import Notification
from gongzhi.core.testing import assert_constant_queries, assert_nothing_written
from gongzhi.proposals import services
from gongzhi.proposals.models import (
    Comment,
    CommentReport,
    Proposal,
    ProposalPhoto,
    ProposalStatus,
    Support,
)
from gongzhi.tests.factories import SiteFactory, UserFactory

SCRIPT = '<script>alert("x")</script>'


def png(name="corner.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 60)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def make(town, area, author, title="在3号楼转角加装休息座椅", category="facilities", **kw):
    return services.submit_proposal(
        town=town,
        author=author,
        area=area,
        title=title,
        description=kw.pop("description", "老人散步时没有地方坐。"),
        category=category,
        **kw,
    )


def url(name, proposal, *more):
    return reverse(f"proposals:{name}", args=[proposal.town.slug, proposal.pk, *more])


def town_url(name, town):
    return reverse(f"proposals:{name}", args=[town.slug])


@pytest.fixture
def neighbour(area_a):
    return UserFactory(display_name="周邻居", residential_area=area_a)


@pytest.fixture
def proposal(town, area_a, people):
    """A proposal of area_a, by the resident."""
    return make(town, area_a, people["resident"])


@pytest.fixture
def proposal_b(town, area_b, neighbour):
    """A proposal of area_b, outside the area staff member's scope."""
    return make(town, area_b, neighbour, title="第二居民区的垃圾房改造", category="environment")


# --- The list ------------------------------------------------------------------------


def test_list_filters_by_area_status_and_category(client_for, town, area_a, area_b, people):
    a = make(town, area_a, people["resident"], title="甲提案", category="facilities")
    b = make(town, area_b, people["resident"], title="乙提案", category="safety")
    services.start_review(proposal=b, actor=people["secretariat"])
    client = client_for("anonymous")
    list_url = town_url("proposal_list", town)

    body = client.get(list_url, {"area": area_a.pk}).content.decode()
    assert a.title in body and b.title not in body
    body = client.get(list_url, {"status": "under_review"}).content.decode()
    assert b.title in body and a.title not in body
    body = client.get(list_url, {"category": "facilities"}).content.decode()
    assert a.title in body and b.title not in body
    body = client.get(list_url, {"q": "乙"}).content.decode()
    assert b.title in body and a.title not in body


def test_list_rejects_an_unknown_filter_value(client_for, town):
    response = client_for("anonymous").get(town_url("proposal_list", town), {"status": "bogus"})
    assert response.status_code == 400


def test_list_sorts_by_supports_newest_and_recent_activity(client_for, town, area_a, people):
    first = make(town, area_a, people["resident"], title="最早的提案")
    popular = make(town, area_a, people["resident"], title="最受支持的提案")
    latest = make(town, area_a, people["resident"], title="最新的提案")
    for _ in range(3):
        services.support_proposal(proposal=popular, user=UserFactory())
    services.support_proposal(proposal=latest, user=UserFactory())
    # Comments on the popular one must not inflate its supports (nor anyone's).
    for _ in range(2):
        services.add_comment(proposal=popular, author=UserFactory(), body="赞成")
    Proposal.objects.filter(pk=first.pk).update(last_activity_at=timezone.now() + timedelta(1))
    client = client_for("anonymous")

    def order(sort):
        body = client.get(town_url("proposal_list", town), {"sort": sort}).content.decode()
        return sorted([first, popular, latest], key=lambda p: body.index(p.title))

    assert order("supports") == [popular, latest, first]
    assert order("newest") == [latest, popular, first]
    assert order("active") == [first, popular, latest]


def test_list_shows_counts_in_english(client_for, town, area_a, people):
    p = make(town, area_a, people["resident"])
    for _ in range(3):
        services.support_proposal(proposal=p, user=UserFactory())
    for _ in range(2):
        services.add_comment(proposal=p, author=UserFactory(), body="好")
    body = (
        client_for("anonymous")
        .get(town_url("proposal_list", town), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "3 supports" in body
    assert "2 comments" in body
    assert "Submitted" in body
    assert "Facilities" in body


def test_list_is_paginated_and_htmx_gets_only_the_results(client_for, town, area_a, people):
    for i in range(25):
        make(town, area_a, people["resident"], title=f"提案{i:02d}")
    client = client_for("anonymous")
    first = client.get(town_url("proposal_list", town)).content.decode()
    second = client.get(town_url("proposal_list", town), {"page": 2}).content.decode()
    assert "提案24" in first and "提案04" not in first
    assert "提案04" in second and "提案24" not in second
    partial = client.get(town_url("proposal_list", town), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert 'id="results"' in partial.content.decode()
    assert "HX-Request" in partial["Vary"]


def test_list_makes_constant_queries(client_for, town, area_a, area_b, people):
    def add(n):
        added = []
        for i in range(n):
            p = make(town, area_a if i % 2 else area_b, UserFactory(), title=f"提案{i}")
            services.support_proposal(proposal=p, user=UserFactory())
            services.add_comment(proposal=p, author=UserFactory(), body="同意")
            added.append(p)
        return added

    for sort in ["supports", "newest", "active"]:
        Proposal.objects.all().delete()
        assert_constant_queries(
            client_for("resident"),
            town_url("proposal_list", town) + f"?sort={sort}&category=facilities",
            add,
        )


def test_list_of_another_town_is_not_mixed_in(client_for, other_town, town, area_a, people):
    make(town, area_a, people["resident"], title="本镇的提案")
    body = client_for("anonymous").get(town_url("proposal_list", other_town)).content.decode()
    assert "本镇的提案" not in body


# --- Submitting ----------------------------------------------------------------------


def submission(area, **overrides):
    return {
        "title": "给小区加装充电桩",
        "description": "电动车在楼道充电不安全。",
        "area": area.pk,
        "category": "safety",
        **overrides,
    }


def test_anonymous_visitor_is_sent_to_log_in(client_for, town):
    response = client_for("anonymous").get(town_url("submit", town))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_resident_submits_a_proposal_with_a_site_and_photos(client_for, town, area_a, people):
    site = SiteFactory(area=area_a, name="3号楼转角")
    client = client_for("resident")
    form = client.get(town_url("submit", town))
    assert form.status_code == 200
    response = client.post(
        town_url("submit", town),
        submission(area_a, site=site.pk, photos=[png("a.png"), png("b.png")]),
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.author == people["resident"]
    assert proposal.site == site
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.photos.count() == 2
    page = client_for("anonymous").get(proposal.get_absolute_url()).content.decode()
    assert "给小区加装充电桩" in page
    assert "3号楼转角" in page
    assert "李**" in page and "李居民" not in page


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"title": "   "}, "empty title"),
        ({"description": ""}, "empty description"),
        ({"title": "长" * 81}, "oversized title"),
        ({"description": "长" * 2001}, "oversized description"),
        ({"category": "palace"}, "unknown category"),
    ],
)
def test_bad_submissions_answer_400_and_store_nothing(client_for, town, area_a, overrides, problem):
    with assert_nothing_written():
        response = client_for("resident").post(
            town_url("submit", town), submission(area_a, **overrides)
        )
    assert response.status_code == 400, problem
    assert 'class="form-errors"' in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_site_of_another_area_is_refused(client_for, town, area_a, area_b):
    elsewhere = SiteFactory(area=area_b)
    with assert_nothing_written():
        response = client_for("resident").post(
            town_url("submit", town),
            submission(area_a, site=elsewhere.pk),
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    assert "The site must be in the chosen residential area." in response.content.decode()
    assert not Proposal.objects.exists()


def test_an_area_of_another_town_is_refused(client_for, town, other_town):
    from gongzhi.tests.factories import AreaFactory

    foreign = AreaFactory(town=other_town)
    with assert_nothing_written():
        response = client_for("resident").post(town_url("submit", town), submission(foreign))
    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_a_fake_photo_is_refused_and_nothing_is_stored(client_for, town, area_a):
    fake = SimpleUploadedFile("corner.png", b"not an image at all", content_type="image/png")
    with assert_nothing_written():
        response = client_for("resident").post(
            town_url("submit", town),
            submission(area_a, photos=[png(), fake]),
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    assert "Upload a photo (JPEG, PNG or WebP)." in response.content.decode()
    assert not Proposal.objects.exists()
    assert not ProposalPhoto.objects.exists()


def test_seven_photos_are_too_many(client_for, town, area_a):
    with assert_nothing_written():
        response = client_for("resident").post(
            town_url("submit", town),
            submission(area_a, photos=[png(f"{i}.png") for i in range(7)]),
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    assert "Add at most 6 photos." in response.content.decode()
    assert not Proposal.objects.exists()


# --- Supporting ----------------------------------------------------------------------


def test_support_and_withdraw_through_the_page(client_for, proposal, people):
    client = client_for("partner")
    response = client.post(url("support", proposal))
    assert response.status_code == 302
    assert services.support_count(proposal) == 1
    page = client.get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Withdraw my support" in page
    response = client.post(url("withdraw", proposal))
    assert response.status_code == 302
    assert services.support_count(proposal) == 0
    assert Support.objects.filter(proposal=proposal).count() == 1  # the history is kept


def test_supporting_twice_gives_a_clear_message_and_the_count_stays(client_for, proposal):
    client = client_for("partner")
    client.post(url("support", proposal))
    with assert_nothing_written():
        response = client.post(url("support", proposal), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "You already support this proposal." in response.content.decode()
    assert services.support_count(proposal) == 1


def test_withdrawing_without_support_is_refused(client_for, proposal):
    with assert_nothing_written():
        response = client_for("partner").post(url("withdraw", proposal), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "You do not support this proposal." in response.content.decode()


def test_htmx_support_swaps_the_support_box(client_for, proposal):
    client = client_for("partner")
    response = client.post(url("support", proposal), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section class="panel" id="support"')
    assert "<html" not in body
    again = client.post(url("support", proposal), HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")
    assert "You already support this proposal." in again.content.decode()
    assert services.support_count(proposal) == 1


def test_authors_may_not_support_their_own_proposal_by_default(client_for, proposal, town, people):
    client = client_for("resident")
    page = client.get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Support this proposal" not in page
    with assert_nothing_written():
        response = client.post(url("support", proposal), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "You cannot support your own proposal in this town." in response.content.decode()
    assert services.support_count(proposal) == 0
    services.update_settings(
        town=town, actor=people["secretariat"], support_threshold=10, authors_may_support=True
    )
    assert client.post(url("support", proposal)).status_code == 302
    assert services.support_count(proposal) == 1


def test_reaching_the_threshold_moves_to_review_and_tells_supporters(
    client_for, proposal, town, people, django_capture_on_commit_callbacks
):
    services.update_settings(
        town=town, actor=people["secretariat"], support_threshold=2, authors_may_support=False
    )
    first = UserFactory()
    services.support_proposal(proposal=proposal, user=first)
    with django_capture_on_commit_callbacks(execute=True):
        client_for("partner").post(url("support", proposal))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.UNDER_REVIEW
    assert Notification.objects.filter(user=first).exists()
    assert Notification.objects.filter(user=people["resident"]).exists()
    page = client_for("anonymous").get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "2 residents support this proposal" in page.content.decode()


def test_anonymous_support_goes_to_log_in(client_for, proposal):
    response = client_for("anonymous").post(url("support", proposal))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert services.support_count(proposal) == 0


# --- Comments ------------------------------------------------------------------------


def test_comment_reply_and_official_reply(client_for, proposal, people):
    client_for("partner").post(url("comment", proposal), {"body": "我也觉得需要座椅。"})
    top = Comment.objects.get()
    assert not top.is_official
    response = client_for("area_staff").post(
        url("comment", proposal), {"body": "居委会会去现场看看。", "parent": top.pk}
    )
    assert response.status_code == 302
    official = Comment.objects.get(is_official=True)
    assert official.parent == top
    # A reply to a reply stays one level deep.
    client_for("resident").post(url("comment", proposal), {"body": "谢谢！", "parent": official.pk})
    assert Comment.objects.get(body="谢谢！").parent == top
    page = client_for("anonymous").get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert "Official reply" in body
    assert body.index("我也觉得需要座椅。") < body.index("居委会会去现场看看。")
    assert "王**" in body and "王合伙人" not in body
    assert "3 comments" in body


@pytest.mark.parametrize("body", ["", "   ", "长" * 1001])
def test_empty_or_oversized_comment_is_refused(client_for, proposal, body):
    with assert_nothing_written():
        response = client_for("partner").post(url("comment", proposal), {"body": body})
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_reply_to_a_comment_of_another_proposal_is_refused(
    client_for, proposal, proposal_b, neighbour
):
    other = services.add_comment(proposal=proposal_b, author=neighbour, body="别处的评论")
    with assert_nothing_written():
        response = client_for("partner").post(
            url("comment", proposal),
            {"body": "回复", "parent": other.pk},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 409
    assert "Reply to a comment on this proposal." in response.content.decode()
    assert Comment.objects.count() == 1


def test_anonymous_cannot_comment(client_for, proposal):
    response = client_for("anonymous").post(url("comment", proposal), {"body": "匿名"})
    assert response.status_code == 302
    assert not Comment.objects.exists()


# --- Reports and moderation ----------------------------------------------------------


@pytest.fixture
def rude(proposal, neighbour):
    return services.add_comment(proposal=proposal, author=neighbour, body="粗鲁的话")


def test_report_then_hide_with_a_reason(client_for, proposal, rude, people):
    response = client_for("partner").post(
        url("report_comment", proposal, rude.pk), {"reason": "人身攻击"}
    )
    assert response.status_code == 302
    assert CommentReport.objects.get().reason == "人身攻击"
    queue = client_for("area_staff").get(town_url("moderation", proposal.town)).content.decode()
    assert "粗鲁的话" in queue and "人身攻击" in queue

    response = client_for("area_staff").post(
        url("hide_comment", proposal, rude.pk),
        {"reason": "违反社区公约", "next": town_url("moderation", proposal.town)},
    )
    assert response.status_code == 302
    assert response["Location"] == town_url("moderation", proposal.town)
    rude.refresh_from_db()
    assert rude.is_hidden and rude.hidden_reason == "违反社区公约"
    assert rude.hidden_by == people["area_staff"]
    assert CommentReport.objects.get().resolved_at is not None
    page = client_for("anonymous").get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert "Hidden by a moderator: 违反社区公约" in body
    assert "粗鲁的话" not in body
    queue = client_for("area_staff").get(town_url("moderation", proposal.town)).content.decode()
    assert "粗鲁的话" not in queue


def test_keep_a_reported_comment(client_for, proposal, rude):
    services.report_comment(comment=rude, reporter=UserFactory(), reason="不喜欢")
    response = client_for("secretariat").post(url("dismiss_reports", proposal, rude.pk))
    assert response.status_code == 302
    assert CommentReport.objects.get().resolved_at is not None
    rude.refresh_from_db()
    assert not rude.is_hidden


def test_reporting_needs_a_reason_and_happens_once(client_for, proposal, rude):
    client = client_for("partner")
    with assert_nothing_written():
        assert (
            client.post(url("report_comment", proposal, rude.pk), {"reason": ""}).status_code == 400
        )
    client.post(url("report_comment", proposal, rude.pk), {"reason": "广告"})
    with assert_nothing_written():
        again = client.post(
            url("report_comment", proposal, rude.pk), {"reason": "广告"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert again.status_code == 409
    assert "You have already reported this comment." in again.content.decode()
    assert CommentReport.objects.count() == 1


def test_nobody_reports_their_own_comment(client_for, proposal, people):
    mine = services.add_comment(proposal=proposal, author=people["partner"], body="我的评论")
    with assert_nothing_written():
        response = client_for("partner").post(
            url("report_comment", proposal, mine.pk), {"reason": "测试"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 409
    assert "You cannot report your own comment." in response.content.decode()


def test_hiding_needs_a_reason(client_for, proposal, rude):
    with assert_nothing_written():
        response = client_for("area_staff").post(
            url("hide_comment", proposal, rude.pk), {"reason": ""}
        )
    assert response.status_code == 400
    rude.refresh_from_db()
    assert not rude.is_hidden


@pytest.mark.parametrize("role", ["resident", "partner", "other_secretariat"])
def test_only_staff_of_the_area_hide_comments(client_for, proposal, rude, role):
    with assert_nothing_written():
        response = client_for(role).post(url("hide_comment", proposal, rude.pk), {"reason": "x"})
    assert response.status_code == 403
    with assert_nothing_written():
        assert client_for(role).post(url("dismiss_reports", proposal, rude.pk)).status_code == 403
    rude.refresh_from_db()
    assert not rude.is_hidden


def test_area_staff_of_another_area_cannot_hide(client_for, proposal_b, neighbour):
    comment = services.add_comment(proposal=proposal_b, author=UserFactory(), body="别区")
    with assert_nothing_written():
        response = client_for("area_staff").post(
            url("hide_comment", proposal_b, comment.pk), {"reason": "x"}
        )
    assert response.status_code == 403


def test_moderation_queue_is_narrowed_to_the_staff_members_areas(
    client_for, town, proposal, proposal_b, rude, neighbour
):
    other = services.add_comment(proposal=proposal_b, author=UserFactory(), body="B区的评论")
    services.report_comment(comment=rude, reporter=UserFactory(), reason="甲")
    services.report_comment(comment=other, reporter=UserFactory(), reason="乙")
    services.start_review(proposal=proposal_b, actor=UserFactory(is_superuser=True))
    staff = client_for("area_staff").get(town_url("moderation", town)).content.decode()
    assert "粗鲁的话" in staff and "B区的评论" not in staff
    assert proposal_b.title not in staff
    town_wide = client_for("secretariat").get(town_url("moderation", town)).content.decode()
    assert "粗鲁的话" in town_wide and "B区的评论" in town_wide
    assert proposal_b.title in town_wide


# --- Staff decisions -----------------------------------------------------------------


def test_area_staff_start_the_review(client_for, proposal):
    response = client_for("area_staff").post(url("start_review", proposal), {})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.UNDER_REVIEW


@pytest.mark.parametrize("role", ["resident", "partner", "other_secretariat"])
def test_non_staff_cannot_decide(client_for, proposal, role):
    with assert_nothing_written():
        response = client_for(role).post(url("start_review", proposal), {})
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_area_staff_of_another_area_cannot_decide(client_for, proposal_b):
    for name, data in [("start_review", {}), ("decline", {"decline-reason": "不行"})]:
        with assert_nothing_written():
            response = client_for("area_staff").post(url(name, proposal_b), data)
        assert response.status_code == 403
    proposal_b.refresh_from_db()
    assert proposal_b.status == ProposalStatus.SUBMITTED


def test_anonymous_decision_goes_to_log_in(client_for, proposal):
    response = client_for("anonymous").post(url("start_review", proposal), {})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_decline_needs_a_reason(client_for, proposal):
    client = client_for("area_staff")
    with assert_nothing_written():
        response = client.post(
            url("decline", proposal),
            {"decline-reason": "  "},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    assert "Give the reason the proposal is not adopted." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    response = client.post(url("decline", proposal), {"decline-reason": "该处为消防通道"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.NOT_ADOPTED
    page = client_for("anonymous").get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert "Not adopted" in body and "该处为消防通道" in body
    assert "Supports are closed" in body


def test_merge_into_a_proposal_of_the_same_area(client_for, town, area_a, proposal, people):
    target = make(town, area_a, UserFactory(), title="同一处的座椅提案")
    supporter = UserFactory()
    services.support_proposal(proposal=proposal, user=supporter)
    page = client_for("area_staff").get(proposal.get_absolute_url()).content.decode()
    assert f'<option value="{target.pk}"' in page
    response = client_for("area_staff").post(url("merge", proposal), {"merge-into": target.pk})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.MERGED
    assert proposal.merged_into == target
    assert services.support_count(target) == 1
    body = client_for("anonymous").get(proposal.get_absolute_url()).content.decode()
    assert target.get_absolute_url() in body


def test_merge_into_another_areas_proposal_is_refused(client_for, proposal, proposal_b):
    with assert_nothing_written():
        response = client_for("secretariat").post(
            url("merge", proposal), {"merge-into": proposal_b.pk}
        )
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_implemented_after_adoption_and_wrong_order_is_409(client_for, proposal, people):
    client = client_for("secretariat")
    with assert_nothing_written():
        response = client.post(url("mark_implemented", proposal), {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "cannot become" in response.content.decode()
    services.adopt(proposal=proposal, actor=people["secretariat"])
    response = client.post(url("mark_implemented", proposal), {"implement-reason": "座椅已安装"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IMPLEMENTED
    body = client_for("anonymous").get(proposal.get_absolute_url()).content.decode()
    assert "座椅已安装" in body


def test_a_post_to_the_proposal_page_is_refused(client_for, proposal):
    """Each form posts to its own URL; a POST to the page itself (an old copy of it,
    a hand-made request) is refused, not answered with the page and nothing done."""
    client = client_for("secretariat")
    with assert_nothing_written():
        for data in ({}, {"action": "review"}, {"action": "explode"}):
            assert client.post(url("proposal", proposal), data).status_code == 405


def test_timeline_shows_each_status_with_its_reason(client_for, proposal, people):
    services.start_review(proposal=proposal, actor=people["area_staff"])
    services.decline(proposal=proposal, actor=people["area_staff"], reason="预算不足")
    body = (
        client_for("anonymous")
        .get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    timeline = body[body.index("Timeline") :]
    assert timeline.index("Under review") < timeline.index("Not adopted")
    assert "预算不足" in timeline


def test_staff_see_the_review_panel_and_residents_do_not(client_for, proposal):
    staff = client_for("area_staff").get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "Review (staff)" in staff.content.decode()
    assert "李居民" in staff.content.decode()  # staff see the author's name
    public = client_for("partner").get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "Review (staff)" not in public.content.decode()


def test_a_proposal_under_another_towns_address_is_not_found(client_for, proposal, other_town):
    response = client_for("anonymous").get(
        reverse("proposals:proposal", args=[other_town.slug, proposal.pk])
    )
    assert response.status_code == 404


# --- Typed HTML stays inert ----------------------------------------------------------


def test_script_in_any_field_renders_escaped(client_for, town, area_a, people, neighbour):
    client = client_for("resident")
    client.post(
        town_url("submit", town),
        submission(area_a, title=SCRIPT[:80], description=SCRIPT + "<b>bold</b>"),
    )
    proposal = Proposal.objects.get()
    comment = services.add_comment(proposal=proposal, author=neighbour, body=SCRIPT)
    services.report_comment(comment=comment, reporter=people["partner"], reason=SCRIPT)
    services.add_comment(proposal=proposal, author=neighbour, body="second " + SCRIPT)
    services.hide_comment(comment=comment, actor=people["secretariat"], reason=SCRIPT)
    services.start_review(proposal=proposal, actor=people["secretariat"])
    services.decline(proposal=proposal, actor=people["secretariat"], reason=SCRIPT)
    pages = [
        client_for("anonymous").get(proposal.get_absolute_url()),
        client_for("secretariat").get(proposal.get_absolute_url()),
        client_for("anonymous").get(town_url("proposal_list", town)),
        client_for("secretariat").get(town_url("moderation", town)),
    ]
    for page in pages:
        body = page.content.decode()
        assert "<script>alert" not in body
        assert "<b>bold</b>" not in body
    assert "&lt;script&gt;" in pages[0].content.decode()


# --- Settings ------------------------------------------------------------------------


def test_secretariat_sets_the_threshold(client_for, town):
    client = client_for("secretariat")
    assert client.get(town_url("settings", town)).status_code == 200
    response = client.post(
        town_url("settings", town), {"support_threshold": 3, "authors_may_support": "on"}
    )
    assert response.status_code == 302
    rules = services.settings_for(town)
    assert rules.support_threshold == 3 and rules.authors_may_support


@pytest.mark.parametrize("value", ["0", "-1", "10001", "many"])
def test_a_bad_threshold_is_refused(client_for, town, value):
    with assert_nothing_written():
        response = client_for("secretariat").post(
            town_url("settings", town), {"support_threshold": value}
        )
    assert response.status_code == 400
    assert services.settings_for(town).support_threshold == 10


def test_area_staff_cannot_change_the_settings(client_for, town):
    with assert_nothing_written():
        response = client_for("area_staff").post(
            town_url("settings", town), {"support_threshold": 1}
        )
    assert response.status_code == 403
    assert services.settings_for(town).support_threshold == 10


def test_staff_links_on_the_list(client_for, town):
    staff = client_for("secretariat").get(town_url("proposal_list", town)).content.decode()
    assert town_url("ledger", town) in staff and town_url("settings", town) in staff
    area = client_for("area_staff").get(town_url("proposal_list", town)).content.decode()
    assert town_url("moderation", town) in area and town_url("settings", town) not in area
    public = client_for("resident").get(town_url("proposal_list", town)).content.decode()
    assert town_url("moderation", town) not in public


@pytest.mark.parametrize("role", ["anonymous", "area_staff"])
def test_proposal_page_makes_constant_queries(client_for, proposal, people, role):
    counter = iter(range(100))

    def add(n):
        bodies = [f"评论（{next(counter)}）" for _ in range(n)]
        for body in bodies:
            top = services.add_comment(proposal=proposal, author=UserFactory(), body=body)
            services.add_comment(proposal=proposal, author=UserFactory(), body="回复", parent=top)
            services.report_comment(comment=top, reporter=UserFactory(), reason="举报")
            services.support_proposal(proposal=proposal, user=UserFactory())
        return bodies

    assert_constant_queries(client_for(role), proposal.get_absolute_url(), add, small=3, large=12)
