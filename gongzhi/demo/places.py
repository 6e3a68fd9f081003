"""Demo data for 高境镇: the town, its 32 residential areas and one account per role.

Idempotent: running it again changes nothing. The other modules of this app add each
capability's demo on top of ``seed``; the seed_demo command calls them in order.
"""

from datetime import date, timedelta

from django.db import transaction

from gongzhi.accounts.models import ConsentKind, User
from gongzhi.accounts.services import give_consent
from gongzhi.core.scope import Role
from gongzhi.places.models import ResidentialArea, Site, SiteKind, Town
from gongzhi.places.services import grant_role

DEMO_PASSWORD = "gongzhi-demo-2026"
TOWN_NAME = "高境镇"
NAMED_AREA = "逸景佳苑"
AREA_COUNT = 32
CHINESE_NUMERALS = "零一二三四五六七八九"


def area_name(number: int) -> str:
    """Neutral numbered names: 第二居民区 ... 第三十二居民区."""
    tens, ones = divmod(number, 10)
    if tens == 0:
        text = CHINESE_NUMERALS[ones]
    else:
        text = (
            ("" if tens == 1 else CHINESE_NUMERALS[tens])
            + "十"
            + (CHINESE_NUMERALS[ones] if ones else "")
        )
    return f"第{text}居民区"


def next_monday(today: date) -> date:
    """The first day of next week (weeks run Monday to Sunday)."""
    return today + timedelta(days=7 - today.weekday())


def this_sunday(today: date) -> date:
    """The last day of this week."""
    return today + timedelta(days=6 - today.weekday())


DEMO_ACCOUNTS = [
    # phone, display name, role, description for the printed list
    ("13800000001", "李居民", Role.RESIDENT, "resident 居民"),
    ("13800000002", "王合伙人", Role.PARTNER, "partner 社区合伙人"),
    ("13800000003", "陈社工", Role.AREA_STAFF, "area staff 居委会 (逸景佳苑, 第二居民区)"),
    ("13800000004", "赵秘书", Role.SECRETARIAT, "secretariat 秘书处 (高境镇)"),
    ("13800000005", "管理员", Role.ADMINISTRATOR, "administrator 管理员"),
]


@transaction.atomic
def seed() -> Town:
    town, _ = Town.objects.get_or_create(
        slug="gaojing",
        defaults={
            "name": TOWN_NAME,
            "district": "宝山区",
            "description": "境享·社区合伙人：共建共治共享。",
        },
    )
    areas = []
    for number in range(1, AREA_COUNT + 1):
        name = NAMED_AREA if number == 1 else area_name(number)
        area, _ = ResidentialArea.objects.get_or_create(
            town=town, code=f"{number:02d}", defaults={"name": name}
        )
        areas.append(area)
    yijing = areas[0]
    for name, kind in [
        ("逸致议事厅", SiteKind.PUBLIC_ROOM),
        ("站长工作室", SiteKind.PUBLIC_ROOM),
        ("中心花园", SiteKind.GREEN_SPACE),
        ("3号楼转角", SiteKind.PATH),
    ]:
        Site.objects.get_or_create(town=town, area=yijing, name=name, defaults={"kind": kind})

    admin = None
    for phone, display_name, role, _label in DEMO_ACCOUNTS:
        user = User.objects.filter(phone=phone).first()
        if user is None:
            user = User.objects.create_user(
                phone,
                DEMO_PASSWORD,
                display_name=display_name,
                residential_area=yijing,
                is_staff=role == Role.ADMINISTRATOR,
                is_superuser=role == Role.ADMINISTRATOR,
                # The demo's people proved their numbers long ago.
                phone_verified=True,
            )
            give_consent(user=user, kind=ConsentKind.PRIVACY_NOTICE)
            if role in (Role.RESIDENT, Role.PARTNER):
                # They take text messages about what they take part in: what staff do
                # in the demo (a reply to 李居民's objection, a place come free) shows
                # in the demo outbox (/sms/outbox/), between 08:00 and 21:00.
                give_consent(user=user, kind=ConsentKind.SMS_NOTIFICATIONS)
        if role == Role.ADMINISTRATOR:
            admin = user
    for phone, _name, role, _label in DEMO_ACCOUNTS:
        if role in (Role.PARTNER, Role.SECRETARIAT, Role.AREA_STAFF):
            user = User.objects.get(phone=phone)
            if not user.role_grants.filter(role=role, town=town).exists():
                grant_role(
                    actor=admin,
                    user=user,
                    role=role,
                    town=town,
                    areas=areas[:2] if role == Role.AREA_STAFF else (),
                )
    return town
