"""Demo proposals for 高境镇: the 44 community planning proposals (社区规划提案) of
2023, over the demo areas and in every status, with supports from demo residents,
comments and official replies.

Everything goes through the services (so the status history, the audit trail and
the notifications exist); the dates are then moved into 2023 with queryset updates,
since the services stamp "now". Needs the demo residents (demo/events.py) first for
realistic support; it falls back to whoever lives in the area. Idempotent: a town
that already has proposals is left alone. Deterministic (random.Random(2023)).

The seven listed as implemented are the sites the programme built in 2023. With
``implement=False`` they are left adopted, for a demo that builds them as projects
(completing a project marks its proposal implemented, with the history that goes
with it); the other proposals keep the same records and dates either way. Every
resident's comment on a proposal still open (submitted or under review) was answered
officially within a few days in 2023, so staff's 待办 starts from what is current.

``seed_today`` adds the proposals of the last three weeks, counted back from the
moment it is given: six gathering supports (one of them 李居民's own, one 李居民
supports) and one that has just reached the threshold and gone to review, with
comments answered officially except the newest few, which wait in 待办.
"""

import io
import random
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from gongzhi.accounts.models import User
from gongzhi.places.models import ResidentialArea, Site
from gongzhi.proposals import services
from gongzhi.proposals.models import Comment, Proposal, ProposalStatus, StatusChange, Support

S, R, A = ProposalStatus.SUBMITTED, ProposalStatus.UNDER_REVIEW, ProposalStatus.ADOPTED
M, N, DONE = ProposalStatus.MERGED, ProposalStatus.NOT_ADOPTED, ProposalStatus.IMPLEMENTED

# area code, status, category, title, description, site name (in the area) or "".
# Merged ones name the title they were merged into (same area, listed before them).
PROPOSALS = [
    (
        "01",
        DONE,
        "public_space",
        "中心花园改造为社区花园",
        "中心花园的草坪常年被踩秃，建议改造成居民认养的社区花园，分成小块由楼组认养，"
        "种植蔬菜和花卉，设置堆肥箱和工具房。",
        "中心花园",
    ),
    (
        "01",
        DONE,
        "facilities",
        "3号楼转角增设休息座椅",
        "3号楼转角是老人去菜场的必经之路，走到这里常要歇脚，建议增设两张带扶手的座椅。",
        "3号楼转角",
    ),
    (
        "01",
        A,
        "facilities",
        "逸致议事厅增加分时段开放",
        "议事厅平时大多锁着，建议白天向老人和带娃家庭开放，晚上留给议事和兴趣小组，"
        "在门口公示预约表。",
        "逸致议事厅",
    ),
    (
        "01",
        A,
        "safety",
        "地下车库入口加装反光镜和减速带",
        "车库入口是弯道，进出车辆看不到对方，已发生过两次剐蹭，建议加装凸面镜和减速带。",
        "",
    ),
    (
        "01",
        R,
        "environment",
        "垃圾厢房周边增设洗手池",
        "居民扔完湿垃圾手上脏，建议在垃圾厢房旁增设洗手池，并做好排水。",
        "",
    ),
    (
        "01",
        R,
        "public_space",
        "楼道堆物清理后改造为共享书架",
        "5号楼一楼楼道清理后空出一块地方，建议做成共享书架和绿植角，由楼组长轮流照看。",
        "",
    ),
    (
        "01",
        S,
        "services",
        "快递柜旁增设便民挂钩",
        "取快递时手上东西多，建议在快递柜和单元门口增设便民挂钩，方便临时挂袋子。",
        "",
    ),
    (
        "01",
        S,
        "facilities",
        "站长工作室门口增设雨棚",
        "下雨天居民在站长工作室门口排队时没有遮挡，建议加装透明雨棚。",
        "站长工作室",
    ),
    (
        "01",
        N,
        "facilities",
        "小区内增设机动车充电桩",
        "新能源车越来越多，建议在小区地面停车位增设充电桩。",
        "",
    ),
    (
        "01",
        M,
        "facilities",
        "3号楼转角加装扶手",
        "3号楼转角有台阶，老人上下不方便，建议加装扶手。→3号楼转角增设休息座椅",
        "3号楼转角",
    ),
    (
        "02",
        A,
        "public_space",
        "旧墙新颜：沿街围墙彩绘",
        "沿街围墙斑驳脱落，建议请居民和设计师合伙人一起绘制本社区的老故事。",
        "",
    ),
    (
        "02",
        A,
        "public_space",
        "凉亭修缮并增设楼道口座椅",
        "凉亭顶棚漏雨、木椅松动，建议整体修缮，并在附近楼道口增设座椅。",
        "",
    ),
    (
        "02",
        R,
        "safety",
        "夜间步道照明改造",
        "花园步道晚上很暗，散步的老人容易摔倒，建议增设低位草坪灯。",
        "",
    ),
    (
        "02",
        S,
        "environment",
        "非机动车棚旁绿化补种",
        "车棚旁的绿化带被踩坏，建议补种耐踩的地被植物并加设矮篱。",
        "",
    ),
    ("02", N, "other", "每周举办露天电影", "建议每周六晚在中心广场放露天电影，丰富居民生活。", ""),
    ("02", M, "safety", "步道增设路灯", "步道太暗，建议增设路灯。→夜间步道照明改造", ""),
    (
        "03",
        DONE,
        "public_space",
        "路边小景：入口花坛营造",
        "小区入口的花坛只剩杂草，建议与居民一起营造四季有花的路边小景。",
        "",
    ),
    (
        "03",
        R,
        "facilities",
        "增设适老化休息座椅",
        "小区里能坐的地方太少，建议在主干道沿线每隔五十米设一处带靠背的座椅。",
        "",
    ),
    (
        "03",
        S,
        "services",
        "设立共享工具箱",
        "家里修修补补的工具不常用，建议在物业办公室设共享工具箱，登记借用。",
        "",
    ),
    (
        "04",
        A,
        "public_space",
        "凉亭楼道微更新",
        "凉亭和旁边楼道口连在一起，建议统一设计，做成有顶的邻里会客厅。",
        "",
    ),
    (
        "04",
        N,
        "facilities",
        "占用消防通道设置临时停车位",
        "车位不够，建议在消防通道一侧划临时停车位。",
        "",
    ),
    (
        "05",
        DONE,
        "facilities",
        "社区门头改造",
        "小区南门门头破旧，名字都看不清，建议重新设计门头并加装夜间照明。",
        "",
    ),
    ("05", R, "safety", "南门人车分流", "上下学时段南门人车混行，建议设人行通道和隔离桩。", ""),
    (
        "06",
        A,
        "facilities",
        "非机动车棚增设充电设施",
        "电动自行车在楼道充电有安全隐患，建议在车棚增设智能充电口。",
        "",
    ),
    (
        "06",
        S,
        "environment",
        "宠物粪便收集点",
        "草坪上常有宠物粪便，建议设置宠物粪便袋取用点和专用垃圾桶。",
        "",
    ),
    (
        "07",
        A,
        "services",
        "便民挂钩与爱心座椅进楼道",
        "老人提菜上楼要歇几次，建议在各楼层楼道安装折叠爱心座椅和便民挂钩。",
        "",
    ),
    (
        "07",
        M,
        "services",
        "楼道安装折叠座椅",
        "建议楼道里装折叠座椅。→便民挂钩与爱心座椅进楼道",
        "",
    ),
    (
        "08",
        R,
        "public_space",
        "儿童游乐区改造",
        "游乐设施老化，地面是水泥地，建议更换设施并铺设软质地面。",
        "",
    ),
    (
        "08",
        S,
        "facilities",
        "晾晒架统一设置",
        "居民在绿化带里拉绳晾被子，建议在阳光好的空地统一设置晾晒架。",
        "",
    ),
    (
        "09",
        A,
        "environment",
        "垃圾分类投放点美化",
        "投放点气味大、外观差，建议加装顶棚和除臭设施，外墙做彩绘。",
        "",
    ),
    ("10", N, "other", "小区内养鸡", "建议在空地上集体养几只鸡，让孩子们认识动物。", ""),
    (
        "11",
        R,
        "safety",
        "楼道感应灯更换",
        "不少楼道感应灯坏了没人修，建议统一更换为声光感应灯。",
        "",
    ),
    (
        "12",
        A,
        "public_space",
        "社区花园共建",
        "利用闲置绿地建设社区花园，设置雨水收集和堆肥区，由居民志愿者共同维护。",
        "",
    ),
    (
        "14",
        DONE,
        "public_space",
        "旧墙新颜：围墙微更新",
        "围墙墙皮脱落，建议清理后做成展示社区历史的文化墙。",
        "",
    ),
    (
        "15",
        S,
        "facilities",
        "健身器材更新",
        "健身苑点的器材生锈，有的已经不能用，建议更新并增加适合老人的器材。",
        "",
    ),
    ("16", N, "facilities", "小区加装门禁人脸识别", "建议所有单元门改成人脸识别门禁。", ""),
    (
        "18",
        R,
        "environment",
        "河道沿线绿化提升",
        "小区旁河道沿线只有杂草，建议种植开花灌木，设置亲水步道。",
        "",
    ),
    ("20", S, "safety", "路口增设凸面镜", "小区内丁字路口视线不好，建议增设凸面镜。", ""),
    ("22", N, "services", "物业费调整", "建议降低物业费标准。", ""),
    (
        "24",
        DONE,
        "public_space",
        "凉亭楼道共建",
        "凉亭周边楼道杂乱，建议清理后布置绿植和座椅，做成楼道会客厅。",
        "",
    ),
    (
        "26",
        DONE,
        "services",
        "便民挂钩安装",
        "在各单元门口和快递点安装便民挂钩，方便居民临时挂放物品。",
        "",
    ),
    ("28", N, "facilities", "增设地面停车位", "建议把中心绿地改成停车位，缓解停车难。", ""),
    (
        "30",
        S,
        "facilities",
        "社区门头设计",
        "小区北门门头样式陈旧，建议由居民参与设计新的门头和标识，体现社区特色。",
        "",
    ),
    ("05", M, "facilities", "门头灯光改造", "门头晚上太暗，建议加装灯光。→社区门头改造", ""),
]

NOT_ADOPTED_REASONS = {
    "小区内增设机动车充电桩": (
        "小区电力容量不足，需电力公司评估；已转交业委会与供电所对接，暂不列入社区规划。"
    ),
    "每周举办露天电影": "属于文化活动安排，不涉及空间改造；已转给社区文化团队作为活动建议。",
    "占用消防通道设置临时停车位": "消防通道严禁占用，违反《消防法》相关规定。",
    "小区内养鸡": "涉及卫生防疫和邻里噪音，不符合小区管理规约。",
    "小区加装门禁人脸识别": "涉及人脸信息收集，居民意见分歧较大，暂不采纳，改为维修现有门禁。",
    "物业费调整": "物业费标准由业主大会决定，不属于社区规划提案范围；已告知业委会。",
    "增设地面停车位": "中心绿地属于小区公共绿化，改建需业主大会表决且不符合绿化率要求。",
}
COMMENTS = [
    "支持！这个问题困扰我们很久了。",
    "同意，家里老人也一直在说这件事。",
    "建议先听听楼上楼下邻居的意见。",
    "经费从哪里来？希望公开预算。",
    "我愿意参加志愿维护。",
    "可以参考隔壁小区的做法，效果很好。",
    "位置再往东一点会更好，不挡窗户。",
    "希望施工时注意噪音，避开午休时间。",
    "这个点子很好，孩子们会喜欢。",
    "能不能先做个小范围试点？",
]
REPLIES = ["谢谢建议！", "赞同楼上。", "我也愿意一起出力。", "已经跟楼组长反映过了。"]
OFFICIAL_REPLIES = {
    R: "居委会已收到，正在组织现场踏勘，近期将召开自治会议讨论。",
    A: "该提案已列入自治会议议程并获采纳，后续进展会在此更新。",
    DONE: "项目已完工，欢迎居民到现场体验并提出维护意见。",
    N: "感谢提议，未采纳的原因已在提案页说明，欢迎继续提出其他建议。",
    M: "内容与同类提案相近，已合并处理，请到合并后的提案继续讨论。",
    S: "已收到提案，欢迎更多居民发表意见。",
}
YEAR = 2023


def _at(day: date, hour: int = 10, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _photo(rng: random.Random, index: int) -> SimpleUploadedFile:
    """A small picture of a place: sky, ground, a wall and some green."""
    image = Image.new("RGB", (480, 360), (196, 214, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 230, 480, 360], fill=(170, 160, 140))
    draw.rectangle(
        [40 + index % 20 * 7, 110, 300, 240], fill=(205, 190, 170), outline=(120, 110, 100)
    )
    for _ in range(5):
        x = rng.randint(20, 440)
        draw.ellipse([x, 200, x + 50, 250], fill=(90, 150, 90))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile(f"site-{index}.jpg", out.getvalue(), content_type="image/jpeg")


def _people(area, rng, exclude) -> list[User]:
    """Residents of the area (demo residents first), in a stable shuffled order."""
    found = list(
        User.objects.filter(residential_area=area)
        .exclude(pk__in=exclude)
        .order_by("pk")
        .only("pk", "display_name")
    )
    rng.shuffle(found)
    return found


def _support_goal(status: str, rng: random.Random, threshold: int) -> int:
    if status == S:
        return rng.randint(1, threshold - 2)
    if status == N:
        return rng.randint(2, threshold + 5)
    if status == M:
        return rng.randint(2, 6)
    return rng.randint(threshold, threshold + 22)


@transaction.atomic
def seed(town, staff, secretariat, *, implement: bool = True) -> bool:
    """The 44 proposals of the demo year; False when the town already has proposals.
    ``staff`` (area staff of 逸景佳苑 and 第二居民区) and ``secretariat`` decide and
    reply officially, each for the areas they serve. ``implement=False`` leaves the
    implemented ones adopted (see the module's docstring)."""
    if Proposal.objects.filter(town=town).exists():
        return False
    rng = random.Random(YEAR)
    threshold = services.settings_for(town).support_threshold
    areas = {a.code: a for a in ResidentialArea.objects.filter(town=town)}
    staff_areas = {"01", "02"}
    resident = User.objects.filter(phone="13800000001").first()
    by_title: dict[str, Proposal] = {}
    plan = []  # (proposal, status, code, first day)
    first_days = sorted(date(YEAR, 1, 9) + timedelta(days=rng.randint(0, 290)) for _ in PROPOSALS)
    for index, (code, status, category, title, description, site_name) in enumerate(PROPOSALS):
        area = areas[code]
        into = None
        if "→" in description:
            description, into = description.split("→")
        people = _people(area, rng, exclude=[])
        author = resident if (resident and code == "01" and index in (1, 6)) else people[0]
        site = Site.objects.filter(area=area, name=site_name).first() if site_name else None
        photos = [_photo(rng, index)] if index % 5 == 0 else []
        proposal = services.submit_proposal(
            town=town,
            author=author,
            area=area,
            title=title,
            description=description,
            category=category,
            site=site,
            photos=photos,
        )
        by_title[title] = proposal
        actor = staff if code in staff_areas else secretariat
        supporters = [p for p in people if p.pk != author.pk][
            : _support_goal(status, rng, threshold)
        ]
        for user in supporters:
            services.support_proposal(proposal=proposal, user=user)
        if len(supporters) > 4 and rng.random() < 0.3:
            services.withdraw_support(proposal=proposal, user=supporters[-1])
        _comments(proposal, supporters, author, rng)
        proposal.refresh_from_db()
        if status in (A, DONE, N) and proposal.status == S:
            services.start_review(proposal=proposal, actor=actor)
        if status in (A, DONE):
            services.adopt(
                proposal=proposal,
                actor=actor,
                reason=f"经{area.name}自治会议讨论，列入年度社区规划实施计划。",
            )
        if status == DONE and implement:
            services.mark_implemented(
                proposal=proposal, actor=actor, reason="微更新项目已完工并通过居民验收。"
            )
        if status == N:
            services.decline(proposal=proposal, actor=actor, reason=NOT_ADOPTED_REASONS[title])
        if status == M:
            # Replied to before the merge: a merged proposal takes no more comments.
            services.add_comment(proposal=proposal, author=actor, body=OFFICIAL_REPLIES[M])
            services.merge(
                proposal=proposal,
                into=by_title[into],
                actor=actor,
                reason=f"与“{into}”内容相近，合并讨论。",
            )
        if status != M and (status != S or rng.random() < 0.5):
            reply = OFFICIAL_REPLIES[A if status == DONE and not implement else status]
            services.add_comment(proposal=proposal, author=actor, body=reply)
        plan.append((proposal, first_days[index], status == DONE and not implement))
    for proposal, first, unbuilt in plan:
        _date(proposal, first, rng, unbuilt=unbuilt)
    _answer_open_comments(town, staff, secretariat, staff_areas)
    return True


# Official answers to the residents' comments, by what the comment said.
COMMENT_ANSWERS = {
    "支持！这个问题困扰我们很久了。": "感谢支持！居委会已记录在案，会在下次自治会议上通报进展。",
    "同意，家里老人也一直在说这件事。": "谢谢反映，方案会优先考虑老年居民的使用需要。",
    "建议先听听楼上楼下邻居的意见。": "好建议，楼组长会逐户征求意见后再推进。",
    "经费从哪里来？希望公开预算。": (
        "经费拟从自治金和小区公共收益中列支，预算确定后在公告栏和平台公示。"
    ),
    "我愿意参加志愿维护。": "欢迎！已登记您的意愿，后续维护安排会在平台通知您。",
    "可以参考隔壁小区的做法，效果很好。": "谢谢推荐，我们会约隔壁小区实地看看，借鉴他们的做法。",
    "位置再往东一点会更好，不挡窗户。": "收到，现场踏勘时会重新比选位置，避免影响住户采光。",
    "希望施工时注意噪音，避开午休时间。": "会的，施工将避开午休和夜间时段，并提前在楼道张贴告示。",
    "这个点子很好，孩子们会喜欢。": "谢谢支持，细化方案时会邀请家长和孩子一起参与。",
    "能不能先做个小范围试点？": "可以，我们会先选一处试点，听取居民反馈后再推广。",
}
ANSWER = "感谢您的意见，居委会已记录，会在提案审议时一并考虑。"


def _answer_open_comments(town, staff, secretariat, staff_areas) -> None:
    """Every resident's comment on a proposal still open (submitted or under review)
    that has no official reply gets one, from the area's staff or the secretariat,
    one to three days later (still in the demo year)."""
    comments = list(
        Comment.objects.filter(
            proposal__town=town,
            proposal__status__in=[S, R],
            parent__isnull=True,
            is_official=False,
            hidden_at__isnull=True,
        )
        .exclude(replies__is_official=True)
        .select_related("proposal__area")
        .order_by("created_at", "pk")
    )
    last_day = _at(date(YEAR, 12, 29), 17)
    latest: dict[int, datetime] = {}
    for n, comment in enumerate(comments):
        proposal = comment.proposal
        actor = staff if proposal.area.code in staff_areas else secretariat
        reply = services.add_comment(
            proposal=proposal,
            author=actor,
            body=COMMENT_ANSWERS.get(comment.body, ANSWER),
            parent=comment,
        )
        at = comment.created_at + timedelta(days=1 + n % 3, hours=n % 5)
        at = max(min(at, last_day), comment.created_at + timedelta(hours=1))
        Comment.objects.filter(pk=reply.pk).update(created_at=at)
        latest[proposal.pk] = max(latest.get(proposal.pk, at), at)
    # add_comment stamped "now" as the last activity; _date left the proposal's last
    # activity in updated_at too (add_comment does not touch it).
    for proposal in Proposal.objects.filter(pk__in=latest):
        last = max(proposal.updated_at, latest[proposal.pk])
        Proposal.objects.filter(pk=proposal.pk).update(updated_at=last, last_activity_at=last)


def _comments(proposal, supporters, author, rng) -> None:
    voices = supporters[:8]
    for user in rng.sample(voices, min(len(voices), rng.randint(1, 5))):
        comment = services.add_comment(proposal=proposal, author=user, body=rng.choice(COMMENTS))
        if rng.random() < 0.4:
            services.add_comment(
                proposal=proposal,
                author=author if rng.random() < 0.5 else rng.choice(voices),
                body=rng.choice(REPLIES),
                parent=comment,
            )


def _date(proposal: Proposal, first: date, rng: random.Random, *, unbuilt: bool = False) -> None:
    """Move the proposal's records from "now" into the demo year, in their order.
    ``unbuilt``: an implemented one left adopted, whose last step is still to come."""
    created = _at(first, rng.randint(8, 21), rng.randint(0, 59))
    latest = created
    supports = list(Support.objects.filter(proposal=proposal).order_by("pk"))
    moment = created
    for support in supports:
        moment += timedelta(hours=rng.randint(2, 60))
        support.created_at = moment
        if support.withdrawn_at:
            support.withdrawn_at = moment + timedelta(days=rng.randint(1, 5))
    Support.objects.bulk_update(supports, ["created_at", "withdrawn_at"])
    latest = max([latest, *(s.created_at for s in supports)])
    threshold = services.settings_for(proposal.town).support_threshold
    reached = supports[threshold - 1].created_at if len(supports) >= threshold else latest
    changes = list(StatusChange.objects.filter(proposal=proposal).order_by("pk"))
    step = created + timedelta(days=3)
    for change in changes:
        if change.actor_id is None:
            # The threshold was reached with a support: at that support's time.
            step = max(step, reached)
        else:
            step += timedelta(days=rng.randint(7, 35))
        change.at = min(step, _at(date(YEAR, 12, 28)))
    if unbuilt:
        # The draw its implementation would have taken: the proposals after it keep
        # the dates they have when everything is implemented here.
        rng.randint(7, 35)
    StatusChange.objects.bulk_update(changes, ["at"])
    if changes:
        latest = max(latest, changes[-1].at)
    comments = list(Comment.objects.filter(proposal=proposal).order_by("pk"))
    when = created
    for comment in comments:
        when = min(when + timedelta(hours=rng.randint(3, 90)), max(latest, when))
        comment.created_at = when
    Comment.objects.bulk_update(comments, ["created_at"])
    latest = max([latest, *(c.created_at for c in comments)])
    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=created, updated_at=latest, last_activity_at=latest
    )


# --- Today: the proposals of the last three weeks --------------------------------------

# area code, days since it was submitted, category, title, description, supports
# (the threshold is 10: the one with 11 has gone to review by itself), the residents'
# comments, and how many of the newest still wait for an official reply.
TODAY = [
    (
        "01",
        16,
        "safety",
        "5号楼前增设非机动车充电车棚",
        "5号楼前的电动自行车只能停在楼道口，有人从窗口拉线充电，很不安全。建议在5号楼前"
        "空地增设带智能充电口的车棚，充满自动断电。",
        7,
        ["支持！楼道里停车太危险了。", "车棚最好有顶，下雨天也能停。", "充电费用怎么收？"],
        1,
    ),
    (
        "01",
        9,
        "services",
        "中心花园施工期间开辟临时通道",
        "中心花园正在改造，围挡后老人去菜场要多绕一大圈。建议施工期间沿3号楼开辟一条"
        "临时步道，铺设防滑垫并设置夜间照明。",
        8,
        ["同意，我妈妈每天都要走这条路。", "晚上围挡边很暗，照明很有必要。"],
        0,
    ),
    (
        "02",
        19,
        "facilities",
        "凉亭旁增设适老扶手座椅",
        "凉亭修好后来休息的老人多了，但座椅太矮没有扶手，起身吃力。建议在凉亭旁增设"
        "几张带扶手的适老座椅。",
        11,
        ["老人起身确实困难，支持。", "座椅旁边能不能放个拐杖架？", "希望颜色和凉亭协调。"],
        0,
    ),
    (
        "05",
        6,
        "services",
        "南门增设快递临时存放架",
        "快递柜经常满，快递员只好把包裹堆在南门岗亭边。建议在岗亭旁增设带编号的临时"
        "存放架，由门卫登记。",
        5,
        ["包裹堆在地上容易被拿错。", "存放架最好能防雨。"],
        0,
    ),
    (
        "12",
        12,
        "environment",
        "社区花园增设雨水收集桶",
        "社区花园浇水全靠自来水，夏天用水量大。建议在花园工具房边增设雨水收集桶，"
        "用收集的雨水浇灌。",
        6,
        ["好主意，节约用水。", "孩子们也可以学习雨水利用。"],
        0,
    ),
    (
        "20",
        4,
        "safety",
        "主干道丁字路口增设减速带",
        "小区主干道丁字路口车速快、视线差，放学时段孩子多，建议增设减速带和限速标志。",
        4,
        ["上次差点撞到孩子，强烈支持。"],
        0,
    ),
    (
        "26",
        2,
        "public_space",
        "楼道口增设爱心座椅",
        "各楼道口没有可以坐的地方，老人等车、歇脚都不方便。建议在楼道口增设折叠爱心座椅。",
        3,
        ["去年装的便民挂钩很好用，这个也支持。"],
        1,
    ),
]
TODAY_ANSWERS = [
    "感谢关注，居委会已记录，会在近期的自治会议上讨论。",
    "谢谢建议，我们会请物业一起到现场看看。",
    "收到，这一点会写进提案的实施方案。",
]
# 李居民 (13800000001) wrote the first and supports the second.
RESIDENT_PROPOSAL, RESIDENT_SUPPORTS = 0, 1


@transaction.atomic
def seed_today(town, staff, secretariat, *, now) -> bool:
    """The proposals of the three weeks before ``now`` (see the module's docstring);
    False when they are there already."""
    titles = [row[3] for row in TODAY]
    if Proposal.objects.filter(town=town, title__in=titles).exists():
        return False
    rng = random.Random(YEAR + 3)
    areas = {a.code: a for a in ResidentialArea.objects.filter(town=town)}
    resident = User.objects.filter(phone="13800000001").first()
    demo_logins = list(
        User.objects.filter(phone__startswith="138000000").values_list("pk", flat=True)
    )
    for index, (code, days, category, title, description, supports, comments, waiting) in enumerate(
        TODAY
    ):
        area = areas[code]
        # Residents only: the demo logins (staff among them) live in 逸景佳苑 too.
        people = _people(area, rng, exclude=demo_logins)
        author = resident if (resident and index == RESIDENT_PROPOSAL) else people[0]
        proposal = services.submit_proposal(
            town=town,
            author=author,
            area=area,
            title=title,
            description=description,
            category=category,
        )
        supporters = [p for p in people if p.pk != author.pk][:supports]
        if resident and index == RESIDENT_SUPPORTS:
            supporters = [resident, *supporters[:-1]]
        for user in supporters:
            services.support_proposal(proposal=proposal, user=user)
        actor = staff if code in ("01", "02") else secretariat
        written = []
        for n, body in enumerate(comments):
            writer = supporters[n % len(supporters)]
            comment = services.add_comment(proposal=proposal, author=writer, body=body)
            reply = None
            if n < len(comments) - waiting:
                reply = services.add_comment(
                    proposal=proposal,
                    author=actor,
                    body=TODAY_ANSWERS[(index + n) % len(TODAY_ANSWERS)],
                    parent=comment,
                )
            written.append((comment, reply))
        _date_today(proposal, now, days, written)
    return True


def _date_today(proposal: Proposal, now, days: int, written) -> None:
    """Move the proposal's records to the ``days`` before ``now``: submitted in the
    evening, supports spread over the first two thirds of its time, comments after
    them and official replies the next working hours (all before ``now``)."""
    created = _at(timezone.localdate(now) - timedelta(days=days), 20, 15)
    span = now - created
    supports = list(Support.objects.filter(proposal=proposal).order_by("pk"))
    for n, support in enumerate(supports, 1):
        support.created_at = created + span * (0.66 * n / (len(supports) + 1))
    Support.objects.bulk_update(supports, ["created_at"])
    threshold = services.settings_for(proposal.town).support_threshold
    if len(supports) >= threshold:
        StatusChange.objects.filter(proposal=proposal).update(at=supports[threshold - 1].created_at)
    latest = max([created, *(s.created_at for s in supports)])
    for n, (comment, reply) in enumerate(written, 1):
        at = created + span * (0.66 + 0.3 * n / (len(written) + 1))
        Comment.objects.filter(pk=comment.pk).update(created_at=at)
        latest = max(latest, at)
        if reply is not None:
            answered = min(at + timedelta(hours=18), now - timedelta(minutes=5))
            Comment.objects.filter(pk=reply.pk).update(created_at=answered)
            latest = max(latest, answered)
    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=created, updated_at=latest, last_activity_at=latest
    )
