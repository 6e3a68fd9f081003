"""Reads of community news shared by the pages and the feed."""

from django.db.models import Prefetch

from .models import Article, ArticlePhoto, ArticleStatus


def published_articles(town, area=None):
    """The town's (or one area's) published articles, newest first, with what their
    cards show, in a fixed number of queries."""
    articles = Article.objects.published().filter(town=town).select_related("town", "area")
    if area is not None:
        articles = articles.filter(area=area)
    return articles.prefetch_related(
        Prefetch("photos", queryset=ArticlePhoto.objects.order_by("pk"))
    ).order_by("-published_at", "-pk")


def areas_with_news(town):
    """The town's residential areas with at least one published article, in pinyin
    order: the news list's filters. One query."""
    from gongzhi.places.models import ResidentialArea

    return (
        ResidentialArea.objects.filter(town=town, articles__status=ArticleStatus.PUBLISHED)
        .distinct()
        .by_pinyin()
    )


def reviewers(article):
    """Who reviews ``article`` (rules.py, ``news.review``): the active members of its
    town's secretariat and, for an article of a residential area, that area's staff.
    The administrator reviews everything but is not told of every article."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from gongzhi.core.scope import Role

    # Role grants are places.RoleGrant rows, read through the user's reverse relation.
    who = Q(role_grants__town_id=article.town_id, role_grants__role=Role.SECRETARIAT)
    if article.area_id:
        who |= Q(role_grants__role=Role.AREA_STAFF, role_grants__areas=article.area_id)
    return get_user_model().objects.filter(who, is_active=True).distinct().order_by("pk")
