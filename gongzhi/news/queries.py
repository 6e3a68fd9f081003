"""Reads of community news shared by the pages and the feed."""

from django.db.models import Prefetch

from .models import Article, ArticlePhoto


def published_articles(town, area=None):
    """The town's (or one area's) published articles, newest first, with what their
    cards show, in a fixed number of queries."""
    articles = Article.objects.published().filter(town=town).select_related("town", "area")
    if area is not None:
        articles = articles.filter(area=area)
    return articles.prefetch_related(
        Prefetch("photos", queryset=ArticlePhoto.objects.order_by("pk"))
    ).order_by("-published_at", "-pk")
