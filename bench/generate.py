"""Fill an empty database with a benchmark data set of a chosen scale.

    .venv/bin/python bench/generate.py --scale town --out bench/results/dataset.json

Scales (see SCALES): town (1 town, 32 areas, 2,000 users), district (12 towns,
400 areas, 200,000 users) and city (150 towns, 4,000 areas, 1,000,000 users).
The data are deterministic for a given --seed. Users are written with PostgreSQL's
COPY (bulk_create elsewhere) and all share one precomputed password hash, so the
district scale takes seconds rather than minutes.

It also creates one secretariat account for the first town and logs it in through
Django's session engine, so the load tool can fetch a staff page with that session
cookie. Everything the load run needs (town slug, area id, search term, cookie) is
written as JSON to --out. The session is signed with DJANGO_SECRET_KEY: run the
server with the same key.
"""

import argparse
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
from gongzhi.places.models import ResidentialArea, Site, SiteKind, Town  # noqa: E402
from gongzhi.places.services import grant_role  # noqa: E402


@dataclass(frozen=True)
class Scale:
    towns: int
    areas: int
    users: int
    sites_per_area: int  # on average


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
        town = towns[0]
        town_areas = [a for a in areas if a.town_id == town.pk]
        area = town_areas[len(town_areas) // 2]
        cookie = make_staff_session(town, area)
        step("secretariat account and its session")
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
        "staff_cookie": cookie,
        "seconds": round(time.monotonic() - started, 1),
    }
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(dataset, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
