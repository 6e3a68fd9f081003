"""Demo community news: the media partners' stories of the 2023 projects and
activities, published by the secretariat in 2023, and one story submitted today and
waiting for the secretariat's review. Written through the services (so that every
check applies), then dated back to when they happened."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from gongzhi.events.models import Activity
from gongzhi.news import services
from gongzhi.news.models import Article
from gongzhi.partners.models import Mode, Partner
from gongzhi.renewal.models import Project

YEAR = 2023
PROJECT_STORIES = 4
ACTIVITY_STORIES = 3


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _project_body(project) -> str:
    return (
        f"{project.area.name}的“{project.title}”完工了。从居民提出想法，到设计、施工，"
        "居民和社区合伙人全程参与。\n\n"
        f"{project.description}\n\n"
        "完工后，居委会邀请居民填写满意度问卷，欢迎大家到现场看看，也欢迎在平台上留言。"
    )


def _activity_body(activity) -> str:
    return (
        f"{activity.title}在{activity.venue}举行，居民和社区合伙人"
        "一起动手、一起讨论。\n\n"
        "活动中大家交流了对社区公共空间的想法，这些意见将带到下一步的社区规划中。"
    )


@transaction.atomic
def seed(town, secretariat, *, now=None) -> bool:
    """False when the town already has articles (the demo is idempotent)."""
    if Article.objects.filter(town=town).exists():
        return False
    writers = [
        p.user
        for p in Partner.objects.active().with_mode(Mode.MEDIA).filter(town=town)
        .select_related("user").order_by("pk")[:5]
    ]  # fmt: skip
    if not writers:
        return False
    projects = list(
        Project.objects.filter(town=town, actual_end__year=YEAR)
        .select_related("area").order_by("actual_end")[:PROJECT_STORIES]
    )  # fmt: skip
    activities = list(
        Activity.objects.public().filter(town=town, starts_at__year=YEAR)
        .select_related("area").order_by("starts_at")[:ACTIVITY_STORIES]
    )  # fmt: skip
    stories = [
        (p, {"project": p}, f"{p.title}完工啦", f"{p.area.name}居民盼了很久的{p.title}建成了。",
         _project_body(p), p.actual_end)
        for p in projects
    ] + [
        (a, {"activity": a}, f"记{a.title}", f"{a.title}：居民和合伙人一起共创美好社区。",
         _activity_body(a), timezone.localtime(a.starts_at).date())
        for a in activities
    ]  # fmt: skip
    for index, (record, link, title, summary, body, day) in enumerate(stories):
        writer = writers[index % len(writers)]
        article = services.save_article(
            town=town, actor=writer, title=title[:100], summary=summary[:200], body=body,
            area=record.area, **link,
        )  # fmt: skip
        services.submit_article(article=article, actor=writer)
        services.publish_article(article=article, actor=secretariat)
        written = _at(day + timedelta(days=1), 20)
        Article.objects.filter(pk=article.pk).update(
            created_at=written, updated_at=_at(day + timedelta(days=3)),
            submitted_at=_at(day + timedelta(days=2)), published_at=_at(day + timedelta(days=3)),
        )  # fmt: skip
    # Today: one story waiting for the secretariat's review.
    if projects:
        project = projects[-1]
        article = services.save_article(
            town=town, actor=writers[0], title=f"回访{project.title}：半年后的变化",
            summary="居民说，这里成了大家每天都来坐坐的地方。", area=project.area,
            body=f"我们回到{project.area.name}，看看{project.title}建成后的日常。\n\n"
                 "早上有老人在这里晒太阳，傍晚孩子们在这里玩耍。",
            project=project,
        )  # fmt: skip
        services.submit_article(article=article, actor=writers[0])
    return True


def summary(town) -> str:
    articles = Article.objects.filter(town=town)
    return (
        f"Community news: {articles.published().count()} articles published, "
        f"{articles.filter(status='submitted').count()} waiting for review"
    )
