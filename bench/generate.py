"""Fill an empty database with a benchmark data set of a chosen scale.

    .venv/bin/python bench/generate.py --scale town --out bench/results/dataset.json

Scales (see SCALES): town (1 town, 32 areas, 2,000 users), district (12 towns,
400 areas, 200,000 users) and city (150 towns, 4,000 areas, 1,000,000 users).
Every town also gets a talent pool of about 100 community partners (their modes,
skills and partner role) and its 1+5+n organisation: the secretariat, five
committees and a dozen teams with their members. These are written in bulk, not
through the services: bench data have no applications and no audit trail.
The data are deterministic for a given --seed. Users are written with PostgreSQL's
COPY (bulk_create elsewhere) and all share one precomputed password hash, so the
district scale takes seconds rather than minutes.

It also creates one published activity whose check-in is open for six hours, for the
check-in burst (bench/run.py, "checkin"), and one secretariat account for the first
town, logged in through Django's session engine, so the load tool can fetch staff pages
(and the activity's check-in QR code) with that session cookie. For the SMS measurements
it adds 10,000 people with a verified number and the SMS consent, registered for 20 of
tomorrow's activities in the first town (the reminders), and picks the numbers of the
code burst. Everything the load
run needs (town slug, area id, search term, cookie, activity) is written as JSON to
--out. The session is signed with DJANGO_SECRET_KEY: run the
server with the same key.
"""

import argparse
import datetime
import json
import os
import random
import secrets
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import login  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.http import HttpRequest  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from gongzhi.accounts.models import User  # noqa: E402
from gongzhi.core.scope import Role  # noqa: E402
from gongzhi.events.models import (  # noqa: E402
    Activity,
    ActivityKind,
    ActivityPartner,
    ActivityStatus,
    Attendance,
    HoursClaim,
    WalkInCount,
)
from gongzhi.meetings import decisions  # noqa: E402
from gongzhi.meetings.models import (  # noqa: E402
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendee,
    Choice,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Motion,
    MotionResult,
    MotionStatus,
    Party,
    PartyPresence,
    Vote,
    VoteMode,
)
from gongzhi.organisations.models import (  # noqa: E402
    MemberRole,
    Membership,
    OrgUnit,
    TeamBasis,
    UnitKind,
)
from gongzhi.organisations.services import COMMITTEE_NAMES  # noqa: E402
from gongzhi.partners.models import (  # noqa: E402
    Mode,
    Partner,
    PartnerMode,
    PartnerStatus,
    PartyStatus,
    Skill,
    Slot,
)
from gongzhi.places.models import ResidentialArea, RoleGrant, Site, SiteKind, Town  # noqa: E402
from gongzhi.places.services import grant_role  # noqa: E402
from gongzhi.planning.models import (  # noqa: E402
    Interview,
    Need,
    PlanningProcess,
    ProcessStatus,
    RunOutcome,
    StepRun,
)
from gongzhi.planning.services import ensure_default_template  # noqa: E402
from gongzhi.proposals.counters import recount  # noqa: E402
from gongzhi.proposals.models import (  # noqa: E402
    Category,
    Comment,
    Proposal,
    ProposalStatus,
    StatusChange,
    Support,
)
from gongzhi.renewal.models import (  # noqa: E402
    FINISHED,
    BudgetApproval,
    FundingSource,
    Milestone,
    Phase,
    Project,
    ProjectKind,
    ProjectPhoto,
    ProjectStatus,
    Spending,
)
from gongzhi.renewal.models import StatusChange as ProjectChange  # noqa: E402
from gongzhi.renewal.services import (  # noqa: E402
    COMMENT_QUESTION,
    GAIN_QUESTION,
    SATISFACTION_QUESTION,
)
from gongzhi.surveys.models import (  # noqa: E402
    Answer,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyStatus,
)


@dataclass(frozen=True)
class Scale:
    towns: int
    areas: int
    users: int
    sites_per_area: int  # on average
    partners_per_town: int = 100  # the programme's town had 93
    teams_per_town: int = 12
    # Deliberation, per residential area: the programme's town raised 44 proposals and
    # held 96 meetings in a year; a busy platform has more of both after two years.
    proposals_per_area: int = 12
    meetings_per_area: int = 6  # over two years: about 100 a year in a town of 32 areas
    # Micro-renewal: the programme's town built 7 sites in a year; after a few years of
    # a platform every area has several projects (about 300 in a town of 32 areas).
    projects_per_area: int = 9


SCALES = {
    "town": Scale(towns=1, areas=32, users=2_000, sites_per_area=4),
    "district": Scale(towns=12, areas=400, users=200_000, sites_per_area=4),
    "city": Scale(towns=150, areas=4_000, users=1_000_000, sites_per_area=4),
}

BATCH = 5_000


def words(text: str) -> list[str]:
    return text.split()


# Share of users who have not (yet) named their residential area.
USERS_WITHOUT_AREA = 0.05
# Area names are PREFIX + SUFFIX, unique inside a town for up to 40 x 12 areas.
AREA_PREFIXES = words(
    "逸景 高境 殷高 淞沪 江湾 新江 一方 水产 庙行 场中 共康 长江 三门 逸仙 政立 民府 "
    "国和 翔殷 五角 邯郸 纪念 恒业 泗塘 友谊 宝钢 通河 泰和 长临 共和 呼玛 乾溪 虎林 "
    "聚丰 淞南 张庙 大华 真华 行知 新华 锦秋"
)
AREA_SUFFIXES = words("佳苑 新村 花园 公寓 小区 家园 雅苑 名邸 一村 二村 三村 城")
SEARCH_TERM = "新村"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文"
SITE_WORDS = words("中心 东侧 西侧 南门 北门 楼道 广场 长廊 河畔 屋顶 转角 里弄")
TOWN_WORDS = words("高境 淞南 庙行 顾村 罗店 月浦 杨行 大场 张庙 吴淞 友谊 罗泾")
PROFESSIONS = words(
    "医生 教师 律师 设计师 退休职工 规划师 社工 摄影师 会计 工程师 园艺爱好者 大学生 "
    "建筑师 编辑 心理咨询师 退休教师 楼组长 物业经理"
)
SKILLS = words(
    "园艺 摄影 法律咨询 活动策划 手绘 视频剪辑 心理疏导 儿童教育 旧物改造 社区调研 "
    "公众号运营 空间设计 矛盾调解 议事协商 健康科普 书法 文案写作 数据分析"
)
TEAM_THEMES = words(
    "社区花园营造 旧墙新颜 凉亭楼道微更新 社区门头设计 路边小景营造 便民设施共建 "
    "适老化改造 儿童友好空间 一客一厅共创 议事厅共建 睦邻规划 微更新共创"
)
# Share of partners with a second work mode, and of partners who paused.
SECOND_MODE = 0.4
PAUSED = 0.03
# A partner of a town is one of that town's users: how many to draw the pool from.
CANDIDATES_PER_PARTNER = 4


def split_evenly(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def phone_for(n: int) -> str:
    # 1 + 9 + nine digits: never collides with the demo accounts (138...).
    return f"19{n:09d}"


def copy_rows(model, rows, columns):
    """Insert ``rows`` (tuples in the order of ``columns``, attribute names) quickly.

    Every other concrete field gets its default, so fields added to the model later
    (with a default) do not break the generator.
    """
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    given = {name: i for i, name in enumerate(columns)}
    unknown = set(columns) - {f.attname for f in fields}
    if unknown:
        raise SystemExit(f"{model.__name__} has no field(s) {sorted(unknown)}")
    fixed = {}
    for f in fields:
        if f.attname in given:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        else:
            value = f.get_default()
        fixed[f.attname] = f.get_db_prep_save(value, connection)

    def full(row):
        return [row[given[f.attname]] if f.attname in given else fixed[f.attname] for f in fields]

    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(full(row))
        return
    batch = []
    for row in rows:
        batch.append(model(**dict(zip([f.attname for f in fields], full(row), strict=True))))
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch, batch_size=BATCH)
            batch = []
    if batch:
        model.objects.bulk_create(batch, batch_size=BATCH)


def make_towns(scale: Scale) -> list[Town]:
    towns = []
    for i in range(scale.towns):
        word = TOWN_WORDS[i % len(TOWN_WORDS)]
        number = i // len(TOWN_WORDS)
        name = f"{word}镇" if number == 0 else f"{word}{number + 1}镇"
        slug = f"bench-{i + 1:03d}"
        towns.append(Town(name=name, slug=slug, district="基准区", description="基准测试数据。"))
    return Town.objects.bulk_create(towns, batch_size=BATCH)


def make_areas(scale: Scale, towns: list[Town], rng: random.Random) -> list[ResidentialArea]:
    capacity = len(AREA_PREFIXES) * len(AREA_SUFFIXES)
    areas = []
    for town, count in zip(towns, split_evenly(scale.areas, len(towns)), strict=True):
        if count > capacity:
            raise SystemExit(f"at most {capacity} areas per town")
        for n in range(count):
            prefix = AREA_PREFIXES[n % len(AREA_PREFIXES)]
            # (n mod P, (n mod P + n div P) mod S) is unique for n < P * S, and mixes
            # the suffixes even in a small town, so that the search finds some areas.
            row, column = divmod(n, len(AREA_PREFIXES))
            suffix = AREA_SUFFIXES[(row + column) % len(AREA_SUFFIXES)]
            areas.append(
                ResidentialArea(
                    town=town,
                    name=prefix + suffix,
                    code=f"{n + 1:02d}",
                    address=f"{prefix}路{rng.randint(1, 999)}号",
                    households=rng.randint(400, 3000),
                )
            )
    return ResidentialArea.objects.bulk_create(areas, batch_size=BATCH)


def make_sites(scale: Scale, areas: list[ResidentialArea], rng: random.Random) -> int:
    kinds = list(SiteKind.values)
    sites = []
    for area in areas:
        count = rng.randint(max(1, scale.sites_per_area - 3), scale.sites_per_area + 3)
        for word in rng.sample(SITE_WORDS, min(count, len(SITE_WORDS))):
            kind = rng.choice(kinds)
            sites.append(
                Site(
                    town_id=area.town_id,
                    area=area,
                    name=f"{area.name}{word}",
                    kind=kind,
                    latitude=round(31.3 + rng.random() / 10, 6),
                    longitude=round(121.4 + rng.random() / 10, 6),
                )
            )
    Site.objects.bulk_create(sites, batch_size=BATCH)
    return len(sites)


def make_users(scale: Scale, areas: list[ResidentialArea], rng: random.Random) -> None:
    password = make_password(secrets.token_urlsafe(16))
    area_ids = [a.pk for a in areas]
    joined = timezone.now()

    def rows():
        for n in range(scale.users):
            area_id = None if rng.random() < USERS_WITHOUT_AREA else rng.choice(area_ids)
            name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=1 + n % 2))
            yield (phone_for(n), name, area_id, password, joined)

    copy_rows(
        User,
        rows(),
        ["phone", "display_name", "residential_area_id", "password", "date_joined"],
    )


def make_partners(scale: Scale, towns: list[Town], rng: random.Random) -> dict[int, list[Partner]]:
    """About ``partners_per_town`` partners in every town, drawn from its residents,
    with their work modes, skills and partner role. Returns them per town."""
    Skill.objects.bulk_create([Skill(name=name) for name in SKILLS], ignore_conflicts=True)
    skill_ids = list(Skill.objects.filter(name__in=SKILLS).values_list("pk", flat=True))
    modes = list(Mode.values)
    slots = list(Slot.values)
    party = [PartyStatus.DUAL_REGISTERED] * 2 + [PartyStatus.MEMBER] + [PartyStatus.NONE] * 7
    partners = []
    for town in towns:
        candidates = list(
            User.objects.filter(residential_area__town=town)
            .order_by("pk")
            .values_list("pk", "residential_area_id", "display_name")[
                : scale.partners_per_town * CANDIDATES_PER_PARTNER
            ]
        )
        for user_id, area_id, name in rng.sample(
            candidates, min(scale.partners_per_town, len(candidates))
        ):
            partner = Partner(
                town=town,
                user_id=user_id,
                area_id=area_id,
                name=name,
                profession=rng.choice(PROFESSIONS),
                party_status=rng.choice(party),
                status=PartnerStatus.PAUSED if rng.random() < PAUSED else PartnerStatus.ACTIVE,
                joined_on=datetime.date(2023, 3, 1) + datetime.timedelta(rng.randint(0, 900)),
            )
            partner.availability = [slot for slot in slots if rng.random() < 0.45]
            partners.append(partner)
    Partner.objects.bulk_create(partners, batch_size=BATCH)

    partner_modes, partner_skills, grants = [], [], []
    through = Partner.skills.through
    for partner in partners:
        primary, *others = rng.sample(modes, 2)
        partner_modes.append(PartnerMode(partner=partner, mode=primary, is_primary=True))
        if rng.random() < SECOND_MODE:
            partner_modes.append(PartnerMode(partner=partner, mode=others[0]))
        for skill_id in rng.sample(skill_ids, rng.randint(1, 4)):
            partner_skills.append(through(partner_id=partner.pk, skill_id=skill_id))
        grants.append(
            RoleGrant(user_id=partner.user_id, role=Role.PARTNER, town_id=partner.town_id)
        )
    PartnerMode.objects.bulk_create(partner_modes, batch_size=BATCH)
    through.objects.bulk_create(partner_skills, batch_size=BATCH)
    RoleGrant.objects.bulk_create(grants, batch_size=BATCH)
    by_town = {town.pk: [] for town in towns}
    primary_of = {m.partner_id: m.mode for m in partner_modes if m.is_primary}
    for partner in partners:
        partner.primary = primary_of[partner.pk]
        by_town[partner.town_id].append(partner)
    return by_town


def make_organisation(
    scale: Scale,
    towns: list[Town],
    areas: list[ResidentialArea],
    partners: dict[int, list[Partner]],
    rng: random.Random,
) -> dict[int, list[OrgUnit]]:
    """Every town's secretariat, five committees and teams (most around a planning
    leader, a quarter around a planning group), with members; a few memberships
    ended, as history. Returns the teams per town."""
    secretariats = OrgUnit.objects.bulk_create(
        [
            OrgUnit(town=town, kind=UnitKind.SECRETARIAT, name=f"{town.name}社区合伙人秘书处")
            for town in towns
        ],
        batch_size=BATCH,
    )
    units = []
    for secretariat in secretariats:
        for mode in Mode:
            units.append(
                OrgUnit(
                    town_id=secretariat.town_id,
                    kind=UnitKind.COMMITTEE,
                    mode=mode,
                    name=COMMITTEE_NAMES[mode],
                    parent=secretariat,
                )
            )
    areas_of = {town.pk: [] for town in towns}
    for area in areas:
        areas_of[area.town_id].append(area)
    team_areas = {}
    for secretariat in secretariats:
        town_id = secretariat.town_id
        planners = [p for p in partners[town_id] if p.primary == Mode.PLANNING]
        planners = [p for p in planners if p.status == PartnerStatus.ACTIVE]
        leaders = rng.sample(planners, min(len(planners), scale.teams_per_town * 3 // 4))
        for n in range(scale.teams_per_town):
            home = rng.choice(areas_of[town_id])
            theme = TEAM_THEMES[n % len(TEAM_THEMES)]
            team = OrgUnit(
                town_id=town_id,
                kind=UnitKind.TEAM,
                # Unique in the town: each of the first dozen teams has its own theme.
                name=f"{home.name}{theme}团队" + (f"{n + 1}" if n >= len(TEAM_THEMES) else ""),
                parent=secretariat,
                description=f"在{home.name}组织居民参与{theme}。",
            )
            if n < len(leaders):
                team.basis, team.leader = TeamBasis.LEADER, leaders[n]
            else:
                team.basis, team.group_name = TeamBasis.GROUP, f"{home.name}社区规划小组"
            units.append(team)
            team_areas[id(team)] = [home]
    OrgUnit.objects.bulk_create(units, batch_size=BATCH)
    OrgUnit.areas.through.objects.bulk_create(
        [
            OrgUnit.areas.through(orgunit_id=unit.pk, residentialarea_id=area.pk)
            for unit in units
            for area in team_areas.get(id(unit), [])
        ],
        batch_size=BATCH,
    )

    started = datetime.date(2023, 12, 1)
    ended = datetime.date(2025, 6, 30)
    memberships = []
    teams = {town.pk: [] for town in towns}
    for unit in [*secretariats, *units]:
        active = [p for p in partners[unit.town_id] if p.status == PartnerStatus.ACTIVE]
        if unit.kind == UnitKind.COMMITTEE:
            pool = [p for p in active if p.primary == unit.mode] or active
            size = min(len(pool), 7)
            roles = [MemberRole.HEAD, MemberRole.DEPUTY] + [MemberRole.MEMBER] * size
        elif unit.kind == UnitKind.SECRETARIAT:
            pool = [p for p in active if p.primary in (Mode.THINK_TANK, Mode.GOVERNANCE)]
            size = min(len(pool), 5)
            roles = [MemberRole.HEAD, MemberRole.DEPUTY] + [MemberRole.MEMBER] * size
        else:
            teams[unit.town_id].append(unit)
            pool = [p for p in active if p != unit.leader]
            size = min(len(pool), rng.randint(3, 8) - (1 if unit.leader else 0))
            roles = [MemberRole.DEPUTY] + [MemberRole.MEMBER] * size
            if unit.leader:
                memberships.append(
                    Membership(
                        unit=unit, partner=unit.leader, role=MemberRole.LEADER, start_date=started
                    )
                )
        for partner, role in zip(rng.sample(pool, size), roles, strict=False):
            memberships.append(
                Membership(unit=unit, partner=partner, role=role, start_date=started)
            )
        # One in ten units has a former member, kept as history.
        if unit.kind == UnitKind.TEAM and rng.random() < 0.1 and size > 3:
            memberships[-1].end_date = ended
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    return teams


# --- Deliberation: proposals and meetings ---------------------------------------------

PROPOSAL_THEMES = words(
    "社区花园 便民设施 路边小景 旧墙新颜 凉亭楼道 社区门头 便民挂钩 停车管理 夜间照明 "
    "适老座椅 儿童游乐 垃圾厢房 非机动车棚 健身器材 晾晒架 无障碍坡道"
)
PROPOSAL_ASKS = words("改造 增设 修缮 美化 更新 规划 共建 提升")
COMMENT_TEXTS = words(
    "支持！ 同意，早该做了。 建议先征求楼上楼下意见。 经费从哪里来？ 我愿意参加志愿维护。 "
    "位置再往东一点更好。 施工注意避开午休。 能不能先做试点？"
)
# Share of proposals in each status (merged ones are set afterwards, see below).
PROPOSAL_STATUSES = [
    (ProposalStatus.SUBMITTED, 38),
    (ProposalStatus.UNDER_REVIEW, 20),
    (ProposalStatus.ADOPTED, 18),
    (ProposalStatus.NOT_ADOPTED, 12),
    (ProposalStatus.IMPLEMENTED, 7),
    (ProposalStatus.MERGED, 5),
]
MEETING_KINDS = [
    (MeetingKind.SELF_GOVERNANCE, 50),
    (MeetingKind.JOINT, 15),
    (MeetingKind.DELIBERATION, 10),
    (MeetingKind.HEARING, 5),
    (MeetingKind.COORDINATION, 6),
    (MeetingKind.EVALUATION, 5),
    (MeetingKind.COMMITTEE, 5),
    (MeetingKind.TEAM, 4),
]
MEETING_TOPICS = words(
    "楼道堆物清理 非机动车停放 垃圾分类督导 社区花园认养 独居老人关爱 停车难 议事厅开放 "
    "楼道灯维修 节日活动筹备 文明养宠公约 外墙渗水维修 绿化补种"
)
# Deliberation runs over the two years before the generator's "now".
HISTORY_DAYS = 730


def residents_by_area(areas: list[ResidentialArea]) -> dict[int, list[tuple[int, str]]]:
    """Every area's residents (pk, name), for supporters, commenters and attendees."""
    wanted = {a.pk for a in areas}
    found: dict[int, list[tuple[int, str]]] = {pk: [] for pk in wanted}
    rows = User.objects.filter(residential_area__isnull=False).values_list(
        "pk", "display_name", "residential_area_id"
    )
    for pk, name, area_id in rows.iterator(chunk_size=BATCH):
        if area_id in wanted:
            found[area_id].append((pk, name))
    return found


def weighted(rng: random.Random, choices):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights)[0]


def make_proposals(
    scale: Scale,
    areas: list[ResidentialArea],
    people: dict[int, list[tuple[int, str]]],
    rng: random.Random,
) -> dict:
    """About ``proposals_per_area`` proposals in every area over two years, in every
    status, with supports (skewed: a few popular ones gather hundreds), comments and
    replies (a tenth hidden by a moderator), and the status history."""
    now = timezone.now()
    categories = list(Category.values)
    plans = []  # (town, area, author, status, created, last activity)
    for area in areas:
        residents = people[area.pk]
        if not residents:
            continue
        for _ in range(
            rng.randint(scale.proposals_per_area // 2, scale.proposals_per_area * 3 // 2)
        ):
            created = now - datetime.timedelta(days=rng.uniform(1, HISTORY_DAYS))
            activity = min(now, created + datetime.timedelta(days=rng.uniform(0, 60)))
            status = weighted(rng, PROPOSAL_STATUSES)
            plans.append((area, rng.choice(residents)[0], status, created, activity))

    def proposal_rows():
        for area, author, status, created, activity in plans:
            theme, ask = rng.choice(PROPOSAL_THEMES), rng.choice(PROPOSAL_ASKS)
            stored = ProposalStatus.SUBMITTED if status == ProposalStatus.MERGED else status
            reason = (
                "不在社区规划范围内，已转交相关部门。"
                if status == ProposalStatus.NOT_ADOPTED
                else ""
            )
            yield (
                area.town_id,
                area.pk,
                author,
                f"{area.name}{theme}{ask}",
                f"建议{ask}{area.name}的{theme}，方便居民日常生活。" * 3,
                rng.choice(categories),
                stored,
                reason,
                activity,
                created,
                activity,
            )

    copy_rows(
        Proposal,
        proposal_rows(),
        [
            "town_id",
            "area_id",
            "author_id",
            "title",
            "description",
            "category",
            "status",
            "status_reason",
            "last_activity_at",
            "created_at",
            "updated_at",
        ],
    )
    pks = list(Proposal.objects.order_by("pk").values_list("pk", flat=True))
    # Merged proposals name an earlier proposal of their area (the constraint needs it).
    earlier: dict[int, int] = {}
    merged = []
    for pk, (area, _author, status, _c, _a) in zip(pks, plans, strict=True):
        if status == ProposalStatus.MERGED and area.pk in earlier:
            merged.append(Proposal(pk=pk, status=status, merged_into_id=earlier[area.pk]))
        earlier.setdefault(area.pk, pk)
    Proposal.objects.bulk_update(merged, ["status", "merged_into"], batch_size=BATCH)
    merged_pks = {p.pk for p in merged}

    supports = 0
    comments = 0
    history = []

    def support_rows():
        nonlocal supports
        for pk, (area, author, _status, created, activity) in zip(pks, plans, strict=True):
            residents = people[area.pk]
            wanted = min(len(residents) - 1, int(rng.paretovariate(1.3) * 6))
            span = max((activity - created).total_seconds(), 60)
            for user, _name in rng.sample(residents, wanted + 1)[:wanted]:
                if user == author:
                    continue
                at = created + datetime.timedelta(seconds=rng.uniform(0, span))
                withdrawn = at + datetime.timedelta(days=2) if rng.random() < 0.03 else None
                supports += 1
                yield (pk, user, at, withdrawn)

    copy_rows(Support, support_rows(), ["proposal_id", "user_id", "created_at", "withdrawn_at"])

    def comment_rows():
        nonlocal comments
        for pk, (area, _author, _status, created, activity) in zip(pks, plans, strict=True):
            residents = people[area.pk]
            for _ in range(int(rng.expovariate(1 / 8))):
                user = rng.choice(residents)[0]
                at = created + (activity - created) * rng.random()
                comments += 1
                yield (pk, user, rng.choice(COMMENT_TEXTS), at)

    copy_rows(Comment, comment_rows(), ["proposal_id", "author_id", "body", "created_at"])
    # Replies to a quarter of the comments, and a moderator's hidden tenth.
    threads = list(Comment.objects.order_by("pk").values_list("pk", "proposal_id", "created_at"))
    staff = plans[0][1] if plans else None
    area_of = {pk: plan[0].pk for pk, plan in zip(pks, plans, strict=True)}

    def reply_rows():
        nonlocal comments
        for comment, proposal, at in threads:
            if rng.random() < 0.25:
                comments += 1
                official = rng.random() < 0.3
                yield (
                    proposal,
                    comment,
                    staff if official else rng.choice(people[area_of[proposal]])[0],
                    "居委会已收到，近期组织现场踏勘。" if official else "赞同楼上。",
                    official,
                    at + datetime.timedelta(hours=rng.uniform(1, 48)),
                )

    copy_rows(
        Comment,
        reply_rows(),
        ["proposal_id", "parent_id", "author_id", "body", "is_official", "created_at"],
    )
    hidden = [pk for pk, _p, _a in threads if rng.random() < 0.1]
    Comment.objects.filter(pk__in=hidden).update(
        hidden_at=now, hidden_by_id=staff, hidden_reason="广告或不文明用语"
    )
    # The rows were copied in around the services: set the counts the lists read.
    recount(Proposal.objects.filter(pk__in=pks))
    steps = {
        ProposalStatus.UNDER_REVIEW: [ProposalStatus.UNDER_REVIEW],
        ProposalStatus.ADOPTED: [ProposalStatus.UNDER_REVIEW, ProposalStatus.ADOPTED],
        ProposalStatus.NOT_ADOPTED: [ProposalStatus.UNDER_REVIEW, ProposalStatus.NOT_ADOPTED],
        ProposalStatus.IMPLEMENTED: [
            ProposalStatus.UNDER_REVIEW,
            ProposalStatus.ADOPTED,
            ProposalStatus.IMPLEMENTED,
        ],
    }
    for pk, (_area, _author, status, created, activity) in zip(pks, plans, strict=True):
        status_path = [ProposalStatus.MERGED] if pk in merged_pks else steps.get(status, [])
        before = ProposalStatus.SUBMITTED
        for n, after in enumerate(status_path, start=1):
            at = created + (activity - created) * n / len(status_path)
            history.append((pk, before, after, at))
            before = after
    copy_rows(StatusChange, iter(history), ["proposal_id", "from_status", "to_status", "at"])
    return {"count": len(pks), "supports": supports, "comments": comments}


def make_meetings(
    scale: Scale,
    areas: list[ResidentialArea],
    people: dict[int, list[tuple[int, str]]],
    rng: random.Random,
) -> dict:
    """About ``meetings_per_area`` meetings in every area over two years (a few still
    to come), with invitees and attendance, the parties of joint meetings, agendas
    citing adopted proposals, motions with votes by name or as counts and decisions
    computed by decisions.py, approved minutes and action items."""
    now = timezone.now()
    adopted: dict[int, list[int]] = {}
    for pk, area_id in Proposal.objects.filter(status=ProposalStatus.ADOPTED).values_list(
        "pk", "area_id"
    ):
        adopted.setdefault(area_id, []).append(pk)
    plans = []  # (area, kind, starts, held)
    for area in areas:
        if not people[area.pk]:
            continue
        for _ in range(rng.randint(scale.meetings_per_area // 2, scale.meetings_per_area * 3 // 2)):
            starts = now - datetime.timedelta(days=rng.uniform(-30, HISTORY_DAYS))
            starts = starts.replace(minute=0, second=0, microsecond=0)
            plans.append((area, weighted(rng, MEETING_KINDS), starts, starts < now))
    creator = people[plans[0][0].pk][0][0]

    def meeting_rows():
        for area, kind, starts, held in plans:
            yield (
                area.town_id,
                area.pk,
                kind,
                f"{area.name}{MeetingKind(kind).label}（{starts:%Y年%m月}）"[:100],
                f"{area.name}议事厅",
                starts,
                starts + datetime.timedelta(minutes=90),
                MeetingStatus.HELD if held else MeetingStatus.SCHEDULED,
                creator,
                starts - datetime.timedelta(days=7),
                starts,
            )

    copy_rows(
        Meeting,
        meeting_rows(),
        [
            "town_id",
            "area_id",
            "kind",
            "title",
            "venue",
            "starts_at",
            "ends_at",
            "status",
            "created_by_id",
            "created_at",
            "updated_at",
        ],
    )
    meeting_pks = list(Meeting.objects.order_by("pk").values_list("pk", flat=True))

    # Invitees (residents with their accounts; a joint meeting's three parties by name).
    invited = []  # (meeting, user, name, party, present, signed in)
    parties = []
    for pk, (area, kind, starts, held) in zip(meeting_pks, plans, strict=True):
        residents = people[area.pk]
        size = min(len(residents), rng.randint(8, 24))
        for user, name in rng.sample(residents, size):
            present = held and rng.random() < 0.8
            invited.append((pk, user, name, Party.RESIDENT, present, starts if present else None))
        if kind == MeetingKind.JOINT:
            for party in Party.joint_parties():
                present = held and (party == Party.RESIDENTS_COMMITTEE or rng.random() < 0.9)
                name = rng.choice(SURNAMES) + rng.choice(GIVEN)
                invited.append((pk, None, name, party, present, starts if present else None))
                if held:
                    parties.append((pk, party, present, name if present else "另有公务"))
    copy_rows(
        Attendee,
        iter(invited),
        ["meeting_id", "user_id", "name", "party", "present", "signed_in_at"],
    )
    copy_rows(PartyPresence, iter(parties), ["meeting_id", "party", "present", "note"])
    present_of: dict[int, list[int]] = {}
    for attendee, meeting, present in Attendee.objects.order_by("pk").values_list(
        "pk", "meeting_id", "present"
    ):
        if present:
            present_of.setdefault(meeting, []).append(attendee)

    # Agendas: an adopted proposal of the area now and then, and the usual topics.
    items = []
    for pk, (area, _kind, _starts, _held) in zip(meeting_pks, plans, strict=True):
        order = 0
        if adopted.get(area.pk) and rng.random() < 0.3:
            order += 1
            items.append((pk, order, "讨论居民提案", rng.choice(adopted[area.pk])))
        for topic in rng.sample(MEETING_TOPICS, rng.randint(1, 3)):
            order += 1
            items.append((pk, order, topic, None))
    copy_rows(AgendaItem, iter(items), ["meeting_id", "order", "title", "proposal_id"])

    # Motions on most items of held meetings, decided from their votes.
    motions = []
    by_name = []  # (index into motions, choices of the present)
    for (item_pk, meeting, order, title, _proposal), _ in zip(
        AgendaItem.objects.order_by("pk").values_list(
            "pk", "meeting_id", "order", "title", "proposal_id"
        ),
        items,
        strict=True,
    ):
        present = present_of.get(meeting, [])
        if len(present) < 3 or rng.random() < 0.3:
            continue
        mover, seconder = rng.sample(present, 2)
        support = rng.uniform(0.3, 0.95)
        choices = [
            Choice.YES if rng.random() < support else rng.choice([Choice.NO, Choice.ABSTAIN])
            for _ in present
        ]
        tally = decisions.Tally(
            choices.count(Choice.YES), choices.count(Choice.NO), choices.count(Choice.ABSTAIN)
        )
        outcome = decisions.decide_majority(tally)
        mode = VoteMode.BY_NAME if len(present) <= 16 else VoteMode.COUNTS
        counts = (
            (None, None, None) if mode == VoteMode.BY_NAME else (tally.yes, tally.no, tally.abstain)
        )
        motions.append(
            (
                meeting,
                item_pk,
                f"同意{title}的实施方案（议题{order}）",
                mover,
                seconder,
                MotionStatus.DECIDED,
                mode,
                *counts,
                MotionResult.PASSED if outcome.passed else MotionResult.FAILED,
                outcome.explanation[:300],
                now,
            )
        )
        if mode == VoteMode.BY_NAME:
            by_name.append((len(motions) - 1, list(zip(present, choices, strict=True))))
    copy_rows(
        Motion,
        iter(motions),
        [
            "meeting_id",
            "agenda_item_id",
            "text",
            "mover_id",
            "seconder_id",
            "status",
            "vote_mode",
            "yes_count",
            "no_count",
            "abstain_count",
            "result",
            "result_explanation",
            "decided_at",
        ],
    )
    motion_pks = list(Motion.objects.order_by("pk").values_list("pk", flat=True))
    votes = [
        (motion_pks[index], attendee, choice)
        for index, cast in by_name
        for attendee, choice in cast
    ]
    copy_rows(Vote, iter(votes), ["motion_id", "attendee_id", "choice"])

    # Approved minutes for every held meeting; an action item for each passed motion.
    held_meetings = [pk for pk, plan in zip(meeting_pks, plans, strict=True) if plan[3]]
    copy_rows(
        Minutes,
        (
            (pk, "会议纪要：与会居民就各项议题充分讨论并表决。" * 20, MinutesStatus.APPROVED, now)
            for pk in held_meetings
        ),
        ["meeting_id", "body", "status", "approved_at"],
    )
    starts_of = {pk: plan[2] for pk, plan in zip(meeting_pks, plans, strict=True)}
    actions = [
        (
            row[0],
            motion_pks[n],
            f"落实：{row[2]}"[:200],
            rng.choice(["居委会", "物业公司", "业委会", "社区合伙人团队"]),
            (starts_of[row[0]] + datetime.timedelta(days=rng.randint(7, 60))).date(),
            rng.choice(
                [ActionStatus.DONE, ActionStatus.DONE, ActionStatus.OPEN, ActionStatus.IN_PROGRESS]
            ),
        )
        for n, row in enumerate(motions)
        if row[10] == MotionResult.PASSED
    ]
    copy_rows(
        ActionItem,
        iter(actions),
        ["meeting_id", "motion_id", "title", "owner_name", "due_on", "status"],
    )
    return {
        "count": len(meeting_pks),
        "attendees": len(invited),
        "motions": len(motions),
        "votes": len(votes),
        "action_items": len(actions),
    }


def busiest_meeting(town: Town) -> int:
    """The measured meeting page: the town's held meeting with the most on it."""
    return (
        Meeting.objects.filter(town=town, status=MeetingStatus.HELD)
        .annotate(
            size=models.Count("attendees", distinct=True) + models.Count("motions", distinct=True)
        )
        .order_by("-size", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def session_cookie(user) -> dict:
    """``user`` logged in through Django's session engine: the session cookie."""
    request = HttpRequest()
    request.session = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
    request.session.save()
    return {"name": settings.SESSION_COOKIE_NAME, "value": request.session.session_key}


def make_staff_session(town: Town, area: ResidentialArea) -> dict:
    """A secretariat account of ``town``, logged in: returns its session cookie."""
    staff = User.objects.create_user(
        "17700000001", secrets.token_urlsafe(16), display_name="基准秘书", residential_area=area
    )
    grant_role(actor=None, user=staff, role=Role.SECRETARIAT, town=town)
    return session_cookie(staff)


def make_journey_sessions(town: Town, area: ResidentialArea, partner: Partner) -> dict:
    """The people whose own pages are measured (bench/run.py, "journeys"), logged in:
    the resident of ``town`` who attended the most activities (a long 我的), the
    measured partner (teams, commitments, suggestions) and
    an area staff member of ``area`` for 待办 (the secretariat's is ``staff_cookie``)."""
    top = (
        Attendance.objects.filter(activity__town=town, user__isnull=False)
        .values("user")
        .annotate(n=models.Count("pk"))
        .order_by("-n", "user")
        .first()
    )
    busiest = User.objects.get(pk=top["user"])
    staff = User.objects.create_user(
        "17700000003", secrets.token_urlsafe(16), display_name="基准社工", residential_area=area
    )
    grant_role(actor=None, user=staff, role=Role.AREA_STAFF, town=town, areas=[area])
    return {
        "resident": session_cookie(busiest),
        "resident_attended": top["n"],
        "partner": session_cookie(partner.user),
        "area_staff": session_cookie(staff),
    }


# --- Planning ------------------------------------------------------------------------

# The batch launch measured (bench/run.py, "batch launch"): the default template in
# every area of a fresh town, one POST of the batch page. Issue 6: 32 areas at town
# scale, 400 at district scale; a batch is capped at 1,000 areas (MAX_BATCH_AREAS).
BATCH_AREAS = {"town": 32, "district": 400, "city": 1000}
BATCH_TEAMS = 12
PLAN_WORDS = words("楼道微更新 口袋花园营造 适老化改造 社区门头设计 议事厅共建 路边小景营造")


def make_planning(areas: list[ResidentialArea], creator: int, rng: random.Random) -> dict:
    """One planning process per residential area (the default template), at a step
    drawn from 1 to 11 (a tenth completed), its earlier steps closed and the current
    one open, with light evidence: the needs list of a survey step, five interviews
    with consent for an interview step. Written in bulk, without the services."""
    template = ensure_default_template()
    steps = {step.order: step for step in template.steps.all()}
    today = timezone.localdate()
    now = timezone.now()
    plans = []  # (area, order, completed, starts_on)
    for area in areas:
        completed = rng.random() < 0.1
        order = len(steps) if completed else rng.randint(1, len(steps))
        starts = today - datetime.timedelta(days=order * 21 + rng.randint(0, 30))
        plans.append((area, order, completed, starts))
    copy_rows(
        PlanningProcess,
        (
            (
                area.town_id,
                area.pk,
                f"{area.name}{rng.choice(PLAN_WORDS)}"[:100],
                template.pk,
                ProcessStatus.COMPLETED if completed else ProcessStatus.ACTIVE,
                order,
                starts,
                now if completed else None,
                creator,
            )
            for area, order, completed, starts in plans
        ),
        [
            "town_id",
            "area_id",
            "title",
            "template_id",
            "status",
            "current_order",
            "starts_on",
            "completed_at",
            "created_by_id",
        ],
    )
    pks = list(
        PlanningProcess.objects.filter(area__in=[a.pk for a in areas])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    runs = []
    for pk, (_area, order, completed, starts) in zip(pks, plans, strict=True):
        for n in range(1, order + 1):
            opened = datetime.datetime.combine(
                starts + datetime.timedelta(days=(n - 1) * 21), datetime.time(9)
            ).replace(tzinfo=datetime.UTC)
            closed = n < order or completed
            runs.append(
                (
                    pk,
                    steps[n].pk,
                    1,
                    opened,
                    opened.date() + datetime.timedelta(days=steps[n].expected_days),
                    opened + datetime.timedelta(days=20) if closed else None,
                    RunOutcome.COMPLETED if closed else "",
                )
            )
    copy_rows(
        StepRun,
        iter(runs),
        ["process_id", "step_id", "revision", "opened_at", "due_on", "closed_at", "outcome"],
    )
    needs, interviews = [], []
    for pk, step_id, opened in StepRun.objects.filter(process_id__in=pks).values_list(
        "pk", "step_id", "opened_at"
    ):
        if step_id == steps[1].pk:
            needs += [(pk, need, n) for n, need in enumerate(words("照明 座椅 停车 绿化"), 1)]
        elif step_id == steps[2].pk:
            interviews += [
                (
                    pk,
                    "older_resident",
                    opened.date(),
                    creator,
                    "访谈记录。",
                    "居民希望改善照明。",
                    True,
                )
                for _ in range(5)
            ]
    copy_rows(Need, iter(needs), ["run_id", "text", "order"])
    copy_rows(
        Interview,
        iter(interviews),
        ["run_id", "category", "held_on", "interviewer_id", "notes", "summary", "consent"],
    )
    return {
        "count": len(pks),
        "runs": len(runs),
        "needs": len(needs),
        "interviews": len(interviews),
    }


# --- Micro-renewal projects ------------------------------------------------------------

PROJECT_KINDS = [(kind, 12) for kind in ProjectKind.values if kind != ProjectKind.OTHER] + [
    (ProjectKind.OTHER, 4)
]
KIND_WORDS = {
    ProjectKind.GARDEN: "社区花园",
    ProjectKind.FACILITIES: "便民设施",
    ProjectKind.ROADSIDE: "路边小景",
    ProjectKind.OLD_WALL: "旧墙新颜",
    ProjectKind.PAVILION: "凉亭楼道",
    ProjectKind.GATE: "社区门头",
    ProjectKind.HOOKS: "便民挂钩",
    ProjectKind.OTHER: "微更新",
}
PROJECT_STATUSES = [
    (ProjectStatus.PLANNED, 15),
    (ProjectStatus.UNDER_CONSTRUCTION, 25),
    (ProjectStatus.COMPLETED, 40),
    (ProjectStatus.MAINTENANCE, 12),
    (ProjectStatus.SUSPENDED, 8),
]
CONTRACTORS = words("上海青禾景观工程有限公司 上海邻安市政设施有限公司 上海宏景装饰工程有限公司")
MILESTONE_WORDS = words("场地清理 基础施工 主体施工 设施安装 绿化种植 照明安装 验收")
SATISFACTION_COMMENTS = words("很满意。 希望定期维护。 孩子们很喜欢。 晚上再亮一点就好了。")
# Satisfaction answers per finished project (residents of its area), and how they
# spread over 1..5: most residents are satisfied, as in the programme's surveys.
RESPONSES_PER_PROJECT = (10, 60)
SCALE_WEIGHTS = [1, 2, 8, 30, 45]


def make_projects(
    scale: Scale,
    areas: list[ResidentialArea],
    people: dict[int, list[tuple[int, str]]],
    partners: dict[int, list[Partner]],
    creator: int,
    rng: random.Random,
) -> dict:
    """About ``projects_per_area`` micro-renewal projects in every area, in every
    status, from an adopted (or implemented) proposal of the area or its plan; with
    milestones, spending (a few beyond the budget by a recorded approval), photo rows
    of each phase reached, the status timeline, and for every finished one its
    published result and satisfaction survey with the area's residents' answers.
    Written in bulk, without the services; the photo rows name files that are not
    there (the pages only link to them)."""
    today = timezone.localdate()

    def aware(day: datetime.date, hour: int = 16) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    sites, proposals, processes = {}, {}, {}
    for pk, area_id in Site.objects.filter(area__in=[a.pk for a in areas]).values_list(
        "pk", "area_id"
    ):
        sites.setdefault(area_id, []).append(pk)
    for pk, area_id in Proposal.objects.filter(
        status__in=[ProposalStatus.ADOPTED, ProposalStatus.IMPLEMENTED]
    ).values_list("pk", "area_id"):
        proposals.setdefault(area_id, []).append(pk)
    for pk, area_id in PlanningProcess.objects.values_list("pk", "area_id"):
        processes.setdefault(area_id, pk)
    units = dict(OrgUnit.objects.filter(kind=UnitKind.SECRETARIAT).values_list("town_id", "pk"))

    plans = []
    for area in areas:
        if not sites.get(area.pk) or area.town_id not in units:
            continue
        for _ in range(rng.randint(scale.projects_per_area // 2, scale.projects_per_area * 3 // 2)):
            status = weighted(rng, PROJECT_STATUSES)
            kind = weighted(rng, PROJECT_KINDS)
            days = rng.randint(20, 120)  # planned duration
            resumes_to = ""
            if status == ProjectStatus.SUSPENDED:
                resumes_to = rng.choice([ProjectStatus.PLANNED, ProjectStatus.UNDER_CONSTRUCTION])
            reached = resumes_to or status
            if reached == ProjectStatus.PLANNED:
                start = today + datetime.timedelta(days=rng.randint(-20, 120))
            elif reached == ProjectStatus.UNDER_CONSTRUCTION:
                start = today - datetime.timedelta(days=rng.randint(5, days + 30))
            else:
                start = today - datetime.timedelta(days=days + rng.randint(30, 700))
            end = start + datetime.timedelta(days=days)
            actual_start = actual_end = None
            if reached != ProjectStatus.PLANNED:
                actual_start = min(start + datetime.timedelta(days=rng.randint(0, 10)), today)
            if status in FINISHED:
                actual_end = min(
                    actual_start + datetime.timedelta(days=days + rng.randint(-5, 20)),
                    today - datetime.timedelta(days=1),
                )
                actual_end = max(actual_end, actual_start)
            choices = proposals.get(area.pk)
            proposal = rng.choice(choices) if choices and rng.random() < 0.7 else None
            process = None if proposal else processes.get(area.pk)
            if proposal is None and process is None:
                continue
            budget = rng.randint(8, 300) * 1000
            plans.append(
                {
                    "area": area,
                    "site": rng.choice(sites[area.pk]),
                    "kind": kind,
                    "status": status,
                    "resumes_to": resumes_to,
                    "start": start,
                    "end": end,
                    "actual_start": actual_start,
                    "actual_end": actual_end,
                    "proposal": proposal,
                    "process": process,
                    "budget": budget,
                    "extra": budget // 10 if status in FINISHED and rng.random() < 0.05 else 0,
                }
            )

    # The finished projects' satisfaction surveys and their three questions first:
    # a project row names its survey and the two 1–5 questions.
    finished = [plan for plan in plans if plan["status"] in FINISHED]
    first_survey = Survey.objects.aggregate(last=models.Max("pk"))["last"] or 0
    copy_rows(
        Survey,
        (
            (
                plan["area"].town_id,
                plan["area"].pk,
                f"满意度调查：{plan['area'].name}{KIND_WORDS[plan['kind']]}"[:100],
                SurveyStatus.OPEN,
                aware(plan["actual_end"]),
                creator,
            )
            for plan in finished
        ),
        ["town_id", "area_id", "title", "status", "opened_at", "created_by_id"],
    )
    survey_pks = list(
        Survey.objects.filter(pk__gt=first_survey).order_by("pk").values_list("pk", flat=True)
    )
    questions = [
        (GAIN_QUESTION, QuestionKind.SCALE, True),
        (SATISFACTION_QUESTION, QuestionKind.SCALE, True),
        (COMMENT_QUESTION, QuestionKind.TEXT, False),
    ]
    copy_rows(
        Question,
        (
            (pk, order, kind, text, required)
            for pk in survey_pks
            for order, (text, kind, required) in enumerate(questions, 1)
        ),
        ["survey_id", "order", "kind", "text", "required"],
    )
    asked = {}
    for pk, survey_id in (
        Question.objects.filter(survey__in=survey_pks).order_by("pk").values_list("pk", "survey")
    ):
        asked.setdefault(survey_id, []).append(pk)
    for plan, survey in zip(finished, survey_pks, strict=True):
        plan["survey"] = survey
        plan["questions"] = asked[survey]

    first_project = Project.objects.aggregate(last=models.Max("pk"))["last"] or 0

    def project_rows():
        for plan in plans:
            area, status, kind = plan["area"], plan["status"], plan["kind"]
            done = status in FINISHED
            questions = plan.get("questions", [None, None])
            yield (
                area.town_id,
                area.pk,
                plan["site"],
                f"{area.name}{KIND_WORDS[kind]}微更新"[:100],
                f"{area.name}{KIND_WORDS[kind]}：居民提出、共同设计、共同维护。",
                kind,
                plan["process"],
                plan["proposal"],
                units[area.town_id],
                plan["budget"],
                rng.choice(FundingSource.values),
                rng.choice(CONTRACTORS),
                status,
                "等待审批" if status == ProjectStatus.SUSPENDED else "",
                plan["resumes_to"],
                plan["start"],
                plan["end"],
                plan["actual_start"],
                plan["actual_end"],
                "按方案建成并通过验收。" if done else "",
                aware(plan["actual_end"]) if done else None,
                "居民自治小组" if status == ProjectStatus.MAINTENANCE else "",
                plan.get("survey"),
                questions[0],
                questions[1],
                creator,
            )

    copy_rows(
        Project,
        project_rows(),
        [
            "town_id",
            "area_id",
            "site_id",
            "title",
            "description",
            "kind",
            "process_id",
            "proposal_id",
            "responsible_unit_id",
            "budget",
            "funding_source",
            "contractor",
            "status",
            "suspended_reason",
            "resumes_to",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "result",
            "result_published_at",
            "maintained_by",
            "satisfaction_survey_id",
            "gain_question_id",
            "satisfaction_question_id",
            "created_by_id",
        ],
    )
    project_pks = list(
        Project.objects.filter(pk__gt=first_project).order_by("pk").values_list("pk", flat=True)
    )

    milestones, spendings, approvals, photos, changes, links = [], [], [], [], [], []
    for pk, plan in zip(project_pks, plans, strict=True):
        status, start, end = plan["status"], plan["start"], plan["end"]
        actual_start, actual_end = plan["actual_start"], plan["actual_end"]
        count = rng.randint(3, 5)
        span = max(1, (end - start).days // count)
        # How many milestones are closed, and whether the next one has started.
        if status in FINISHED:
            closed, started = count, False
        elif actual_start is None:
            closed, started = 0, False
        else:
            closed = min(count - 1, (today - actual_start).days // span)
            started = True
        for n in range(count):
            planned_start = start + datetime.timedelta(days=n * span)
            planned_end = planned_start + datetime.timedelta(days=span - 1)
            began = finished_on = None
            if n < closed or (started and n == closed):
                began = actual_start + datetime.timedelta(days=n * span)
            if n < closed:
                finished_on = began + datetime.timedelta(days=span - 1 + rng.randint(0, 3))
                finished_on = min(finished_on, actual_end or today)
                began = min(began, finished_on)
            milestones.append(
                (
                    pk,
                    n + 1,
                    f"{MILESTONE_WORDS[n % len(MILESTONE_WORDS)]}",
                    planned_start,
                    planned_end,
                    began,
                    finished_on,
                )
            )
        reached = plan["resumes_to"] or status
        phases = [Phase.BEFORE]
        if reached != ProjectStatus.PLANNED:
            phases.append(Phase.DURING)
        if status in FINISHED:
            phases.append(Phase.AFTER)
        taken_on = {
            Phase.BEFORE: start - datetime.timedelta(days=7),
            Phase.DURING: actual_start and min(actual_start + datetime.timedelta(span), today),
            Phase.AFTER: actual_end,
        }
        for phase in phases:
            taken = aware(taken_on[phase], 10)
            for n in range(rng.randint(1, 3)):
                photos.append(
                    (
                        pk,
                        phase,
                        f"projects/{pk}/{phase}/{phase}-{n + 1}.jpg",
                        f"{KIND_WORDS[plan['kind']]}现场",
                        taken,
                        plan["area"].name,
                        "社区工作者",
                        creator,
                    )
                )
        if actual_start is not None:
            share = rng.uniform(0.85, 1.0) if status in FINISHED else rng.uniform(0.2, 0.6)
            total = int(plan["budget"] * share) + plan["extra"] // 2
            parts = rng.randint(1, 4)
            for n in range(parts):
                spendings.append(
                    (
                        pk,
                        min(actual_start + datetime.timedelta(days=n * 7), today),
                        total // parts,
                        f"工程款第{n + 1}期",
                        rng.choice(CONTRACTORS),
                        creator,
                    )
                )
            if plan["extra"]:
                approvals.append(
                    (pk, plan["extra"], "追加工程量。", "镇专项资金审批会议", actual_start, creator)
                )
            changes.append(
                (
                    pk,
                    ProjectStatus.PLANNED,
                    ProjectStatus.UNDER_CONSTRUCTION,
                    "",
                    actual_start,
                    creator,
                    aware(actual_start),
                )
            )
        if actual_end is not None:
            changes.append(
                (
                    pk,
                    ProjectStatus.UNDER_CONSTRUCTION,
                    ProjectStatus.COMPLETED,
                    "",
                    actual_end,
                    creator,
                    aware(actual_end),
                )
            )
            if status == ProjectStatus.MAINTENANCE:
                on = min(actual_end + datetime.timedelta(days=30), today)
                changes.append(
                    (
                        pk,
                        ProjectStatus.COMPLETED,
                        ProjectStatus.MAINTENANCE,
                        "",
                        on,
                        creator,
                        aware(on),
                    )
                )
        if status == ProjectStatus.SUSPENDED:
            on = max(actual_start or today, today - datetime.timedelta(days=10))
            changes.append((pk, plan["resumes_to"], status, "等待审批", on, creator, aware(on)))
        town_partners = partners.get(plan["area"].town_id, [])
        for partner in rng.sample(town_partners, min(len(town_partners), rng.randint(0, 2))):
            links.append((pk, partner.pk))
    copy_rows(
        Milestone,
        iter(milestones),
        [
            "project_id",
            "order",
            "title",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
        ],
    )
    copy_rows(
        Spending,
        iter(spendings),
        ["project_id", "spent_on", "amount", "item", "payee", "recorded_by_id"],
    )
    copy_rows(
        BudgetApproval,
        iter(approvals),
        ["project_id", "amount", "reason", "authority", "approved_on", "recorded_by_id"],
    )
    copy_rows(
        ProjectPhoto,
        iter(photos),
        [
            "project_id",
            "phase",
            "image",
            "content",
            "taken_at",
            "place",
            "photographer",
            "uploaded_by_id",
        ],
    )
    copy_rows(
        ProjectChange,
        iter(changes),
        ["project_id", "from_status", "to_status", "reason", "on", "actor_id", "at"],
    )
    copy_rows(Project.partners.through, iter(links), ["project_id", "partner_id"])

    # Satisfaction: residents of the area answer once each, in the weeks after.
    responses = []
    for plan in finished:
        residents = people.get(plan["area"].pk, [])
        count = min(len(residents), rng.randint(*RESPONSES_PER_PROJECT))
        for user_id, _name in rng.sample(residents, count):
            day = plan["actual_end"] + datetime.timedelta(days=rng.randint(1, 30))
            responses.append((plan["survey"], user_id, aware(min(day, today), rng.randint(8, 21))))
    first_response = Response.objects.aggregate(last=models.Max("pk"))["last"] or 0
    copy_rows(Response, iter(responses), ["survey_id", "user_id", "submitted_at"])
    questions_of = {plan["survey"]: plan["questions"] for plan in finished}
    # Read before the COPY starts: the connection runs no other query during one.
    answered = list(
        Response.objects.filter(pk__gt=first_response).order_by("pk").values_list("pk", "survey_id")
    )

    def answer_rows():
        for pk, survey in answered:
            gain, satisfaction, comment = questions_of[survey]
            value = rng.choices(range(1, 6), SCALE_WEIGHTS)[0]
            yield (pk, satisfaction, value, "")
            yield (pk, gain, min(5, max(1, value + rng.choice([-1, 0, 0, 0, 1]))), "")
            if rng.random() < 0.2:
                yield (pk, comment, None, rng.choice(SATISFACTION_COMMENTS))

    copy_rows(Answer, answer_rows(), ["response_id", "question_id", "scale", "text"])
    return {
        "count": len(project_pks),
        "finished": len(finished),
        "milestones": len(milestones),
        "photos": len(photos),
        "responses": len(responses),
    }


# --- Activities, attendance and volunteer hours (the reports' figures) ------------------

# Per residential area over the two years: the programme's town held 10+ place-making
# activities a year besides workshops, salons, World Cafés, markets and volunteer
# service; person-times come from each activity's attendances (and a market's head
# count at the door).
ACTIVITIES_PER_AREA = 12
ACTIVITY_KINDS = [
    (ActivityKind.PLACEMAKING, 30),
    (ActivityKind.WORKSHOP, 20),
    (ActivityKind.SALON, 10),
    (ActivityKind.WORLD_CAFE, 5),
    (ActivityKind.CHARITY_MARKET, 5),
    (ActivityKind.VOLUNTEER_SERVICE, 20),
    (ActivityKind.TRAINING, 10),
]
ACTIVITY_WORDS = words("小小园艺师 旧物改造 睦邻节 楼道美化 口袋花园共建 亲子手作 议事规则培训")
ATTENDEES_PER_ACTIVITY = (8, 40)
# Share of volunteers who ask for (and get) extra minutes by hand.
HOURS_CLAIMS = 0.1


def make_activities(
    areas: list[ResidentialArea],
    people: dict[int, list[tuple[int, str]]],
    partners: dict[int, list[Partner]],
    creator: int,
    rng: random.Random,
) -> dict:
    """About ACTIVITIES_PER_AREA published activities in every area over two years,
    each with attendances (checked out at volunteer service), a partner as host, the
    market's walk-ins, and approved manual hours for a tenth of the volunteers."""
    now = timezone.now()
    plans = []  # (area, kind, starts)
    for area in areas:
        if not people[area.pk]:
            continue
        for _ in range(rng.randint(ACTIVITIES_PER_AREA // 2, ACTIVITIES_PER_AREA * 3 // 2)):
            starts = now - datetime.timedelta(days=rng.uniform(1, HISTORY_DAYS))
            starts = starts.replace(minute=0, second=0, microsecond=0)
            plans.append((area, weighted(rng, ACTIVITY_KINDS), starts))
    before = Activity.objects.aggregate(last=models.Max("pk"))["last"] or 0

    def activity_rows():
        for area, kind, starts in plans:
            yield (
                area.town_id,
                area.pk,
                kind,
                f"{area.name}{rng.choice(ACTIVITY_WORDS)}"[:100],
                f"{area.name}活动室",
                starts,
                starts + datetime.timedelta(hours=2),
                ActivityStatus.PUBLISHED,
                creator,
                starts - datetime.timedelta(days=10),
                starts,
            )

    copy_rows(
        Activity,
        activity_rows(),
        [
            "town_id",
            "area_id",
            "kind",
            "title",
            "venue",
            "starts_at",
            "ends_at",
            "status",
            "created_by_id",
            "created_at",
            "updated_at",
        ],
    )
    pks = list(Activity.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
    attendances, walk_ins, hosts, claims = [], [], [], []
    for pk, (area, kind, starts) in zip(pks, plans, strict=True):
        residents = people[area.pk]
        size = min(len(residents), rng.randint(*ATTENDEES_PER_ACTIVITY))
        service = kind == ActivityKind.VOLUNTEER_SERVICE
        for user, _name in rng.sample(residents, size):
            arrived = starts + datetime.timedelta(minutes=rng.randint(-10, 15))
            left = arrived + datetime.timedelta(minutes=rng.randint(45, 90)) if service else None
            attendances.append((pk, user, "qr", arrived, left))
            if service and rng.random() < HOURS_CLAIMS:
                decided = starts + datetime.timedelta(days=1)
                claims.append((pk, user, 20, "提前布置场地", "approved", creator, decided))
        if kind == ActivityKind.CHARITY_MARKET:
            walk_ins.append((pk, rng.randint(50, 300), "市集入口计数", creator, starts))
        pool = partners.get(area.town_id) or []
        if pool:
            hosts.append((pk, rng.choice(pool).pk, "host", creator, starts))
    copy_rows(
        Attendance,
        iter(attendances),
        ["activity_id", "user_id", "method", "checked_in_at", "checked_out_at"],
    )
    copy_rows(
        WalkInCount,
        iter(walk_ins),
        ["activity_id", "count", "note", "recorded_by_id", "recorded_at"],
    )
    copy_rows(
        ActivityPartner,
        iter(hosts),
        ["activity_id", "partner_id", "role", "added_by_id", "added_at"],
    )
    copy_rows(
        HoursClaim,
        iter(claims),
        ["activity_id", "user_id", "minutes", "reason", "status", "decided_by_id", "decided_at"],
    )
    return {
        "count": len(pks),
        "attendances": len(attendances),
        "walk_ins": sum(w[1] for w in walk_ins),
        "hours_claims": len(claims),
    }


def busiest_project(town: Town) -> int | None:
    """The measured project page: the town's finished project with the most photos
    and satisfaction answers on it."""
    return (
        Project.objects.filter(town=town, status__in=FINISHED)
        .annotate(
            photo_count=models.Count("photos", distinct=True),
            milestone_count=models.Count("milestones", distinct=True),
        )
        .order_by("-photo_count", "-milestone_count", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def cookie_user() -> int:
    """The secretariat account of the first town (it started the bench processes)."""
    return User.objects.get(phone="17700000001").pk


def busiest_process(town: Town) -> int:
    """The measured plan page: the town's process with the most step runs."""
    return (
        PlanningProcess.objects.filter(town=town)
        .annotate(size=models.Count("runs"))
        .order_by("-size", "pk")
        .values_list("pk", flat=True)
        .first()
    )


# The proposal list, once with few proposals and once with many (issue 19: a list costs
# the same with 200 or 20,000, since it reads the counts kept on each proposal).
LIST_TOWNS = {"small": 200, "large": 20_000}
LIST_AREAS = 20


def make_list_towns(rng: random.Random) -> dict:
    """Two towns of LIST_AREAS areas each, with LIST_TOWNS proposals (submitted and
    under review, the list's default statuses) by existing users, each with up to a
    dozen supports and a few comments, counted as the services count them."""
    users = list(User.objects.order_by("pk").values_list("pk", flat=True)[:20_000])
    now = timezone.now()
    found = {}
    for index, (size, count) in enumerate(LIST_TOWNS.items(), start=1):
        town = Town.objects.create(
            name=f"列表{index}镇", slug=f"bench-list-{size}", district="基准区",
            description="提案列表基准。",
        )  # fmt: skip
        areas = ResidentialArea.objects.bulk_create(
            [ResidentialArea(town=town, name=f"列表{n:02d}小区", code=f"{n:02d}")
             for n in range(1, LIST_AREAS + 1)]
        )  # fmt: skip
        first = Proposal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

        def proposal_rows(town=town, areas=areas, count=count):
            for n in range(count):
                area = areas[n % len(areas)]
                created = now - datetime.timedelta(days=rng.uniform(1, HISTORY_DAYS))
                theme, ask = rng.choice(PROPOSAL_THEMES), rng.choice(PROPOSAL_ASKS)
                status = ProposalStatus.UNDER_REVIEW if n % 3 else ProposalStatus.SUBMITTED
                yield (
                    town.pk, area.pk, rng.choice(users), f"{area.name}{theme}{ask}",
                    f"建议{ask}{area.name}的{theme}。", rng.choice(list(Category.values)),
                    status, "", created, created, created,
                )  # fmt: skip

        copy_rows(
            Proposal,
            proposal_rows(),
            ["town_id", "area_id", "author_id", "title", "description", "category", "status",
             "status_reason", "last_activity_at", "created_at", "updated_at"],
        )  # fmt: skip
        pks = list(Proposal.objects.filter(town=town, pk__gt=first).values_list("pk", flat=True))

        def support_rows(pks=pks):
            for pk in pks:
                for user in rng.sample(users, int(rng.paretovariate(1.5) * 2) % 12):
                    yield (pk, user, now, None)

        def comment_rows(pks=pks):
            for pk in pks:
                for _ in range(rng.randint(0, 3)):
                    yield (pk, rng.choice(users), rng.choice(COMMENT_TEXTS), now)

        copy_rows(Support, support_rows(), ["proposal_id", "user_id", "created_at", "withdrawn_at"])
        copy_rows(Comment, comment_rows(), ["proposal_id", "author_id", "body", "created_at"])
        recount(Proposal.objects.filter(pk__in=pks))
        found[size] = {"slug": town.slug, "proposals": len(pks)}
    return found


def make_batch_town(scale_name: str, index: int) -> dict:
    """A fresh town (no processes) with BATCH_AREAS[scale] areas and a dozen teams, its
    own secretariat logged in: what the "batch launch" measurement posts."""
    from django.urls import NoReverseMatch, reverse

    count = BATCH_AREAS[scale_name]
    town = Town.objects.create(
        name="批量启动镇", slug="bench-batch", district="基准区", description="批量启动基准。"
    )
    areas = ResidentialArea.objects.bulk_create(
        [
            ResidentialArea(town=town, name=f"批量{n:04d}小区", code=f"B{n:04d}")
            for n in range(1, count + 1)
        ],
        batch_size=BATCH,
    )
    teams = OrgUnit.objects.bulk_create(
        [
            OrgUnit(
                town=town,
                kind=UnitKind.TEAM,
                name=f"规划团队{n}",
                basis=TeamBasis.GROUP,
                group_name=f"规划团队{n}",
            )
            for n in range(1, BATCH_TEAMS + 1)
        ]
    )
    staff = User.objects.create_user(
        f"1770000{index:04d}", secrets.token_urlsafe(16), display_name="批量秘书"
    )
    grant_role(actor=None, user=staff, role=Role.SECRETARIAT, town=town)
    cookie = session_cookie(staff)
    try:
        path = reverse("planning:batch", args=[town.slug])
    except NoReverseMatch:  # the page is not there yet: the path it will have
        path = f"/t/{town.slug}/plans/batch/"
    return {
        "town": town.slug,
        "path": path,
        "template": ensure_default_template().pk,
        "areas": [a.pk for a in areas],
        "teams": {str(a.pk): teams[n % len(teams)].pk for n, a in enumerate(areas)},
        "cookie": cookie,
    }


# The check-in burst: people checking in at the door of one activity whose check-in
# window is open throughout the run (see bench/run.py, "checkin").
CHECKIN_PEOPLE = 500


def make_checkin_activity(town: Town, area: ResidentialArea, users: int) -> dict:
    """A published activity that started ten minutes ago and lasts six hours, and the
    mobile numbers of the generated users who will check in at its door."""
    now = timezone.now()
    organiser = User.objects.get(phone="17700000001")
    activity = Activity.objects.create(
        town=town,
        area=area,
        kind=ActivityKind.CHARITY_MARKET,
        title=f"{area.name}睦邻市集",
        venue=f"{area.name}中心广场",
        starts_at=now - datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(hours=6),
        status=ActivityStatus.PUBLISHED,
        created_by=organiser,
    )
    people = min(CHECKIN_PEOPLE, users)
    return {
        "activity": activity.pk,
        "people": people,
        "phones": [phone_for(n) for n in range(people)],
    }


# The reminder SMS (bench/run.py, "sms reminders"): the day before, everyone signed up
# for one of tomorrow's activities is reminded, by SMS when they take it. One busy day:
# REMINDER_ACTIVITIES activities in the measured town with REMINDER_REGISTRATIONS
# registrations in all, of people (added for it, with no residential area, so the area
# pages measured elsewhere are unchanged) who verified their number and gave the SMS
# consent. The town's SMS budget is set high enough for all of them.
REMINDER_REGISTRATIONS = 10_000
REMINDER_ACTIVITIES = 20
REMINDER_BUDGET = 100_000  # cost units a month
# The code burst (bench/run.py, "code burst"): existing numbers asked a log-in code for.
CODE_BURST_NUMBERS = 150
CODE_BURST_UNKNOWN = 20


def reminder_phone(n: int) -> str:
    # 16 + nine digits: apart from phone_for's 19..., the staff's 177... and the demo's 138...
    return f"16{n:09d}"


def make_reminders(town: Town, areas: list[ResidentialArea], creator: int) -> dict:
    """Tomorrow's activities in ``town`` (in the deployment's time zone, relative to
    now) and their REMINDER_REGISTRATIONS registrations, one per person, every person
    with a verified number and the SMS consent."""
    from gongzhi.accounts.models import ConsentKind, ConsentRecord
    from gongzhi.core.models import SmsBudget
    from gongzhi.events.models import Registration, RegistrationStatus
    from gongzhi.events.tasks import tomorrow_window

    now = timezone.now()
    password = make_password(secrets.token_urlsafe(16))
    before = User.objects.aggregate(last=models.Max("pk"))["last"] or 0
    copy_rows(
        User,
        (
            (reminder_phone(n), True, f"居民{n:05d}", password, now)
            for n in range(REMINDER_REGISTRATIONS)
        ),
        ["phone", "phone_verified", "display_name", "password", "date_joined"],
    )
    people = list(User.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
    copy_rows(
        ConsentRecord,
        ((pk, ConsentKind.SMS_NOTIFICATIONS, "活动提醒短信", "bench", now) for pk in people),
        ["user_id", "kind", "purpose", "notice_version", "given_at"],
    )
    start, _end = tomorrow_window(now)
    activities = []
    for n in range(REMINDER_ACTIVITIES):
        area = areas[n % len(areas)]
        starts = start + datetime.timedelta(hours=8 + n % 12)  # 08:00 to 19:00
        activities.append(
            Activity(
                town=town,
                area=area,
                kind=ActivityKind.WORKSHOP,
                title=f"{area.name}{ACTIVITY_WORDS[n % len(ACTIVITY_WORDS)]}"[:100],
                venue=f"{area.name}活动室",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                status=ActivityStatus.PUBLISHED,
                created_by_id=creator,
            )
        )
    activities = Activity.objects.bulk_create(activities)
    per_activity = split_evenly(len(people), len(activities))
    rows, taken = [], 0
    for activity, count in zip(activities, per_activity, strict=True):
        rows += [(activity.pk, pk, RegistrationStatus.REGISTERED) for pk in people[taken:][:count]]
        taken += count
    copy_rows(Registration, iter(rows), ["activity_id", "user_id", "status"])
    SmsBudget.objects.update_or_create(town_id=town.pk, defaults={"monthly_units": REMINDER_BUDGET})
    return {
        "town": town.slug,
        "day": timezone.localdate(start).isoformat(),
        "activities": [a.pk for a in activities],
        # The activity page measured while the reminders are queued: the first of them.
        "activity_path": activities[0].get_absolute_url(),
        "registrations": len(rows),
        "people": len(people),
        "budget_units": REMINDER_BUDGET,
    }


def make_code_burst(users: int) -> dict:
    """The numbers the code burst asks log-in codes for: existing accounts (generated
    users past the check-in burst's) and numbers no account uses."""
    first = min(CHECKIN_PEOPLE, max(0, users - CODE_BURST_NUMBERS))
    known = [phone_for(n) for n in range(first, min(users, first + CODE_BURST_NUMBERS))]
    unknown = [f"15{n:09d}" for n in range(CODE_BURST_UNKNOWN)]
    return {"phones": known, "unknown": unknown}


def analyze() -> None:
    """What autovacuum would have done to tables loaded long ago: statistics for the
    planner, and the visibility map, so counts read only an index (the proposal list's
    total at 20,000 proposals)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="town")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, help="write what the load run needs here (JSON)")
    args = parser.parse_args()
    scale = SCALES[args.scale]
    rng = random.Random(args.seed)

    if Town.objects.exists() or User.objects.exists():
        raise SystemExit("generate.py fills an empty database; this one has towns or users.")

    started = time.monotonic()

    def step(text):
        print(f"  {time.monotonic() - started:6.1f}s  {text}", flush=True)

    with transaction.atomic():
        towns = make_towns(scale)
        step(f"{len(towns)} towns")
        areas = make_areas(scale, towns, rng)
        step(f"{len(areas)} residential areas")
        sites = make_sites(scale, areas, rng)
        step(f"{sites} sites")
        make_users(scale, areas, rng)
        step(f"{scale.users} users")
        partners = make_partners(scale, towns, rng)
        partner_count = sum(len(p) for p in partners.values())
        step(f"{partner_count} partners")
        teams = make_organisation(scale, towns, areas, partners, rng)
        units = OrgUnit.objects.count()
        memberships = Membership.objects.count()
        step(f"{units} organisation units, {memberships} memberships")
        town = towns[0]
        town_areas = [a for a in areas if a.town_id == town.pk]
        area = town_areas[len(town_areas) // 2]
        cookie = make_staff_session(town, area)
        step("secretariat account and its session")
        # The team page measured: the town's biggest team; the profile: its leader.
        team = max(teams[town.pk], key=lambda t: (t.memberships.count(), t.leader_id is not None))
        partner = team.leader or team.memberships.first().partner
        checkin = make_checkin_activity(town, area, scale.users)
        step(f"an activity open for check-in ({checkin['people']} people to check in)")
        people = residents_by_area(areas)
        proposals = make_proposals(scale, areas, people, rng)
        step(
            f"{proposals['count']} proposals, {proposals['supports']} supports, "
            f"{proposals['comments']} comments"
        )
        meetings = make_meetings(scale, areas, people, rng)
        step(
            f"{meetings['count']} meetings, {meetings['attendees']} attendees, "
            f"{meetings['motions']} motions, {meetings['votes']} votes by name"
        )
        planning = make_planning(areas, cookie_user(), rng)
        step(f"{planning['count']} planning processes, {planning['runs']} step runs")
        projects = make_projects(scale, areas, people, partners, cookie_user(), rng)
        step(
            f"{projects['count']} micro-renewal projects, {projects['milestones']} milestones, "
            f"{projects['photos']} photos, {projects['responses']} satisfaction responses"
        )
        activities = make_activities(areas, people, partners, cookie_user(), rng)
        step(
            f"{activities['count']} activities, {activities['attendances']} attendances, "
            f"{activities['walk_ins']} walk-ins, {activities['hours_claims']} manual hours"
        )
        del people
        journeys = make_journey_sessions(town, area, partner)
        attended = journeys["resident_attended"]
        step(f"sessions for 我的 and 待办 (a resident who attended {attended} times)")
        batch = make_batch_town(args.scale, 2)
        step(f"a fresh town of {len(batch['areas'])} areas for the batch launch")
        reminders = make_reminders(town, town_areas, cookie_user())
        step(
            f"{reminders['registrations']} registrations for {len(reminders['activities'])} "
            f"activities on {reminders['day']} (reminder SMS), people with the SMS consent"
        )
        code_burst = make_code_burst(scale.users)
        list_towns = make_list_towns(rng)
        step(
            "proposal lists: "
            + ", ".join(f"{t['proposals']:,} proposals in {t['slug']}" for t in list_towns.values())
        )
        meeting = busiest_meeting(town)
        town_proposals = Proposal.objects.filter(town=town).count()
        town_meetings = Meeting.objects.filter(town=town).count()
        planning.update(
            town=PlanningProcess.objects.filter(town=town).count(),
            pk=busiest_process(town),
            batch=batch,
        )
        town_projects = Project.objects.filter(town=town)
        projects.update(
            town=town_projects.count(),
            town_completed=town_projects.filter(status=ProjectStatus.COMPLETED).count(),
            pk=busiest_project(town),
        )
    analyze()
    step("VACUUM ANALYZE")

    dataset = {
        "scale": args.scale,
        "seed": args.seed,
        "towns": len(towns),
        "areas": len(areas),
        "sites": sites,
        "users": scale.users + 1,
        "town": {"slug": town.slug, "areas": len(town_areas)},
        "area": {"pk": area.pk, "residents": area.residents.count()},
        "search": SEARCH_TERM,
        "partners": {
            "count": partner_count,
            "town": len(partners[town.pk]),
            "pk": partner.pk,
            "mode": Mode.PLANNING.value,
        },
        "units": {
            "count": units,
            "memberships": memberships,
            "team": team.pk,
            "team_members": team.memberships.count(),
        },
        "checkin": checkin,
        "proposals": {**proposals, "town": town_proposals, "lists": list_towns},
        "meetings": {**meetings, "town": town_meetings, "pk": meeting},
        "staff_cookie": cookie,
        "journeys": journeys,
        "planning": planning,
        "projects": projects,
        "activities": activities,
        "reminders": reminders,
        "code_burst": code_burst,
        "reports": {
            # The dashboard's year: the last full calendar year of the two years
            # of generated history.
            "year": timezone.localdate().year - 1,
            "town": town.slug,
        },
        "seconds": round(time.monotonic() - started, 1),
    }
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(dataset, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
