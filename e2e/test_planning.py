"""Planning: one residential area's plan walks the eleven steps, as the people who do
them, and ends as a completed plan on its public page.

The lead partner records the evidence of each step on the step page (survey link,
needs, site photo, an interview, drafts); residents take part on their phones (answer
the questionnaire, put a dot on a draft, comment in the consultation, object to the
notice); the area's staff close each step on the plan page, link the joint meetings
and read their decisions — the first sends the plan back to step 5 — reply to the
resident's comment and objection, post the notice and publish the result.

Bulk evidence that a browser adds nothing to (29 more questionnaire answers, four
more interviews, nine more residents' inputs, the joint meetings themselves) is
written through the same services. Time passes between steps by moving the window's
and the notice's dates in the database (the server runs in this process).
"""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from gongzhi.accounts.models import User
from gongzhi.demo.partners import SECRETARIAT_PHONE
from gongzhi.demo.places import DEMO_PASSWORD, NAMED_AREA
from gongzhi.events.models import Attendance
from gongzhi.meetings import services as meeting_services
from gongzhi.meetings.models import Choice, MeetingKind, Party
from gongzhi.places.models import ResidentialArea
from gongzhi.planning import evidence_services, services
from gongzhi.planning.models import (
    ConsultationComment,
    DesignDraft,
    Objection,
    PlanningProcess,
    ProcessStatus,
    RunOutcome,
    StepRun,
)
from gongzhi.surveys import services as survey_services
from gongzhi.tests.factories import ActivityFactory, PartnerFactory, UserFactory

from .browser import check_page, log_in

pytestmark = pytest.mark.browser

RESIDENT = "13800000001"
AREA_STAFF = "13800000003"
PARTNER_PHONE = "13722225555"
TITLE = "逸景佳苑中心花园参与式规划"
SUBMIT = 'button[type="submit"]'


def png(color) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (240, 160), color).save(out, "PNG")
    return out.getvalue()


def local_input(moment) -> str:
    """A datetime as a datetime-local input takes it, in the town's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def joint_meeting(town, area, staff, motion_text: str, days_ago: int):
    """A held joint meeting: the three parties present, a motion passed 2–1, approved
    minutes (it is planning that reads what the motion means for the plan)."""
    starts = timezone.now() - timedelta(minutes=30)
    meeting = meeting_services.create_meeting(
        town=town,
        actor=staff,
        kind=MeetingKind.JOINT,
        title=f"中心花园方案联席会（{days_ago}）",
        venue="逸致议事厅",
        area=area,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    people = []
    for name, party in [
        ("张主任", Party.RESIDENTS_COMMITTEE),
        ("李业委", Party.OWNERS_COMMITTEE),
        ("王经理", Party.PROPERTY_COMPANY),
    ]:
        person = meeting_services.invite(meeting=meeting, actor=staff, name=name, party=party)
        people.append(meeting_services.sign_in(meeting=meeting, actor=staff, attendee=person))
        meeting_services.record_party(
            meeting=meeting, actor=staff, party=party, present=True, note=name
        )
    motion = meeting_services.move_motion(
        meeting=meeting, actor=staff, text=motion_text, mover=people[0]
    )
    motion = meeting_services.second_motion(motion=motion, actor=staff, seconder=people[1])
    for person, choice in zip(people, [Choice.YES, Choice.YES, Choice.NO], strict=True):
        meeting_services.cast_vote(motion=motion, actor=staff, attendee=person, choice=choice)
    motion = meeting_services.decide_motion(motion=motion, actor=staff)
    meeting_services.save_minutes(meeting=meeting, actor=staff, body=f"会议表决：{motion_text}。")
    meeting_services.approve_minutes(meeting=meeting, actor=staff)
    return meeting, motion


@pytest.fixture
def plan(demo_town, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    area = ResidentialArea.objects.get(town=demo_town, name=NAMED_AREA)
    staff = User.objects.get(phone=AREA_STAFF)
    partner_user = UserFactory(display_name="陶规划", phone=PARTNER_PHONE, residential_area=area)
    partner_user.set_password(DEMO_PASSWORD)  # the factory's hash is not the server's hasher
    partner_user.save(update_fields=["password"])
    partner = PartnerFactory(
        user=partner_user, area=area, name="陶规划", modes=["planning"], skills=["景观设计"]
    )
    process = services.start_process(
        town=demo_town,
        area=area,
        actor=User.objects.get(phone=SECRETARIAT_PHONE),  # the town starts every process
        title=TITLE,
        lead_partner=partner,
    )
    survey = survey_services.create_survey(
        town=demo_town, area=area, actor=staff, title="中心花园居民需求调研"
    )
    question = survey_services.add_question(
        survey=survey,
        actor=staff,
        kind="single",
        text="您最希望花园增加什么？",
        options=["休息座椅", "儿童游乐", "健身器材"],
    )
    survey_services.open_survey(survey=survey, actor=staff)
    workshop = ActivityFactory(
        area=area,
        kind="workshop",
        title="中心花园共创工作坊",
        starts_at=timezone.now() - timedelta(days=1, hours=2),
        ends_at=timezone.now() - timedelta(days=1),
    )
    for user in UserFactory.create_batch(12, residential_area=area):
        Attendance.objects.create(activity=workshop, user=user, checked_in_at=workshop.starts_at)
    return {
        "process": process,
        "area": area,
        "staff": staff,
        "partner_user": partner_user,
        "survey": survey,
        "question": question,
        "workshop": workshop,
    }


def test_a_plan_walks_the_eleven_steps_to_its_public_page(page, open_page, demo_town, plan):
    process, staff, area = plan["process"], plan["staff"], plan["area"]
    town = demo_town.slug
    plan_url = f"/t/{town}/plans/{process.pk}/"
    step_url = f"/t/{town}/plans/{process.pk}/step/"
    neighbours = UserFactory.create_batch(40, residential_area=area)

    staff_page = open_page()
    log_in(staff_page, AREA_STAFF, plan_url, "plan-staff-login")
    partner_page = open_page()
    log_in(partner_page, PARTNER_PHONE, step_url, "plan-partner-login")

    def advance(expect_step: int | None):
        staff_page.goto(plan_url)
        staff_page.locator(f'form[action$="/plans/{process.pk}/advance/"] {SUBMIT}').click()
        process.refresh_from_db()
        if expect_step is None:
            assert process.status == ProcessStatus.COMPLETED
        else:
            assert process.current_order == expect_step, staff_page.locator("main").inner_text()

    def step_form(who, name: str, fields=None, files=None, checks=(), selects=None):
        """Fill and send one evidence form of the open step's page."""
        who.goto(step_url)
        form = who.locator(f"#form-{name}")
        for field, value in (selects or {}).items():
            form.locator(f"#id_{name}-{field}").select_option(value)
        for field, value in (fields or {}).items():
            form.locator(f"#id_{name}-{field}").fill(value)
        for field, payload in (files or {}).items():
            form.locator(f"#id_{name}-{field}").set_input_files(payload)
        for selector in checks:
            form.locator(selector).check()
        form.locator(SUBMIT).click()

    def partner_form(name: str, fields: dict, files: dict | None = None, checks=()):
        step_form(partner_page, name, fields, files, [f"#id_{name}-{c}" for c in checks])

    def image(name: str, color) -> dict:
        return {"name": name, "mimeType": "image/png", "buffer": png(color)}

    def staff_reads_decision(meeting, motion, decision: str, **extra):
        """Staff link the joint meeting and record what its decided motion means."""
        step_form(staff_page, "meeting", selects={"meeting": str(meeting.pk)})
        step_form(
            staff_page,
            "decision",
            selects={"motion": str(motion.pk), **extra.get("selects", {})},
            fields=extra.get("fields", {}),
            checks=[f'input[name="decision-decision"][value="{decision}"]'],
        )

    def latest_draft():
        return DesignDraft.objects.filter(process=process).order_by("-version").first()

    # 1. Community survey: a resident answers on a phone; the partner links it, writes
    #    the needs list and adds a site photo; staff cannot close the step before that.
    advance(1)
    expect(staff_page.locator(".messages")).to_contain_text("社区调研")
    check_page(staff_page, "plan-refused")
    log_in(page, RESIDENT, plan["survey"].get_absolute_url(), "plan-resident-login")
    page.check(f'input[name="q{plan["question"].pk}"][value="0"]')
    page.locator(f"main {SUBMIT}").click()
    expect(page.locator("main")).to_contain_text("感谢")
    check_page(page, "plan-survey-answered")
    for user in neighbours[:29]:
        survey_services.submit_response(
            survey=plan["survey"], user=user, answers={plan["question"].pk: 1}
        )
    partner_page.goto(step_url)
    check_page(partner_page, "plan-step-1")
    partner_page.select_option("#id_survey-survey", str(plan["survey"].pk))
    partner_page.locator(f"#form-survey {SUBMIT}").click()
    partner_form("need", {"text": "老人需要树荫下的休息座椅"})
    partner_form(
        "photo",
        {"caption": "中心花园现状"},
        files={"image": {"name": "site.png", "mimeType": "image/png", "buffer": png("green")}},
    )
    advance(2)

    # 2. Interviews: the partner records one; four more were recorded on paper.
    partner_page.goto(step_url)
    check_page(partner_page, "plan-step-2")
    partner_page.select_option("#id_interview-category", "older_resident")
    partner_page.fill("#id_interview-held_on", timezone.localdate().isoformat())
    partner_page.fill("#id_interview-notes", "住在5号楼的张阿姨，每天傍晚在花园散步。")
    partner_page.fill("#id_interview-summary", "一位老年居民希望增加座椅和夜间照明。")
    partner_page.check("#id_interview-consent")
    partner_page.locator(f"#form-interview {SUBMIT}").click()
    for _ in range(4):
        evidence_services.record_interview(
            process=process,
            actor=plan["partner_user"],
            category="family",
            held_on=timezone.localdate(),
            notes="访谈记录",
            summary="希望增加儿童活动空间。",
            consent=True,
        )
    advance(3)

    # 3. Multi-draft design: two distinct drafts by the partner.
    for index, color in enumerate(["orange", "purple"], start=1):
        partner_form(
            "draft",
            {"title": f"方案{index}", "description": f"中心花园设计方案{index}。"},
            files={
                "file": {"name": f"d{index}.png", "mimeType": "image/png", "buffer": png(color)}
            },
        )
    check_page(partner_page, "plan-step-3")
    assert DesignDraft.objects.filter(process=process).count() == 2
    advance(4)

    # 4. Participatory design: staff link the workshop; a resident puts a dot on a draft
    #    and comments on it on a phone; nine more inputs came from the workshop.
    staff_page.goto(step_url)
    staff_page.select_option("#id_activity-activity", str(plan["workshop"].pk))
    staff_page.locator(f"#form-activity {SUBMIT}").click()
    draft_1, draft_2 = DesignDraft.objects.filter(process=process).order_by("version")
    page.goto(f"/t/{town}/plans/{process.pk}/drafts/{draft_1.pk}/")
    page.locator(f'form[action$="/vote/"] {SUBMIT}').click()
    page.fill("#id_comment-body", "座椅请放在树荫下。")
    page.locator(f'form[action$="/comment/"] {SUBMIT}').click()
    expect(page.locator("main")).to_contain_text("座椅请放在树荫下")
    check_page(page, "plan-draft-voted")
    for user in neighbours[30:39]:
        evidence_services.cast_dot_vote(process=process, user=user, draft=draft_2)
    advance(5)

    # 5. Plan adjustment: a new version answering the dots and the comment.
    partner_form(
        "draft",
        {
            "title": "调整方案",
            "description": "合并两稿的优点。",
            "change_note": "按居民投票采用方案2的布局，并在树荫下增加座椅。",
        },
        files={"file": {"name": "v3.png", "mimeType": "image/png", "buffer": png("navy")}},
        checks=["answers_votes"],
    )
    assert DesignDraft.objects.filter(process=process).count() == 3
    advance(6)

    # 6. Joint meeting: it sends the plan back to step 5 with reasons.
    meeting, motion = joint_meeting(demo_town, area, staff, "方案退回调整：增加夜间照明", 1)
    staff_page.goto(step_url)
    check_page(staff_page, "plan-step-6")
    staff_reads_decision(
        meeting,
        motion,
        "return",
        selects={"return_to": "5"},
        fields={"reasons": "三方要求增加夜间照明后再议。"},
    )
    process.refresh_from_db()
    assert process.current_order == 5
    sent_back = StepRun.objects.get(process=process, step__order=6, revision=1)
    assert sent_back.outcome == RunOutcome.RETURNED
    assert StepRun.objects.get(process=process, step__order=5, closed_at__isnull=True).revision == 2

    # 5 again, then 6 again with approval; 7. plan optimisation.
    partner_form(
        "draft",
        {
            "title": "调整方案（二）",
            "description": "增加夜间照明。",
            "change_note": "增加了四盏庭院灯。",
        },
        files={"file": image("v4.png", "teal")},
        checks=["answers_votes"],
    )
    advance(6)
    meeting, motion = joint_meeting(demo_town, area, staff, "同意中心花园调整方案", 2)
    staff_reads_decision(meeting, motion, "approve")
    advance(7)
    partner_form(
        "draft",
        {"title": "优化方案", "description": "优化座椅材质。", "change_note": "座椅改用防腐木。"},
        files={"file": image("v5.png", "olive")},
    )
    advance(8)

    # 8. Public consultation: staff open the window; a resident comments on a phone;
    #    staff reply; the window closes after its seven days.
    now = timezone.now()
    step_form(
        staff_page,
        "consultation",
        selects={"draft": str(latest_draft().pk)},
        fields={
            "opens_at": local_input(now - timedelta(minutes=1)),
            "closes_at": local_input(now + timedelta(days=7, minutes=1)),
        },
    )
    page.goto(f"/t/{town}/plans/{process.pk}/consultation/")
    page.fill("#id_comment-body", "希望保留原来的大树。")
    page.locator(f'form[action$="/comment/"] {SUBMIT}').click()
    expect(page.locator("main")).to_contain_text("希望保留原来的大树")
    check_page(page, "plan-consultation")
    staff_page.goto(f"/t/{town}/plans/{process.pk}/consultation/")
    staff_page.locator('textarea[name="reply-reply"]').fill("大树全部保留，座椅围绕大树布置。")
    staff_page.locator(f'form[action$="/reply/"] {SUBMIT}').click()
    comment = ConsultationComment.objects.get(consultation__run__process=process)
    assert comment.reply
    consultation = comment.consultation
    consultation.opens_at -= timedelta(days=8)
    consultation.closes_at -= timedelta(days=8)
    consultation.save(update_fields=["opens_at", "closes_at"])
    advance(9)

    # 9. Plan revision answering the consultation; 10. the second joint meeting.
    partner_form(
        "draft",
        {"title": "修改方案", "description": "保留大树。", "change_note": "按咨询意见保留大树。"},
        files={"file": image("v6.png", "maroon")},
        checks=["answers_consultation_0"],
    )
    advance(10)
    meeting, motion = joint_meeting(demo_town, area, staff, "同意中心花园最终方案", 3)
    staff_reads_decision(meeting, motion, "approve")
    advance(11)

    # 11. Public notice: posted on the board and online; a resident objects on a phone;
    #     staff reply; it cannot end early; after its period the result is published.
    step_form(
        staff_page,
        "notice",
        selects={"draft": str(latest_draft().pk)},
        fields={
            "text": "逸景佳苑中心花园规划方案现予公示，欢迎居民提出意见。",
            "starts_on": timezone.localdate().isoformat(),
            "period_days": "7",
        },
        checks=["#id_notice-on_board"],
    )
    step_form(
        staff_page, "photo", fields={"caption": "公示栏"}, files={"image": image("b.png", "white")}
    )
    page.goto(f"/t/{town}/plans/{process.pk}/notice/")
    page.fill("#id_objection-body", "施工时间请避开午休。")
    page.locator(f'form[action$="/object/"] {SUBMIT}').click()
    expect(page.locator("main")).to_contain_text("施工时间请避开午休")
    check_page(page, "plan-notice")
    staff_page.goto(f"/t/{town}/plans/{process.pk}/notice/")
    staff_page.locator('textarea[name="reply-reply"]').fill(
        "施工安排在工作日9点至11点、14点至17点。"
    )
    staff_page.locator(f'form[action$="/reply/"] {SUBMIT}').click()
    assert Objection.objects.get(notice__run__process=process).reply
    advance(11)  # the notice is still running: refused
    expect(staff_page.locator(".messages")).to_contain_text(
        re.compile("公示|notice", re.IGNORECASE)
    )
    notice = Objection.objects.get(notice__run__process=process).notice
    notice.starts_on -= timedelta(days=10)
    notice.ends_on -= timedelta(days=10)
    notice.save(update_fields=["starts_on", "ends_on"])
    step_form(staff_page, "result", fields={"text": "公示期满，方案通过，进入微更新实施。"})
    staff_page.goto(f"/t/{town}/plans/{process.pk}/notice/print/")
    expect(staff_page.locator("body")).to_contain_text("中心花园")
    advance(None)

    # The completed plan on its public page, for anyone, on a phone or a desk.
    visitor = open_page()
    visitor.goto(plan_url)
    main = visitor.locator("main")
    expect(main).to_contain_text(TITLE)
    expect(main).to_contain_text("三方要求增加夜间照明后再议")
    expect(main).not_to_contain_text("张阿姨")  # interview notes stay with the team
    check_page(visitor, "plan-completed")
    assert PlanningProcess.objects.get(pk=process.pk).status == ProcessStatus.COMPLETED
