"""The process pages through the test client: the public list and plan page (evidence
de-identified, what a resident can do now, the audit trail), the transitions as
staff do them (advance refused with the missing list, return, abandon), following,
taking in a proposal, starting one process and the workflow templates."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.core.testing import assert_constant_queries, assert_nothing_written
from gongzhi.planning import services
from gongzhi.planning.models import (
    ActivityLink,
    Consultation,
    ConsultationComment,
    DesignDraft,
    Follower,
    Interview,
    PlanningProcess,
    ProcessStatus,
    PublicNotice,
    RunOutcome,
    StepKind,
    StepRun,
    SurveyLink,
    TemplateStep,
    WorkflowTemplate,
)
from gongzhi.proposals.tests.builders import make_proposal
from gongzhi.tests.factories import ActivityFactory, PartnerFactory, SiteFactory, UserFactory

pytestmark = pytest.mark.django_db

NOTES = "张阿姨说楼道灯坏了三个月，住在3号楼502"


# --- Builders shared with test_board.py and test_batch.py ----------------------------


def start(town, area, actor, **kwargs):
    kwargs.setdefault("title", f"{area.name}·社区规划")
    return services.start_process(town=town, area=area, actor=actor, **kwargs)


def short_template(*kinds, name="短流程"):
    """A template with the given step kinds (min counts 1) for quick walks."""
    template = WorkflowTemplate.objects.create(name=name)
    TemplateStep.objects.bulk_create(
        TemplateStep(template=template, order=i, kind=kind, title_zh=f"第{i}步", min_count=1)
        for i, kind in enumerate(kinds, 1)
    )
    return template


def open_run_of(process):
    return process.runs.get(closed_at__isnull=True)


def add_interview(run, user, summary="希望增加照明"):
    return Interview.objects.create(
        run=run,
        category="older_resident",
        held_on=timezone.localdate(),
        interviewer=user,
        notes=NOTES,
        summary=summary,
        consent=True,
    )


def add_draft(process, run, user, version, digest=None):
    return DesignDraft.objects.create(
        process=process,
        run=run,
        version=version,
        title=f"方案{version}",
        description="说明",
        file=f"planning/{process.pk}/drafts/v{version}.pdf",
        content_type="application/pdf",
        digest=digest or f"{version:064d}",
        uploaded_by=user,
    )


def make_survey(town, area, user, responses=0, status="open"):
    from gongzhi.surveys.models import Response, Survey

    survey = Survey.objects.create(
        town=town, area=area, title="社区需求问卷", status=status, created_by=user
    )
    Response.objects.bulk_create(
        Response(survey=survey, device_token=f"token-{i}") for i in range(responses)
    )
    return survey


def grow_evidence(process, user, n):
    """Add ``n`` closed runs (sent back), each with evidence of every kind; returns the
    activity linked to each round."""
    from gongzhi.events.models import Attendance

    steps = {s.kind: s for s in process.template.steps.all()}
    activities = []
    for _i in range(n):
        for kind in (StepKind.SURVEY, StepKind.INTERVIEWS, StepKind.DRAFTS):
            step = steps[kind]
            revision = process.runs.filter(step=step).count() + 1
            run = StepRun.objects.create(
                process=process,
                step=step,
                revision=revision,
                opened_at=timezone.now() - timedelta(days=30),
                due_on=timezone.localdate(),
                closed_at=timezone.now() - timedelta(days=1),
                outcome=RunOutcome.RETURNED,
                note="联席会要求补充",
            )
            if kind == StepKind.SURVEY:
                SurveyLink.objects.create(
                    run=run, survey=make_survey(process.town, process.area, user, 2)
                )
            elif kind == StepKind.INTERVIEWS:
                add_interview(run, user)
                add_interview(run, user)
            else:
                version = process.drafts.order_by("-version").first() or None
                version = version.version + 1 if version else 1
                add_draft(process, run, user, version)
                activity = ActivityFactory(area=process.area, town=process.town)
                ActivityLink.objects.create(run=run, activity=activity)
                Attendance.objects.create(activity=activity, user=user, method="roster")
                activities.append(activity)
    return activities


@pytest.fixture
def plan(town, area_a, people):
    partner = PartnerFactory(user=people["partner"], area=area_a, name="王合伙人")
    process = start(town, area_a, people["secretariat"], lead_partner=partner)
    return process


# --- The public list -----------------------------------------------------------------


def test_process_list_public_filters_and_hides_drafts(client, town, area_a, area_b, people):
    # One active process per area: the draft and the finished plan are set aside
    # before 甲区规划 and 乙区规划 start.
    draft = start(town, area_a, people["secretariat"], title="草稿规划")
    PlanningProcess.objects.filter(pk=draft.pk).update(status=ProcessStatus.DRAFT)
    done = start(town, area_b, people["secretariat"], title="已完成规划")
    PlanningProcess.objects.filter(pk=done.pk).update(status=ProcessStatus.COMPLETED)
    a = start(town, area_a, people["secretariat"], title="甲区规划")
    b = start(town, area_b, people["secretariat"], title="乙区规划")
    PlanningProcess.objects.filter(pk=b.pk).update(current_order=3)
    url = reverse("planning:process_list", args=[town.slug])
    page = client.get(url).content.decode()
    assert "甲区规划" in page and "乙区规划" in page and "草稿规划" not in page
    assert "社区调研" in page  # the current step's title
    page = client.get(url, {"area": area_b.pk}).content.decode()
    assert "乙区规划" in page and "甲区规划" not in page
    page = client.get(url, {"step": 3}).content.decode()
    assert "乙区规划" in page and "甲区规划" not in page
    page = client.get(url, {"status": "completed"}).content.decode()
    # A finished plan stays public: residents look back at what was decided.
    assert done.get_absolute_url() in page and "已完成规划" in page
    assert a.get_absolute_url() not in page and "甲区规划" not in page
    partial = client.get(url, HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and "甲区规划" in partial.content.decode()
    assert "HX-Request" in partial["Vary"]
    assert client.get(url, {"status": "nonsense"}).status_code == 400


def test_process_list_queries_constant(client, town, people):
    from gongzhi.tests.factories import AreaFactory

    def make_rows(n):
        return [start(town, AreaFactory(town=town), people["secretariat"]) for _i in range(n)]

    assert_constant_queries(client, reverse("planning:process_list", args=[town.slug]), make_rows)


def test_navigation_links_the_planning_pillar(client, town):
    page = client.get(reverse("places:town", args=[town.slug])).content.decode()
    assert reverse("planning:process_list", args=[town.slug]) in page


# --- The plan page -------------------------------------------------------------------


def test_plan_page_public_and_deidentified(client, town, area_a, people, plan):
    secretary = people["secretariat"]
    survey = make_survey(town, area_a, secretary, responses=3)
    run = open_run_of(plan)
    SurveyLink.objects.create(run=run, survey=survey)
    services.return_to_step  # noqa: B018 - the page is read before any transition
    grow_evidence(plan, people["area_staff"], 1)
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert plan.title in page
    assert "王**" in page and "王合伙人" not in page  # the lead partner, masked
    assert "希望增加照明" in page  # the public summary of an interview
    assert NOTES not in page  # never the team's notes
    for name in ("陈社工", "赵秘书", people["area_staff"].phone):
        assert name not in page  # neither interviewers nor actors by name
    assert "3 " in page or "3条" in page or "3 份" in page
    assert survey.get_absolute_url() in page  # "what you can do now": answer the survey
    assert "联席会要求补充" in page  # a run sent back, with its reason
    assert "person-times" in page or "人次" in page


def test_plan_page_evidence_of_later_steps(client, town, area_a, people):
    from gongzhi.meetings.models import MeetingKind, Party, PartyPresence
    from gongzhi.meetings.tests.builders import make_meeting
    from gongzhi.planning.models import MeetingLink, Objection

    secretary = people["secretariat"]
    template = short_template(StepKind.JOINT_MEETING, StepKind.CONSULTATION, StepKind.PUBLIC_NOTICE)
    process = start(town, area_a, secretary, template=template)
    run = open_run_of(process)
    meeting = make_meeting(
        town=town, area=area_a, actor=secretary, kind=MeetingKind.JOINT, title="联席会议一"
    )
    PartyPresence.objects.create(meeting=meeting, party=Party.RESIDENTS_COMMITTEE, present=True)
    PartyPresence.objects.create(
        meeting=meeting, party=Party.PROPERTY_COMPANY, present=False, note="请假"
    )
    MeetingLink.objects.create(
        run=run, meeting=meeting, decision="return", return_to=1, reasons="方案不够细"
    )
    now = timezone.now()
    draft = add_draft(process, run, secretary, 1)
    runs = []
    for order in (2, 3):
        runs.append(
            StepRun.objects.create(
                process=process,
                step=template.steps.get(order=order),
                opened_at=now,
                due_on=timezone.localdate(),
                closed_at=now,
                outcome=RunOutcome.COMPLETED,
            )
        )
    consultation = Consultation.objects.create(
        run=runs[0], draft=draft, opens_at=now - timedelta(days=8), closes_at=now
    )
    ConsultationComment.objects.create(
        consultation=consultation, user=people["resident"], body="李居民的意见", reply="已采纳"
    )
    notice = PublicNotice.objects.create(
        run=runs[1],
        draft=draft,
        text="公示",
        starts_on=timezone.localdate(),
        period_days=7,
        ends_on=timezone.localdate() + timedelta(days=7),
    )
    Objection.objects.create(notice=notice, user=people["resident"], body="反对理由")
    page = client.get(process.get_absolute_url()).content.decode()
    assert (
        "联席会议一" in page and reverse("meetings:meeting", args=[town.slug, meeting.pk]) in page
    )
    assert "方案不够细" in page
    assert "李居民" not in page and "李居民的意见" not in page and "反对理由" not in page


def test_plan_page_queries_constant_as_evidence_grows(client, town, area_a, people, plan):
    url = plan.get_absolute_url()
    resident = client
    assert_constant_queries(
        resident, url, lambda n: grow_evidence(plan, people["area_staff"], n), small=1, large=4
    )


def test_draft_process_is_not_public(client, client_for, town, area_a, people, plan):
    PlanningProcess.objects.filter(pk=plan.pk).update(status=ProcessStatus.DRAFT)
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert client_for("resident").get(plan.get_absolute_url()).status_code == 404
    assert client_for("secretariat").get(plan.get_absolute_url()).status_code == 200


def test_contributor_sees_missing_evidence_and_staff_actions(client_for, plan):
    page = client_for("partner").get(plan.get_absolute_url()).content.decode()
    assert "Link the questionnaire" in page or "问卷" in page
    assert reverse("planning:advance", args=[plan.town.slug, plan.pk]) not in page
    page = client_for("area_staff").get(plan.get_absolute_url()).content.decode()
    assert reverse("planning:advance", args=[plan.town.slug, plan.pk]) in page
    assert reverse("planning:return", args=[plan.town.slug, plan.pk]) not in page
    page = client_for("resident").get(plan.get_absolute_url()).content.decode()
    assert reverse("planning:advance", args=[plan.town.slug, plan.pk]) not in page
    assert reverse("planning:follow", args=[plan.town.slug, plan.pk]) in page


# --- Transitions ---------------------------------------------------------------------


def test_advance_refused_lists_missing_and_changes_nothing(client_for, plan):
    url = reverse("planning:advance", args=[plan.town.slug, plan.pk])
    runs = plan.runs.count()
    with assert_nothing_written():
        response = client_for("area_staff").post(url)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Link the questionnaire of the community survey." in page or "问卷" in page
    plan.refresh_from_db()
    assert plan.current_order == 1 and plan.runs.count() == runs


def test_advance_permissions(client_for, town, area_b, people, plan):
    url = reverse("planning:advance", args=[plan.town.slug, plan.pk])
    with assert_nothing_written():
        assert client_for("resident").post(url).status_code == 403
    with assert_nothing_written():
        assert client_for("partner").post(url).status_code == 403
    assert client_for("anonymous").post(url).status_code == 302
    other = start(town, area_b, people["secretariat"])
    other_url = reverse("planning:advance", args=[town.slug, other.pk])
    with assert_nothing_written():
        assert client_for("area_staff").post(other_url).status_code == 403
    with assert_nothing_written():
        assert client_for("other_secretariat").post(url).status_code == 403
    assert client_for("area_staff").get(url).status_code == 405


def test_advance_with_evidence_moves_on(client_for, town, area_a, people):
    template = short_template(StepKind.INTERVIEWS, StepKind.OPTIMISATION)
    process = start(town, area_a, people["secretariat"], template=template)
    add_interview(open_run_of(process), people["area_staff"])
    response = client_for("area_staff").post(
        reverse("planning:advance", args=[town.slug, process.pk])
    )
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.current_order == 2
    page = client_for("anonymous").get(process.get_absolute_url()).content.decode()
    assert "陈社工" not in page and "赵秘书" not in page


def test_return_by_secretariat(client_for, town, area_a, people):
    template = short_template(StepKind.INTERVIEWS, StepKind.OPTIMISATION, StepKind.REVISION)
    process = start(town, area_a, people["secretariat"], template=template)
    add_interview(open_run_of(process), people["area_staff"])
    services.advance_step(process=process, actor=people["secretariat"])
    url = reverse("planning:return", args=[town.slug, process.pk])
    data = {"return-to_order": 1, "return-reason": "访谈不足，需补充老年人意见"}
    with assert_nothing_written():
        assert client_for("area_staff").post(url, data).status_code == 403
    with assert_nothing_written():
        assert client_for("secretariat").post(url, {"return-to_order": 1}).status_code == 400
    assert client_for("secretariat").post(url, {**data, "return-to_order": 3}).status_code in (
        400,
        409,
    )
    process.refresh_from_db()
    assert process.current_order == 2
    response = client_for("secretariat").post(url, data)
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.current_order == 1
    assert open_run_of(process).revision == 2
    assert process.runs.filter(step__order=1).count() == 2  # nothing deleted
    page = client_for("anonymous").get(process.get_absolute_url()).content.decode()
    assert "访谈不足，需补充老年人意见" in page


def test_abandon_with_reason(client_for, plan):
    url = reverse("planning:abandon", args=[plan.town.slug, plan.pk])
    with assert_nothing_written():
        assert client_for("area_staff").post(url, {"abandon-reason": "x"}).status_code == 403
    with assert_nothing_written():
        assert client_for("secretariat").post(url, {"abandon-reason": ""}).status_code == 400
    plan.refresh_from_db()
    assert plan.status == ProcessStatus.ACTIVE
    response = client_for("secretariat").post(url, {"abandon-reason": "小区拆迁"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == ProcessStatus.ABANDONED and plan.abandoned_reason == "小区拆迁"
    # An abandoned process cannot be advanced: a clear 409.
    with assert_nothing_written():
        again = client_for("secretariat").post(
            reverse("planning:advance", args=[plan.town.slug, plan.pk])
        )
    assert again.status_code == 409
    page = client_for("anonymous").get(plan.get_absolute_url()).content.decode()
    assert "小区拆迁" in page


def test_follow(client_for, people, plan):
    url = reverse("planning:follow", args=[plan.town.slug, plan.pk])
    assert client_for("anonymous").post(url).status_code == 302
    assert not Follower.objects.exists()
    assert client_for("resident").post(url).status_code == 302
    assert client_for("resident").post(url).status_code == 302
    assert Follower.objects.filter(process=plan, user=people["resident"]).count() == 1


# --- Proposals into plans ------------------------------------------------------------


def test_take_in_adopted_proposal(client_for, town, area_a, area_b, people, plan):
    from gongzhi.proposals.models import Proposal

    proposal = make_proposal(
        town=town, author=people["resident"], area=area_a, title="楼道照明改造"
    )
    other = make_proposal(
        town=town, author=people["resident"], area=area_b, title="乙区提案", description="乙区"
    )
    url = reverse("planning:take_in", args=[town.slug, plan.pk])
    # Not adopted yet: refused with a clear message.
    with assert_nothing_written():
        response = client_for("area_staff").post(url, {"take_in-proposal": proposal.pk})
    assert response.status_code == 409
    Proposal.objects.filter(pk__in=[proposal.pk, other.pk]).update(status="adopted")
    page = client_for("area_staff").get(plan.get_absolute_url()).content.decode()
    assert "楼道照明改造" in page and "乙区提案" not in page
    with assert_nothing_written():
        assert (
            client_for("resident").post(url, {"take_in-proposal": proposal.pk}).status_code == 403
        )
    with assert_nothing_written():
        assert client_for("area_staff").post(url, {"take_in-proposal": other.pk}).status_code == 409
    response = client_for("area_staff").post(url, {"take_in-proposal": proposal.pk})
    assert response.status_code == 302
    assert plan.proposals.filter(pk=proposal.pk).exists()
    assert Follower.objects.filter(process=plan, user=people["resident"]).exists()
    # Both ways: the proposal's page and the area's page show the plan.
    anonymous = client_for("anonymous")
    assert plan.title in anonymous.get(proposal.get_absolute_url()).content.decode()
    area_page = anonymous.get(reverse("places:area", args=[town.slug, area_a.pk]))
    assert plan.title in area_page.content.decode()
    assert proposal.get_absolute_url() in anonymous.get(plan.get_absolute_url()).content.decode()


# --- Starting one process ------------------------------------------------------------


def test_start_one_process(client_for, town, area_a, area_b, people):
    from gongzhi.organisations.services import create_team, set_up_organisation

    set_up_organisation(town=town, actor=people["secretariat"])
    partner = PartnerFactory(area=area_a, name="规划师甲", modes=["planning"])
    team = create_team(
        town=town,
        actor=people["secretariat"],
        name="甲队",
        basis="leader",
        leader=partner,
        areas=[area_a],
    )
    site = SiteFactory(area=area_a, town=town, name="中心花园")
    other_site = SiteFactory(area=area_b, town=town, name="乙区花园")
    url = reverse("planning:start", args=[town.slug])
    assert client_for("area_staff").get(url).status_code == 403
    assert client_for("resident").get(url).status_code == 403
    page = client_for("secretariat").get(url, {"area": area_a.pk})
    assert page.status_code == 200 and "中心花园" in page.content.decode()
    data = {
        "area": area_a.pk,
        "title": "逸景佳苑花园更新",
        "team": team.pk,
        "lead_partner": partner.pk,
        "sites": [other_site.pk],
    }
    bad = client_for("secretariat").post(url + f"?area={area_b.pk}", data)
    assert bad.status_code in (400, 409)
    assert not PlanningProcess.objects.exists()
    response = client_for("secretariat").post(url, {**data, "sites": [site.pk]})
    assert response.status_code == 302
    process = PlanningProcess.objects.get()
    assert process.team == team and process.lead_partner == partner
    assert list(process.sites.all()) == [site]
    assert process.runs.open().count() == 1
    with assert_nothing_written():
        assert client_for("secretariat").post(url, {"title": ""}).status_code == 400


# --- Workflow templates --------------------------------------------------------------


def test_templates_list_copy_and_change(client_for, town, area_a, people):
    default = services.ensure_default_template()
    list_url = reverse("planning:template_list", args=[town.slug])
    assert client_for("secretariat").get(list_url).status_code == 403
    page = client_for("administrator").get(list_url).content.decode()
    assert "社区调研" in page and "方案公示" in page
    copy_url = reverse("planning:template_copy", args=[town.slug, default.pk])
    with assert_nothing_written():
        assert client_for("secretariat").post(copy_url, {"name": ""}).status_code == 403
    response = client_for("administrator").post(copy_url, {"name": "法定规划流程"})
    assert response.status_code == 302
    copy = WorkflowTemplate.objects.get(name="法定规划流程")
    assert copy.steps.count() == 11 and copy.based_on == default
    notice = copy.steps.get(order=11)
    step_url = reverse("planning:template_step", args=[town.slug, copy.pk, notice.pk])
    rules = {
        "title_zh": "方案公示",
        "min_count": 0,
        "min_days": 30,
        "working_days": "on",
        "expected_days": 40,
    }
    with assert_nothing_written():
        assert (
            client_for("administrator").post(step_url, {**rules, "min_days": 0}).status_code == 409
        )
    response = client_for("administrator").post(step_url, rules)
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.min_days == 30 and notice.working_days
    # Once a process uses the copy, its rules are fixed: copy it to change.
    start(town, area_a, people["secretariat"], template=copy)
    page = client_for("administrator").get(step_url)
    assert page.status_code == 200
    assert "copy" in page.content.decode().lower() or "复制" in page.content.decode()
    with assert_nothing_written():
        refused = client_for("administrator").post(step_url, {**rules, "min_days": 45})
    assert refused.status_code == 409
    notice.refresh_from_db()
    assert notice.min_days == 30
    wrong = reverse("planning:template_step", args=[town.slug, default.pk, notice.pk])
    assert client_for("administrator").get(wrong).status_code == 404


def test_user_never_named_in_trail(client_for, town, area_a, people):
    user = UserFactory(display_name="周秘书长")
    from gongzhi.tests.factories import RoleGrantFactory

    RoleGrantFactory(user=user, town=town, role="secretariat")
    process = start(town, area_a, user)
    services.abandon(process=process, actor=user, reason="暂停")
    page = client_for("anonymous").get(process.get_absolute_url()).content.decode()
    assert "周秘书长" not in page and "暂停" in page
