"""Demo micro-renewal projects for 高境镇: the seven sites the programme built in 2023
(community garden, convenience facilities, roadside scenery, old wall new look,
pavilion and stairwell, community gate, convenience hooks), one project under
construction now from the completed plan 逸景佳苑中心花园微更新, and one planned from
a winning entry of the 2023 design contest.

The seven come from the demo's proposals that the programme built (the proposals
demo leaves them adopted when asked, and completing each project marks its proposal
implemented). They run through the real services from the proposal to the published
result: milestones with planned and actual dates, spending within the budget (the
gate's lighting went beyond it, with the town's recorded approval), before / during /
after photos drawn here with Pillow and uploaded through ``add_photo``, completion
(which opens the satisfaction survey) and answers from the area's demo residents
through ``surveys.services.submit_response``. The services stamp "now"; the
timestamps are then moved to the project's dates with updates on id lists (never a
join-filtered update: PostgreSQL once planned one as a nested loop and stalled).
Audit events and notifications keep the time they were written.

``seed`` (the seven) runs right after the proposals demo, so that the meetings cite
and the plans take in only the proposals still adopted; ``seed_current`` after the
planning demo, whose completed plan it builds on. Both are idempotent and
deterministic (random.Random(2023)); a proposal that is not adopted (a demo database
seeded before projects existed) is skipped.
"""

import io
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from gongzhi.accounts.models import User
from gongzhi.contests.models import Entry
from gongzhi.organisations.models import OrgUnit, UnitKind
from gongzhi.partners.models import Partner
from gongzhi.places.models import Site, SiteKind
from gongzhi.planning.models import PlanningProcess
from gongzhi.proposals import services as proposals
from gongzhi.proposals.models import Comment, Proposal, ProposalStatus
from gongzhi.proposals.models import StatusChange as ProposalChange
from gongzhi.renewal import services
from gongzhi.renewal.models import (
    BudgetApproval,
    FundingSource,
    Phase,
    Project,
    ProjectKind,
    ProjectPhoto,
    ProjectStatus,
    Spending,
    StatusChange,
)
from gongzhi.surveys import services as surveys
from gongzhi.surveys.models import Response, Survey

YEAR = 2023
STAFF_AREAS = {"01", "02"}  # the demo area staff's areas; the secretariat does the others
PHOTOGRAPHERS = ["陈社工", "王合伙人", "居民志愿者小刘", "施工方资料员"]
BUILT_REPLY = "项目已完工，欢迎居民到现场体验并提出维护意见。"


@dataclass
class Built:
    """One of the seven: its proposal, what was built and how it went."""

    proposal: str  # the adopted proposal's title
    kind: str
    site: str  # a site of the proposal's area (made if missing)
    site_kind: str
    title: str
    description: str
    budget: str
    funding: str
    contractor: str
    start: date  # construction starts (the plan says the same day)
    # (milestone, planned days, days late)
    milestones: list[tuple[str, int, int]]
    result: str
    photos: dict[str, list[str]]
    people: str
    responses: int
    # Weights of the answers 1..5 to the satisfaction question.
    weights: list[int]
    comments: list[str]
    extra: tuple[str, str, str] | None = None  # (amount, reason, authority)
    maintained_by: str = ""
    spend_share: list[int] = field(default_factory=lambda: [30, 45, 20])


BUILT = [
    Built(
        proposal="中心花园改造为社区花园",
        kind=ProjectKind.GARDEN,
        site="中心花园",
        site_kind=SiteKind.GREEN_SPACE,
        title="逸景佳苑社区花园",
        description="把常年踩秃的中心草坪改造成楼组认养的社区花园：分块种植区、堆肥箱、工具房和一条碎石步道。",
        budget="120000.00",
        funding=FundingSource.TOWN_BUDGET,
        contractor="上海青禾景观工程有限公司",
        start=date(YEAR, 3, 20),
        milestones=[
            ("场地清理与土壤改良", 10, 0),
            ("碎石步道、堆肥箱和工具房", 14, 2),
            ("认养地块划分与首批种植", 12, 3),
        ],
        result=(
            "建成社区花园约420平方米：16块楼组认养地块、2个堆肥箱、1间工具房和60米碎石步道。"
            "首批种植由“小小园艺师”活动的亲子家庭完成，认养公约已在花园入口公示。"
        ),
        photos={
            Phase.BEFORE: ["草坪被踩秃，雨后积水", "花园入口的破损围栏"],
            Phase.DURING: ["土壤改良和地块放线", "居民一起铺设碎石步道"],
            Phase.AFTER: ["认养地块种上蔬菜和花卉", "新建的工具房和堆肥箱"],
        },
        people="楼组长、亲子家庭、施工人员",
        responses=38,
        weights=[0, 1, 2, 8, 27],
        comments=[
            "孩子们每天都要去看菜长高了没有。",
            "希望多放几张长椅。",
            "认养公约很好，大家都守规矩。",
        ],
        maintained_by="逸景佳苑楼组认养小组",
    ),
    Built(
        proposal="3号楼转角增设休息座椅",
        kind=ProjectKind.FACILITIES,
        site="3号楼转角",
        site_kind=SiteKind.PATH,
        title="3号楼转角休息座椅",
        description="在老人去菜场的必经之路3号楼转角增设两张带靠背和扶手的座椅，修补转角地面。",
        budget="30000.00",
        funding=FundingSource.SELF_GOVERNANCE_FUND,
        contractor="上海邻安市政设施有限公司",
        start=date(YEAR, 4, 10),
        milestones=[("座椅基础施工", 7, 0), ("座椅安装", 5, 2), ("转角地面修补", 4, 0)],
        result="在3号楼转角安装2张带靠背、扶手的防腐木座椅，修补地面12平方米，台阶加装防滑条。",
        photos={
            Phase.BEFORE: ["转角只有一块水泥墩，老人站着歇脚"],
            Phase.DURING: ["座椅基础浇筑"],
            Phase.AFTER: ["老人在新座椅上歇脚", "台阶上的防滑条"],
        },
        people="3号楼居民、施工人员",
        responses=24,
        weights=[0, 0, 1, 5, 9],
        comments=["扶手高度正合适。", "夏天能不能加个遮阳？"],
    ),
    Built(
        proposal="路边小景：入口花坛营造",
        kind=ProjectKind.ROADSIDE,
        site="入口花坛",
        site_kind=SiteKind.PATH,
        title="入口花坛路边小景",
        description="清理小区入口只剩杂草的花坛，与居民一起营造四季有花的路边小景。",
        budget="60000.00",
        funding=FundingSource.TOWN_BUDGET,
        contractor="上海青禾景观工程有限公司",
        start=date(YEAR, 6, 19),
        milestones=[("杂草清理与土方", 7, 0), ("花坛砌筑", 10, 4), ("四季花卉种植", 7, 1)],
        result="入口两侧花坛重新砌筑共35米，种植四季花卉和耐旱地被，设置1块居民手绘的小景铭牌。",
        photos={
            Phase.BEFORE: ["入口花坛杂草丛生"],
            Phase.DURING: ["花坛重新砌筑", "居民志愿者一起种花"],
            Phase.AFTER: ["入口花坛四季有花"],
        },
        people="居民志愿者、施工人员",
        responses=21,
        weights=[0, 0, 2, 6, 9],
        comments=["进小区心情都变好了。", "希望有人定期浇水。"],
    ),
    Built(
        proposal="社区门头改造",
        kind=ProjectKind.GATE,
        site="小区南门",
        site_kind=SiteKind.GATE,
        title="小区南门门头改造",
        description="重新设计破旧的南门门头和小区名称，加装夜间照明，门头图案由居民投票选定。",
        budget="180000.00",
        funding=FundingSource.TOWN_BUDGET,
        contractor="上海宏景装饰工程有限公司",
        start=date(YEAR, 7, 17),
        milestones=[("旧门头拆除", 7, 0), ("门头主体制作与安装", 21, 6), ("夜间照明与标识", 10, 2)],
        result=(
            "南门门头整体更新：新门头和居民投票选定的小区名称字样，LED夜间照明，"
            "更换老化线路和配电箱（追加预算经镇里批准）。"
        ),
        photos={
            Phase.BEFORE: ["南门门头破旧，名字看不清", "门头夜间一片漆黑"],
            Phase.DURING: ["新门头钢结构吊装", "更换老化线路"],
            Phase.AFTER: ["新门头和小区名称", "门头夜间照明"],
        },
        people="施工人员、业委会代表",
        responses=33,
        weights=[0, 1, 2, 10, 20],
        comments=["晚上回家终于看得清门了。", "字体很有我们小区的味道。", "施工期间绕行有点不便。"],
        extra=(
            "15000.00",
            "拆除旧门头后发现原照明线路老化，需更换电缆和配电箱。",
            "高境镇社区规划专项资金审批会议（2023年第8次）",
        ),
        spend_share=[30, 50, 27],
    ),
    Built(
        proposal="旧墙新颜：围墙微更新",
        kind=ProjectKind.OLD_WALL,
        site="沿街围墙",
        site_kind=SiteKind.WALL,
        title="旧墙新颜·社区文化墙",
        description="清理墙皮脱落的沿街围墙，与居民和设计师合伙人一起绘制展示社区历史的文化墙。",
        budget="90000.00",
        funding=FundingSource.SPONSOR,
        contractor="上海绘里文化创意有限公司",
        start=date(YEAR, 10, 9),
        milestones=[("墙面清理与修补", 10, 0), ("旧墙新颜彩绘日", 12, 1), ("罩面保护", 5, 0)],
        result="沿街围墙80米完成清理修补和彩绘，画出社区三十年的老故事，罩面防水保护，共有420人次参与彩绘。",
        photos={
            Phase.BEFORE: ["墙皮大片脱落的沿街围墙"],
            Phase.DURING: ["彩绘日居民和孩子们一起上色"],
            Phase.AFTER: ["完成后的社区文化墙", "墙上的老故事"],
        },
        people="居民、设计师合伙人、孩子们",
        responses=29,
        weights=[0, 0, 2, 8, 19],
        comments=["我家孩子画的那朵花在第三段！", "希望再加上夜间灯光。"],
    ),
    Built(
        proposal="凉亭楼道共建",
        kind=ProjectKind.PAVILION,
        site="凉亭与楼道口",
        site_kind=SiteKind.PAVILION,
        title="凉亭楼道会客厅",
        description="修缮凉亭顶棚，清理周边楼道口，布置绿植和座椅，做成有顶的邻里会客厅。",
        budget="150000.00",
        funding=FundingSource.TOWN_BUDGET,
        contractor="上海宏景装饰工程有限公司",
        start=date(YEAR, 11, 13),
        milestones=[("凉亭顶棚修缮", 8, 0), ("楼道口座椅与绿植", 8, 1), ("照明安装", 4, 0)],
        result="凉亭顶棚和木构件修缮，楼道口清理堆物后布置6组座椅和绿植，新增4盏庭院灯。",
        photos={
            Phase.BEFORE: ["凉亭顶棚漏雨、木椅松动", "楼道口堆满杂物"],
            Phase.DURING: ["凉亭顶棚修缮"],
            Phase.AFTER: ["修缮后的凉亭会客厅", "楼道口的新座椅和绿植"],
        },
        people="楼组长、居民志愿者",
        responses=26,
        weights=[0, 0, 2, 8, 16],
        comments=["下雨天也能在凉亭里聊天了。", "绿植要有人照看。"],
    ),
    Built(
        proposal="便民挂钩安装",
        kind=ProjectKind.HOOKS,
        site="单元门口与快递点",
        site_kind=SiteKind.FACILITY,
        title="便民挂钩进单元",
        description="在各单元门口和快递点安装便民挂钩，方便居民临时挂放物品。",
        budget="8000.00",
        funding=FundingSource.SELF_GOVERNANCE_FUND,
        contractor="上海邻安市政设施有限公司",
        start=date(YEAR, 12, 11),
        milestones=[("点位确认", 2, 0), ("便民挂钩安装日", 5, 0), ("验收", 2, 0)],
        result="在24个单元门口和2处快递点安装便民挂钩120个，由楼组长定期检查。",
        photos={
            Phase.BEFORE: ["单元门口没有地方挂袋子"],
            Phase.DURING: ["便民挂钩安装日"],
            Phase.AFTER: ["单元门口的便民挂钩"],
        },
        people="楼组长、居民志愿者",
        responses=17,
        weights=[0, 0, 1, 5, 11],
        comments=["小东西，大方便。"],
        spend_share=[40, 55],
    ),
]

CURRENT_TITLE = "逸景佳苑中心花园微更新（一期）"
PLANNED_TITLE = "一米菜园"


def _at(day: date, hour: int = 10, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


# --- Pictures ------------------------------------------------------------------------

SKY = {Phase.BEFORE: (176, 182, 190), Phase.DURING: (190, 204, 216), Phase.AFTER: (140, 190, 235)}
FLOWERS = [(230, 90, 110), (240, 200, 80), (150, 110, 200), (90, 170, 90)]


def _picture(kind: str, phase: str, index: int) -> SimpleUploadedFile:
    """A small drawing of the site: dull before, fenced during, bright after; the
    shapes say what kind of project it is. A few KB as a JPEG."""
    after = phase == Phase.AFTER
    image = Image.new("RGB", (360, 240), SKY[phase])
    draw = ImageDraw.Draw(image)
    # A cloud and a tree where the photographer happened to stand.
    cloud = 20 + index * 67 % 280
    draw.ellipse([cloud, 12, cloud + 60, 36], fill=(236, 238, 240))
    tree = 300 - index * 41 % 260
    draw.rectangle([tree + 12, 120, tree + 18, 172], fill=(100, 75, 50))
    draw.ellipse([tree, 88, tree + 30, 130], fill=(70, 130, 70) if after else (95, 120, 85))
    draw.rectangle([0, 170, 360, 240], fill=(120, 150, 95) if after else (150, 140, 120))
    shift = index % 4 * 12
    if kind == ProjectKind.GARDEN:
        for n in range(4):
            x = 20 + n * 85 + shift // 2
            bed = (90, 160, 80) if after else (130, 105, 80)
            draw.rectangle([x, 150, x + 65, 195], fill=bed, outline=(90, 70, 50))
            if after:
                for k in range(4):
                    draw.ellipse([x + 6 + k * 15, 155, x + 16 + k * 15, 165], fill=(230, 90, 110))
    elif kind == ProjectKind.OLD_WALL:
        draw.rectangle([10, 60, 350, 180], fill=(200, 190, 175) if after else (165, 160, 155))
        if after:
            for n, colour in enumerate([(230, 120, 80), (90, 150, 210), (240, 200, 80)]):
                draw.ellipse([30 + n * 110, 80, 120 + n * 110, 160], fill=colour)
        else:
            draw.line([60 + shift, 70, 90, 170], fill=(90, 85, 80), width=3)
            draw.line([220, 60, 200 + shift, 150], fill=(90, 85, 80), width=3)
    elif kind == ProjectKind.PAVILION:
        roof = (180, 60, 50) if after else (110, 100, 95)
        draw.polygon([(90, 90), (180, 40), (270, 90)], fill=roof)
        draw.rectangle([110, 90, 120, 180], fill=(120, 80, 50))
        draw.rectangle([240, 90, 250, 180], fill=(120, 80, 50))
        if after:
            draw.rectangle([135, 150, 225, 160], fill=(160, 110, 60))
    elif kind == ProjectKind.GATE:
        frame = (170, 70, 60) if after else (130, 125, 120)
        draw.rectangle([60, 50, 300, 80], fill=frame)
        draw.rectangle([60, 80, 80, 190], fill=frame)
        draw.rectangle([280, 80, 300, 190], fill=frame)
        if after:
            for n in range(5):
                draw.ellipse([95 + n * 40, 56, 113 + n * 40, 74], fill=(250, 220, 120))
    elif kind == ProjectKind.HOOKS:
        draw.rectangle([40, 40, 320, 180], fill=(215, 210, 200))
        draw.rectangle([150, 80, 210, 180], fill=(110, 90, 70))
        if after:
            for n in range(6):
                x = 60 + n * 15 if n < 3 else 200 + n * 15
                draw.rectangle([x, 100, x + 5, 115], fill=(60, 60, 70))
    elif kind == ProjectKind.FACILITIES:
        if after:
            for x in (60, 210):
                draw.rectangle([x, 140, x + 90, 150], fill=(160, 110, 60))
                draw.rectangle([x, 115, x + 90, 125], fill=(160, 110, 60))
                draw.rectangle([x + 5, 150, x + 12, 180], fill=(80, 80, 80))
                draw.rectangle([x + 78, 150, x + 85, 180], fill=(80, 80, 80))
        else:
            draw.rectangle([150, 150, 200, 180], fill=(150, 150, 150))
    else:  # roadside scenery and anything else: a planted strip
        for n in range(9):
            x = 15 + n * 38
            colour = FLOWERS[n % len(FLOWERS)] if after else (110, 120, 80)
            draw.ellipse([x, 140 + shift % 20, x + 34, 175], fill=colour)
    if phase == Phase.DURING:
        # The site fenced off: orange and white barrier boards.
        for n in range(0, 360, 40):
            draw.rectangle([n, 195, n + 20, 225], fill=(240, 140, 40))
            draw.rectangle([n + 20, 195, n + 40, 225], fill=(245, 245, 240))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return SimpleUploadedFile(f"{kind}-{phase}-{index}.jpg", out.getvalue(), "image/jpeg")


# --- Helpers shared by both seeds ------------------------------------------------------


def _analyze() -> None:
    """Fresh planner statistics on PostgreSQL before the services run their queries.
    The demos before this one write thousands of rows, in a transaction autovacuum
    does not see when seeding runs inside one (the tests): planned without
    statistics, the participants query of complete_project (users joined to
    proposals and supports) ran for minutes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _site(area, name, kind) -> Site:
    site, _created = Site.objects.get_or_create(
        town=area.town, area=area, name=name, defaults={"kind": kind}
    )
    return site


def _unit_for(town, area) -> OrgUnit:
    """The team serving the area, else the town's secretariat."""
    team = OrgUnit.objects.filter(town=town, kind=UnitKind.TEAM, areas=area).order_by("pk").first()
    return team or OrgUnit.objects.get(town=town, kind=UnitKind.SECRETARIAT)


def _partners_for(town, area, unit) -> list[Partner]:
    """Two partners living in the area, else two members of the responsible unit."""
    found = list(Partner.objects.filter(town=town, user__residential_area=area).order_by("pk")[:2])
    if not found:
        found = list(
            Partner.objects.filter(town=town, memberships__unit=unit).distinct().order_by("pk")[:2]
        )
    return found


def _photo(project, actor, phase, kind, index, content, when, people) -> ProjectPhoto:
    return services.add_photo(
        project=project,
        actor=actor,
        phase=phase,
        upload=_picture(kind, phase, index),
        content=content,
        taken_at=when,
        place=f"{project.area.name}{project.site.name}",
        photographer=PHOTOGRAPHERS[index % len(PHOTOGRAPHERS)],
        people=people,
    )


def _date_records(project, *, created, updated) -> None:
    """Move what the services stamped "now" to the project's own dates: its status
    changes to the day they record, spending and approvals to theirs, photos to a
    little after they were taken."""
    Project.objects.filter(pk=project.pk).update(created_at=created, updated_at=updated)
    changes = list(StatusChange.objects.filter(project=project))
    for change in changes:
        change.at = _at(change.on, 17)
    StatusChange.objects.bulk_update(changes, ["at"])
    spendings = list(Spending.objects.filter(project=project))
    for spending in spendings:
        spending.recorded_at = _at(spending.spent_on, 15)
    Spending.objects.bulk_update(spendings, ["recorded_at"])
    approvals = list(BudgetApproval.objects.filter(project=project))
    for approval in approvals:
        approval.recorded_at = _at(approval.approved_on, 16)
    BudgetApproval.objects.bulk_update(approvals, ["recorded_at"])
    photos = list(ProjectPhoto.objects.filter(project=project))
    for photo in photos:
        photo.uploaded_at = photo.taken_at + timedelta(hours=2)
    ProjectPhoto.objects.bulk_update(photos, ["uploaded_at"])


# --- The seven of 2023 ----------------------------------------------------------------


def _adopted_on(proposal: Proposal) -> date:
    change = proposal.history.filter(to_status=ProposalStatus.ADOPTED).order_by("-at").first()
    return timezone.localtime(change.at).date() if change else proposal.created_at.date()


def _answers(project, comment_question, rng, spec: Built) -> dict:
    satisfaction = rng.choices(range(1, 6), spec.weights)[0]
    # Sense of gain goes with satisfaction, a point either way now and then.
    gain = min(5, max(1, satisfaction + rng.choice([-1, 0, 0, 0, 0, 1])))
    answers = {project.gain_question_id: gain, project.satisfaction_question_id: satisfaction}
    if comment_question is not None:
        answers[comment_question] = rng.choice(spec.comments) if rng.random() < 0.3 else ""
    return answers


def _satisfaction(project, spec: Built, rng, completed: date) -> None:
    """Answers from the area's demo residents over the weeks after completion."""
    people = list(
        User.objects.filter(residential_area=project.area, phone__startswith="1350")
        .order_by("pk")
        .only("pk")
    )
    rng.shuffle(people)
    comment_question = (
        project.satisfaction_survey.questions.exclude(
            pk__in=[project.gain_question_id, project.satisfaction_question_id]
        )
        .values_list("pk", flat=True)
        .first()
    )
    responses = [
        surveys.submit_response(
            survey=project.satisfaction_survey,
            user=user,
            answers=_answers(project, comment_question, rng, spec),
        )
        for user in people[: spec.responses]
    ]
    last = min(completed + timedelta(days=30), date(YEAR, 12, 31))
    span = max(1, (last - completed).days)
    for response in responses:
        day = completed + timedelta(days=rng.randint(1, span))
        response.submitted_at = _at(day, rng.randint(8, 21), rng.randint(0, 59))
    Response.objects.bulk_update(responses, ["submitted_at"])
    published = _at(completed, 16)
    Survey.objects.filter(pk=project.satisfaction_survey_id).update(
        created_at=published, updated_at=published, opened_at=published
    )


def _build(town, spec: Built, proposal: Proposal, actor, secretariat, rng) -> Project:
    area = proposal.area
    site = proposal.site or _site(area, spec.site, spec.site_kind)
    unit = _unit_for(town, area)
    # Set up three weeks before construction, or soon after the adoption when that
    # came later; construction waits a week at least (the dates move if need be).
    created = max(spec.start - timedelta(days=21), _adopted_on(proposal) + timedelta(days=3))
    start = max(spec.start, created + timedelta(days=7))
    planned, actual = [], []
    planned_day = actual_day = start
    for _title, days, late in spec.milestones:
        planned.append((planned_day, planned_day + timedelta(days=days - 1)))
        actual.append((actual_day, actual_day + timedelta(days=days - 1 + late)))
        planned_day += timedelta(days=days)
        actual_day += timedelta(days=days + late)
    completed = actual[-1][1] + timedelta(days=2)
    project = services.create_project(
        town=town,
        actor=actor,
        site=site,
        responsible_unit=unit,
        title=spec.title,
        description=spec.description,
        kind=spec.kind,
        budget=spec.budget,
        funding_source=spec.funding,
        planned_start=start,
        planned_end=planned[-1][1],
        contractor=spec.contractor,
        partners=_partners_for(town, area, unit),
        proposal=proposal,
    )
    milestones = [
        services.add_milestone(
            project=project, actor=actor, title=title, planned_start=begin, planned_end=end
        )
        for (title, _days, _late), (begin, end) in zip(spec.milestones, planned, strict=True)
    ]
    index = 0
    for content in spec.photos[Phase.BEFORE]:
        when = _at(created + timedelta(days=2 + index), 9 + index)
        _photo(project, actor, Phase.BEFORE, spec.kind, index, content, when, "")
        index += 1
    project = services.start_construction(project=project, actor=actor, on=start)
    budget = Decimal(spec.budget)
    shares = iter(spec.spend_share)
    during = iter(spec.photos[Phase.DURING])
    for number, (milestone, (begin, end)) in enumerate(zip(milestones, actual, strict=True)):
        services.record_milestone(milestone=milestone, actor=actor, actual_start=begin)
        content = next(during, None)
        if content is not None:
            when = _at(begin + timedelta(days=(end - begin).days // 2), 10 + index % 5)
            _photo(project, actor, Phase.DURING, spec.kind, index, content, when, spec.people)
            index += 1
        if spec.extra and number == len(milestones) - 1:
            amount, reason, authority = spec.extra
            services.approve_extra_budget(
                project=project,
                actor=secretariat,
                amount=amount,
                reason=reason,
                authority=authority,
                approved_on=begin,
            )
        services.record_milestone(
            milestone=milestone, actor=actor, actual_start=begin, actual_end=end
        )
        share = next(shares, None)
        if share is not None:
            services.record_spending(
                project=project,
                actor=actor,
                amount=(budget * share / 100).quantize(Decimal("0.01")),
                spent_on=end,
                item=f"{milestone.title}（{spec.contractor}）",
                payee=spec.contractor,
            )
    for content in spec.photos[Phase.AFTER]:
        when = _at(completed - timedelta(days=1), 9 + index % 6)
        _photo(project, actor, Phase.AFTER, spec.kind, index, content, when, spec.people)
        index += 1
    project = services.complete_project(
        project=project, actor=actor, result=spec.result, completed_on=completed
    )
    last = completed
    if spec.maintained_by:
        last = completed + timedelta(days=30)
        project = services.start_maintenance(
            project=project, actor=actor, maintained_by=spec.maintained_by, on=last
        )
    published = _at(completed, 16)
    Project.objects.filter(pk=project.pk).update(result_published_at=published)
    _date_records(project, created=_at(created, 10), updated=_at(last, 17))
    project.refresh_from_db()
    _satisfaction(project, spec, rng, completed)
    _date_proposal(proposal, actor, published)
    return project


def _date_proposal(proposal: Proposal, actor, published) -> None:
    """The proposal became implemented when the result was published; its staff say
    so in an official reply the next day."""
    reply = proposals.add_comment(proposal=proposal, author=actor, body=BUILT_REPLY)
    replied = published + timedelta(days=1)
    Comment.objects.filter(pk=reply.pk).update(created_at=replied)
    change = proposal.history.filter(to_status=ProposalStatus.IMPLEMENTED).order_by("-pk").first()
    if change is not None:
        ProposalChange.objects.filter(pk=change.pk).update(at=published)
    Proposal.objects.filter(pk=proposal.pk).update(updated_at=replied, last_activity_at=replied)


@transaction.atomic
def seed(town, staff, secretariat) -> bool:
    """The seven projects built in 2023; False when the town already has projects.
    ``staff`` (area staff of 逸景佳苑 and 第二居民区) and ``secretariat`` manage
    them, each in the areas they serve; the secretariat approves the extra budget."""
    if Project.objects.filter(town=town).exists():
        return False
    rng = random.Random(YEAR)
    _analyze()
    by_title = {
        p.title: p
        for p in Proposal.objects.filter(
            town=town, title__in=[spec.proposal for spec in BUILT]
        ).select_related("area", "site")
    }
    built = False
    for spec in BUILT:
        proposal = by_title.get(spec.proposal)
        if proposal is None or proposal.status != ProposalStatus.ADOPTED:
            continue
        actor = staff if proposal.area.code in STAFF_AREAS else secretariat
        _build(town, spec, proposal, actor, secretariat, rng)
        built = True
    return built


# --- Running now ---------------------------------------------------------------------


@transaction.atomic
def seed_current(town, staff, secretariat) -> bool:
    """The central garden of 逸景佳苑 under construction now, from its completed plan,
    and the contest's 一米菜园 planned; False when they are there (or their origins
    are not). Dates are counted back from today, so the demo always has a project
    on site."""
    if Project.objects.filter(town=town, title__in=[CURRENT_TITLE, PLANNED_TITLE]).exists():
        return False
    made = False
    _analyze()
    process = (
        PlanningProcess.objects.filter(town=town, status="completed")
        .select_related("area")
        .order_by("pk")
        .first()
    )
    if process is not None:
        _under_construction(
            town, process, staff if process.area.code in STAFF_AREAS else secretariat
        )
        made = True
    entry = (
        Entry.objects.filter(contest__town=town, title=PLANNED_TITLE)
        .select_related("site__area")
        .first()
    )
    if entry is not None and entry.is_winner:
        _planned(town, entry, staff if entry.site.area.code in STAFF_AREAS else secretariat)
        made = True
    return made


def _under_construction(town, process, actor) -> Project:
    today = timezone.localdate()
    created = today - timedelta(days=70)
    start = today - timedelta(days=35)
    area = process.area
    site = _site(area, "中心花园", SiteKind.GREEN_SPACE)
    unit = _unit_for(town, area)
    project = services.create_project(
        town=town,
        actor=actor,
        site=site,
        responsible_unit=unit,
        title=CURRENT_TITLE,
        description=(
            "按公示定稿的规划方案实施：带靠背的休憩座椅、雨水花园解决积水、夜间低位照明、"
            "花园东侧的儿童角（绿篱降噪），保留香樟树荫，不减少停车位。"
        ),
        kind=ProjectKind.GARDEN,
        budget="260000.00",
        funding_source=FundingSource.TOWN_BUDGET,
        planned_start=start,
        planned_end=today + timedelta(days=40),
        contractor="上海青禾景观工程有限公司",
        partners=_partners_for(town, area, unit),
        process=process,
    )
    steps = [
        ("场地清理与排水改造", start, start + timedelta(days=20)),
        ("步道、座椅和儿童角", start + timedelta(days=21), today + timedelta(days=15)),
        ("夜间照明与绿化补植", today + timedelta(days=16), today + timedelta(days=40)),
    ]
    milestones = [
        services.add_milestone(
            project=project, actor=actor, title=title, planned_start=begin, planned_end=end
        )
        for title, begin, end in steps
    ]
    for n, content in enumerate(["中心花园现状：座椅破损、地面积水", "雨后花园步道积水"]):
        when = _at(created + timedelta(days=3 + n), 10)
        _photo(project, actor, Phase.BEFORE, ProjectKind.GARDEN, n, content, when, "")
    project = services.start_construction(project=project, actor=actor, on=start)
    first_end = start + timedelta(days=22)
    services.record_milestone(
        milestone=milestones[0], actor=actor, actual_start=start, actual_end=first_end
    )
    services.record_milestone(
        milestone=milestones[1], actor=actor, actual_start=first_end + timedelta(days=1)
    )
    for n, content in enumerate(["雨水花园开挖", "新步道铺设"], start=2):
        when = _at(start + timedelta(days=10 * (n - 1)), 11)
        _photo(project, actor, Phase.DURING, ProjectKind.GARDEN, n, content, when, "施工人员")
    services.record_spending(
        project=project,
        actor=actor,
        amount="78000.00",
        spent_on=start,
        item="预付款（30%）",
        payee="上海青禾景观工程有限公司",
    )
    services.record_spending(
        project=project,
        actor=actor,
        amount="52000.00",
        spent_on=first_end,
        item="场地清理与排水改造进度款",
        payee="上海青禾景观工程有限公司",
    )
    _date_records(project, created=_at(created, 10), updated=_at(first_end + timedelta(days=1), 17))
    return project


def _planned(town, entry, actor) -> Project:
    today = timezone.localdate()
    area = entry.site.area
    unit = _unit_for(town, area)
    project = services.create_project(
        town=town,
        actor=actor,
        site=entry.site,
        responsible_unit=unit,
        title=PLANNED_TITLE,
        description=(
            "设计赛获奖方案“一米菜园”落地：在中心花园一角划出一米见方的种植格，"
            "由居民家庭认领，设置雨水收集桶和工具箱。"
        ),
        kind=ProjectKind.GARDEN,
        budget="45000.00",
        funding_source=FundingSource.SELF_GOVERNANCE_FUND,
        planned_start=today + timedelta(days=30),
        planned_end=today + timedelta(days=75),
        contractor="",
        partners=_partners_for(town, area, unit),
        entry=entry,
    )
    for title, begin, end in [
        ("种植格制作", today + timedelta(days=30), today + timedelta(days=50)),
        ("认领与首批种植", today + timedelta(days=51), today + timedelta(days=75)),
    ]:
        services.add_milestone(
            project=project, actor=actor, title=title, planned_start=begin, planned_end=end
        )
    _photo(
        project,
        actor,
        Phase.BEFORE,
        ProjectKind.GARDEN,
        0,
        "中心花园一角现状：闲置的草地",
        _at(today - timedelta(days=6), 10),
        "",
    )
    _date_records(
        project,
        created=_at(today - timedelta(days=8), 10),
        updated=_at(today - timedelta(days=6), 12),
    )
    return project


def summary(town) -> str:
    """One line for seed_demo: the projects and their satisfaction responses."""
    projects = Project.objects.filter(town=town)
    finished = projects.filter(status__in=[ProjectStatus.COMPLETED, ProjectStatus.MAINTENANCE])
    responses = Response.objects.filter(survey__in=finished.values("satisfaction_survey")).count()
    return (
        f"Micro-renewal: {projects.count()} projects ({finished.count()} built, "
        f"{projects.filter(status=ProjectStatus.UNDER_CONSTRUCTION).count()} under "
        f"construction), {responses} satisfaction responses"
    )
