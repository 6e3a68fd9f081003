"""Demo design contest for 高境镇: 转角遇见社区微更新设计赛 of 2023, run from call to
award through the real services (audited): corner sites, six entries with drawn
drafts, a jury of planning and think-tank partners suggested by matching, scores in
three review stages, a public vote and three winners.

Needs the talent pool (demo/partners.py) first. Idempotent: when the town already has
the contest, nothing happens. Deterministic (random.Random(2023)).
"""

import io
import random
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from gongzhi.accounts.models import User
from gongzhi.contests import services
from gongzhi.contests.models import Contest, Stage
from gongzhi.partners.models import Partner
from gongzhi.places.models import ResidentialArea, Site, SiteKind

TITLE = "转角遇见社区微更新设计赛"
DESCRIPTION = (
    "高境镇面向居民、社区合伙人和设计爱好者征集街角、楼道、围墙等“转角空间”的微更新设计方案。"
    "每支团队选择一个点位，提交设计说明和设计稿；经初评、中期评审和终评，结合公众投票评出获奖方案，"
    "获奖方案有机会进入微更新项目落地实施。"
)
# area code, site name, kind: the kinds of sites the 2023 programme renewed.
SITES = [
    ("01", "3号楼转角", SiteKind.PATH),
    ("02", "中心花园一角", SiteKind.GREEN_SPACE),
    ("03", "老围墙", SiteKind.WALL),
    ("04", "凉亭与楼道口", SiteKind.PAVILION),
    ("05", "小区南门", SiteKind.GATE),
    ("06", "非机动车棚旁", SiteKind.FACILITY),
]
CRITERIA = [
    ("在地性与需求回应", 30, "回应居民调研中提出的需求，尊重点位现状"),
    ("创意与美观", 25, "设计有新意，与周边环境协调"),
    ("可实施性与造价", 25, "材料、工期和造价切实可行，便于维护"),
    ("居民参与", 20, "设计和建设过程中居民参与的程度"),
]
# team, title, site index, quality (0..1: how the jury tends to score it), popularity
ENTRIES = [
    ("逸景佳苑街角小队", "转角遇见·邻里花园", 0, 0.86, 5),
    ("第二居民区园艺社", "一米菜园", 1, 0.78, 8),
    ("旧墙新颜工作室", "老墙会说话", 2, 0.83, 4),
    ("楼道微光小组", "凉亭里的客厅", 3, 0.70, 3),
    ("南门守望者", "社区门头·回家的路", 4, 0.74, 2),
    ("便民挂钩设计组", "车棚旁的便民角", 5, 0.62, 1),
]
LEADER_PHONE_BASE = 13910000000  # 1391000xxxx: clear of the partners demo numbers
LEADERS = ["刘晓雯", "周建国", "沈佳怡", "顾俊浩", "许欣然", "韩志文"]
RESIDENT_PHONE = "13800000001"  # 李居民 leads the first team
AWARD_TITLES = ["一等奖", "二等奖", "三等奖"]
JURY_SIZE = 5

OPENS = date(2023, 5, 15)
CLOSES = date(2023, 6, 30)
EARLY = date(2023, 7, 8)
MIDTERM = date(2023, 8, 19)
FINAL = date(2023, 9, 23)


def _at(day: date, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _drawing(title: str, rng: random.Random, index: int) -> SimpleUploadedFile:
    """A small plan-like picture: a ground, paths and planting beds."""
    image = Image.new("RGB", (480, 320), (238, 234, 222))
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 20, 460, 300], outline=(120, 110, 90), width=4)
    for _ in range(6):
        x, y = rng.randint(40, 380), rng.randint(40, 220)
        colour = rng.choice([(120, 170, 110), (200, 120, 90), (110, 150, 190), (220, 190, 100)])
        draw.rounded_rectangle([x, y, x + rng.randint(40, 90), y + rng.randint(30, 70)], 8, colour)
    draw.line([20, 160 + index * 10, 460, 140], fill=(160, 150, 130), width=10)
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile(f"draft-{index + 1}.png", out.getvalue(), content_type="image/png")


def _leader(index: int, area) -> User:
    if index == 0:
        user = User.objects.filter(phone=RESIDENT_PHONE).first()
        if user:
            return user
    phone = str(LEADER_PHONE_BASE + index + 1)
    user = User.objects.filter(phone=phone).first()
    if user is None:
        user = User(phone=phone, display_name=LEADERS[index], residential_area=area)
        user.set_unusable_password()
        user.save()
    return user


def _score_stage(contest, stage, rng, quality) -> None:
    criteria = list(contest.criteria.all())
    for judge in contest.jury.select_related("partner__user"):
        if stage not in judge.stages:
            continue
        for entry in contest.entries.in_running().filter(stage=stage):
            level = quality[entry.pk]
            points = {
                c.pk: max(
                    0, min(c.max_points, round(c.max_points * (level + rng.uniform(-0.08, 0.08))))
                )
                for c in criteria
            }
            services.score_entry(entry=entry, user=judge.partner.user, points=points)


def _top(contest, count):
    ranking = services.results_for(contest)
    ids = [r.entry_id for r in ranking[:count]]
    return list(contest.entries.filter(pk__in=ids))


@transaction.atomic
def seed(town, actor) -> bool:
    """Run the 2023 contest from call to award; False when already there (or when
    the town has no talent pool to draw a jury from)."""
    if Contest.objects.filter(town=town, title=TITLE).exists():
        return False
    if not Partner.objects.filter(town=town, modes__mode__in=services.JURY_MODES).exists():
        return False
    rng = random.Random(2023)
    sites = []
    for code, name, kind in SITES:
        area = ResidentialArea.objects.get(town=town, code=code)
        site, _created = Site.objects.get_or_create(
            town=town, area=area, name=name, defaults={"kind": kind}
        )
        sites.append(site)
    contest = services.create_contest(
        town=town,
        actor=actor,
        sites=sites,
        title=TITLE,
        description=DESCRIPTION,
        submission_opens=OPENS,
        submission_closes=CLOSES,
        early_review_on=EARLY,
        midterm_review_on=MIDTERM,
        final_review_on=FINAL,
        public_vote_closes=_at(FINAL - timedelta(days=1), 20),
        jury_weight=70,
        public_weight=30,
    )
    for name, points, description in CRITERIA:
        services.add_criterion(
            contest=contest, actor=actor, name=name, max_points=points, description=description
        )
    contest = services.open_call(contest=contest, actor=actor)

    quality, popularity = {}, {}
    for index, (team, title, site_index, level, fans) in enumerate(ENTRIES):
        site = sites[site_index]
        entry = services.submit_entry(
            contest=contest,
            user=_leader(index, site.area),
            team_name=team,
            site=site,
            title=title,
            description=f"{title}：在{site.area.name}{site.name}，与邻居一起把转角变成愿意停留的地方。",
            members="组长及 3–5 名居民、社区合伙人",
            files=[_drawing(title, rng, index), _drawing(title, rng, index + 10)],
            at=_at(OPENS + timedelta(days=10 + index * 5)),
        )
        quality[entry.pk], popularity[entry.pk] = level, fans

    for match in services.suggest_judges(contest, limit=JURY_SIZE):
        services.appoint_judge(
            contest=contest, partner=match.partner, stages=Stage.reviews(), actor=actor
        )

    contest = services.advance_stage(
        contest=contest, actor=actor, at=_at(CLOSES + timedelta(days=1))
    )
    _score_stage(contest, Stage.EARLY, rng, quality)
    contest = services.advance_stage(contest=contest, actor=actor, keep=_top(contest, 5))
    _score_stage(contest, Stage.MIDTERM, rng, quality)
    contest = services.advance_stage(contest=contest, actor=actor, keep=_top(contest, 4))
    _score_stage(contest, Stage.FINAL, rng, quality)

    finalists = list(contest.entries.in_running().filter(stage=Stage.FINAL).order_by("pk"))
    weights = [popularity[e.pk] for e in finalists]
    judges = set(contest.jury.values_list("partner__user_id", flat=True))
    voters = (
        User.objects.filter(partnerships__town=town, is_active=True)
        .exclude(pk__in=judges)
        .order_by("pk")[:72]
    )
    vote_day = MIDTERM + timedelta(days=14)
    for voter in voters:
        entry = rng.choices(finalists, weights=weights)[0]
        services.cast_vote(entry=entry, user=voter, at=_at(vote_day, rng.randint(8, 21)))

    ranking = services.results_for(contest, Stage.FINAL)
    titles = {r.entry_id: AWARD_TITLES[i] for i, r in enumerate(ranking[: len(AWARD_TITLES)])}
    services.award(contest=contest, actor=actor, titles=titles, at=_at(FINAL, 15))
    return True
