"""Community news pages: the public lists (town, area), an article with its share
card, the printable poster, the Atom feed; the author's form and desk; one URL per
review action. GET reads; every POST calls one service; nothing here decides a rule."""

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core.access import check_perm, get_checked
from gongzhi.core.masking import mask_name
from gongzhi.core.scope import within_scope
from gongzhi.core.views import attempt, carry_out, form_page
from gongzhi.places.models import ResidentialArea, Town
from gongzhi.places.views import paginate
from gongzhi.planning.notice import qr_svg

from . import services
from .forms import ArticleForm, ReturnForm
from .models import Article, ArticleStatus
from .queries import areas_with_news, published_articles

FEED_SIZE = 30
DESK_SIZE = 50


def _town(town_slug):
    return get_object_or_404(Town, slug=town_slug)


def _article(request, perm, town_slug, pk):
    return get_checked(
        request,
        perm,
        Article.objects.select_related(
            "town", "area", "author", "project", "activity", "process", "meeting"
        ),
        town__slug=town_slug,
        pk=pk,
    )


def author_name(request, article) -> str:
    """The author's name: in full for staff who manage the article, else masked."""
    name = article.author.display_name
    return name if request.user.has_perm("news.review", article) else mask_name(name)


def news_list(request, town_slug, area=None):
    """The town's (or one area's) published articles, with the areas that have news
    as filters leading to each area's list."""
    town = _town(town_slug)
    page = paginate(request, published_articles(town, area))
    return render(
        request,
        "news/news_list.html",
        {
            "town": town,
            "area": area,
            "areas": list(areas_with_news(town)),
            "page": page,
            "may_write": request.user.has_perm("news.write", town),
        },
    )


def area_news(request, town_slug, area_pk):
    area = get_object_or_404(ResidentialArea, town__slug=town_slug, pk=area_pk)
    return news_list(request, town_slug, area=area)


def article_detail(request, town_slug, pk):
    article = _article(request, "news.view", town_slug, pk)
    photos = list(article.photos.all())
    url = request.build_absolute_uri(article.get_absolute_url())
    image = request.build_absolute_uri(photos[0].image.url) if photos else ""
    user = request.user
    may_review = user.has_perm("news.review", article)
    return render(
        request,
        "news/article.html",
        {
            "town": article.town,
            "article": article,
            "photos": photos,
            "author": author_name(request, article),
            "share": {"url": url, "image": image, "description": article.summary
                      or (article.paragraphs[0][:120] if article.paragraphs else "")},
            "may_edit": user.has_perm("news.edit", article) and article.is_editable,
            "may_submit": user.has_perm("news.edit", article)
            and article.may_become(ArticleStatus.SUBMITTED),
            "may_publish": may_review and article.may_become(ArticleStatus.PUBLISHED),
            "return_form": ReturnForm() if may_review
            and article.may_become(ArticleStatus.RETURNED) else None,
        },
    )  # fmt: skip


def poster(request, town_slug, pk):
    """An A4 page to print and post on the notice board: title, summary, the first
    photo and a QR code to the article. Only for a published article."""
    article = _article(request, "news.view", town_slug, pk)
    if article.status != ArticleStatus.PUBLISHED:
        raise Http404
    url = request.build_absolute_uri(article.get_absolute_url())
    return render(
        request,
        "news/poster.html",
        {"article": article, "photo": article.photos.first(), "url": url, "qr": qr_svg(url)},
    )


class TownFeed(Feed):
    """The town's published articles as an Atom feed (newest first)."""

    feed_type = Atom1Feed

    def get_object(self, request, town_slug):
        self.request = request
        return _town(town_slug)

    def title(self, town):
        return _("Community news · %(town)s") % {"town": town.name}

    def link(self, town):
        return reverse("news:list", args=[town.slug])

    def subtitle(self, town):
        return _("News of the community partners' work in %(town)s.") % {"town": town.name}

    def items(self, town):
        return published_articles(town)[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or (item.paragraphs[0] if item.paragraphs else "")

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return None


feed = TownFeed()


def _form_page(request, town, form, article=None):
    return form_page(
        request, "news/write.html", {"town": town, "form": form, "article": article}, form
    )


def write(request, town_slug):
    town = _town(town_slug)
    check_perm(request, "news.write", town)
    if request.method != "POST":
        return _form_page(request, town, ArticleForm(town=town))
    form = ArticleForm(request.POST, request.FILES, town=town)
    if form.is_valid():
        article = attempt(form, services.save_article, town=town, actor=request.user,
                          **form.cleaned_data)  # fmt: skip
        if article is not None:
            messages.success(request, _("The article is saved as a draft."))
            return redirect("news:article", town.slug, article.pk)
    return _form_page(request, town, form)


def edit(request, town_slug, pk):
    article = _article(request, "news.edit", town_slug, pk)
    town = article.town
    if request.method != "POST":
        fields = ("title", "summary", "body", "area", "project", "activity", "process", "meeting")
        initial = {name: getattr(article, name) for name in fields}
        return _form_page(request, town, ArticleForm(town=town, initial=initial), article)
    form = ArticleForm(request.POST, request.FILES, town=town)
    if form.is_valid():
        saved = attempt(form, services.save_article, town=town, actor=request.user,
                        article=article, **form.cleaned_data)  # fmt: skip
        if saved is not None:
            messages.success(request, _("The article is saved."))
            return redirect("news:article", town.slug, article.pk)
    return _form_page(request, town, form, article)


@require_POST
def submit(request, town_slug, pk):
    article = _article(request, "news.edit", town_slug, pk)
    if carry_out(request, services.submit_article, article=article, actor=request.user):
        messages.success(request, _("The article is sent for review."))
    return redirect("news:article", town_slug, pk)


@require_POST
def publish(request, town_slug, pk):
    article = _article(request, "news.review", town_slug, pk)
    if carry_out(request, services.publish_article, article=article, actor=request.user):
        messages.success(request, _("The article is published."))
        return redirect("news:article", town_slug, pk)
    return redirect("news:article", town_slug, pk)


@require_POST
def return_article(request, town_slug, pk):
    article = _article(request, "news.review", town_slug, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the article is returned."))
        return redirect("news:article", town_slug, pk)
    if carry_out(request, services.return_article, article=article, actor=request.user,
                 reason=form.cleaned_data["reason"]):  # fmt: skip
        messages.success(request, _("The article is returned to its author."))
    return redirect("news:article", town_slug, pk)


def desk(request, town_slug):
    """The writer's desk: one's own articles, and for reviewers the articles waiting
    for review in their scope."""
    town = _town(town_slug)
    check_perm(request, "news.desk", town)
    base = Article.objects.filter(town=town).select_related("town", "area", "author")
    mine = list(base.filter(author=request.user).order_by("-updated_at", "-pk")[:DESK_SIZE])
    waiting = []
    if request.user.has_perm("news.see_waiting", town):
        waiting = list(
            within_scope(base.filter(status=ArticleStatus.SUBMITTED), request.user, town).order_by(
                "submitted_at", "pk"
            )[:DESK_SIZE]
        )
    return render(request, "news/desk.html", {"town": town, "mine": mine, "waiting": waiting})
