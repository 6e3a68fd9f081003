"""Proposal services: submitting, supporting, the review flow, merging and comments."""

import io
from itertools import product

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from gongzhi.core.errors import DomainError
from gongzhi.core.models import AuditEvent, Notification
from gongzhi.core.testing import assert_nothing_written
from gongzhi.proposals import services
from gongzhi.proposals.models import (
    COMMENT_MAX,
    DESCRIPTION_MAX,
    TITLE_MAX,
    TRANSITIONS,
    Comment,
    CommentReport,
    Proposal,
    ProposalPhoto,
    ProposalStatus,
    StatusChange,
    Support,
)
from gongzhi.tests.factories import AreaFactory, SiteFactory, UserFactory


@pytest.fixture
def author(area_a):
    return UserFactory(display_name="周提案", residential_area=area_a)


def submit(town, author, area, **fields):
    values = {
        "title": "中心花园增设休息座椅",
        "description": "老人散步累了没有地方坐，希望在花园步道旁增设三张座椅。",
        "category": "facilities",
    }
    values.update(fields)
    return services.submit_proposal(town=town, author=author, area=area, **values)


@pytest.fixture
def proposal(town, author, area_a, people):
    return submit(town, author, area_a)


def jpeg(*, gps=True, size=(64, 48)) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (180, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    if gps:
        location = exif.get_ifd(0x8825)
        location.update({1: "N", 2: (31.0, 18.0, 5.5), 3: "E", 4: (121.0, 27.0, 3.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile("IMG_0001.jpg", out.getvalue(), content_type="image/jpeg")


def status_of(proposal):
    proposal.refresh_from_db()
    return proposal.status


# --- Submitting ----------------------------------------------------------------------


def test_submit_is_audited(proposal, author):
    assert proposal.status == ProposalStatus.SUBMITTED and proposal.last_activity_at
    event = AuditEvent.objects.get(verb="proposal.submit")
    assert event.actor == author and event.target_id == str(proposal.pk)


@pytest.mark.parametrize(
    "change",
    [
        {"title": ""},
        {"title": "   "},
        {"title": "题" * (TITLE_MAX + 1)},
        {"description": ""},
        {"description": "长" * (DESCRIPTION_MAX + 1)},
        {"category": "fireworks"},
    ],
)
def test_submit_refusals_store_nothing(town, author, area_a, change):
    with pytest.raises(DomainError):
        submit(town, author, area_a, **change)
    assert not Proposal.objects.exists()
    assert not AuditEvent.objects.filter(verb="proposal.submit").exists()


def test_submit_at_the_length_limits(town, author, area_a):
    proposal = submit(
        town, author, area_a, title="题" * TITLE_MAX, description="长" * DESCRIPTION_MAX
    )
    assert len(proposal.title) == TITLE_MAX


def test_submit_refuses_an_area_or_site_elsewhere(town, other_town, author, area_a, area_b):
    elsewhere = AreaFactory(town=other_town)
    with assert_nothing_written(), pytest.raises(DomainError):
        submit(town, author, elsewhere)
    other_site = SiteFactory(area=area_b)
    with assert_nothing_written(), pytest.raises(DomainError):
        submit(town, author, area_a, site=other_site)
    assert not Proposal.objects.exists()
    site = SiteFactory(area=area_a)
    assert submit(town, author, area_a, site=site).site == site


def test_photos_are_reencoded_without_location(town, author, area_a):
    upload = jpeg()
    assert b"PhoneMaker" in upload.read()
    upload.seek(0)
    proposal = submit(town, author, area_a, photos=[upload])
    photo = proposal.photos.get()
    with photo.image.open("rb") as stored:
        data = stored.read()
    assert b"PhoneMaker" not in data
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (64, 48)
    exif = image.getexif()
    assert not exif.get_ifd(0x8825) and 0x8825 not in exif


def test_at_most_six_photos(town, author, area_a):
    with pytest.raises(DomainError):
        submit(town, author, area_a, photos=[jpeg(gps=False) for _ in range(7)])
    assert not Proposal.objects.exists() and not ProposalPhoto.objects.exists()
    proposal = submit(town, author, area_a, photos=[jpeg(gps=False) for _ in range(6)])
    assert proposal.photos.count() == 6


def test_a_file_that_is_not_a_photo_is_refused(town, author, area_a):
    fake = SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    with pytest.raises(DomainError):
        submit(town, author, area_a, photos=[jpeg(gps=False), fake])
    assert not Proposal.objects.exists() and not ProposalPhoto.objects.exists()


def test_markup_is_kept_as_text(town, author, area_a):
    # Stored as typed; templates escape it (rendered inert).
    proposal = submit(town, author, area_a, title="<b>座椅</b><script>x()</script>")
    assert proposal.title == "<b>座椅</b><script>x()</script>"


# --- Supporting ----------------------------------------------------------------------


def test_support_withdraw_and_support_again(proposal):
    user = UserFactory()
    services.support_proposal(proposal=proposal, user=user)
    assert services.support_count(proposal) == 1
    with pytest.raises(DomainError):
        services.support_proposal(proposal=proposal, user=user)
    assert Support.objects.count() == 1
    services.withdraw_support(proposal=proposal, user=user)
    assert services.support_count(proposal) == 0
    with pytest.raises(DomainError):
        services.withdraw_support(proposal=proposal, user=user)
    services.support_proposal(proposal=proposal, user=user)
    assert services.support_count(proposal) == 1
    # The withdrawn support is kept as history.
    assert Support.objects.filter(proposal=proposal, user=user).count() == 2
    assert Proposal.objects.get(pk=proposal.pk).support_count == 1


def test_own_support_forbidden_unless_the_town_allows_it(proposal, author, town, people):
    with pytest.raises(DomainError):
        services.support_proposal(proposal=proposal, user=author)
    assert not Support.objects.exists()
    services.update_settings(
        town=town, actor=people["secretariat"], support_threshold=10, authors_may_support=True
    )
    services.support_proposal(proposal=proposal, user=author)
    assert services.support_count(proposal) == 1
    assert AuditEvent.objects.filter(verb="proposal.settings").exists()


def test_settings_threshold_bounds(town, people):
    for bad in (0, 10001):
        with assert_nothing_written(), pytest.raises(DomainError):
            services.update_settings(
                town=town,
                actor=people["secretariat"],
                support_threshold=bad,
                authors_may_support=False,
            )
    assert services.settings_for(town).support_threshold == 10


def test_the_threshold_moves_it_to_review_once_and_tells_everyone(
    proposal, author, town, people, django_capture_on_commit_callbacks
):
    services.update_settings(
        town=town, actor=people["secretariat"], support_threshold=3, authors_may_support=False
    )
    supporters = UserFactory.create_batch(4)
    with django_capture_on_commit_callbacks(execute=True):
        for user in supporters[:2]:
            services.support_proposal(proposal=proposal, user=user)
    assert status_of(proposal) == ProposalStatus.SUBMITTED
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.support_proposal(proposal=proposal, user=supporters[2])
    assert status_of(proposal) == ProposalStatus.UNDER_REVIEW
    change = StatusChange.objects.get(proposal=proposal)
    assert (change.from_status, change.to_status, change.actor) == (
        ProposalStatus.SUBMITTED,
        ProposalStatus.UNDER_REVIEW,
        None,
    )
    assert "3" in change.reason
    for user in [author, *supporters[:3]]:
        assert Notification.objects.filter(user=user, url=proposal.get_absolute_url()).count() == 1
    event = AuditEvent.objects.get(verb="proposal.status")
    assert event.actor is None and event.after["status"] == ProposalStatus.UNDER_REVIEW
    # A fourth support keeps it under review: no second change.
    with django_capture_on_commit_callbacks(execute=True):
        services.support_proposal(proposal=proposal, user=supporters[3])
    assert StatusChange.objects.filter(proposal=proposal).count() == 1
    assert not Notification.objects.filter(user=supporters[3]).exists()


def test_withdrawn_supports_do_not_count_towards_the_threshold(proposal, town, people):
    services.update_settings(
        town=town, actor=people["secretariat"], support_threshold=2, authors_may_support=False
    )
    a, b = UserFactory.create_batch(2)
    services.support_proposal(proposal=proposal, user=a)
    services.withdraw_support(proposal=proposal, user=a)
    services.support_proposal(proposal=proposal, user=b)
    assert status_of(proposal) == ProposalStatus.SUBMITTED
    services.support_proposal(proposal=proposal, user=a)
    assert status_of(proposal) == ProposalStatus.UNDER_REVIEW


def test_a_decided_proposal_takes_no_support_changes(proposal, people):
    user = UserFactory()
    services.support_proposal(proposal=proposal, user=user)
    services.decline(proposal=proposal, actor=people["area_staff"], reason="属市政道路，不在小区内")
    stranger = UserFactory()
    with assert_nothing_written(), pytest.raises(DomainError):
        services.support_proposal(proposal=proposal, user=stranger)
    with assert_nothing_written(), pytest.raises(DomainError):
        services.withdraw_support(proposal=proposal, user=user)
    assert services.support_count(proposal) == 1


# --- The review flow -----------------------------------------------------------------

ALL = list(ProposalStatus.values)


def put_in(proposal, status, other):
    """Force a proposal into ``status`` (merged into ``other``, declined with a reason)."""
    Proposal.objects.filter(pk=proposal.pk).update(
        status=status,
        merged_into=other if status == ProposalStatus.MERGED else None,
        status_reason="理由" if status == ProposalStatus.NOT_ADOPTED else "",
    )
    proposal.refresh_from_db()


def move(proposal, to, *, actor, other):
    if to == ProposalStatus.SUBMITTED:
        # No service leads back to "submitted"; the rule itself must refuse it.
        with transaction.atomic():
            services._change_status(services._lock(proposal), to, actor=actor)
    elif to == ProposalStatus.UNDER_REVIEW:
        services.start_review(proposal=proposal, actor=actor)
    elif to == ProposalStatus.ADOPTED:
        services.adopt(proposal=proposal, actor=actor)
    elif to == ProposalStatus.MERGED:
        services.merge(proposal=proposal, into=other, actor=actor)
    elif to == ProposalStatus.NOT_ADOPTED:
        services.decline(proposal=proposal, actor=actor, reason="与既有规划冲突")
    else:
        services.mark_implemented(proposal=proposal, actor=actor)


@pytest.mark.parametrize("before, after", list(product(ALL, ALL)))
def test_every_status_pair(before, after, town, author, area_a, people):
    staff = people["area_staff"]
    proposal = submit(town, author, area_a)
    other = submit(town, author, area_a, title="另一个提案")
    put_in(proposal, before, other)
    if after in TRANSITIONS[before]:
        move(proposal, after, actor=staff, other=other)
        assert status_of(proposal) == after
        change = StatusChange.objects.get(proposal=proposal)
        assert (change.from_status, change.to_status, change.actor) == (before, after, staff)
        assert AuditEvent.objects.filter(verb="proposal.status").count() == 1
    else:
        with pytest.raises(DomainError):
            move(proposal, after, actor=staff, other=other)
        assert status_of(proposal) == before
        assert not StatusChange.objects.exists()
        assert not AuditEvent.objects.filter(verb="proposal.status").exists()


def test_the_flow_reads_as_the_issue_says():
    assert TRANSITIONS[ProposalStatus.SUBMITTED] >= {ProposalStatus.UNDER_REVIEW}
    assert TRANSITIONS[ProposalStatus.ADOPTED] == {ProposalStatus.IMPLEMENTED}
    assert not any(ProposalStatus.SUBMITTED in targets for targets in TRANSITIONS.values())
    for final in (ProposalStatus.MERGED, ProposalStatus.NOT_ADOPTED, ProposalStatus.IMPLEMENTED):
        assert TRANSITIONS[final] == set()


@pytest.mark.parametrize("reason", ["", "   ", "理" * 501])
def test_decline_needs_a_reason(proposal, people, reason):
    with pytest.raises(DomainError):
        services.decline(proposal=proposal, actor=people["area_staff"], reason=reason)
    assert status_of(proposal) == ProposalStatus.SUBMITTED
    assert not StatusChange.objects.exists()


def test_decline_shows_the_reason_and_tells_author_and_supporters(
    proposal, author, people, django_capture_on_commit_callbacks
):
    supporter = UserFactory()
    services.support_proposal(proposal=proposal, user=supporter)
    with django_capture_on_commit_callbacks(execute=True):
        services.decline(proposal=proposal, actor=people["area_staff"], reason="属市政道路")
    proposal.refresh_from_db()
    assert proposal.status_reason == "属市政道路"
    assert Notification.objects.filter(user=author).count() == 1
    assert Notification.objects.filter(user=supporter).count() == 1


def test_merge_moves_supporters_once(town, author, area_a, people):
    staff = people["area_staff"]
    a = submit(town, author, area_a, title="花园座椅")
    target_author = UserFactory()
    b = submit(town, target_author, area_a, title="花园休息区")
    u1, u2, u3, u4 = UserFactory.create_batch(4)
    for user in (u1, u2, u3):
        services.support_proposal(proposal=a, user=user)
    services.support_proposal(proposal=a, user=target_author)
    services.withdraw_support(proposal=a, user=u3)  # withdrawn: does not move
    for user in (u2, u4):
        services.support_proposal(proposal=b, user=user)
    services.merge(proposal=a, into=b, actor=staff, reason="同一处花园，合并讨论")
    a.refresh_from_db()
    assert a.status == ProposalStatus.MERGED and a.merged_into == b
    current = set(services.current_supporters(b).values_list("pk", flat=True))
    assert current == {u1.pk, u2.pk, u4.pk}  # u2 once; the target's author not added
    assert services.support_count(b) == 3
    assert Support.objects.filter(proposal=b, user=u2, withdrawn_at__isnull=True).count() == 1
    event = AuditEvent.objects.get(verb="proposal.status")
    assert event.after["merged_into"] == b.pk


def test_merge_refusals(town, author, area_a, area_b, people):
    staff = people["area_staff"]
    a = submit(town, author, area_a)
    elsewhere = submit(town, author, area_b)
    declined = submit(town, author, area_a)
    services.decline(proposal=declined, actor=staff, reason="重复")
    for into in (a, elsewhere, declined):
        with pytest.raises(DomainError):
            services.merge(proposal=a, into=into, actor=staff)
    assert status_of(a) == ProposalStatus.SUBMITTED
    assert StatusChange.objects.filter(proposal=a).count() == 0


# --- Comments ------------------------------------------------------------------------


def test_replies_stay_one_level_deep(proposal, author, django_capture_on_commit_callbacks):
    first_author, second_author = UserFactory.create_batch(2)
    first = services.add_comment(proposal=proposal, author=first_author, body="赞成，位置很合适")
    reply = services.add_comment(proposal=proposal, author=second_author, body="同意", parent=first)
    with django_capture_on_commit_callbacks(execute=True):
        reply_to_reply = services.add_comment(
            proposal=proposal, author=author, body="谢谢支持", parent=reply
        )
    assert reply.parent == first
    assert reply_to_reply.parent == first  # attached to the thread's first comment
    assert Notification.objects.filter(user=first_author).count() == 1
    assert not any(c.is_official for c in Comment.objects.all())
    assert Proposal.objects.get(pk=proposal.pk).comment_count == 3


def test_comment_refusals(proposal, town, author, area_a):
    with pytest.raises(DomainError):
        services.add_comment(proposal=proposal, author=author, body="  ")
    with pytest.raises(DomainError):
        services.add_comment(proposal=proposal, author=author, body="字" * (COMMENT_MAX + 1))
    other = submit(town, author, area_a, title="别的提案")
    elsewhere = services.add_comment(proposal=other, author=author, body="别处的评论")
    with pytest.raises(DomainError):
        services.add_comment(proposal=proposal, author=author, body="回复", parent=elsewhere)
    assert not proposal.comments.exists()


def test_staff_replies_are_official(proposal, people):
    official = services.add_comment(
        proposal=proposal, author=people["area_staff"], body="已列入下月自治会议议题。"
    )
    assert official.is_official
    assert services.add_comment(
        proposal=proposal, author=people["secretariat"], body="秘书处已知悉"
    ).is_official
    # Staff of another town, and residents, are not official.
    assert not services.add_comment(
        proposal=proposal, author=people["other_secretariat"], body="路过"
    ).is_official
    assert not services.add_comment(
        proposal=proposal, author=people["resident"], body="支持"
    ).is_official
    assert AuditEvent.objects.filter(verb="proposal.official_reply").count() == 2


def test_hide_a_comment_with_a_reason(proposal, people, django_capture_on_commit_callbacks):
    writer, reporter = UserFactory.create_batch(2)
    comment = services.add_comment(proposal=proposal, author=writer, body="广告：低价装修")
    services.report_comment(comment=comment, reporter=reporter, reason="广告")
    staff = people["area_staff"]
    with assert_nothing_written(), pytest.raises(DomainError):
        services.hide_comment(comment=comment, actor=staff, reason=" ")
    comment.refresh_from_db()
    assert not comment.is_hidden
    with django_capture_on_commit_callbacks(execute=True):
        services.hide_comment(comment=comment, actor=staff, reason="商业广告")
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_by == staff and comment.hidden_reason == "商业广告"
    assert comment.body == "广告：低价装修"  # kept
    assert not CommentReport.objects.filter(resolved_at__isnull=True).exists()
    assert Notification.objects.filter(user=writer).count() == 1
    assert AuditEvent.objects.get(verb="proposal.hide_comment").after["reason"] == "商业广告"
    with assert_nothing_written(), pytest.raises(DomainError):
        services.hide_comment(comment=comment, actor=staff, reason="再次")
    with assert_nothing_written(), pytest.raises(DomainError):
        services.add_comment(proposal=proposal, author=reporter, body="回复", parent=comment)
    stranger = UserFactory()
    with assert_nothing_written(), pytest.raises(DomainError):
        services.report_comment(comment=comment, reporter=stranger, reason="广告")
    assert Proposal.objects.get(pk=proposal.pk).comment_count == 0


def test_report_twice_or_own_comment_is_refused(proposal):
    writer, reporter = UserFactory.create_batch(2)
    comment = services.add_comment(proposal=proposal, author=writer, body="难听的话")
    services.report_comment(comment=comment, reporter=reporter, reason="人身攻击")
    with assert_nothing_written(), pytest.raises(DomainError):
        services.report_comment(comment=comment, reporter=reporter, reason="再报一次")
    with assert_nothing_written(), pytest.raises(DomainError):
        services.report_comment(comment=comment, reporter=writer, reason="自己")
    stranger = UserFactory()
    with assert_nothing_written(), pytest.raises(DomainError):
        services.report_comment(comment=comment, reporter=stranger, reason="")
    assert CommentReport.objects.count() == 1


def test_dismiss_reports_keeps_the_comment(proposal, people):
    writer, reporter = UserFactory.create_batch(2)
    comment = services.add_comment(proposal=proposal, author=writer, body="意见尖锐但合理")
    services.report_comment(comment=comment, reporter=reporter, reason="不礼貌")
    assert services.dismiss_reports(comment=comment, actor=people["area_staff"]) == 1
    assert services.dismiss_reports(comment=comment, actor=people["area_staff"]) == 0
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert AuditEvent.objects.filter(verb="proposal.keep_comment").count() == 1


def test_a_merged_proposal_takes_no_comments(town, author, area_a, people):
    a = submit(town, author, area_a)
    b = submit(town, author, area_a, title="合并目标")
    services.merge(proposal=a, into=b, actor=people["area_staff"])
    stranger = UserFactory()
    with assert_nothing_written(), pytest.raises(DomainError):
        services.add_comment(proposal=a, author=stranger, body="还能评论吗")
    assert not a.comments.exists()


def test_a_merge_that_brings_the_target_to_the_threshold_sends_it_to_review(
    town, author, area_a, people
):
    services.update_settings(
        town=town, actor=people["secretariat"], support_threshold=3, authors_may_support=False
    )
    a = submit(town, author, area_a, title="花园座椅")
    b = submit(town, UserFactory(), area_a, title="花园休息区")
    u1, u2, u3 = UserFactory.create_batch(3)
    for user in (u1, u2):
        services.support_proposal(proposal=a, user=user)
    services.support_proposal(proposal=b, user=u3)
    services.merge(proposal=a, into=b, actor=people["area_staff"])
    assert services.support_count(b) == 3
    assert status_of(b) == ProposalStatus.UNDER_REVIEW
    change = StatusChange.objects.get(proposal=b)
    assert change.actor is None and change.to_status == ProposalStatus.UNDER_REVIEW
