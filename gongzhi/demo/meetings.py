"""Demo meetings for 高境镇: the 96 community self-governance meetings of 2023 (mostly
自治会议, plus joint meetings of the three parties, deliberation meetings, the "三会"
hearings / coordination / evaluation, committee and team meetings), each with
invitees and attendance, an agenda (citing the demo's adopted proposals in their
areas), motions with mover and seconder, votes by name or as counts, decisions,
approved minutes and action items.

``seed_today`` adds the meetings of the present, counted from the moment it is
given: three held in the last two weeks (with minutes approved and their follow-up
under way) and two coming up in 逸景佳苑 — the three parties' joint meeting this week
(``this_week_slot``: two days on, or the weekend, on the evening) and a deliberation
meeting the week after next.

Everything goes through the services (audited, decisions computed by decisions.py
from the votes), except sign-in: ``services.sign_in`` only records attendance up to
30 days after a meeting, and these meetings are in the past. ``_sign_in_then``
writes the same Attendee fields the service writes (present, signed_in_at) at the
meeting's time instead. The services' "now" timestamps are then moved to the
meeting's day. Needs places, partners, organisations, events (residents) and
proposals demos first. Idempotent: a town that already has meetings is left alone
(``seed_today``: one that has this week's). Deterministic (random.Random(2023)).
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongzhi.accounts.models import User
from gongzhi.demo.places import this_sunday
from gongzhi.meetings import services
from gongzhi.meetings.models import (
    ActionItem,
    ActionStatus,
    Attendee,
    DecisionRule,
    Meeting,
    MeetingKind,
    Minutes,
    Motion,
    MotionStatus,
    Party,
    Speech,
    Vote,
    VoteMode,
)
from gongzhi.organisations.models import OrgUnit
from gongzhi.places.models import ResidentialArea
from gongzhi.proposals.models import Proposal, ProposalStatus

YEAR = 2023
# kind: how many in the year (96 in all).
KINDS = {
    MeetingKind.SELF_GOVERNANCE: 50,
    MeetingKind.JOINT: 14,
    MeetingKind.DELIBERATION: 10,
    MeetingKind.HEARING: 5,
    MeetingKind.COORDINATION: 6,
    MeetingKind.EVALUATION: 5,
    MeetingKind.COMMITTEE: 4,
    MeetingKind.TEAM: 2,
}
KIND_TITLE = {
    MeetingKind.SELF_GOVERNANCE: "居民自治会议",
    MeetingKind.JOINT: "三方联席会",
    MeetingKind.DELIBERATION: "议事会",
    MeetingKind.HEARING: "听证会",
    MeetingKind.COORDINATION: "协调会",
    MeetingKind.EVALUATION: "评议会",
    MeetingKind.COMMITTEE: "委员会例会",
    MeetingKind.TEAM: "团队例会",
}
# Topics with the motion put to the vote and the follow-up agreed.
TOPICS = [
    ("楼道堆物清理", "本月底前完成各楼道堆物清理，由楼组长逐户告知", "逐楼清理楼道堆物"),
    ("非机动车停放管理", "在车棚旁划定临时停放区，禁止在楼道停放电动车", "施划停放线"),
    ("垃圾分类督导安排", "组建垃圾分类志愿督导队，早晚高峰轮值", "排出督导轮值表"),
    ("社区花园认养", "社区花园按楼组分块认养，每季度评选一次", "公布认养名单"),
    ("夏季高温关爱独居老人", "志愿者结对走访独居老人，每周至少一次", "建立走访台账"),
    ("停车难问题", "夜间开放沿街临时停车位，收费标准报业委会审议", "与物业核定车位数量"),
    ("议事厅开放时间", "议事厅白天向居民开放，晚上用于议事和兴趣小组", "公示预约表"),
    ("楼道灯维修", "由物业统一更换损坏的楼道感应灯，费用从公共收益列支", "统计损坏灯具"),
    ("节日活动筹备", "由社区合伙人牵头筹备中秋邻里节", "制定活动方案"),
    ("宠物文明饲养公约", "通过小区文明养宠公约并张贴", "张贴公约"),
    ("外墙渗水维修", "对渗水外墙申请使用专项维修资金维修", "委托第三方检测"),
    ("小区绿化补种", "秋季补种绿化带，居民认领养护", "采购苗木"),
]
OWNERS_TOPICS = [
    ("申请使用专项维修资金更换电梯", True),
    ("续聘物业服务企业", False),
]
VENUES = ["议事厅", "居委会会议室", "睦邻中心活动室", "党群服务站"]
PROPERTY_MANAGERS = ["顾建明", "钱卫东", "邵丽萍", "方志刚", "金海燕", "薛国华"]
OWNERS_CHAIRS = ["孔德胜", "严美华", "程国庆", "汤秀兰", "冯立新", "曹玉梅"]
RC_SECRETARIES = ["陆红梅", "蒋志华", "潘晓燕", "戴建平", "夏玉芳", "田文斌"]
ABSENCE = ["项目经理外出培训", "临时处理电梯故障", "另有会议安排"]


def _at(day: date, hour: int, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _days(rng: random.Random, count: int) -> list[date]:
    """``count`` working-day dates over the year, spread evenly with some jitter."""
    start = date(YEAR, 1, 6)
    span = (date(YEAR, 12, 22) - start).days
    days = []
    for n in range(count):
        day = start + timedelta(days=n * span // count + rng.randint(0, 2))
        while day.weekday() == 6:  # not on Sundays
            day += timedelta(days=1)
        days.append(day)
    return days


def _sign_in_then(attendee: Attendee, at) -> None:
    """Demo-only: mark an invitee present at the meeting's time. The service
    (``services.sign_in``) refuses meetings more than 30 days past; this writes the
    same two fields it writes, with the meeting's time instead of now."""
    attendee.present = True
    attendee.signed_in_at = at
    attendee.save(update_fields=["present", "signed_in_at"])


def _area_people(town) -> dict[int, list[User]]:
    people: dict[int, list[User]] = {}
    for user in (
        User.objects.filter(residential_area__town=town)
        .only("pk", "phone", "display_name", "residential_area_id")
        .order_by("pk")
    ):
        people.setdefault(user.residential_area_id, []).append(user)
    return people


@transaction.atomic
def seed(town, staff, secretariat) -> bool:
    """The demo year's meetings; False when the town already has meetings.
    ``staff`` (area staff of 逸景佳苑 and 第二居民区) run those areas' meetings,
    ``secretariat`` the others."""
    if Meeting.objects.filter(town=town).exists():
        return False
    rng = random.Random(YEAR)
    areas = list(ResidentialArea.objects.filter(town=town).order_by("code"))
    people = _area_people(town)
    committees = list(OrgUnit.objects.filter(town=town, kind="committee").order_by("pk"))
    teams = list(
        OrgUnit.objects.filter(town=town, kind="team").prefetch_related("areas").order_by("pk")
    )
    adopted = {}
    for proposal in Proposal.objects.filter(town=town, status=ProposalStatus.ADOPTED).order_by(
        "pk"
    ):
        adopted.setdefault(proposal.area_id, []).append(proposal)

    kinds = [kind for kind, count in KINDS.items() for _ in range(count)]
    rng.shuffle(kinds)
    # Areas: 逸景佳苑 and 第二居民区 (the demo staff's) meet most; every area at least twice.
    area_cycle = [areas[0]] * 8 + [areas[1]] * 6 + areas[2:] * 3
    rng.shuffle(area_cycle)
    # Two owners' decisions (Civil Code art. 278) in the year, at self-governance meetings.
    owners_meetings = [
        next(i for i, k in enumerate(kinds) if i >= start and k == MeetingKind.SELF_GOVERNANCE)
        for start in (6, 60)
    ]
    for index, (day, kind) in enumerate(zip(_days(rng, len(kinds)), kinds, strict=True)):
        area = area_cycle[index % len(area_cycle)]
        organiser = None
        if kind == MeetingKind.COMMITTEE and committees:
            organiser, area = committees[index % len(committees)], None
        elif kind == MeetingKind.TEAM and teams:
            organiser = teams[index % len(teams)]
            area = organiser.areas.first() or area
        actor = staff if area is not None and area.code in ("01", "02") else secretariat
        rule = DecisionRule.MAJORITY
        if index in owners_meetings:
            rule = (
                DecisionRule.OWNERS_MAJOR
                if index == min(owners_meetings)
                else (DecisionRule.OWNERS_ORDINARY)
            )
        _meeting(
            town=town,
            area=area,
            organiser=organiser,
            kind=kind,
            day=day,
            actor=actor,
            rule=rule,
            residents=people.get(area.pk, []) if area else [],
            proposals=adopted.get(area.pk, []) if area else [],
            rng=rng,
        )
    return True


def _title(kind, area, organiser, day, rule) -> str:
    if rule != DecisionRule.MAJORITY:
        return f"{area.name}业主大会（{day.month}月）"
    if organiser is not None:
        return f"{organiser.name}例会（{day.month}月）"
    return f"{area.name}{KIND_TITLE[kind]}（{day.month}月）"


def _venue(area, organiser, rng) -> str:
    if area is None:
        return "高境镇社区党群服务中心"
    if area.code == "01":
        return "逸致议事厅"
    return f"{area.name}{rng.choice(VENUES)}"


def _meeting(*, town, area, organiser, kind, day, actor, rule, residents, proposals, rng):
    starts = _at(day, rng.choice([9, 10, 14, 15, 19]), rng.choice([0, 30]))
    meeting = services.create_meeting(
        town=town,
        actor=actor,
        area=area,
        organiser=organiser,
        kind=kind,
        title=_title(kind, area, organiser, day, rule),
        venue=_venue(area, organiser, rng),
        starts_at=starts,
        ends_at=starts + timedelta(minutes=rng.choice([60, 90, 120])),
        decision_rule=rule,
    )
    # Invitees: residents of the area (with their accounts) or the unit's members,
    # and for a joint meeting the three parties' representatives.
    size = rng.randint(9, 24)
    chosen = [] if organiser is not None else rng.sample(residents, min(size, len(residents)))
    invitees = [
        services.invite(meeting=meeting, actor=actor, name=user.display_name, user=user)
        for user in chosen
    ]
    if organiser is not None:
        for membership in organiser.memberships.current().select_related("partner")[:size]:
            invitees.append(
                services.invite(
                    meeting=meeting,
                    actor=actor,
                    name=membership.partner.name,
                    user=membership.partner.user,
                )
            )
    if kind == MeetingKind.JOINT:
        parties = [
            (
                Party.RESIDENTS_COMMITTEE,
                actor.display_name
                if area.code in ("01", "02")
                else (f"{rng.choice(RC_SECRETARIES)}"),
            ),
            (Party.OWNERS_COMMITTEE, f"{rng.choice(OWNERS_CHAIRS)}"),
            (Party.PROPERTY_COMPANY, f"{rng.choice(PROPERTY_MANAGERS)}"),
        ]
        for party, name in parties:
            invitees.append(services.invite(meeting=meeting, actor=actor, name=name, party=party))
    # Attendance: a quorum (more than half) and usually most of them.
    present_count = max(len(invitees) // 2 + 1, round(len(invitees) * rng.uniform(0.6, 0.95)))
    present = invitees[:]
    rng.shuffle(present)
    present = present[:present_count]
    if kind == MeetingKind.JOINT:
        property_absent = rng.random() < 0.2
        for attendee in invitees[-3:]:
            if attendee.party == Party.PROPERTY_COMPANY and property_absent:
                present = [p for p in present if p.pk != attendee.pk]
            elif attendee not in present:
                present.append(attendee)
        for attendee in invitees[-3:]:
            here = attendee in present
            services.record_party(
                meeting=meeting,
                actor=actor,
                party=attendee.party,
                present=here,
                note=attendee.name if here else rng.choice(ABSENCE),
            )
    for n, attendee in enumerate(present):
        _sign_in_then(attendee, starts - timedelta(minutes=10) + timedelta(minutes=n % 15))

    # Agenda: the area's adopted proposals (each once in the year), then topics.
    items = []
    if proposals and rng.random() < 0.6:
        proposal = proposals.pop(0)
        items.append(services.add_agenda_item(meeting=meeting, actor=actor, proposal=proposal))
    if rule != DecisionRule.MAJORITY:
        topic, major = OWNERS_TOPICS[0] if rule == DecisionRule.OWNERS_MAJOR else OWNERS_TOPICS[1]
        topics = [(topic, f"同意{topic}", "向区房管局报备表决结果")]
    else:
        topics = rng.sample(TOPICS, rng.randint(1, 2))
    for topic, _motion, _action in topics:
        items.append(services.add_agenda_item(meeting=meeting, actor=actor, title=topic))

    # Motions on the items: moved, seconded, debated, voted and decided.
    minutes_lines = [f"时间：{starts:%Y年%m月%d日 %H:%M}", f"地点：{meeting.venue}"]
    minutes_lines.append("出席：" + "、".join(a.name for a in present) + f"（共{len(present)}人）")
    for item in items:
        text = next(
            (m for t, m, _a in topics if t == item.title),
            f"同意将“{item.title}”列入实施计划，由居委会会同物业组织实施",
        )
        action = next((a for t, _m, a in topics if t == item.title), "制定实施方案并公示")
        if len(present) < 3:
            continue
        mover, seconder, *others = rng.sample(present, len(present))
        motion = services.move_motion(
            meeting=meeting,
            actor=actor,
            text=text,
            mover=mover,
            agenda_item=item,
            vote_mode=VoteMode.COUNTS if len(present) > 16 else VoteMode.BY_NAME,
        )
        services.second_motion(motion=motion, actor=actor, seconder=seconder)
        for speaker in rng.sample(present, min(3, len(present))):
            services.record_speech(
                motion=motion,
                actor=actor,
                attendee=speaker,
                stance=rng.choice(["for", "for", "against", "neutral"]),
                seconds=rng.randint(40, 120),
            )
        support = rng.uniform(0.35, 0.95)
        if rule != DecisionRule.MAJORITY:
            _owners_vote(motion, actor, rng, major=rule == DecisionRule.OWNERS_MAJOR)
        elif motion.vote_mode == VoteMode.BY_NAME:
            for voter in present:
                roll = rng.random()
                choice = "yes" if roll < support else ("abstain" if roll > 0.93 else "no")
                services.cast_vote(motion=motion, actor=actor, attendee=voter, choice=choice)
        else:
            voting = len(present) - rng.randint(0, 2)
            yes = round(voting * support)
            abstain = rng.randint(0, max(0, (voting - yes) // 3))
            services.record_counts(
                motion=motion, actor=actor, yes=yes, no=voting - yes - abstain, abstain=abstain
            )
        motion = services.decide_motion(motion=motion, actor=actor)
        minutes_lines.append(
            f"议题{item.order}：{item.title}。{mover.name}提出动议：{text}；{seconder.name}附议。"
            f"表决结果：{motion.get_result_display()}（{motion.result_explanation}）"
        )
        if motion.passed:
            owner = rng.choice(["居委会", "物业公司", "业委会", "社区合伙人团队", mover.name])
            due = starts.date() + timedelta(days=rng.randint(7, 60))
            item_ = services.add_action_item(
                meeting=meeting,
                actor=actor,
                title=action,
                owner_name=owner,
                due_on=due,
                motion=motion,
                owner_unit=organiser,
            )
            # Follow-up due before December is done; later ones are still open.
            if due < date(YEAR, 12, 1):
                services.set_action_status(item=item_, actor=actor, status=ActionStatus.DONE)
            elif rng.random() < 0.5:
                services.set_action_status(item=item_, actor=actor, status=ActionStatus.IN_PROGRESS)
    services.save_minutes(meeting=meeting, actor=actor, body="\n".join(minutes_lines))
    services.approve_minutes(meeting=meeting, actor=actor)
    _date(meeting, starts, rng)


def _owners_vote(motion, actor, rng, *, major: bool) -> None:
    """Art. 278 figures for a block of about 300 owners."""
    total_owners = rng.randint(260, 340)
    total_area = Decimal(total_owners * rng.randint(70, 95)) + Decimal("0.50")
    share = rng.uniform(0.70, 0.85)
    participating_owners = int(total_owners * share) + 1
    participating_area = (total_area * Decimal(str(round(share + 0.01, 3)))).quantize(
        Decimal("0.01")
    )
    participating_area = min(participating_area, total_area)
    yes = rng.uniform(0.78, 0.9) if major else rng.uniform(0.55, 0.8)
    services.record_owners_count(
        motion=motion,
        actor=actor,
        total_area=total_area,
        total_owners=total_owners,
        participating_area=participating_area,
        participating_owners=participating_owners,
        yes_area=(participating_area * Decimal(str(round(yes, 3)))).quantize(Decimal("0.01")),
        yes_owners=int(participating_owners * yes),
    )


def _date(meeting: Meeting, starts, rng) -> None:
    """Move the services' "now" stamps to the meeting's day."""
    Meeting.objects.filter(pk=meeting.pk).update(
        created_at=starts - timedelta(days=rng.randint(5, 12)),
        updated_at=starts + timedelta(days=2),
    )
    motions = Motion.objects.filter(meeting=meeting)
    motions.update(created_at=starts + timedelta(minutes=15))
    motions.filter(status=MotionStatus.DECIDED).update(decided_at=starts + timedelta(minutes=50))
    # Ids first: PostgreSQL may plan "UPDATE vote … WHERE id IN (SELECT … JOIN motion)"
    # as a nested loop over the whole table, which made seeding take minutes.
    motion_ids = list(motions.values_list("pk", flat=True))
    Vote.objects.filter(motion_id__in=motion_ids).update(cast_at=starts + timedelta(minutes=45))
    Speech.objects.filter(motion_id__in=motion_ids).update(at=starts + timedelta(minutes=30))
    Minutes.objects.filter(meeting=meeting).update(
        created_at=starts + timedelta(days=1),
        updated_at=starts + timedelta(days=2),
        approved_at=starts + timedelta(days=2),
    )
    ActionItem.objects.filter(meeting=meeting).update(
        created_at=starts + timedelta(hours=2), updated_at=starts + timedelta(days=7)
    )


# --- Today ------------------------------------------------------------------------------

# Held in the last two weeks: days ago, area code, kind.
RECENT = [
    (13, "12", MeetingKind.DELIBERATION),
    (9, "01", MeetingKind.SELF_GOVERNANCE),
    (6, "02", MeetingKind.SELF_GOVERNANCE),
]
# Coming up in 逸景佳苑: title, kind, agenda.
THIS_WEEK = (
    "逸景佳苑三方联席会：停车与议事厅开放",
    MeetingKind.JOINT,
    ["议事厅开放时间", "停车难问题"],
)
LATER = (
    "逸景佳苑议事会：中心花园建成后的认养与管护",
    MeetingKind.DELIBERATION,
    ["社区花园认养"],
)


def this_week_slot(now) -> tuple[datetime, datetime]:
    """When this week's meeting is held: at seven in the evening two days on, or on
    Sunday when that is sooner; on a Sunday evening already under way (from the hour
    of ``now``), so that it falls in this week whatever the day and hour."""
    today = timezone.localdate(now)
    starts = _at(min(today + timedelta(days=2), this_sunday(today)), 19)
    if starts < now + timedelta(hours=1):
        starts = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    return starts, starts + timedelta(minutes=90)


@transaction.atomic
def seed_today(town, staff, secretariat, *, now) -> bool:
    """The meetings of the present (see the module's docstring); False when this
    week's is there already."""
    if Meeting.objects.filter(town=town, title=THIS_WEEK[0]).exists():
        return False
    rng = random.Random(YEAR + 3)
    today = timezone.localdate(now)
    areas = {a.code: a for a in ResidentialArea.objects.filter(town=town)}
    people = _area_people(town)
    held = []
    for days, code, kind in RECENT:
        area = areas[code]
        _meeting(
            town=town,
            area=area,
            organiser=None,
            kind=kind,
            day=today - timedelta(days=days),
            actor=staff if code in ("01", "02") else secretariat,
            rule=DecisionRule.MAJORITY,
            residents=[u for u in people.get(area.pk, []) if u.phone.startswith("1350")],
            proposals=[],
            rng=rng,
        )
        held.append(Meeting.objects.filter(town=town, area=area).latest("pk"))
    # Their follow-up: what fell due already is done, the rest under way.
    for item in ActionItem.objects.filter(meeting__in=held).select_related("meeting"):
        actor = staff if item.meeting.area.code in ("01", "02") else secretariat
        status = ActionStatus.DONE if item.due_on < today else ActionStatus.IN_PROGRESS
        if item.status != status:
            services.set_action_status(item=item, actor=actor, status=status)
    yijing = areas["01"]
    residents = [u for u in people.get(yijing.pk, []) if u.phone.startswith("1350")]
    resident = User.objects.filter(phone="13800000001").first()
    this_week = this_week_slot(now)
    later = _at(today + timedelta(days=14), 19)
    for (title, kind, topics), (starts, ends) in [
        (THIS_WEEK, this_week),
        (LATER, (later, later + timedelta(minutes=90))),
    ]:
        meeting = services.create_meeting(
            town=town,
            actor=staff,
            area=yijing,
            kind=kind,
            title=title,
            venue="逸致议事厅",
            starts_at=starts,
            ends_at=ends,
        )
        invited = rng.sample(residents, min(12, len(residents)))
        if resident is not None:
            invited.append(resident)
        for user in invited:
            services.invite(meeting=meeting, actor=staff, name=user.display_name, user=user)
        if kind == MeetingKind.JOINT:
            services.invite(
                meeting=meeting,
                actor=staff,
                name=staff.display_name,
                party=Party.RESIDENTS_COMMITTEE,
            )
            services.invite(
                meeting=meeting, actor=staff, name="孔德胜", party=Party.OWNERS_COMMITTEE
            )
            services.invite(
                meeting=meeting, actor=staff, name="顾建明", party=Party.PROPERTY_COMPANY
            )
        for topic in topics:
            services.add_agenda_item(meeting=meeting, actor=staff, title=topic)
        Meeting.objects.filter(pk=meeting.pk).update(created_at=now - timedelta(days=5))
    return True
