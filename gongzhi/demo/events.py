"""Demo year for Participation: the programme's named formats in 2023, with
registrations, check-ins and head counts adding up to more than 6,000 person-times,
a World Café with its harvest, a market with stalls and volunteer hours.

``seed_today`` adds the activities of the present, counted from the moment it is
given: two held in the last weeks (a partners' training, a stairwell clean-up with
volunteer hours), 逸景佳苑's 共建日 today, under way, with its check-in open at
whatever hour the demo is seeded (``today_slot``) and people already checked in, and
three next week open for sign-up (李居民 signed up for the World Café, which
王合伙人 hosts).

Idempotent: a town that already has activities is left alone (``seed_today``: one
that has today's). Attendance rows of the past are written in bulk (seeding
thousands through the check-in service would be slow); they are ordinary records,
counted like any others. Today's check-ins go through the service.
"""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from gongzhi.accounts.models import AgeBand, ConsentKind, ConsentRecord, User
from gongzhi.accounts.privacy import NOTICE_VERSION, PURPOSES
from gongzhi.core.pinyin import pinyin_key
from gongzhi.demo.places import next_monday
from gongzhi.events import formats, hours, services
from gongzhi.events.models import Activity, Attendance, Registration, WalkInCount
from gongzhi.organisations.models import OrgUnit
from gongzhi.partners.models import Partner

RESIDENTS = 1800
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "秀英桂兰玉珍建国建华志强丽华海燕春梅秋菊文静子涵雨"
    "桐浩然宇轩晓东国平淑芬凤英红霞德明家豪思远佳怡明辉"
)

# title, kind, (month, day, hour), area code or None (town-wide), named attendance,
# walk-in head count, venue
PAST = [
    ("共创美好社区", "salon", (3, 18, 14), None, 180, 0, "高境镇社区党群服务中心"),
    ("环保遇见微改造，小小园艺师", "placemaking", (4, 15, 9), "01", 120, 0, "逸景佳苑中心花园"),
    ("微更新点亮多元“金”技场", "placemaking", (5, 20, 9), "05", 260, 0, "第五居民区健身广场"),
    ("境聚里世界咖啡馆", "world_cafe", (6, 10, 14), "01", 40, 0, "逸致议事厅"),
    ("逸景佳苑参与式设计工作坊", "workshop", (6, 24, 14), "01", 60, 0, "逸致议事厅"),
    (
        "转角遇见社区微更新设计赛·启动会",
        "contest_event",
        (7, 8, 14),
        None,
        220,
        0,
        "高境镇文化活动中心",
    ),
    ("楼道清洁志愿服务（逸景佳苑）", "volunteer_service", (7, 22, 8), "01", 45, 0, "逸景佳苑"),
    ("境享好市", "charity_market", (9, 16, 9), None, 150, 1500, "高境镇市民广场"),
    (
        "转角遇见社区微更新设计赛·中期评审开放日",
        "contest_event",
        (9, 23, 9),
        None,
        300,
        0,
        "高境镇文化活动中心",
    ),
    ("楼道清洁志愿服务（第二居民区）", "volunteer_service", (10, 14, 8), "02", 45, 0, "第二居民区"),
    ("社区花园共建日", "placemaking", (10, 21, 9), "12", 350, 300, "第十二居民区社区花园"),
    ("旧墙新颜彩绘日", "placemaking", (10, 28, 9), "14", 420, 200, "第十四居民区围墙"),
    ("合伙人参与式规划培训", "training", (11, 4, 14), None, 80, 0, "高境镇社区党群服务中心"),
    ("凉亭楼道微更新共建", "placemaking", (11, 18, 9), "24", 480, 0, "第二十四居民区凉亭"),
    (
        "楼道清洁志愿服务（第十二居民区）",
        "volunteer_service",
        (11, 25, 8),
        "12",
        45,
        0,
        "第十二居民区",
    ),
    ("社区门头设计分享会", "salon", (12, 9, 14), "30", 600, 0, "第三十居民区活动室"),
    ("便民挂钩安装日", "placemaking", (12, 16, 9), "26", 800, 0, "第二十六居民区"),
]

# The activities of the present. Held in the last weeks: title, kind, days ago, hour,
# area code or None, people who came, venue.
RECENT = [
    ("合伙人参与式规划培训（新一期）", "training", 17, 14, None, 40, "高境镇社区党群服务中心"),
    ("楼道清洁志愿服务（逸景佳苑）", "volunteer_service", 10, 8, "01", 22, "逸景佳苑"),
]
# Today, under way (today_slot): title, kind, area code, venue, people checked in.
TODAY = ("逸景佳苑楼道微更新共建日", "placemaking", "01", "逸景佳苑5号楼", 14)
TODAY_DESCRIPTION = (
    "和邻居们一起清理5号楼楼道、粉刷墙面、安装共享书架。到场请扫码签到，工具和手套由居委会准备。"
)
# Next week, open for sign-up: title ({season}: 春/夏/秋/冬 of its day), kind, day of
# the week (0 is Monday), hour, area code or None, capacity, venue.
UPCOMING = [
    ("境聚里世界咖啡馆：议事厅怎么用得更好", "world_cafe", 1, 14, "01", 30, "逸致议事厅"),
    ("社区合伙人共建沙龙", "salon", 3, 14, None, 60, "高境镇社区党群服务中心"),
    ("小小园艺师·{season}季养护", "placemaking", 5, 9, "12", 20, "第十二居民区社区花园"),
]
SEASONS = "冬冬春春春夏夏夏秋秋秋冬"  # by month

CAFE_QUESTIONS = [
    "议事厅平时最需要什么功能？",
    "谁来管理、怎样开放才公平？",
    "我们自己能为议事厅做些什么？",
]
CAFE_THEMES = [
    ("分时段开放", "白天为老人和带娃家庭开放，晚上留给议事和兴趣小组；在门口公示预约表。"),
    ("居民轮值管理", "由合伙人和楼组长轮值，钥匙和物品登记，每月在自治会议上通报。"),
    ("共建共享", "居民捐赠桌椅和书籍，设计师合伙人出布置方案，年轻人负责线上预约。"),
]


def _aware(year, month, day, hour):
    return timezone.make_aware(datetime(year, month, day, hour))


def _residents(town, areas, rng) -> list[User]:
    """Residents who took part (no log-in): bulk-made, a third with a consented age band."""
    if User.objects.filter(phone__startswith="1350").exists():
        return list(User.objects.filter(phone__startswith="1350"))
    password = make_password(None)
    bands = [b.value for b in AgeBand]
    weights = [4, 18, 30, 26, 22]  # older residents take part most
    users = []
    for n in range(RESIDENTS):
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
        band = rng.choices(bands, weights)[0] if n % 3 == 0 else ""
        users.append(
            User(
                phone=f"1350{n:07d}",
                display_name=name,
                # bulk_create skips save(), which keeps the pinyin key.
                name_sort=pinyin_key(name, person=True),
                residential_area=rng.choice(areas),
                age_band=band,
                password=password,
            )
        )
    User.objects.bulk_create(users, batch_size=1000)
    users = list(User.objects.filter(phone__startswith="1350").order_by("phone"))
    consents = []
    for user in users:
        consents.append(
            ConsentRecord(
                user=user,
                kind=ConsentKind.PRIVACY_NOTICE,
                purpose=str(PURPOSES["privacy_notice"]),
                notice_version=NOTICE_VERSION,
            )
        )
        if user.age_band:
            consents.append(
                ConsentRecord(
                    user=user,
                    kind=ConsentKind.AGE_BAND,
                    purpose=str(PURPOSES["age_band"]),
                    notice_version=NOTICE_VERSION,
                )
            )
    ConsentRecord.objects.bulk_create(consents, batch_size=2000)
    return users


def _attend(activity, people, rng, *, with_hours=False):
    """Bulk attendance (and matching registrations where places were limited)."""
    rows = []
    for user in people:
        checked_in = activity.starts_at + timedelta(minutes=rng.randint(-10, 20))
        checked_out = None
        if with_hours:
            checked_out = activity.ends_at - timedelta(minutes=rng.randint(0, 30))
        rows.append(
            Attendance(
                activity=activity,
                user=user,
                method=rng.choice(["qr", "qr", "qr", "roster", "quick"]),
                checked_in_at=checked_in,
                checked_out_at=checked_out,
            )
        )
    Attendance.objects.bulk_create(rows, batch_size=1000)
    if activity.capacity:
        Registration.objects.bulk_create(
            [Registration(activity=activity, user=u, status="registered") for u in people],
            batch_size=1000,
        )


@transaction.atomic
def seed(town, actor, *, year: int = 2023) -> bool:
    if Activity.objects.filter(town=town).exists():
        return False
    rng = random.Random(year)
    areas = {a.code: a for a in town.areas.order_by("code")}
    residents = _residents(town, list(areas.values()), rng)
    partners = list(Partner.objects.filter(town=town).select_related("user").order_by("pk"))
    committees = {u.mode: u for u in OrgUnit.objects.filter(town=town, kind="committee")}
    kinds_unit = {
        "world_cafe": "planning",
        "workshop": "planning",
        "contest_event": "planning",
        "placemaking": "governance",
        "charity_market": "media",
        "salon": "think_tank",
        "training": "education",
        "volunteer_service": "governance",
    }
    # The area staff run their areas' activities; the town-wide ones (the market, the
    # salon coming up) are the secretariat's, as the services require.
    town_actor = (
        User.objects.filter(role_grants__town=town, role_grants__role="secretariat")
        .order_by("pk")
        .first()
    ) or actor
    created = []
    for title, kind, (month, day, hour), code, named, walk_ins, venue in PAST:
        starts = _aware(year, month, day, hour)
        activity = Activity.objects.create(
            town=town,
            area=areas.get(code) if code else None,
            organiser=committees.get(kinds_unit[kind]),
            kind=kind,
            title=title,
            venue=venue,
            starts_at=starts,
            ends_at=starts + timedelta(hours=3 if kind in ("charity_market", "placemaking") else 2),
            capacity=named + 20
            if kind in ("workshop", "world_cafe", "training", "salon")
            else None,
            status="published",
            created_by=actor,
            description=f"{title}：居民共同参与社区营造。",
        )
        created.append(activity)
        if kind == "volunteer_service":
            volunteers = [p.user for p in rng.sample(partners, min(len(partners), 25))]
            volunteers += rng.sample(residents, named - len(volunteers))
            _attend(activity, volunteers, rng, with_hours=True)
        else:
            _attend(activity, rng.sample(residents, named), rng)
        if walk_ins:
            for share, note in [(0.5, "上午"), (0.3, "中午"), (0.2, "下午")]:
                WalkInCount.objects.create(
                    activity=activity, count=int(walk_ins * share), note=note, recorded_by=actor
                )
    _world_cafe(next(a for a in created if a.kind == "world_cafe"), partners, actor)
    _market(
        next(a for a in created if a.kind == "charity_market"),
        partners,
        committees,
        town_actor,
        rng,
    )
    _manual_hours(next(a for a in created if a.kind == "volunteer_service"), actor)
    return True


# --- Today ------------------------------------------------------------------------------


def today_slot(now) -> tuple[datetime, datetime]:
    """When today's activity runs: from an hour before the hour of ``now`` (not before
    midnight) to three hours after that hour. Check-in opens an hour before the start
    and closes half an hour after the end, so it is open at ``now`` and for at least
    two and a half hours more, whatever the hour the demo is seeded."""
    hour = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    return max(hour - timedelta(hours=1), hour.replace(hour=0)), hour + timedelta(hours=3)


def season(day) -> str:
    return SEASONS[day.month - 1]


def _town_actor(town, actor):
    """The secretariat, who runs the town-wide activities (the services require it)."""
    return (
        User.objects.filter(role_grants__town=town, role_grants__role="secretariat")
        .order_by("pk")
        .first()
    ) or actor


@transaction.atomic
def seed_today(town, actor, *, now) -> bool:
    """The activities of the present (see the module's docstring), ``actor`` (the area
    staff of 逸景佳苑) running 逸景佳苑's; False when today's is there already."""
    title, kind, code, venue, checked_in = TODAY
    if Activity.objects.filter(town=town, title=title).exists():
        return False
    rng = random.Random(2026)
    today = timezone.localdate(now)
    areas = {a.code: a for a in town.areas.order_by("code")}
    residents = list(User.objects.filter(phone__startswith="1350").order_by("phone"))
    partners = list(Partner.objects.filter(town=town).select_related("user").order_by("pk"))
    committees = {u.mode: u for u in OrgUnit.objects.filter(town=town, kind="committee")}
    town_actor = _town_actor(town, actor)
    for name, kind_, days, hour, area_code, came, place in RECENT:
        starts = _aware(*(today - timedelta(days=days)).timetuple()[:3], hour)
        activity = Activity.objects.create(
            town=town,
            area=areas.get(area_code) if area_code else None,
            organiser=committees.get("education" if kind_ == "training" else "governance"),
            kind=kind_,
            title=name,
            venue=place,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            capacity=came + 10 if kind_ == "training" else None,
            status="published",
            created_by=actor if area_code else town_actor,
            description=f"{name}：居民和社区合伙人共同参与。",
        )
        people = (
            residents
            if area_code is None
            else [u for u in residents if u.residential_area_id == areas[area_code].pk]
        )
        if kind_ == "volunteer_service":
            volunteers = [p.user for p in partners[:8]]
            _attend(activity, volunteers + rng.sample(people, came - 8), rng, with_hours=True)
        else:
            _attend(activity, rng.sample(people, came), rng)
        Activity.objects.filter(pk=activity.pk).update(
            created_at=starts - timedelta(days=14), updated_at=starts + timedelta(hours=3)
        )

    # Today: under way now, check-in open, neighbours arriving.
    starts, ends = today_slot(now)
    activity = services.create_activity(
        town=town,
        actor=actor,
        area=areas[code],
        organiser=committees.get("governance"),
        kind=kind,
        title=title,
        venue=venue,
        starts_at=starts,
        ends_at=ends,
        description=TODAY_DESCRIPTION,
    )
    services.publish_activity(activity=activity, actor=actor)
    # Two of 逸景佳苑's partners lend a hand (王合伙人 hosts next week's World Café).
    helpers = [p for p in partners if p.area_id == areas[code].pk and p.user.phone[:4] == "1390"]
    for partner in helpers[:2]:
        formats.add_activity_partner(activity=activity, partner=partner, role="helper", actor=actor)
    neighbours = [u for u in residents if u.residential_area_id == areas[code].pk]
    for n, user in enumerate(rng.sample(neighbours, checked_in)):
        at = max(now - timedelta(minutes=2 + 4 * n), starts - timedelta(minutes=20))
        services.check_in(activity=activity, user=user, method="qr", at=at)
    Activity.objects.filter(pk=activity.pk).update(created_at=now - timedelta(days=12))

    # Next week, open for sign-up.
    monday = next_monday(today)
    resident = User.objects.filter(phone="13800000001").first()
    for name, kind_, weekday, hour, area_code, capacity, place in UPCOMING:
        day = monday + timedelta(days=weekday)
        starts = _aware(day.year, day.month, day.day, hour)
        who = actor if area_code in ("01", "02") else town_actor
        activity = services.create_activity(
            town=town,
            actor=who,
            area=areas.get(area_code) if area_code else None,
            kind=kind_,
            title=name.format(season=season(day)),
            venue=place,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            capacity=capacity,
            description="欢迎报名参加，名额有限，报满后可排队候补。",
        )
        services.publish_activity(activity=activity, actor=who)
        for user in rng.sample(residents, capacity // 2):
            services.register(activity=activity, user=user)
        if kind_ == "world_cafe":
            if resident is not None:
                services.register(activity=activity, user=resident)
            # 王合伙人 (the partner login) hosts it.
            wang = next((p for p in partners if p.user.phone == "13800000002"), None)
            if wang is not None:
                formats.add_activity_partner(
                    activity=activity, partner=wang, role="host", actor=who
                )
    return True


def _world_cafe(activity, partners, actor):
    cafe = formats.set_up_world_cafe(
        activity=activity, actor=actor, questions=CAFE_QUESTIONS, tables=5
    )
    rounds = list(cafe.rounds.order_by("number"))
    notes = []
    for table in cafe.tables.order_by("number"):
        for round_ in rounds:
            notes.append(
                formats.record_table_note(
                    table=table,
                    round=round_,
                    actor=actor,
                    text=(
                        f"第{table.number}桌·第{round_.number}轮：{round_.question}"
                        "大家提出了具体建议。"
                    ),
                )
            )
    for (title, summary), cited in zip(
        CAFE_THEMES, [notes[0:3], notes[3:6], notes[6:9]], strict=True
    ):
        formats.add_harvest_theme(cafe=cafe, actor=actor, title=title, summary=summary, notes=cited)


def _market(activity, partners, committees, actor, rng):
    offers = [
        ("义剪理发", "service", None),
        ("旧物改造手工包", "goods", Decimal("860.00")),
        ("法律咨询", "service", None),
        ("绿植认领", "goods", Decimal("1240.50")),
        ("儿童绘本换读", "goods", None),
        ("健康义诊", "service", None),
    ]
    for i, (offer, kind, raised) in enumerate(offers):
        runner = (
            {"partner": partners[i * 7]} if i % 2 else {"unit": list(committees.values())[i % 5]}
        )
        formats.add_market_stall(
            activity=activity,
            actor=actor,
            offer=offer,
            offer_kind=kind,
            raised_amount=raised,
            items_raised="图书 120 册" if offer == "儿童绘本换读" else "",
            **runner,
        )


def _manual_hours(activity, actor):
    attendance = activity.attendances.select_related("user").order_by("pk").first()
    attendance.checked_out_at = attendance.checked_in_at + timedelta(minutes=60)
    attendance.save(update_fields=["checked_out_at"])
    claim = hours.claim_hours(
        activity=activity, user=attendance.user, minutes=40, reason="提前到场布置工具"
    )
    hours.decide_claim(claim=claim, actor=actor, approve=True)
