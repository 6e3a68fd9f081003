"""What news adds to staff's 待办 (core/todo.py): articles submitted and waiting for
review, oldest first. An area's article is its staff's and the secretariat's; a
town-wide article (no area) the secretariat's. The row names the article, not its
author."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.core.todo import place_of, todo_section

from .models import Article, ArticleStatus


def waiting_for_review(todo):
    articles = Article.objects.filter(status=ArticleStatus.SUBMITTED)
    return todo.narrow(articles).select_related("town", "area").order_by("submitted_at", "pk")


@todo_section("news.waiting", 70, gettext_lazy("Articles waiting for review"), waiting_for_review)
def article_row(article):
    return {
        "url": reverse("news:article", args=[article.town.slug, article.pk]) + "#review",
        "title": _("Review the article “%(title)s”") % {"title": article.title},
        "detail": _("%(place)s · submitted %(date)s")
        % {
            "place": place_of(article),
            "date": timezone.localdate(article.submitted_at).isoformat(),
        },
    }
