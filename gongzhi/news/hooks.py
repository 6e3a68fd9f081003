"""Sections news adds to pages of the apps below it (core/sections.py): on an area's
page and on a plan's page, the latest published articles about them, with the way to
the area's news."""

from gongzhi.core.sections import register_section

from .models import Article

SHOWN = 3


def area_section(request, area):
    articles = list(
        Article.objects.published().filter(area=area).order_by("-published_at", "-pk")[:SHOWN]
    )
    if not articles:
        return None
    return {"articles": articles, "area": area, "town_slug": area.town.slug}


def process_section(request, process):
    articles = list(
        Article.objects.published().filter(process=process).order_by("-published_at", "-pk")
    )
    if not articles:
        return None
    return {"articles": articles, "area": None, "town_slug": process.town.slug}


register_section(
    page="places.area", key="news.area", order=60,
    template="news/section_articles.html", context=area_section,
)  # fmt: skip
register_section(
    page="planning.process", key="news.process", order=90,
    template="news/section_articles.html", context=process_section,
)  # fmt: skip
