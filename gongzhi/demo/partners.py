"""Demo talent pool for 高境镇: the 93 community partners of 2023, plus the queue.

Every partner goes through the real services (an application, its review, the
partner role grant and their audit events). Only 王合伙人 (13800000002) can log
in; the other applicants get accounts without a usable password, as ledger
imports do. Idempotent: when the town already has applications, nothing happens.
Deterministic: the same people come out on every machine (random.Random(2023)).
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from gongzhi.accounts.models import User
from gongzhi.demo.places import DEMO_ACCOUNTS
from gongzhi.partners import services
from gongzhi.partners.models import Application, Channel, Mode, Partner, PartyStatus, Slot
from gongzhi.places.models import ResidentialArea

PARTNER_COUNT = 93
# Primary work mode of the 93 partners (王合伙人 counts as one of the planners).
PRIMARY_MODES = {
    Mode.THINK_TANK: 16,
    Mode.PLANNING: 22,
    Mode.GOVERNANCE: 19,
    Mode.MEDIA: 17,
    Mode.EDUCATION: 19,
}
DUAL_REGISTERED = 20  # 双报到党员, 王合伙人 included
PARTY_MEMBERS = 12
IMPORTED = 12  # from the 2023 paper ledger
RECOMMENDED = 3  # recommended by the residents' committee, then applied through the link
PENDING = 5
PHONE_BASE = 13900000000  # 1390000xxxx: clear of the 1380000000x demo logins
DEMO_PARTNER_PHONE = "13800000002"
SECRETARIAT_PHONE = "13800000004"
AREA_STAFF_PHONE = "13800000003"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋沈顾"
GIVEN = "伟芳敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文慧晨佳雯俊浩宇欣怡婷颖"

PROFESSIONS = {
    Mode.THINK_TANK: ["律师", "会计", "大学教师", "医生", "工程师", "退休干部"],
    Mode.PLANNING: ["规划师", "设计师", "建筑师", "景观设计师", "园艺爱好者", "工程师"],
    Mode.GOVERNANCE: ["退休职工", "社工", "律师", "楼组长", "物业经理", "退休职工"],
    Mode.MEDIA: ["摄影师", "大学生", "编辑", "设计师", "自媒体博主"],
    Mode.EDUCATION: ["教师", "医生", "心理咨询师", "退休教师", "大学生", "非遗手艺人"],
}
SKILLS = {
    Mode.THINK_TANK: ["法律咨询", "政策研究", "社区调研", "财务管理", "数据分析", "健康咨询"],
    Mode.PLANNING: ["手绘", "空间设计", "园艺", "旧物改造", "社区调研", "模型制作"],
    Mode.GOVERNANCE: ["矛盾调解", "活动策划", "志愿者管理", "法律咨询", "议事协商", "心理疏导"],
    Mode.MEDIA: ["摄影", "视频剪辑", "公众号运营", "文案写作", "海报设计", "直播"],
    Mode.EDUCATION: ["儿童教育", "心理疏导", "手工", "健康科普", "书法", "垃圾分类宣讲"],
}
EXTRA_SKILLS = ["园艺", "摄影", "活动策划", "旧物改造", "烹饪", "英语", "手绘", "社区调研"]
MOTIVATIONS = {
    Mode.THINK_TANK: "希望用自己的专业知识为社区出谋划策，参与议事协商。",
    Mode.PLANNING: "想和邻居们一起把身边的角落改造得更好，参与社区规划和微更新。",
    Mode.GOVERNANCE: "在小区住了很多年，愿意帮助居委会做好邻里协调和志愿服务。",
    Mode.MEDIA: "喜欢拍照和写文章，想把社区里的好故事记录下来、传播出去。",
    Mode.EDUCATION: "希望给社区里的孩子和老人开展一些课程和活动。",
}
# 王合伙人, the partner demo login: a landscape designer in 逸景佳苑.
DEMO_PARTNER = {
    "profession": "景观设计师",
    "skills": ["手绘", "空间设计", "社区调研", "园艺"],
    "party_status": PartyStatus.DUAL_REGISTERED,
    "availability": [Slot.WEEKDAY_EVENING, Slot.WEEKEND_DAY],
    "secondary": [Mode.THINK_TANK],
    "motivation": "逸景佳苑的老住户，想把“一客一厅”做成邻居们愿意常来的地方。",
}
MORE_INFO_QUESTION = "请补充您每周大约可以参与几次活动，以及以前参加过哪些社区志愿服务。"
DECLINE_REASON = "您填写的手机号码多次无法接通，暂时无法核实身份；欢迎核实后重新申请。"
RECOMMENDATION_REASONS = [
    "热心肠，经常组织楼里的邻居打扫楼道，大家都很信任她。",
    "退休前是中学美术老师，愿意带孩子们一起画社区。",
    "在小区里开了多年的修车铺，邻里关系好，懂施工。",
    "是社区舞蹈队的组织者，擅长活动策划。",
    "长期关心小区加装电梯的事，愿意参与议事。",
    "会拍视频，给居民区拍过很多活动记录。",
]


@dataclass
class Person:
    name: str
    phone: str
    area: ResidentialArea
    profession: str
    skills: list[str]
    party_status: str
    availability: list[str]
    primary: str
    secondary: list[str] = field(default_factory=list)
    channel: str = Channel.ONLINE
    joined_on: date | None = None


def demo_user(phone: str) -> User:
    return User.objects.get(phone=phone)


def link_neighbours(town) -> None:
    """Areas with consecutive codes share a border (01-02, 02-03, ...), so that
    matching's "lives nearby" has data. Adding a link twice changes nothing."""
    areas = list(ResidentialArea.objects.filter(town=town).order_by("code"))
    for area, following in zip(areas, areas[1:], strict=False):
        area.neighbours.add(following)


def _names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names = []
    while len(names) < count:
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice([1, 2, 2])))
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _availability(rng: random.Random) -> list[str]:
    slots = [slot.value for slot in Slot if rng.random() < 0.45]
    return slots or [rng.choice(Slot.values)]


def _people(
    rng: random.Random, areas: list[ResidentialArea], count: int, taken: set[str]
) -> list[Person]:
    """The partners other than 王合伙人: modes, professions and areas spread out."""
    modes = []
    for mode, n in PRIMARY_MODES.items():
        modes += [mode] * (n - (1 if mode == Mode.PLANNING else 0))
    rng.shuffle(modes)
    # Every area first (one each, shuffled), then the rest anywhere.
    homes = rng.sample(areas, len(areas)) + rng.choices(areas, k=count - len(areas))
    party = (
        [PartyStatus.DUAL_REGISTERED] * (DUAL_REGISTERED - 1)
        + [PartyStatus.MEMBER] * PARTY_MEMBERS
        + [PartyStatus.NONE] * (count - DUAL_REGISTERED + 1 - PARTY_MEMBERS)
    )
    rng.shuffle(party)
    names = _names(rng, count, taken)
    seen_in_mode = dict.fromkeys(Mode, 0)
    people = []
    for i in range(count):
        mode = modes[i]
        # Cycle through each mode's professions, so that every one of them occurs.
        professions = PROFESSIONS[mode]
        profession = professions[seen_in_mode[mode] % len(professions)]
        seen_in_mode[mode] += 1
        skills = rng.sample(SKILLS[mode], rng.choice([2, 2, 3]))
        if rng.random() < 0.5:
            skills.append(rng.choice(EXTRA_SKILLS))
        secondary = []
        if rng.random() < 0.4:
            secondary = [rng.choice([m for m in Mode if m != mode])]
        people.append(
            Person(
                name=names[i],
                phone=str(PHONE_BASE + i + 1),
                area=homes[i],
                profession=profession,
                skills=list(dict.fromkeys(skills)),
                party_status=party[i],
                availability=_availability(rng),
                primary=mode,
                secondary=secondary,
                joined_on=date(2023, 3, 1) + timedelta(days=rng.randint(0, 270)),
            )
        )
    return people


def _applicants(
    rng: random.Random, areas: list[ResidentialArea], count: int, taken: set[str]
) -> list[Person]:
    """People in the review queue (numbered after the partners)."""
    people = []
    for i, name in enumerate(_names(rng, count, taken)):
        mode = rng.choice(Mode.values)
        people.append(
            Person(
                name=name,
                phone=str(PHONE_BASE + PARTNER_COUNT + i),
                area=rng.choice(areas),
                profession=rng.choice(PROFESSIONS[mode]),
                skills=rng.sample(SKILLS[mode], 2),
                party_status=rng.choice([PartyStatus.NONE, PartyStatus.NONE, PartyStatus.MEMBER]),
                availability=_availability(rng),
                primary=mode,
            )
        )
    return people


def _application_fields(person: Person) -> dict:
    return {
        "phone": person.phone,
        "name": person.name,
        "area": person.area,
        "profession": person.profession,
        "skills": person.skills,
        "modes": [person.primary, *person.secondary],
        "party_status": person.party_status,
        "availability": person.availability,
        "motivation": MOTIVATIONS[person.primary],
        "consent": True,
    }


def _enrol(application: Application, person: Person, secretariat) -> Partner:
    partner = services.accept_application(
        application=application,
        actor=secretariat,
        primary_mode=person.primary,
        secondary_modes=person.secondary,
    )
    # The pool was recruited over 2023 (the programme's figures are for that year).
    Partner.objects.filter(pk=partner.pk).update(joined_on=person.joined_on)
    return partner


@transaction.atomic
def seed(town, admin_user) -> bool:
    """Load the demo talent pool into ``town``; False when it was already there.

    ``admin_user`` is not needed by the services (the secretariat reviews) but is
    kept for symmetry with the other demo modules.
    """
    if Application.objects.filter(town=town).exists() or Partner.objects.filter(town=town).exists():
        return False
    rng = random.Random(2023)
    secretariat = demo_user(SECRETARIAT_PHONE)
    area_staff = demo_user(AREA_STAFF_PHONE)
    areas = list(ResidentialArea.objects.filter(town=town).order_by("code"))
    link_neighbours(town)

    # 王合伙人 applies while logged in and is accepted as a planner.
    wang = demo_user(DEMO_PARTNER_PHONE)
    wang_person = Person(
        name=wang.display_name,
        phone=wang.phone,
        area=areas[0],
        profession=DEMO_PARTNER["profession"],
        skills=DEMO_PARTNER["skills"],
        party_status=DEMO_PARTNER["party_status"],
        availability=DEMO_PARTNER["availability"],
        primary=Mode.PLANNING,
        secondary=DEMO_PARTNER["secondary"],
        joined_on=date(2023, 4, 12),
    )
    fields = _application_fields(wang_person) | {"motivation": DEMO_PARTNER["motivation"]}
    _enrol(services.submit_application(town=town, user=wang, **fields), wang_person, secretariat)

    taken = {name for _phone, name, _role, _label in DEMO_ACCOUNTS}
    people = _people(rng, areas, PARTNER_COUNT - 1, taken)
    # Three came through a recommendation by the residents' committee of the first two
    # areas (陈社工 serves those), a dozen from the 2023 paper ledger, the rest online.
    recommended = [p for p in people if p.area in areas[:2]][:RECOMMENDED]
    for person in recommended:
        person.channel = Channel.RECOMMENDED
    others = [p for p in people if p.channel == Channel.ONLINE]
    for person in rng.sample(others, IMPORTED):
        person.channel = Channel.IMPORTED

    for i, person in enumerate(people):
        fields = _application_fields(person)
        if person.channel == Channel.RECOMMENDED:
            _recommendation, token = services.recommend(
                town=town,
                area=person.area,
                actor=area_staff,
                name=person.name,
                phone=person.phone,
                reason=RECOMMENDATION_REASONS[i % len(RECOMMENDATION_REASONS)],
            )
            application = services.confirm_recommendation(token=token, **fields)
        else:
            application = services.submit_application(town=town, channel=person.channel, **fields)
        _enrol(application, person, secretariat)

    # The queue: applications waiting for review, one waiting for an answer, one
    # declined, and recommendations the residents have not answered yet.
    waiting = _applicants(rng, areas, PENDING + 2 + 3, taken)
    for person in waiting[:PENDING]:
        services.submit_application(town=town, **_application_fields(person))
    asked = services.submit_application(town=town, **_application_fields(waiting[PENDING]))
    services.request_more_info(application=asked, actor=secretariat, question=MORE_INFO_QUESTION)
    refused = services.submit_application(town=town, **_application_fields(waiting[PENDING + 1]))
    services.decline_application(application=refused, actor=secretariat, reason=DECLINE_REASON)
    recommenders = [area_staff, area_staff, wang]
    for n, (person, recommender) in enumerate(
        zip(waiting[PENDING + 2 :], recommenders, strict=True)
    ):
        area = areas[n % 2] if recommender == area_staff else areas[2]
        services.recommend(
            town=town,
            area=area,
            actor=recommender,
            name=person.name,
            phone=person.phone,
            reason=RECOMMENDATION_REASONS[-1 - n],
        )
    return True
