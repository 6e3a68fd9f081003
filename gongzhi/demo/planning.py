"""Demo planning for 高境镇: participatory planning processes across the demo areas
at different steps, through the real services (start_process, launch_batch,
advance_step, return_to_step, take_in_proposal) after writing each step's evidence.

The history (``seed``), dated in 2023 and 2024:

* 逸景佳苑中心花园微更新: the whole loop, complete; its first joint meeting sent the
  plan back to step 5 (方案调整) with reasons, then it went forward to the end.
  Its participatory design is the demo's 6/24 workshop (events demo).
* 逸致议事厅“一客一厅”改造 (also 逸景佳苑): its public notice in April 2024 drew
  李居民's objection, answered officially (the hall now closes at half past eight)
  before the result was published and the plan completed. Its participatory design
  is the demo's World Café about the deliberation hall.
* A 2023 batch launch in twelve areas, at steps 1 to 4 at the end of 2023, and four
  areas started on their own, at steps 1 to 3 then; all of them went on through 2024
  (evidence, joint meetings of the three parties, consultation, notice) to the end.
  No plan of the history is still open, so none of them is overdue today.

The survey rows are written directly with the surveys models (Survey, Question,
Response, Answer); the other evidence with ``gongzhi.demo.evidence`` and
realistic texts. The demo's activities and 2023 meetings are linked, never added to
(the other demos count them): the joint meetings of steps 6 and 10 are held through
the meetings services from early 2024, after the 2023 workshop and World Café; the
2024 steps' co-design workshops are added here. The services' "now" stamps are
moved to the process's dates afterwards. Needs the places, partners, organisations,
events, proposals and meetings demos first. Idempotent: a town that already has
processes is left alone. Deterministic.

``seed_today`` adds the plans of the present, counted back from the moment it is
given: eleven processes, one open at each of the eleven steps, none of them overdue
but one — 第十九居民区适老化改造, whose multi-draft design (step 3, 30 days
expected) has been open 38 days: the board's one overdue case, on purpose.
逸景佳苑's plan is in public consultation now (opened three days ago, closing in a
week; 李居民 follows it and may comment), 第二居民区's final plan on public notice
now (posted four days ago, last day in two; one objection waiting for its reply).
"""

import random
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongzhi.accounts.models import User
from gongzhi.demo.evidence import PNG, give_evidence
from gongzhi.demo.places import NAMED_AREA, next_monday
from gongzhi.events import services as events
from gongzhi.events.models import Activity, Attendance
from gongzhi.meetings import services as meetings
from gongzhi.meetings.models import Attendee, Meeting, MeetingKind, Minutes, Motion, Party
from gongzhi.organisations.models import OrgUnit
from gongzhi.partners.models import Partner
from gongzhi.planning import evidence_services as ev
from gongzhi.planning import services
from gongzhi.planning.models import (
    ActivityLink,
    BatchLaunch,
    DesignDraft,
    DotVote,
    DraftComment,
    Follower,
    Interview,
    JointDecision,
    MeetingLink,
    PlanningProcess,
    StepKind,
    StepPhoto,
    StepRun,
    SurveyLink,
)
from gongzhi.proposals.models import Proposal, ProposalStatus

YEAR = 2023
BATCH_TITLE = "2023年第二批参与式社区规划"
BATCH_AREAS = 12
RETURN_REASONS = (
    "业委会和物业认为方案占用了12个停车位，居民代表对夜间照明位置意见不一；"
    "请设计团队回到方案调整，补充停车位置换方案并重新征求楼组长意见。"
)
SINGLE_TOPICS = ["楼道微更新", "口袋花园营造", "适老化改造", "门头设计"]
OBJECTION = "议事厅晚上开放到九点太晚，会影响2号楼一楼住户休息，建议改为八点半。"
OBJECTION_REPLY = (
    "感谢您的意见。经与2号楼一楼住户和议事厅管理小组商量，晚上开放时间调整为八点半结束，"
    "已写入公示定稿。"
)
# The three parties' representatives at the joint meetings outside 逸景佳苑.
OWNERS_CHAIRS = ["严美华", "程国庆", "汤秀兰", "冯立新", "曹玉梅", "孔德胜"]
PROPERTY_MANAGERS = ["钱卫东", "邵丽萍", "方志刚", "金海燕", "薛国华", "顾建明"]

TEXTS = {
    "garden": {
        "survey": "逸景佳苑中心花园微更新需求调查",
        "question": "您最希望中心花园增加哪些功能？",
        "options": ["休憩座椅", "儿童游戏区", "健身步道", "晾晒区"],
        "photo": "中心花园现状：座椅破损、地面积水",
        "needs": ["增加带靠背的休憩座椅", "改善雨后积水", "夜间照明", "保留香樟树荫"],
        "notes": [
            "独居老人，每天在花园散步两次，希望座椅有靠背、有扶手。",
            "带两个孩子的家长，希望有安全的游戏区，远离车道。",
            "年轻上班族，晚上回家花园太暗，希望增加照明。",
            "业委会成员，关心维护费用和停车位不能减少。",
            "小区门口小店店主，希望施工期间不影响进出。",
        ],
        "summary": "受访居民希望花园更适合老人和儿童，同时不减少停车位。",
        "titles": ["方案一：环形步道+座椅", "方案二：分区花园+儿童角"],
        "comments": ["座椅要有靠背。", "儿童角离车道远一点。", "保留那棵大香樟。"],
        "change_note": "根据工作坊投票采用方案二为基础，座椅改为带靠背款，儿童角移至花园东侧。",
        "notice": "逸景佳苑中心花园微更新规划方案公示：公示期七天，欢迎居民提出意见。",
        "result": "公示期满，共收到意见1条，已答复；方案定稿，进入实施。",
        "objection": "儿童角离3号楼太近，担心噪音。",
        "objection_reply": "儿童角已向东移动8米，并种植绿篱降噪。",
        "reply": "感谢意见，已在修改稿中采纳。",
    },
    "hall": {
        "survey": "逸致议事厅“一客一厅”使用需求调查",
        "question": "您希望议事厅在什么时间开放？",
        "options": ["白天", "傍晚", "晚上", "周末全天"],
        "photo": "议事厅现状：桌椅陈旧，储物不足",
        "needs": ["分时段开放并公示预约表", "增加储物柜", "适老化桌椅", "线上预约"],
        "notes": [
            "楼组长，希望议事厅晚上可用于议事。",
            "退休教师，愿意在议事厅办书法兴趣班。",
            "年轻妈妈，希望白天有亲子阅读角。",
            "物业管理员，关心钥匙管理和安全。",
            "业主代表，希望费用从公共收益列支。",
        ],
        "summary": "居民希望议事厅分时段开放，兼顾议事、兴趣小组和亲子活动。",
        "titles": ["方案一：可移动桌椅多功能厅", "方案二：固定议事区+阅读角"],
        "comments": ["阅读角要有自然光。", "桌椅要方便老人起身。"],
        "change_note": "采纳世界咖啡馆意见：分时段开放，白天亲子阅读，晚上议事和兴趣小组。",
        "notice": "逸致议事厅“一客一厅”改造规划方案公示：公示期七天。",
        "reply": "已采纳，开放时间将在公示稿中写明。",
        "result": (
            "公示期满，共收到异议1条，已答复并采纳：议事厅晚上开放至八点半。方案定稿，进入实施。"
        ),
    },
}


def _at(day: date, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _area_people(town) -> dict[int, list[User]]:
    people: dict[int, list[User]] = {}
    for user in (
        User.objects.filter(residential_area__town=town, phone__startswith="1350")
        .only("pk", "display_name", "residential_area_id")
        .order_by("pk")
    ):
        people.setdefault(user.residential_area_id, []).append(user)
    return people


@transaction.atomic
def seed(town, area_staff, secretariat) -> bool:
    """The demo's planning; False when the town already has processes."""
    if PlanningProcess.objects.filter(town=town).exists():
        return False
    rng = random.Random(YEAR)
    services.ensure_default_template()
    areas = list(town.areas.order_by("code"))
    yijing = next(a for a in areas if a.name == NAMED_AREA)
    people = _area_people(town)
    teams = {}
    for team in OrgUnit.objects.filter(town=town, kind="team").prefetch_related("areas"):
        for area in team.areas.all():
            teams.setdefault(area.pk, team)
    resident = User.objects.filter(phone="13800000001").first()
    activities = {
        a.kind: a
        for a in Activity.objects.filter(
            area=yijing, kind__in=["workshop", "world_cafe"], ends_at__year=YEAR
        )
    }

    garden = _full_loop(
        town,
        yijing,
        area_staff,
        secretariat,
        title="逸景佳苑中心花园微更新",
        texts=TEXTS["garden"],
        people=people.get(yijing.pk, []),
        activity=activities.get("workshop"),
        team=teams.get(yijing.pk),
        start=date(YEAR, 2, 6),
        with_return=True,
        until=None,
        resident=resident,
    )
    hall = _full_loop(
        town,
        yijing,
        area_staff,
        secretariat,
        title="逸致议事厅“一客一厅”改造",
        texts=TEXTS["hall"],
        people=people.get(yijing.pk, []),
        activity=activities.get("world_cafe"),
        team=teams.get(yijing.pk),
        start=date(YEAR, 3, 1),
        with_return=False,
        until=11,
        resident=resident,
    )

    # A batch in twelve areas (not the staff's two), at steps 1 to 4.
    others = [a for a in areas if a.pk != yijing.pk and a.code != "02"]
    chosen = others[:BATCH_AREAS]
    batch = services.launch_batch(
        town=town,
        actor=secretariat,
        title=BATCH_TITLE,
        assignments=[(area, teams.get(area.pk)) for area in chosen],
    )
    launched = _at(date(YEAR, 9, 4), 9)
    BatchLaunch.objects.filter(pk=batch.pk).update(launched_at=launched)
    for n, process in enumerate(batch.processes.select_related("area").order_by("area__code")):
        _date_start(process, launched)
        _forward(process, secretariat, people.get(process.area_id, []), launched, n % 4 + 1)

    # Areas started one by one (the secretariat starts every process), at steps 1 to
    # 3; 第二居民区's is then run by its area staff.
    singles = [a for a in areas if a.code == "02"] + others[BATCH_AREAS : BATCH_AREAS + 3]
    for n, area in enumerate(singles):
        actor = area_staff if area.code == "02" else secretariat
        day = date(YEAR, 10, 9) + timedelta(days=7 * n)
        process = services.start_process(
            town=town,
            area=area,
            actor=secretariat,
            title=area.name + rng.choice(SINGLE_TOPICS),
            team=teams.get(area.pk),
            starts_on=day,
        )
        _date_start(process, _at(day, 9))
        _forward(process, actor, people.get(area.pk, []), _at(day, 9), n % 3 + 1)

    # Adopted proposals become part of the plans of their areas.
    plans = {}
    for process in PlanningProcess.objects.filter(town=town).order_by("starts_on", "pk"):
        plans.setdefault(process.area_id, process)
    plans[yijing.pk] = garden
    for proposal in Proposal.objects.filter(town=town, status=ProposalStatus.ADOPTED).order_by(
        "pk"
    ):
        process = plans.get(proposal.area_id)
        if process is not None:
            actor = area_staff if proposal.area.code in ("01", "02") else secretariat
            services.take_in_proposal(process=process, proposal=proposal, actor=actor)
    process_ids = list(PlanningProcess.objects.filter(town=town).values_list("pk", flat=True))
    Follower.objects.filter(process_id__in=process_ids).update(since=_at(date(YEAR, 12, 1)))
    if resident is not None:
        services.follow(process=hall, user=resident)

    # 2024: the hall's objection answered and its plan final; the batch and the single
    # processes carried on to the end.
    _finish_hall(hall, area_staff)
    still_open = (
        PlanningProcess.objects.filter(town=town, status="active")
        .select_related("area")
        .order_by("area__code")
    )
    for n, process in enumerate(still_open):
        actor = area_staff if process.area.code in ("01", "02") else secretariat
        first_close = date(YEAR + 1, 1, 9) + timedelta(days=2 * n)
        _carry_on(process, actor, people.get(process.area_id, []), first_close)
    return True


# --- One process through its steps ------------------------------------------------------


def _full_loop(
    town,
    area,
    actor,
    starter,
    *,
    title,
    texts,
    people,
    activity,
    team,
    start,
    with_return,
    until,
    resident,
):
    """A process from step 1 to the end (``until`` None) or to step ``until`` (left
    open there), started by ``starter`` (the secretariat) and run by ``actor``. Steps
    1–5 run in the demo year; the joint meetings and what follows them early the next
    year."""
    process = services.start_process(
        town=town, area=area, actor=starter, title=title, team=team, starts_on=start
    )
    _date_start(process, _at(start, 9))
    # When each step closes (steps 6 on: the next year).
    closes = {
        1: start + timedelta(days=40),
        2: start + timedelta(days=70),
        3: start + timedelta(days=100),
        4: (activity.ends_at.date() if activity else start + timedelta(days=120))
        + timedelta(days=5),
    }
    closes[5] = closes[4] + timedelta(days=21)
    late = date(YEAR + 1, 1, 8) + (start - date(YEAR, 2, 6))
    for order, days in [(6, 0), (7, 21), (8, 42), (9, 56), (10, 70), (11, 84)]:
        closes[order] = late + timedelta(days=days)
    order = 1
    returned = False
    while True:
        run = services.open_run(process)
        order = run.step.order
        when = _at(closes[order], 17)
        if until is not None and order == until:
            _evidence(run, actor, people, texts, when, activity, resident, open_end=True)
            break
        if run.step.kind == StepKind.JOINT_MEETING:
            decision = "return" if with_return and not returned else "approve"
            link = _joint_meeting(run, actor, people, when, decision)
            if decision == "return":
                returned = True
                services.return_to_step(
                    process=process,
                    actor=actor,
                    to_order=5,
                    reason=RETURN_REASONS,
                    meeting_link=link,
                    now=when,
                )
                # The revision of step 5 closes three weeks later, the meeting again a
                # week after that; the later steps move along.
                closes[5] = closes[6] + timedelta(days=21)
                for later in range(6, 12):
                    closes[later] = closes[later] + timedelta(days=28)
                _date_evidence(run, when)
                continue
        else:
            _evidence(run, actor, people, texts, when, activity, resident)
        _date_evidence(run, when)
        services.advance_step(process=process, actor=actor, now=when)
        process.refresh_from_db()
        if process.status != "active":
            break
    return process


def _forward(process, actor, people, start, order):
    """Advance a freshly launched process to step ``order`` with light evidence."""
    texts = {
        "survey": f"{process.area.name}社区需求调查",
        "needs": ["楼道照明", "非机动车停放", "休憩座椅"],
        "summary": "受访居民希望改善楼道照明和公共空间。",
    }
    when = start
    for _ in range(order - 1):
        run = services.open_run(process)
        when = when + timedelta(days=30)
        give_evidence(run, when, actor=actor, people=people, text=texts)
        _date_evidence(run, when)
        services.advance_step(process=process, actor=actor, now=when)


def _evidence(run, actor, people, texts, when, activity, resident, open_end=False):
    text = dict(texts)
    kind = run.step.kind
    if kind == StepKind.PARTICIPATORY_DESIGN and activity is not None:
        text["activity"] = activity
    if kind == StepKind.PUBLIC_NOTICE and open_end:
        # Posted, ended, the objection not yet answered: the plan waits on it.
        made = give_evidence(
            run,
            when,
            actor=actor,
            people=[resident] if resident else people,
            text=text,
            without="objection_reply",
        )
        made["objection"].body = OBJECTION
        made["objection"].save(update_fields=["body"])
        return made
    if open_end and kind != StepKind.PUBLIC_NOTICE:
        return None
    return give_evidence(run, when, actor=actor, people=people, text=text)


def _meeting_room(area) -> str:
    return "逸致议事厅" if area.name == NAMED_AREA else f"{area.name}居委会会议室"


def _representative(names: list[str], area) -> str:
    """逸景佳苑's owners' chair and property manager (孔德胜, 顾建明), elsewhere one of
    the list by the area's number."""
    return names[-1] if area.name == NAMED_AREA else names[int(area.code) % (len(names) - 1)]


def _joint_meeting(run, actor, people, when, decision) -> MeetingLink:
    """A joint meeting of the three parties held through the meetings services, with a
    motion decided by counts, approved minutes; linked to the run with its decision."""
    process = run.process
    starts = when - timedelta(days=2, hours=-2)
    meeting = meetings.create_meeting(
        town=process.town,
        actor=actor,
        area=process.area,
        kind=MeetingKind.JOINT,
        title=f"{process.area.name}三方联席会：{process.title}",
        venue=_meeting_room(process.area),
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
    )
    invitees = [
        meetings.invite(meeting=meeting, actor=actor, name=u.display_name, user=u)
        for u in people[:9]
    ]
    for party, name in [
        (Party.RESIDENTS_COMMITTEE, actor.display_name),
        (Party.OWNERS_COMMITTEE, _representative(OWNERS_CHAIRS, process.area)),
        (Party.PROPERTY_COMPANY, _representative(PROPERTY_MANAGERS, process.area)),
    ]:
        invitees.append(meetings.invite(meeting=meeting, actor=actor, name=name, party=party))
        meetings.record_party(meeting=meeting, actor=actor, party=party, present=True, note=name)
    # Demo-only sign-in at the meeting's time (demo/meetings.py does the same).
    Attendee.objects.filter(pk__in=[a.pk for a in invitees]).update(
        present=True, signed_in_at=starts - timedelta(minutes=5)
    )
    invitees = list(Attendee.objects.filter(meeting=meeting).order_by("pk"))
    text = (
        f"将“{process.title}”退回方案调整，补充停车位置换方案"
        if decision == "return"
        else f"同意“{process.title}”规划方案"
    )
    motion = meetings.move_motion(
        meeting=meeting, actor=actor, text=text, mover=invitees[-3], vote_mode="counts"
    )
    meetings.second_motion(motion=motion, actor=actor, seconder=invitees[-2])
    yes = len(invitees) - 2
    meetings.record_counts(motion=motion, actor=actor, yes=yes, no=1, abstain=1)
    motion = meetings.decide_motion(motion=motion, actor=actor)
    meetings.save_minutes(
        meeting=meeting,
        actor=actor,
        body=(
            f"三方联席会讨论{process.title}。居委会、业委会、物业三方出席。"
            f"动议：{text}；表决：同意{yes}，反对1，弃权1，通过。"
        ),
    )
    meetings.approve_minutes(meeting=meeting, actor=actor)
    Meeting.objects.filter(pk=meeting.pk).update(
        created_at=starts - timedelta(days=7), updated_at=starts + timedelta(days=1)
    )
    Motion.objects.filter(pk=motion.pk).update(
        created_at=starts + timedelta(minutes=20), decided_at=starts + timedelta(minutes=60)
    )
    Minutes.objects.filter(meeting=meeting).update(
        created_at=starts + timedelta(days=1),
        updated_at=starts + timedelta(days=1),
        approved_at=starts + timedelta(days=1),
    )
    returning = decision == "return"
    return MeetingLink.objects.create(
        run=run,
        meeting=meeting,
        motion=motion,
        decision=JointDecision.RETURN if returning else JointDecision.APPROVE,
        return_to=5 if returning else None,
        reasons=RETURN_REASONS if returning else "",
    )


# --- Dates ---------------------------------------------------------------------------------


def _date_start(process, at) -> None:
    """start_process stamps "now": move the process and its first run to ``at``."""
    PlanningProcess.objects.filter(pk=process.pk).update(
        created_at=at, updated_at=at, starts_on=at.date()
    )
    run = process.runs.get(revision=1, step__order=1)
    StepRun.objects.filter(pk=run.pk).update(
        opened_at=at, due_on=at.date() + timedelta(days=run.step.expected_days)
    )


def _date_evidence(run, closes) -> None:
    """Evidence rows stamped "now" on creation: a few days before the step closed."""
    at = closes - timedelta(days=3)
    from gongzhi.surveys.models import Response, Survey

    surveys = SurveyLink.objects.filter(run=run)
    # Ids first (no correlated subquery in an UPDATE; see demo/meetings.py).
    survey_ids = list(surveys.values_list("survey_id", flat=True))
    Survey.objects.filter(pk__in=survey_ids).update(
        created_at=at - timedelta(days=20), updated_at=at
    )
    Response.objects.filter(survey_id__in=survey_ids).update(submitted_at=at - timedelta(days=5))
    surveys.update(linked_at=at)
    StepPhoto.objects.filter(run=run).update(uploaded_at=at)
    Interview.objects.filter(run=run).update(created_at=at)
    DesignDraft.objects.filter(run=run).update(uploaded_at=at)
    DraftComment.objects.filter(run=run).update(created_at=at)
    DotVote.objects.filter(run=run).update(cast_at=at)
    ActivityLink.objects.filter(run=run).update(linked_at=at)
    MeetingLink.objects.filter(run=run).update(linked_at=closes)
    consultation = run.consultation if hasattr(run, "consultation") else None
    if consultation is not None:
        consultation.comments.update(created_at=consultation.opens_at + timedelta(days=1))
    notice = run.notice if hasattr(run, "notice") else None
    if notice is not None:
        notice.objections.update(created_at=_at(notice.starts_on + timedelta(days=1), 20))


# --- 2024: the history carried to its end ---------------------------------------------

# How long each step took in 2024, by order (days).
LATER_DAYS = {1: 30, 2: 21, 3: 28, 4: 21, 5: 14, 6: 10, 7: 14, 8: 14, 9: 10, 10: 10, 11: 12}
LATER_TEXTS = {
    "needs": ["楼道照明", "非机动车停放", "休憩座椅"],
    "summary": "受访居民希望改善楼道照明和公共空间。",
    "comments": ["座椅多放几张，方便老人歇脚。", "希望保留现有的绿化。"],
    "change_note": "根据居民意见调整方案：增加休憩座椅，保留现有绿化。",
    "reply": "感谢意见，已在修改稿中采纳。",
    "objection": "希望施工期间保留一条通行道路。",
    "objection_reply": "施工将分段进行，始终保留一条通行道路。",
    "result": "公示期满，收到异议1条，已答复；方案定稿，进入实施。",
}


# What the later versions changed (the adjustment's note is "change_note").
LATER_NOTES = {
    StepKind.OPTIMISATION: "按联席会意见优化：明确材料和施工分段，补充夜间照明和维护责任。",
    StepKind.REVISION: "按公众咨询意见修改，逐条答复居民意见并写入修改说明。",
}


def _finish_hall(hall, actor) -> None:
    """The hall's objection answered two days after it was made, the result (already
    written) out once the notice ended, and the plan final two days after that."""
    run = services.open_run(hall)
    notice = run.notice
    closes = _at(notice.ends_on + timedelta(days=2), 17)
    _date_evidence(run, closes)  # the objection: the evening after the notice went up
    objection = notice.objections.get()
    ev.reply_to_objection(objection=objection, actor=actor, reply=OBJECTION_REPLY)
    type(objection).objects.filter(pk=objection.pk).update(
        replied_at=objection.created_at + timedelta(days=2, hours=-10)
    )
    services.advance_step(process=hall, actor=actor, now=closes)
    PlanningProcess.objects.filter(pk=hall.pk).update(updated_at=closes)


def _carry_on(process, actor, people, first_close: date) -> None:
    """A 2023 process from the step it was at when the year ended to its completion:
    that step closes on ``first_close`` (January 2024), each later one LATER_DAYS after
    the one before."""
    area = process.area
    texts = LATER_TEXTS | {
        "survey": f"{area.name}社区需求调查",
        "notice": f"{process.title}规划方案公示：公示期七天，欢迎居民提出意见。",
    }
    when = _at(first_close, 17)
    while process.status == "active":
        run = services.open_run(process)
        order = run.step.order
        if run.opened_at.year > YEAR:
            when = run.opened_at + timedelta(days=LATER_DAYS[order])
        _close(run, actor, people, texts, when)
        services.advance_step(process=process, actor=actor, now=when)
        process.refresh_from_db()
    PlanningProcess.objects.filter(pk=process.pk).update(updated_at=process.completed_at)


def _close(run, actor, people, texts, when) -> None:
    """Write the evidence of ``run``'s step, dated as if gathered before ``when``."""
    kind = run.step.kind
    if kind == StepKind.JOINT_MEETING:
        _joint_meeting(run, actor, people, when, "approve")
    else:
        text = dict(texts)
        if kind in LATER_NOTES:
            text["change_note"] = LATER_NOTES[kind]
        if kind == StepKind.PARTICIPATORY_DESIGN:
            text["activity"] = _workshop(run.process, actor, people, when - timedelta(days=3))
        give_evidence(run, when, actor=actor, people=people, text=text)
    _date_evidence(run, when)


def _workshop(process, actor, people, day, *, hour: int = 14) -> Activity:
    """The co-design workshop of ``process`` held on ``day``, with the sign-in of 18 to
    24 of the area's residents."""
    area = process.area
    starts = _at(day.date() if isinstance(day, datetime) else day, hour)
    activity = Activity.objects.create(
        town=process.town,
        area=area,
        kind="workshop",
        title=f"{process.title}·居民参与设计工作坊",
        venue="逸致议事厅" if area.name == NAMED_AREA else f"{area.name}睦邻中心活动室",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        status="published",
        created_by=actor,
        description="居民分组讨论设计稿，用圆点投票选出最想要的方案，并写下修改意见。",
    )
    came = people[: 18 + int(area.code) % 7]
    Attendance.objects.bulk_create(
        Attendance(
            activity=activity,
            user=user,
            method="qr",
            checked_in_at=starts - timedelta(minutes=15) + timedelta(minutes=n % 25),
        )
        for n, user in enumerate(came)
    )
    return activity


# --- Today: a plan at every step -------------------------------------------------------

# area code, the step open now, days it has been open, title. 第十九居民区's step 3
# (30 days expected) has been open 38 days: the one overdue plan, on purpose.
TODAY_PLANS = [
    ("20", 1, 6, "第二十居民区口袋花园营造"),
    ("22", 2, 9, "第二十二居民区楼道微更新"),
    ("19", 3, 38, "第十九居民区适老化改造"),
    ("12", 4, 12, "第十二居民区儿童友好空间营造"),
    ("24", 5, 5, "第二十四居民区健身苑点更新"),
    ("26", 6, 8, "第二十六居民区非机动车棚改造"),
    ("30", 7, 4, "第三十居民区门头与围墙微更新"),
    ("01", 8, 4, "逸景佳苑楼道与垃圾厢房微更新"),
    ("05", 9, 6, "第五居民区南门人车分流改造"),
    ("14", 10, 2, "第十四居民区路边小景营造"),
    ("02", 11, 5, "第二居民区夜间步道照明与凉亭改造"),
]
OVERDUE_PLAN = "第十九居民区适老化改造"
# How long each closed step took (days), by order.
TODAY_DAYS = {1: 24, 2: 16, 3: 20, 4: 14, 5: 10, 6: 9, 7: 8, 8: 10, 9: 8, 10: 7}
TODAY_TEXTS = {
    "01": {
        "survey": "逸景佳苑楼道与垃圾厢房使用情况调查",
        "question": "您觉得楼道和垃圾厢房最需要改善的是什么？",
        "options": ["楼道堆物", "照明", "垃圾厢房异味", "洗手设施"],
        "photo": "5号楼楼道现状：堆物多、灯光暗",
        "needs": ["清理楼道堆物，改造为共享书架", "垃圾厢房除臭和洗手池", "楼道感应灯更换"],
        "summary": "居民希望楼道整洁明亮，垃圾厢房干净无异味、扔完垃圾能洗手。",
        "titles": ["方案一：楼道共享书架+垃圾厢房顶棚", "方案二：楼道绿植角+厢房洗手池"],
        "comments": ["书架要防潮。", "洗手池要做好排水。", "绿植谁来浇水？"],
        "change_note": "合并两稿：5号楼楼道做共享书架，垃圾厢房加装顶棚、除臭设备和洗手池。",
    },
    "02": {
        "survey": "第二居民区夜间出行与凉亭使用调查",
        "question": "晚上在小区里散步，您最担心什么？",
        "options": ["步道太暗", "地面不平", "没有地方歇脚"],
        "photo": "花园步道夜间现状：照明不足",
        "needs": ["步道增设低位草坪灯", "凉亭旁增设适老座椅", "步道地面找平"],
        "summary": "老人晚上散步多，希望步道亮一些、凉亭边有带扶手的座椅。",
        "titles": ["方案一：低位草坪灯+凉亭座椅", "方案二：庭院灯+步道扶手"],
        "comments": ["草坪灯不要照到窗户。", "座椅要带扶手。"],
        "change_note": "采用方案一，草坪灯改为向下照射的低位灯，凉亭旁增设三张扶手座椅。",
    },
}
CONSULTATION_COMMENTS = [
    ("书架放在一楼会不会影响轮椅通行？", "书架靠墙安装，进深30厘米，保留1.2米通道。"),
    ("垃圾厢房的顶棚能不能加装雨水管？", "可以，已请设计师在修改稿中加上雨水管。"),
    ("洗手池冬天会不会冻裂？建议用防冻龙头。", ""),
]
NOTICE_OBJECTION = "草坪灯离3号楼一楼窗户太近，晚上会照进卧室，建议移到步道另一侧。"


@transaction.atomic
def seed_today(town, area_staff, secretariat, *, now) -> bool:
    """The plans of the present (see the module's docstring); False when they are
    there already."""
    titles = [row[3] for row in TODAY_PLANS]
    if PlanningProcess.objects.filter(town=town, title__in=titles).exists():
        return False
    today = timezone.localdate(now)
    areas = {a.code: a for a in town.areas.all()}
    people = _area_people(town)
    teams = {}
    for team in OrgUnit.objects.filter(town=town, kind="team").prefetch_related("areas"):
        for area in team.areas.all():
            teams.setdefault(area.pk, team)
    resident = User.objects.filter(phone="13800000001").first()
    # 王合伙人, the landscape designer of 逸景佳苑, leads its plan.
    wang = Partner.objects.filter(town=town, user__phone="13800000002").first()
    for code, order, age, title in TODAY_PLANS:
        area = areas[code]
        actor = area_staff if code in ("01", "02") else secretariat
        texts = LATER_TEXTS | {"survey": f"{area.name}社区需求调查"} | TODAY_TEXTS.get(code, {})
        opened = today - timedelta(days=age)
        start = opened - timedelta(days=sum(TODAY_DAYS[o] for o in range(1, order)))
        process = services.start_process(
            town=town,
            area=area,
            actor=secretariat,
            title=title,
            team=teams.get(area.pk),
            lead_partner=wang if code == "01" else None,
            starts_on=start,
        )
        _date_start(process, _at(start, 9))
        residents = people.get(area.pk, [])
        closes = start
        for step in range(1, order):
            closes += timedelta(days=TODAY_DAYS[step])
            run = services.open_run(process)
            _close(run, actor, residents, texts, _at(closes, 17))
            services.advance_step(process=process, actor=actor, now=_at(closes, 17))
        if resident is not None and code in ("01", "02"):
            # 李居民 follows both (and is told when the consultation and notice open).
            services.follow(process=process, user=resident)
        if order == 4:
            _workshop_next_week(process, actor, residents, now)
        elif order == 8:
            _consultation_now(process, actor, residents, now)
        elif order == 11:
            _notice_now(process, actor, residents, now)
        PlanningProcess.objects.filter(pk=process.pk).update(updated_at=_at(opened, 17))
    return True


def _workshop_next_week(process, actor, residents, now) -> None:
    """The co-design workshop of step 4, next week on Wednesday afternoon: published,
    half its 30 places taken, linked to the step (it closes after the workshop)."""
    day = next_monday(timezone.localdate(now)) + timedelta(days=2)
    starts = _at(day, 14)
    activity = events.create_activity(
        town=process.town,
        actor=actor,
        area=process.area,
        kind="workshop",
        title=f"{process.title}·居民参与设计工作坊",
        venue=f"{process.area.name}睦邻中心活动室",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=30,
        description="两版设计稿已经出来了，欢迎带上孩子一起来，用圆点投票选出你最喜欢的方案。",
    )
    events.publish_activity(activity=activity, actor=actor)
    for user in residents[:15]:
        events.register(activity=activity, user=user)
    ev.link_activity(process=process, actor=actor, activity=activity)


def _consultation_now(process, actor, residents, now) -> None:
    """The consultation on the optimised draft: opened three days ago at nine, closing
    in a week at five; three residents' comments, two answered the next day."""
    today = timezone.localdate(now)
    opens = _at(today - timedelta(days=3), 9)
    draft = DesignDraft.objects.filter(process=process).order_by("-version").first()
    ev.open_consultation(
        process=process,
        actor=actor,
        draft=draft,
        opens_at=opens,
        closes_at=_at(today + timedelta(days=7), 17),
    )
    for n, (body, reply) in enumerate(CONSULTATION_COMMENTS):
        written = opens + timedelta(days=n * 0.8, hours=10)
        written = min(written, now - timedelta(hours=2 - n * 0.5))
        comment = ev.comment_in_consultation(
            process=process, user=residents[n], body=body, now=written
        )
        type(comment).objects.filter(pk=comment.pk).update(created_at=written)
        if reply:
            ev.reply_to_consultation_comment(comment=comment, actor=actor, reply=reply)
            answered = min(written + timedelta(hours=20), now - timedelta(minutes=30))
            type(comment).objects.filter(pk=comment.pk).update(replied_at=answered)


def _notice_now(process, actor, residents, now) -> None:
    """The final plan on public notice: posted four days ago for seven days (its last
    day in two), on the board and online; a resident's objection two days ago still
    waits for its reply."""
    today = timezone.localdate(now)
    posted = today - timedelta(days=4)
    draft = DesignDraft.objects.filter(process=process).order_by("-version").first()
    notice = ev.post_notice(
        process=process,
        actor=actor,
        draft=draft,
        text=f"{process.title}规划方案公示：公示期七天，欢迎居民在公示期内提出意见。",
        starts_on=posted,
        period_days=7,
        online=True,
        on_board=True,
        now=_at(posted, 9),
    )
    StepPhoto.objects.create(
        run=notice.run,
        purpose=StepPhoto.Purpose.NOTICE_BOARD,
        image=ContentFile(PNG, name="board.png"),
        caption="公示栏张贴",
        taken_on=posted,
        uploaded_by=actor,
    )
    written = min(_at(today - timedelta(days=2), 20), now - timedelta(hours=1))
    objection = ev.object_to_notice(
        process=process, user=residents[0], body=NOTICE_OBJECTION, now=written
    )
    type(objection).objects.filter(pk=objection.pk).update(created_at=written)
