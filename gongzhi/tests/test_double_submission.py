"""A form sent twice is stored once (issue 13): every form that creates a record
carries a one-time token (``{% submission_token %}``) that its service claims inside
its transaction (``core.services.claim_submission``).

Each case renders the form's page as the user who fills it in, takes the form's own
fields (its token among them), fills in the rest and sends the same POST twice at the
same instant from two threads, each with its own connection. One record is made;
both answers lead to the same page, so the browser, which shows the answer to the
second click, shows what the first did.
"""

import re
import time
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from gongzhi.contests.models import Contest, EntryFile
from gongzhi.core.testing import all_at_once
from gongzhi.events.models import (
    Activity,
    ActivityPhoto,
    Attendance,
    HarvestTheme,
    HoursClaim,
    MarketStall,
    Registration,
    TableNote,
    WalkInCount,
    WorldCafe,
)
from gongzhi.meetings.models import ActionItem, AgendaItem, Attendee, Meeting, Motion, Speech
from gongzhi.planning.models import (
    BatchLaunch,
    ConsultationComment,
    DesignDraft,
    DotVote,
    DraftComment,
    Follower,
    Interview,
    Need,
    Objection,
    PlanningProcess,
    StepPhoto,
    WorkflowTemplate,
)
from gongzhi.proposals.models import Comment, Proposal, Support
from gongzhi.proposals.tests.builders import adopted_proposal
from gongzhi.renewal.models import BudgetApproval, Milestone, Project, ProjectPhoto, Spending
from gongzhi.surveys.models import Question, Survey

from .post_actions import cafe_setup_data

# --- Reading a rendered form ---------------------------------------------------------


class _Forms(HTMLParser):
    """Each <form> of a page: its opening tag and the values a browser would send
    without the user touching it (hidden and filled inputs, checked boxes, the
    selected or first option, textareas)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []  # (opening tag text, {name: [values]})
        self._current = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._current = (self.get_starttag_text(), {})
            self.forms.append(self._current)
            return
        if self._current is None:
            return
        values = self._current[1]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            values.setdefault(name, []).append(a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = {"name": name, "first": None, "chosen": []}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"].append(value)
        elif tag == "textarea" and name:
            self._textarea = name
            values[name] = [""]

    def handle_data(self, data):
        if self._textarea and self._current is not None:
            self._current[1][self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select" and self._select is not None and self._current is not None:
            chosen = self._select["chosen"] or [self._select["first"] or ""]
            self._current[1][self._select["name"]] = chosen
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_fields(html: str, locator: str) -> tuple[str, dict]:
    """The action (empty: the page itself) and fields of the one form whose HTML
    mentions ``locator``."""
    found = [chunk for chunk in re.findall(r"<form\b.*?</form>", html, re.S) if locator in chunk]
    assert len(found) == 1, f"{len(found)} forms mention {locator!r}"
    parser = _Forms()
    parser.feed(found[0])
    tag, values = parser.forms[0]
    action = re.search(r'action="([^"]*)"', tag)
    return action.group(1) if action else "", {
        k: v if len(v) > 1 else v[0] for k, v in values.items()
    }


def jpeg(name="photo.jpg"):
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 6), (40, 140, 60)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf(name="draft.pdf"):
    body = b"%PDF-1.4\n1 0 obj <<>> endobj\n% draft\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- The creating forms --------------------------------------------------------------


@dataclass
class Form:
    """A creating form: who fills it in, the page it is on and how to find it there,
    what they type (``data``; ``files`` made fresh for each sending) and the rows it
    makes (``count``: a number read from the database, +``adds`` once)."""

    role: str
    page: object  # world -> URL of the page with the form
    locator: str | object  # text in the form's tag or fields (or world -> text)
    count: object  # world -> number
    data: object = field(default=lambda w: {})
    files: object = field(default=lambda w: {})
    adds: int = 1
    # Kept to one row by a unique constraint, not by a token: the second sending is
    # refused (a message, not a 500) rather than led to the first one's page.
    by_constraint: bool = False


def rows(model, **lookup):
    return lambda w: model.objects.filter(
        **{k: v(w) if callable(v) else v for k, v in lookup.items()}
    ).count()


def _url(name, *keys):
    return lambda w: reverse(name, args=[w[k] for k in keys])


def _action(name, *keys):
    """Finds the form that posts to this URL."""
    return lambda w: f'action="{reverse(name, args=[w[k] for k in keys])}"'


def forms() -> dict[str, Form]:
    now = timezone.now()
    today = timezone.localdate().isoformat()
    return {
        # Events
        "events:create_activity": Form(
            "secretariat",
            _url("events:create_activity", "town_slug"),
            'name="venue"',
            rows(Activity, title="双击讲座"),
            lambda w: {
                "title": "双击讲座",
                "kind": "workshop",
                "area": w["area_a"],
                "venue": "活动室",
                "starts_at": local(now + timedelta(days=3)),
                "ends_at": local(now + timedelta(days=3, hours=2)),
            },
        ),
        "events:add_photo": Form(
            "area_staff",
            _url("events:add_photo", "town_slug", "activity_a"),
            'name="photographer"',
            rows(ActivityPhoto),
            lambda w: {
                "content": "合影",
                "taken_at": local(now - timedelta(hours=1)),
                "place": "活动室",
                "photographer": "王摄影",
            },
            lambda w: {"image": jpeg()},
        ),
        "events:roster (walk-ins)": Form(
            "area_staff",
            _url("events:roster", "town_slug", "activity_a"),
            _action("events:roster_walk_ins", "town_slug", "activity_a"),
            # Person-times: the head count is counted once.
            lambda w: WalkInCount.objects.aggregate(n=Sum("count"))["n"] or 0,
            lambda w: {"count": "37", "note": "门口计数"},
            adds=37,
        ),
        "events:cafe_note": Form(
            "area_staff",
            _url("events:cafe", "town_slug", "set_cafe_a"),
            _action("events:cafe_note", "town_slug", "set_cafe_a"),
            rows(TableNote),
            lambda w: {
                "note-table": w["set_cafe_a_table"],
                "note-round": w["set_cafe_a_round"],
                "note-text": "桌长记录：增加座椅。",
            },
        ),
        "events:cafe_theme": Form(
            "area_staff",
            _url("events:cafe", "town_slug", "set_cafe_a"),
            _action("events:cafe_theme", "town_slug", "set_cafe_a"),
            rows(HarvestTheme),
            lambda w: {"theme-title": "休息座椅", "theme-summary": "多桌提到。"},
        ),
        "events:cafe_setup": Form(
            "area_staff",
            _url("events:cafe", "town_slug", "cafe_a"),
            _action("events:cafe_setup", "town_slug", "cafe_a"),
            rows(WorldCafe, activity_id=lambda w: w["cafe_a"]),
            cafe_setup_data,
        ),
        "events:market_stall": Form(
            "area_staff",
            _url("events:market", "town_slug", "market_a"),
            _action("events:market_stall", "town_slug", "market_a"),
            rows(MarketStall),
            lambda w: {
                "stall-partner": w["partner"],
                "stall-offer": "修伞",
                "stall-offer_kind": "service",
            },
        ),
        # Meetings
        "meetings:create_meeting": Form(
            "secretariat",
            _url("meetings:create_meeting", "town_slug"),
            'name="venue"',
            rows(Meeting, title="双击会议"),
            lambda w: {
                "kind": "self_governance",
                "title": "双击会议",
                "area": w["area_a"],
                "venue": "议事厅",
                "starts_at": local(now + timedelta(days=2)),
                "ends_at": local(now + timedelta(days=2, hours=2)),
            },
        ),
        "meetings:manage (agenda)": Form(
            "area_staff",
            _url("meetings:manage", "town_slug", "meeting_a"),
            _action("meetings:add_agenda_item", "town_slug", "meeting_a"),
            rows(AgendaItem),
            lambda w: {"title": "停车管理"},
        ),
        "meetings:manage (invite)": Form(
            "area_staff",
            _url("meetings:manage", "town_slug", "meeting_a"),
            _action("meetings:invite", "town_slug", "meeting_a"),
            rows(Attendee, name="赵受邀"),
            lambda w: {"name": "赵受邀"},
        ),
        "meetings:manage (walk-in sign-in)": Form(
            "area_staff",
            _url("meetings:manage", "town_slug", "meeting_a"),
            _action("meetings:walk_in", "town_slug", "meeting_a"),
            rows(Attendee, name="钱临时", present=True),
            lambda w: {"name": "钱临时"},
        ),
        "meetings:manage (motion)": Form(
            "area_staff",
            _url("meetings:manage", "town_slug", "meeting_a"),
            _action("meetings:move_motion", "town_slug", "meeting_a"),
            rows(Motion),
            lambda w: {"text": "增设晾衣架"},
        ),
        "meetings:manage (action item)": Form(
            "area_staff",
            _url("meetings:manage", "town_slug", "meeting_a"),
            _action("meetings:add_action_item", "town_slug", "meeting_a"),
            rows(ActionItem),
            lambda w: {"title": "联系物业", "owner_name": "物业", "due_on": today},
        ),
        "meetings:motion (speech)": Form(
            "area_staff",
            _url("meetings:motion", "town_slug", "meeting_a", "motion_a"),
            _action("meetings:record_speech", "town_slug", "meeting_a", "motion_a"),
            rows(Speech),
            lambda w: {"stance": "for", "seconds": "60"},
        ),
        # Proposals
        "proposals:submit": Form(
            "resident",
            _url("proposals:submit", "town_slug"),
            'name="description"',
            rows(Proposal, title="双击提案"),
            lambda w: {
                "title": "双击提案",
                "description": "楼道需要扶手。",
                "area": w["area_a"],
                "category": "facilities",
            },
        ),
        "proposals:comment": Form(
            "resident",
            _url("proposals:proposal", "town_slug", "proposal_a"),
            'id="comment-form"',
            rows(Comment),
            lambda w: {"body": "我也赞成。"},
        ),
        # Renewal
        "renewal:add_milestone": Form(
            "area_staff",
            _url("renewal:manage", "town_slug", "project_a"),
            _action("renewal:add_milestone", "town_slug", "project_a"),
            rows(Milestone),
            lambda w: {
                "milestone-title": "材料进场",
                "milestone-planned_start": today,
                "milestone-planned_end": today,
            },
        ),
        "renewal:add_photo": Form(
            "area_staff",
            _url("renewal:manage", "town_slug", "project_a"),
            _action("renewal:add_photo", "town_slug", "project_a"),
            rows(ProjectPhoto),
            lambda w: {
                "photo-phase": "before",
                "photo-content": "施工前",
                "photo-taken_at": local(now - timedelta(hours=1)),
                "photo-place": "花园",
                "photo-photographer": "王摄影",
            },
            lambda w: {"photo-image": jpeg()},
        ),
        "renewal:add_spending": Form(
            "area_staff",
            _url("renewal:manage", "town_slug", "project_a"),
            _action("renewal:add_spending", "town_slug", "project_a"),
            rows(Spending),
            lambda w: {
                "spending-amount": "100",
                "spending-spent_on": today,
                "spending-item": "材料",
            },
        ),
        "renewal:approve_budget": Form(
            "secretariat",
            _url("renewal:manage", "town_slug", "project_a"),
            _action("renewal:approve_budget", "town_slug", "project_a"),
            rows(BudgetApproval),
            lambda w: {
                "approval-amount": "500",
                "approval-reason": "增加照明",
                "approval-authority": "镇财政",
                "approval-approved_on": today,
            },
        ),
        "renewal:create_project": Form(
            "secretariat",
            _url("renewal:create_project", "town_slug"),
            'name="origin"',
            rows(Project, title="双击项目"),
            lambda w: {
                "origin": f"proposal:{w['adopted_a']}",
                "site": w["site_a"],
                "responsible_unit": w["team_a"],
                "kind": "garden",
                "title": "双击项目",
                "description": "座椅",
                "budget": "5000",
                "funding_source": "town_budget",
                "planned_start": today,
                "planned_end": today,
            },
        ),
        "meetings:adopt_proposal": Form(
            "secretariat",
            lambda w: reverse(
                "meetings:adopt_proposal", args=[w["town_slug"], w["meetings_proposal_a"]]
            ),
            'name="meeting"',
            rows(AgendaItem, proposal_id=lambda w: w["meetings_proposal_a"]),
            lambda w: {"meeting": w["meeting_a"], "title": "加装座椅"},
        ),
        # Planning
        "planning:template_copy": Form(
            "administrator",
            _url("planning:template_list", "town_slug"),
            _action("planning:template_copy", "town_slug", "plan_template"),
            rows(WorkflowTemplate),
        ),
        "planning:step (need)": Form(
            "secretariat",
            _url("planning:step", "town_slug", "step1_plan"),
            'id="form-need"',
            rows(Need),
            lambda w: {"need-text": "缺少休息座椅"},
        ),
        "planning:step (site photo)": Form(
            "secretariat",
            _url("planning:step", "town_slug", "step1_plan"),
            'id="form-photo"',
            rows(StepPhoto),
            lambda w: {"photo-caption": "花园现状"},
            lambda w: {"photo-image": jpeg()},
        ),
        "planning:notice (objection)": Form(
            "resident",
            _url("planning:notice", "town_slug", "evidence_plan_a"),
            _action("planning:notice_object", "town_slug", "evidence_plan_a"),
            rows(Objection),
            lambda w: {"objection-body": "廊架离窗户太近。"},
        ),
        "planning:draft (comment)": Form(
            "resident",
            _url("planning:draft", "town_slug", "design_plan", "design_draft"),
            _action("planning:draft_comment", "town_slug", "design_plan", "design_draft"),
            rows(DraftComment),
            lambda w: {"comment-body": "希望多种树。"},
        ),
        "planning:step (interview)": Form(
            "secretariat",
            _url("planning:step", "town_slug", "interview_plan"),
            'id="form-interview"',
            rows(Interview),
            lambda w: {
                "interview-category": "older_resident",
                "interview-held_on": today,
                "interview-notes": "希望有座椅。",
                "interview-summary": "老人希望有座椅。",
                "interview-consent": "on",
            },
        ),
        "planning:step (design draft)": Form(
            "secretariat",
            _url("planning:step", "town_slug", "drafting_plan"),
            'id="form-draft"',
            rows(DesignDraft),
            lambda w: {"draft-title": "方案二", "draft-description": "增加遮阳。"},
            lambda w: {"draft-file": pdf()},
        ),
        "planning:consultation (comment)": Form(
            "resident",
            _url("planning:consultation", "town_slug", "consulting_plan"),
            _action("planning:consultation_comment", "town_slug", "consulting_plan"),
            rows(ConsultationComment),
            lambda w: {"comment-body": "支持这个方案。"},
        ),
        "planning:batch": Form(
            "secretariat",
            _url("planning:batch", "town_slug"),
            'name="title"',
            rows(BatchLaunch),
            lambda w: {"title": "第二批", "areas": w["batch_area"]},
        ),
        # Contests
        "contests:create_contest": Form(
            "secretariat",
            _url("contests:create_contest", "town_slug"),
            'name="title"',
            rows(Contest, title="双击设计赛"),
            lambda w: {
                "title": "双击设计赛",
                "description": "口袋花园设计。",
                "submission_opens": (timezone.localdate() + timedelta(days=1)).isoformat(),
                "submission_closes": (timezone.localdate() + timedelta(days=30)).isoformat(),
                "early_review_on": (timezone.localdate() + timedelta(days=31)).isoformat(),
                "midterm_review_on": (timezone.localdate() + timedelta(days=45)).isoformat(),
                "final_review_on": (timezone.localdate() + timedelta(days=60)).isoformat(),
                "public_vote_closes": local(now + timedelta(days=59)),
                "sites": w["site_a"],
                "jury_weight": "70",
                "public_weight": "30",
            },
        ),
        "contests:entry (drafts)": Form(
            "resident",
            _url("contests:entry", "town_slug", "contest", "contest_entry"),
            'name="files"',
            rows(EntryFile),
            files=lambda w: {"files": pdf()},
        ),
        # Kept to one by a unique constraint (no token needed)
        "events:register (sign-up)": Form(
            "partner",
            _url("events:activity", "town_slug", "activity_a"),
            _action("events:register", "town_slug", "activity_a"),
            rows(Registration, activity_id=lambda w: w["activity_a"]),
            by_constraint=True,
        ),
        "events:claim_hours": Form(
            "resident",
            _url("events:activity", "town_slug", "registered_a"),
            _action("events:claim_hours", "town_slug", "registered_a"),
            rows(HoursClaim, activity_id=lambda w: w["registered_a"]),
            lambda w: {"minutes": "30", "reason": "布置场地"},
            by_constraint=True,
        ),
        # Two organisers at once (no shared token): the second is told it is set up.
        "events:cafe_setup (two organisers)": Form(
            "secretariat",
            _url("events:cafe", "town_slug", "cafe_two"),
            _action("events:cafe_setup", "town_slug", "cafe_two"),
            rows(WorldCafe, activity_id=lambda w: w["cafe_two"]),
            cafe_setup_data,
            by_constraint=True,
        ),
        "events:checkin (at the door, no account)": Form(
            "anonymous",
            _url("events:checkin", "town_slug", "happening", "happening_code"),
            'name="phone"',
            rows(Attendance, activity_id=lambda w: w["happening"]),
            lambda w: {"name": "孙来宾", "phone": "13912345678", "consent": "on"},
            by_constraint=True,
        ),
        "proposals:support": Form(
            "partner",
            _url("proposals:proposal", "town_slug", "proposal_a"),
            _action("proposals:support", "town_slug", "proposal_a"),
            rows(Support, proposal_id=lambda w: w["proposal_a"]),
            by_constraint=True,
        ),
        "planning:follow": Form(
            "partner",
            _url("planning:process", "town_slug", "evidence_plan_a"),
            _action("planning:follow", "town_slug", "evidence_plan_a"),
            rows(Follower, process_id=lambda w: w["evidence_plan_a"]),
            by_constraint=True,
        ),
        "planning:draft (dot vote)": Form(
            "partner",
            _url("planning:draft", "town_slug", "design_plan", "design_draft"),
            _action("planning:draft_vote", "town_slug", "design_plan", "design_draft"),
            rows(DotVote),
            by_constraint=True,
        ),
        "planning:start": Form(
            "secretariat",
            _url("planning:start", "town_slug"),
            'name="title"',
            rows(PlanningProcess, area_id=lambda w: w["start_area"]),
            lambda w: {"area": w["start_area"], "title": "新的规划"},
            by_constraint=True,
        ),
        # Surveys
        "surveys:create_survey": Form(
            "secretariat",
            _url("surveys:create_survey", "town_slug"),
            'name="title"',
            rows(Survey, title="双击问卷"),
            lambda w: {"title": "双击问卷", "area": w["area_a"]},
        ),
        "surveys:manage (question)": Form(
            "secretariat",
            _url("surveys:manage", "town_slug", "draft_survey"),
            _action("surveys:add_question", "town_slug", "draft_survey"),
            rows(Question),
            lambda w: {"kind": "text", "text": "您的建议？"},
        ),
    }


# --- The world -----------------------------------------------------------------------


def build(people, town, other_town, area_a, area_b) -> dict:
    """The permission matrix's world, plus plans at the steps the evidence forms
    need and a draft survey."""
    from gongzhi.events.services import checkin_token
    from gongzhi.planning import evidence_services
    from gongzhi.planning import services as planning
    from gongzhi.planning.tests.builders import jump_to
    from gongzhi.surveys.services import create_survey
    from gongzhi.tests.factories import ActivityFactory, AreaFactory, SiteFactory
    from gongzhi.tests.test_permission_matrix import build_world

    w = build_world(town=town, other_town=other_town, area_a=area_a, area_b=area_b, people=people)
    secretary = people["secretariat"]
    # Area B's evidence plan is at step 1 (site photos, needs); it is area staff's
    # only in area A, so area A gets a new area for the plans below.
    step1 = planning.start_process(
        town=town, area=AreaFactory(town=town), actor=secretary, title="调研中"
    )
    design = planning.start_process(
        town=town, area=AreaFactory(town=town), actor=secretary, title="共同设计中"
    )
    jump_to(design, 3)
    design_draft = evidence_services.upload_draft(
        process=design, actor=secretary, file=pdf(), title="方案一", description="说明"
    )
    jump_to(design, 4)
    interviewing = planning.start_process(
        town=town, area=AreaFactory(town=town), actor=secretary, title="访谈中"
    )
    jump_to(interviewing, 2)
    drafting = planning.start_process(
        town=town, area=AreaFactory(town=town), actor=secretary, title="多方案设计中"
    )
    jump_to(drafting, 3)
    consulting = planning.start_process(
        town=town, area=AreaFactory(town=town), actor=secretary, title="征求意见中"
    )
    jump_to(consulting, 3)
    consulted = evidence_services.upload_draft(
        process=consulting, actor=secretary, file=pdf(), title="方案一", description="说明"
    )
    step = consulting.template.steps.get(kind="consultation")
    jump_to(consulting, step.order)
    evidence_services.open_consultation(
        process=consulting,
        actor=secretary,
        draft=consulted,
        opens_at=timezone.now() - timedelta(minutes=1),
        closes_at=timezone.now() + timedelta(days=step.min_days + 1),
    )
    survey = create_survey(town=town, area=area_a, actor=secretary, title="草稿问卷")
    adopted = adopted_proposal(town=town, author=people["resident"], area=area_a, title="楼道扶手")
    happening = ActivityFactory(
        area=area_a,
        starts_at=timezone.now() - timedelta(minutes=10),
        ends_at=timezone.now() + timedelta(hours=1),
    )
    return {
        **w,
        "interview_plan": interviewing.pk,
        "drafting_plan": drafting.pk,
        "consulting_plan": consulting.pk,
        "batch_area": AreaFactory(town=town, name="批次二").pk,
        "start_area": AreaFactory(town=town, name="新启动").pk,
        "adopted_a": adopted.pk,
        "cafe_two": ActivityFactory(area=area_a, kind="world_cafe").pk,
        "happening": happening.pk,
        "happening_code": checkin_token(happening),
        "site_a": SiteFactory(town=town, area=area_a).pk,
        "step1_plan": step1.pk,
        "design_plan": design.pk,
        "design_draft": design_draft.pk,
        "draft_survey": survey.pk,
    }


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _signed_in(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _send_twice_at_once(spec: Form, w: dict, people: dict) -> list[str]:
    """Send the form twice at the same instant; the problems found, if any."""
    user = people.get(spec.role)
    page = _signed_in(user).get(spec.page(w))
    if page.status_code != 200:
        return [f"its page answered {page.status_code}"]
    locator = spec.locator(w) if callable(spec.locator) else spec.locator
    action, fields = form_fields(page.content.decode(), locator)
    if "submission_token" not in fields and not spec.by_constraint:
        return ["the form has no one-time token"]
    data = {**fields, **{k: str(v) for k, v in spec.data(w).items()}}
    if spec.by_constraint:
        data.pop("submission_token", None)
    post_url = action or spec.page(w)
    before = spec.count(w)
    clients = [_signed_in(user), _signed_in(user)]
    answers = {}

    def send(index):
        answers[index] = clients[index].post(post_url, {**data, **spec.files(w)})

    all_at_once(send, [0, 1])
    problems = []
    statuses = sorted(a.status_code for a in answers.values())
    if spec.by_constraint:
        if statuses[1] >= 500:
            problems.append(f"answered {statuses}")
    elif statuses != [302, 302]:
        refused = [a for a in answers.values() if a.status_code != 302]
        problems.append(f"answered {statuses}: {_errors(refused[0])}")
    elif answers[0]["Location"] != answers[1]["Location"]:
        problems.append(f"led to {answers[0]['Location']} and {answers[1]['Location']}")
    made = spec.count(w) - before
    if made != spec.adds:
        problems.append(f"added {made} (expected {spec.adds})")
    return problems


def _errors(response) -> str:
    """The error messages of a page, to say why a sending was refused."""
    text = response.content.decode()
    found = re.findall(r'class="[^"]*(?:error|errorlist|message)[^"]*"[^>]*>(.*?)</', text, re.S)
    return " | ".join(re.sub(r"<[^>]+>", "", f).strip() for f in found)[:300]


@pytest.mark.django_db(transaction=True)
def test_every_creating_form_sent_twice_at_once_stores_once(
    people, town, other_town, area_a, area_b
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite serialises every writer, so the two requests never "
            "overlap and the wait on the token's unique index is not exercised"
        )
    started = time.monotonic()
    w = build(people, town, other_town, area_a, area_b)
    built = time.monotonic()
    problems = {}
    with translation.override("en"):
        for name, spec in forms().items():
            try:
                found = _send_twice_at_once(spec, w, people)
            except Exception as error:  # noqa: BLE001 - reported with the others below
                found = [repr(error)[:300]]
            if found:
                problems[name] = found
    print(
        f"\nworld built in {built - started:.1f} s; {len(forms())} forms sent twice "
        f"in {time.monotonic() - built:.1f} s"
    )
    assert not problems, "\n".join(
        f"{name}: {'; '.join(found)}" for name, found in problems.items()
    )


# --- One after the other (both databases) --------------------------------------------


def _roster_form(client, activity):
    page = reverse("events:roster", args=[activity.town.slug, activity.pk])
    url = reverse("events:roster_walk_ins", args=[activity.town.slug, activity.pk])
    action, fields = form_fields(client.get(page).content.decode(), f'action="{url}"')
    return url, fields


def test_the_same_form_sent_again_stores_nothing_and_leads_to_the_same_page(client_for, area_a):
    from django.contrib.messages import INFO, get_messages

    from gongzhi.tests.factories import ActivityFactory

    activity = ActivityFactory(area=area_a)
    staff = client_for("area_staff")
    url, fields = _roster_form(staff, activity)
    data = {**fields, "count": "12"}
    first = staff.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    again = staff.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    assert activity.walk_ins.aggregate(n=Sum("count"))["n"] == 12
    # The page shows the first sending's "Saved." and, calmly, that this was a repeat.
    told = [(m.level, m.message) for m in get_messages(again.wsgi_request)]
    assert told[-1] == (INFO, "This was already sent; there is no need to send it again.")
    # A new rendering of the form has a new token, so the next count is stored.
    url, fields = _roster_form(staff, activity)
    assert staff.post(url, {**fields, "count": "3"}).status_code == 302
    assert activity.walk_ins.aggregate(n=Sum("count"))["n"] == 15


def test_a_refused_sending_does_not_use_up_its_token(people, area_a):
    from gongzhi.core.errors import DomainError
    from gongzhi.events.services import record_walk_ins
    from gongzhi.tests.factories import ActivityFactory

    activity = ActivityFactory(area=area_a)
    token = "0b7f4ad2-3c57-4bd4-9a43-0b2f1c2b9e11"
    with pytest.raises(DomainError):
        record_walk_ins(
            activity=activity, actor=people["area_staff"], count=0, submission_token=token
        )
    # The refusal rolled the claim back with everything else: the corrected form,
    # with the same token, is stored.
    record_walk_ins(activity=activity, actor=people["area_staff"], count=4, submission_token=token)
    assert activity.walk_ins.get().count == 4


def test_a_form_shown_again_with_errors_carries_a_token(client_for, town):
    url = reverse("events:create_activity", args=[town.slug])
    page = client_for("secretariat").post(url, {"title": ""})
    assert page.status_code == 400
    _action, fields = form_fields(page.content.decode(), 'name="venue"')
    assert fields["submission_token"]


def test_an_altered_token_is_refused_with_a_message(client_for, area_a):
    from django.contrib.messages import ERROR, get_messages

    from gongzhi.tests.factories import ActivityFactory

    activity = ActivityFactory(area=area_a)
    staff = client_for("area_staff")
    url, fields = _roster_form(staff, activity)
    sent = staff.post(
        url, {**fields, "count": "5", "submission_token": "x' OR 1=1"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert sent.status_code == 302
    assert [m.level for m in get_messages(sent.wsgi_request)] == [ERROR]
    assert not activity.walk_ins.exists()


def test_an_empty_post_copies_no_template(client_for, town):
    from gongzhi.planning.services import ensure_default_template

    template = ensure_default_template()
    url = reverse("planning:template_copy", args=[town.slug, template.pk])
    assert client_for("administrator").post(url, {}).status_code == 400
    assert WorkflowTemplate.objects.count() == 1


def test_used_tokens_are_forgotten_after_thirty_days(people):
    import uuid

    from gongzhi.core.models import Submission
    from gongzhi.partners.retention import apply_retention

    old, recent = (
        Submission.objects.create(token=uuid.uuid4(), user=people["resident"]) for _ in range(2)
    )
    Submission.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert apply_retention()["used_form_tokens"] == 1
    assert list(Submission.objects.all()) == [recent]
