"""Evidence services: each step's evidence gathered through its service, and every
refusal leaving nothing stored (wrong step, inactive process, bad files, twice…)."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gongzhi.core.errors import DomainError
from gongzhi.core.models import AuditEvent, Notification
from gongzhi.core.testing import assert_nothing_written
from gongzhi.planning import evidence, services
from gongzhi.planning import evidence_services as ev
from gongzhi.planning.models import (
    ActivityLink,
    Consultation,
    ConsultationComment,
    DesignDraft,
    DotVote,
    DraftComment,
    Holiday,
    Interview,
    MeetingLink,
    Need,
    Objection,
    PublicNotice,
    StepPhoto,
    SurveyLink,
)
from gongzhi.tests.factories import ActivityFactory, AreaFactory, PartnerFactory, UserFactory

from .builders import (
    consult_twice,
    draft,
    fake_pdf,
    jpeg,
    jump_to,
    pdf,
    png,
    publish_notice,
    second_round_of_step_4,
    start,
)

# --- Builders ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _in_english(_default_language):
    """Messages are matched in English (the default language is Chinese)."""
    from django.utils import translation

    translation.activate("en")
    yield


def make_joint_meeting(town, area, actor, *, passed=True):
    """A held joint meeting with a decided motion, written with the models (the
    meetings capability is not under test here)."""
    from gongzhi.meetings.models import Attendee, Meeting, Motion

    now = timezone.now()
    meeting = Meeting.objects.create(
        town=town,
        area=area,
        kind="joint",
        title="联席会议",
        venue="议事厅",
        starts_at=now - timedelta(hours=2),
        ends_at=now - timedelta(hours=1),
        status="held",
        created_by=actor,
    )
    mover = Attendee.objects.create(
        meeting=meeting, name="王", present=True, signed_in_at=now - timedelta(hours=2)
    )
    motion = Motion.objects.create(
        meeting=meeting,
        text="同意方案",
        mover=mover,
        status="decided",
        result="passed" if passed else "failed",
        decided_at=now,
    )
    return meeting, motion


def survey_for(town, area, actor):
    from gongzhi.surveys.models import Survey

    return Survey.objects.create(town=town, area=area, title="花园需求问卷", created_by=actor)


@pytest.fixture
def resident(people):
    return people["resident"]


@pytest.fixture
def process(town, area_a, people):
    """Started by the secretariat (only the town starts processes), run by the staff."""
    return start(town, area_a, people["secretariat"])


def media_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- Every service: the open step and an active process ------------------------------


def test_evidence_goes_to_the_open_step(process, staff):
    with pytest.raises(DomainError, match="open step"):
        ev.record_interview(
            process=process,
            actor=staff,
            category="owner",
            held_on=timezone.localdate(),
            notes="n",
            summary="s",
            consent=True,
        )
    with pytest.raises(DomainError, match="open step"):
        draft(process, staff)
    assert not Interview.objects.exists() and not DesignDraft.objects.exists()


def test_inactive_process_refuses_evidence(process, people, staff):
    services.abandon(process=process, actor=people["secretariat"], reason="合并到其他项目")
    with pytest.raises(DomainError, match="abandoned|Abandoned|已"):
        ev.add_need(process=process, actor=staff, text="更多座椅")
    assert not Need.objects.exists()


# --- Step 1 --------------------------------------------------------------------------


def test_link_survey_needs_and_site_photo(process, town, area_a, area_b, staff, settings):
    survey = survey_for(town, area_a, staff)
    ev.link_survey(process=process, actor=staff, survey=survey)
    assert SurveyLink.objects.filter(survey=survey).exists()
    assert AuditEvent.objects.filter(verb="planning.survey").exists()
    with assert_nothing_written(), pytest.raises(DomainError):
        ev.link_survey(process=process, actor=staff, survey=survey)
    elsewhere = survey_for(town, area_b, staff)
    with assert_nothing_written(), pytest.raises(DomainError, match="residential area"):
        ev.link_survey(process=process, actor=staff, survey=elsewhere)
    assert SurveyLink.objects.count() == 1

    need = ev.add_need(process=process, actor=staff, text="增加休息座椅")
    ev.add_need(process=process, actor=staff, text="夜间照明")
    with assert_nothing_written(), pytest.raises(DomainError):
        ev.add_need(process=process, actor=staff, text="  ")
    with assert_nothing_written(), pytest.raises(DomainError):
        ev.add_need(process=process, actor=staff, text="增加休息座椅")
    ev.remove_need(process=process, actor=staff, need=need)
    assert list(Need.objects.values_list("text", flat=True)) == ["夜间照明"]

    photo = ev.add_step_photo(
        process=process, actor=staff, image=jpeg(gps=True), purpose="site", caption="入口"
    )
    with Image.open(photo.image.path) as stored:
        assert not stored.getexif().get_ifd(0x8825)
    missing = evidence.missing(services.open_run(process))
    assert all("photo" not in m and "needs" not in m for m in missing)


def test_site_photo_refusals_store_nothing(process, staff, settings):
    with pytest.raises(DomainError):
        ev.add_step_photo(process=process, actor=staff, image=fake_pdf(), purpose="site")
    with pytest.raises(DomainError, match="open step"):
        ev.add_step_photo(process=process, actor=staff, image=png(), purpose="notice_board")
    settings.GONGZHI_MAX_UPLOAD_BYTES = 100
    with pytest.raises(DomainError, match="at most"):
        ev.add_step_photo(process=process, actor=staff, image=png(), purpose="site")
    assert not StepPhoto.objects.exists() and not media_files(settings)


# --- Step 2 --------------------------------------------------------------------------


def test_interview_needs_consent(process, staff):
    jump_to(process, 2)
    fields = {
        "category": "older_resident",
        "held_on": timezone.localdate(),
        "notes": "张阿姨，住3号楼，希望有座椅。",
        "summary": "老年居民希望增加座椅。",
    }
    with pytest.raises(DomainError, match="consent"):
        ev.record_interview(process=process, actor=staff, consent=False, **fields)
    with pytest.raises(DomainError):
        ev.record_interview(process=process, actor=staff, consent=True, **{**fields, "summary": ""})
    with pytest.raises(DomainError):
        ev.record_interview(
            process=process,
            actor=staff,
            consent=True,
            **{**fields, "held_on": timezone.localdate() + timedelta(days=2)},
        )
    assert not Interview.objects.exists()
    interview = ev.record_interview(process=process, actor=staff, consent=True, **fields)
    assert interview.interviewer == staff and interview.consent


# --- Steps 3, 5, 7, 9 ----------------------------------------------------------------


def test_drafts_are_versioned_with_digest_and_type(process, staff, town):
    jump_to(process, 3)
    author = PartnerFactory(town=town)
    first = draft(process, staff, author=author)
    second = draft(process, staff, file=png(gps=True, name="plan-b.png"), title="方案二")
    assert (first.version, second.version) == (1, 2)
    assert first.content_type == "application/pdf" and second.content_type == "image/png"
    assert len(first.digest) == 64 and first.digest != second.digest
    with Image.open(second.file.path) as stored:
        assert not stored.getexif().get_ifd(0x8825)
    assert AuditEvent.objects.filter(verb="planning.draft").count() == 2
    assert evidence.missing(services.open_run(process)) == []


def test_same_file_twice_is_refused(process, staff):
    jump_to(process, 3)
    draft(process, staff)
    with pytest.raises(DomainError, match="already a draft"):
        draft(process, staff, file=pdf("方案一"), title="方案一（再传）")
    assert DesignDraft.objects.count() == 1


def test_bad_draft_files_store_nothing(process, staff, settings):
    jump_to(process, 3)
    with pytest.raises(DomainError, match="PDF"):
        draft(process, staff, file=fake_pdf())
    text = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
    with pytest.raises(DomainError):
        draft(process, staff, file=text)
    settings.GONGZHI_MAX_UPLOAD_BYTES = 50
    with pytest.raises(DomainError, match="at most"):
        draft(process, staff, file=pdf("很长的方案" * 20))
    assert not DesignDraft.objects.exists() and not media_files(settings)


def test_author_of_another_town_is_refused(process, staff, other_town):
    jump_to(process, 3)
    outsider = PartnerFactory(town=other_town)
    with assert_nothing_written(), pytest.raises(DomainError, match="partner"):
        draft(process, staff, author=outsider)
    assert not DesignDraft.objects.exists()
    assert isinstance(ev.suggest_authors(process), list)


def test_adjustment_needs_a_change_note_answering_inputs(process, staff, resident):
    jump_to(process, 3)
    first = draft(process, staff)
    draft(process, staff, file=pdf("二"), title="方案二")
    jump_to(process, 4)
    comment = ev.comment_on_draft(process=process, user=resident, draft=first, body="座椅要有靠背")
    jump_to(process, 5)
    with pytest.raises(DomainError, match="change note"):
        draft(process, staff, file=pdf("三"), title="方案三")
    assert DesignDraft.objects.count() == 2
    third = draft(
        process,
        staff,
        file=pdf("三"),
        title="方案三",
        change_note="按居民意见加装靠背。",
        answers_comments=[comment],
        answers_votes=True,
    )
    assert list(third.answers_comments.all()) == [comment] and third.version == 3
    assert evidence.missing(services.open_run(process)) == []


def test_answers_must_be_the_process_own(process, staff, resident, town, area_b, people):
    other = start(town, area_b, people["secretariat"])
    jump_to(other, 3)
    other_draft = draft(other, people["secretariat"])
    jump_to(other, 4)
    foreign = ev.comment_on_draft(process=other, user=resident, draft=other_draft, body="好")
    jump_to(process, 3)
    with pytest.raises(DomainError, match="comments"):
        draft(process, staff, change_note="回应", answers_comments=[foreign])
    assert not DesignDraft.objects.filter(process=process).exists()


# --- Step 4 --------------------------------------------------------------------------


def test_co_design_links_comments_and_dot_votes(process, staff, resident, area_a, area_b, people):
    jump_to(process, 3)
    first = draft(process, staff)
    second = draft(process, staff, file=pdf("二"), title="方案二")
    jump_to(process, 4)
    other_activity = ActivityFactory(area=area_a, kind="salon")
    with assert_nothing_written(), pytest.raises(DomainError, match="workshop"):
        ev.link_activity(process=process, actor=staff, activity=other_activity)
    elsewhere = ActivityFactory(area=area_b)
    with assert_nothing_written(), pytest.raises(DomainError, match="residential area"):
        ev.link_activity(process=process, actor=staff, activity=elsewhere)
    cafe = ActivityFactory(area=area_a, kind="world_cafe")
    ev.link_activity(process=process, actor=staff, activity=cafe)
    with assert_nothing_written(), pytest.raises(DomainError):
        ev.link_activity(process=process, actor=staff, activity=cafe)
    assert ActivityLink.objects.count() == 1

    ev.comment_on_draft(process=process, user=resident, draft=first, body="希望多些绿化")
    ev.cast_dot_vote(process=process, user=resident, draft=second)
    with assert_nothing_written(), pytest.raises(DomainError, match="already"):
        ev.cast_dot_vote(process=process, user=resident, draft=first)
    with assert_nothing_written(), pytest.raises(DomainError, match="already"):
        ev.cast_dot_vote(process=process, user=resident, draft=second)
    assert DotVote.objects.get().draft == second
    ev.cast_dot_vote(process=process, user=people["partner"], draft=first)
    assert DotVote.objects.count() == 2


def test_comments_and_votes_only_on_the_process_drafts_during_step_4(
    process, staff, resident, town, area_b, people
):
    jump_to(process, 3)
    mine = draft(process, staff)
    with pytest.raises(DomainError, match="open step"):
        ev.comment_on_draft(process=process, user=resident, draft=mine, body="早了")
    with pytest.raises(DomainError, match="open step"):
        ev.cast_dot_vote(process=process, user=resident, draft=mine)
    other = start(town, area_b, people["secretariat"])
    jump_to(other, 3)
    theirs = draft(other, people["secretariat"])
    jump_to(process, 4)
    with pytest.raises(DomainError, match="draft of this plan"):
        ev.cast_dot_vote(process=process, user=resident, draft=theirs)
    with pytest.raises(DomainError):
        ev.comment_on_draft(process=process, user=resident, draft=mine, body="")
    assert not DotVote.objects.exists() and not DraftComment.objects.exists()


# --- Steps 6 and 10 ------------------------------------------------------------------


def test_joint_meeting_approves_when_the_motion_passed(process, staff, town, area_a, area_b):
    jump_to(process, 6)
    meeting, motion = make_joint_meeting(town, area_a, staff)
    other_area, _m = make_joint_meeting(town, area_b, staff)
    with pytest.raises(DomainError, match="residential area"):
        ev.link_meeting(process=process, actor=staff, meeting=other_area)
    with pytest.raises(DomainError, match="motion must belong"):
        ev.record_joint_decision(process=process, actor=staff, motion=motion, decision="approve")
    link = ev.link_meeting(process=process, actor=staff, meeting=meeting)
    ev.record_joint_decision(process=process, actor=staff, motion=motion, decision="approve")
    link.refresh_from_db()
    assert link.decision == "approve" and link.motion == motion
    assert AuditEvent.objects.filter(verb="planning.joint_decision").exists()
    with pytest.raises(DomainError, match="already recorded"):
        ev.record_joint_decision(process=process, actor=staff, motion=motion, decision="approve")


def test_joint_decision_cannot_contradict_the_motion(process, staff, town, area_a):
    jump_to(process, 6)
    meeting, failed = make_joint_meeting(town, area_a, staff, passed=False)
    ev.link_meeting(process=process, actor=staff, meeting=meeting)
    with pytest.raises(DomainError, match="failed"):
        ev.record_joint_decision(process=process, actor=staff, motion=failed, decision="approve")
    failed.status, failed.result, failed.decided_at = "open", "", None
    failed.save()
    with pytest.raises(DomainError, match="not been decided"):
        ev.record_joint_decision(process=process, actor=staff, motion=failed, decision="approve")
    assert MeetingLink.objects.get().decision == ""


def test_non_joint_meeting_is_refused(process, staff, town, area_a):
    jump_to(process, 6)
    meeting, _motion = make_joint_meeting(town, area_a, staff)
    meeting.kind = "self_governance"
    meeting.save()
    with pytest.raises(DomainError, match="joint meeting"):
        ev.link_meeting(process=process, actor=staff, meeting=meeting)
    assert not MeetingLink.objects.exists()


def record_parties(meeting):
    from gongzhi.meetings.models import Party, PartyPresence

    for party in Party.joint_parties():
        PartyPresence.objects.create(meeting=meeting, party=party, present=True)


def test_return_from_the_joint_meeting(process, staff, town, area_a):
    jump_to(process, 3)
    kept = draft(process, staff)
    jump_to(process, 6)
    meeting, motion = make_joint_meeting(town, area_a, staff)
    record_parties(meeting)
    ev.link_meeting(process=process, actor=staff, meeting=meeting)
    for bad in ({"return_to": 6}, {"return_to": 9}, {"return_to": 0}):
        with pytest.raises(DomainError, match="earlier step"):
            ev.record_joint_decision(
                process=process,
                actor=staff,
                motion=motion,
                decision="return",
                reasons="不行",
                **bad,
            )
    with pytest.raises(DomainError, match="reasons"):
        ev.record_joint_decision(
            process=process, actor=staff, motion=motion, decision="return", return_to=3
        )
    process.refresh_from_db()
    assert process.current_order == 6
    ev.record_joint_decision(
        process=process,
        actor=staff,
        motion=motion,
        decision="return",
        return_to=3,
        reasons="业委会要求补充停车方案",
    )
    process.refresh_from_db()
    run = services.open_run(process)
    assert process.current_order == 3 and run.revision == 2
    assert DesignDraft.objects.filter(pk=kept.pk).exists()
    assert AuditEvent.objects.filter(verb="planning.return").exists()


# --- Step 8 --------------------------------------------------------------------------


@pytest.fixture
def consulting(process, staff):
    jump_to(process, 3)
    plan = draft(process, staff)
    jump_to(process, 8)
    return process, plan


def test_consultation_window(consulting, staff, resident, django_capture_on_commit_callbacks):
    process, plan = consulting
    now = timezone.now()
    with pytest.raises(DomainError, match="at least 7 days"):
        ev.open_consultation(
            process=process,
            actor=staff,
            draft=plan,
            opens_at=now,
            closes_at=now + timedelta(days=3),
        )
    with pytest.raises(DomainError):
        ev.open_consultation(process=process, actor=staff, draft=plan, opens_at=now, closes_at=now)
    assert not Consultation.objects.exists()
    with pytest.raises(DomainError, match="not opened"):
        ev.comment_in_consultation(process=process, user=resident, body="早")
    consultation = ev.open_consultation(
        process=process,
        actor=staff,
        draft=plan,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=7),
    )
    with pytest.raises(DomainError, match="already open"):
        ev.open_consultation(
            process=process,
            actor=staff,
            draft=plan,
            opens_at=now,
            closes_at=now + timedelta(days=8),
        )
    comment = ev.comment_in_consultation(process=process, user=resident, body="增加无障碍坡道")
    with pytest.raises(DomainError, match="closed"):
        ev.comment_in_consultation(
            process=process, user=resident, body="太晚了", now=consultation.closes_at
        )
    with pytest.raises(DomainError, match="opens"):
        ev.comment_in_consultation(
            process=process, user=resident, body="太早了", now=now - timedelta(days=1)
        )
    assert ConsultationComment.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        ev.reply_to_consultation_comment(comment=comment, actor=staff, reply="已在方案中增加坡道。")
    assert Notification.objects.filter(user=resident).exists()
    with pytest.raises(DomainError, match="already has"):
        ev.reply_to_consultation_comment(comment=comment, actor=staff, reply="再答一次")
    assert ConsultationComment.objects.get().reply == "已在方案中增加坡道。"
    later = timezone.now() + timedelta(days=8)
    assert evidence.missing(services.open_run(process), later) == []


# --- Step 11 -------------------------------------------------------------------------


@pytest.fixture
def noticing(process, staff):
    jump_to(process, 3)
    plan = draft(process, staff)
    jump_to(process, 11)
    return process, plan


def test_notice_period_rules(noticing, staff):
    process, plan = noticing
    with pytest.raises(DomainError, match="at least 7 days"):
        publish_notice(process=process, actor=staff, draft=plan, period_days=5)
    with pytest.raises(DomainError, match="back-dated"):
        publish_notice(
            process=process,
            actor=staff,
            draft=plan,
            starts_on=timezone.localdate() - timedelta(days=1),
        )
    assert not PublicNotice.objects.exists()
    notice = publish_notice(process=process, actor=staff, draft=plan)
    assert notice.ends_on == timezone.localdate() + timedelta(days=6)
    with pytest.raises(DomainError, match="already posted"):
        publish_notice(process=process, actor=staff, draft=plan)


def test_notice_in_working_days_uses_the_holiday_table(noticing, staff):
    process, plan = noticing
    # 2030-09-30 is a Monday; 1–7 October are holidays, Sunday 29 September a 调休 workday.
    Holiday.objects.bulk_create(
        [Holiday(date=date(2030, 10, d), name="国庆节") for d in range(1, 8)]
        + [Holiday(date=date(2030, 10, 12), name="国庆调休", is_workday=True)]
    )
    notice = publish_notice(
        process=process,
        actor=staff,
        draft=plan,
        starts_on=date(2030, 9, 30),
        working_days=True,
        now=timezone.make_aware(timezone.datetime(2030, 9, 30, 9)),
    )
    # 9/30 (1), 10/8-10/11 (2-5), Saturday 10/12 worked (6), Monday 10/14 (7).
    assert notice.ends_on == date(2030, 10, 14)


def test_objections_replies_and_result(
    noticing, staff, resident, people, django_capture_on_commit_callbacks
):
    process, plan = noticing
    with pytest.raises(DomainError, match="not been posted"):
        ev.object_to_notice(process=process, user=resident, body="反对")
    notice = publish_notice(process=process, actor=staff, draft=plan)
    objection = ev.object_to_notice(process=process, user=resident, body="廊架挡住了一楼采光")
    after = timezone.now() + timedelta(days=8)
    with pytest.raises(DomainError, match="ended"):
        ev.object_to_notice(process=process, user=people["partner"], body="晚了", now=after)
    assert Objection.objects.count() == 1
    with pytest.raises(DomainError, match="cannot end early"):
        ev.publish_result(process=process, actor=staff, text="公示结束")
    with pytest.raises(DomainError, match="every objection"):
        ev.publish_result(process=process, actor=staff, text="公示结束", now=after)
    with django_capture_on_commit_callbacks(execute=True):
        ev.reply_to_objection(objection=objection, actor=staff, reply="廊架已南移两米。")
    assert Notification.objects.filter(user=resident).exists()
    with pytest.raises(DomainError, match="already has"):
        ev.reply_to_objection(objection=objection, actor=staff, reply="again")
    ev.add_step_photo(process=process, actor=staff, image=png(), purpose="notice_board")
    notice.on_board = True
    notice.save()
    with pytest.raises(DomainError, match="cannot close"):
        services.advance_step(process=process, actor=staff)
    ev.publish_result(process=process, actor=staff, text="公示期满，方案确定。", now=after)
    assert PublicNotice.objects.get().result == "公示期满，方案确定。"
    with pytest.raises(DomainError, match="already published"):
        ev.publish_result(process=process, actor=staff, text="again", now=after)
    services.advance_step(process=process, actor=staff, now=after)
    process.refresh_from_db()
    assert process.status == "completed"


def test_objecting_before_the_notice_starts(noticing, staff, resident):
    process, plan = noticing
    publish_notice(
        process=process, actor=staff, draft=plan, starts_on=timezone.localdate() + timedelta(days=2)
    )
    with pytest.raises(DomainError, match="starts on"):
        ev.object_to_notice(process=process, user=resident, body="反对")
    assert not Objection.objects.exists()


def test_other_area_process_is_separate(town, people):
    area = AreaFactory(town=town)
    process = start(town, area, people["secretariat"])
    user = UserFactory()
    with assert_nothing_written(), pytest.raises(DomainError):
        ev.cast_dot_vote(process=process, user=user, draft=DesignDraft(process_id=0))


def test_a_town_wide_survey_does_not_count_in_an_area(process, town, area_a, staff):
    """A town-wide questionnaire would satisfy step 1 in every area of a batch."""
    from gongzhi.planning.forms_steps import SurveyLinkForm

    town_wide = survey_for(town, None, staff)
    with pytest.raises(DomainError, match="residential area"):
        ev.link_survey(process=process, actor=staff, survey=town_wide)
    assert not SurveyLink.objects.exists()
    own = survey_for(town, area_a, staff)
    choices = SurveyLinkForm(process=process).fields["survey"].queryset
    assert list(choices) == [own]


@pytest.mark.parametrize(
    "summary",
    [
        "王先生（13812345678）希望增加座椅。",
        "联系电话 138 1234 5678，希望增加座椅。",
        "联系电话１３８１２３４５６７８。",
        "电话：159-1234-5678",
    ],
)
def test_interview_summary_refuses_a_mobile_number(process, staff, summary):
    jump_to(process, 2)
    with pytest.raises(DomainError, match="phone numbers"):
        ev.record_interview(
            process=process,
            actor=staff,
            category="older_resident",
            held_on=timezone.localdate(),
            notes="张阿姨，电话13812345678。",  # the team's notes may keep it
            summary=summary,
            consent=True,
        )
    assert not Interview.objects.exists()


def test_interview_form_says_no_names_or_phone_numbers():
    from gongzhi.planning.forms_steps import InterviewForm

    assert "no names or phone numbers" in str(InterviewForm().fields["summary"].help_text)


def test_return_needs_the_meeting_held_with_its_parties(process, staff, town, area_a):
    """A return is a joint-meeting decision like an approval: the meeting held
    (minutes approved), the three parties on record, the motion decided."""
    from gongzhi.meetings.models import Meeting

    jump_to(process, 6)
    meeting, motion = make_joint_meeting(town, area_a, staff)
    ev.link_meeting(process=process, actor=staff, meeting=meeting)
    back = {"decision": "return", "return_to": 5, "reasons": "停车方案不够"}
    with pytest.raises(DomainError, match="three parties"):
        ev.record_joint_decision(process=process, actor=staff, motion=motion, **back)
    record_parties(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(status="scheduled")
    with pytest.raises(DomainError, match="minutes"):
        ev.record_joint_decision(process=process, actor=staff, motion=motion, **back)
    process.refresh_from_db()
    assert process.current_order == 6
    assert not MeetingLink.objects.exclude(decision="").exists()
    Meeting.objects.filter(pk=meeting.pk).update(status="held")
    ev.record_joint_decision(process=process, actor=staff, motion=motion, **back)
    process.refresh_from_db()
    assert process.current_order == 5


def test_adjustment_answers_the_latest_round_of_participatory_design(
    process, staff, resident, people
):
    first, old_comment = second_round_of_step_4(process, staff, resident)
    new_comment = ev.comment_on_draft(
        process=process, user=people["partner"], draft=first, body="遮阳"
    )
    jump_to(process, 5)
    run = services.open_run(process)
    # The latest round had comments and no dot votes: answering the votes, or the
    # earlier round's comment, does not count.
    draft(
        process,
        staff,
        file=pdf("三"),
        title="方案三",
        change_note="按第一轮意见修改。",
        answers_comments=[old_comment],
        answers_votes=True,
    )
    assert evidence.missing(run) == [
        "The new version must answer the residents' inputs of the participatory design."
    ]
    draft(
        process,
        staff,
        file=pdf("四"),
        title="方案四",
        change_note="加装遮阳。",
        answers_comments=[new_comment],
    )
    assert evidence.missing(run) == []


def test_adjustment_answers_the_latest_rounds_dot_votes(process, staff, resident, people):
    first, _old = second_round_of_step_4(process, staff, resident)
    jump_to(process, 5)
    run = services.open_run(process)
    draft(process, staff, file=pdf("三"), title="方案三", change_note="按投票", answers_votes=True)
    assert evidence.missing(run)  # the votes were cast in the earlier round
    jump_to(process, 4)
    ev.cast_dot_vote(process=process, user=resident, draft=first)
    jump_to(process, 5)
    run = services.open_run(process)
    draft(process, staff, file=pdf("四"), title="方案四", change_note="按投票", answers_votes=True)
    assert evidence.missing(run) == []


def test_revision_answers_the_latest_consultation(process, staff, resident):
    jump_to(process, 3)
    plan = draft(process, staff)
    comments = consult_twice(process, staff, plan, resident)
    jump_to(process, 9)
    run = services.open_run(process)
    draft(
        process,
        staff,
        file=pdf("改一"),
        title="修改稿",
        change_note="按第一轮意见。",
        answers_consultation=[comments[0]],
    )
    assert evidence.missing(run) == ["The new version's change log must answer the consultation."]
    draft(
        process,
        staff,
        file=pdf("改二"),
        title="修改稿二",
        change_note="按第二轮意见。",
        answers_consultation=[comments[1]],
    )
    assert evidence.missing(run) == []
