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
(and the activity's check-in QR code) with that session cookie. Everything the load
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
from gongzhi.events.models import Activity, ActivityKind, ActivityStatus  # noqa: E402
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


@dataclass(frozen=True)
class Scale:
    towns: int
    areas: int
    users: int
    sites_per_area: int  # on average
    partners_per_town: int = 100  # the programme's town had 93
    teams_per_town: int = 12


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


def make_staff_session(town: Town, area: ResidentialArea) -> dict:
    """A secretariat account of ``town``, logged in: returns its session cookie."""
    staff = User.objects.create_user(
        "17700000001", secrets.token_urlsafe(16), display_name="基准秘书", residential_area=area
    )
    grant_role(actor=None, user=staff, role=Role.SECRETARIAT, town=town)
    request = HttpRequest()
    request.session = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    login(request, staff, backend="django.contrib.auth.backends.ModelBackend")
    request.session.save()
    return {"name": settings.SESSION_COOKIE_NAME, "value": request.session.session_key}


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


def analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


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
    analyze()
    step("ANALYZE")

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
        "staff_cookie": cookie,
        "seconds": round(time.monotonic() - started, 1),
    }
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(dataset, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
