"""Writing, submitting and reviewing community news. Each function checks permission
and state, changes rows in one transaction, writes the audit event and tells the
author what happened once it commits."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.access import require_perm
from gongzhi.core.errors import DomainError, checked_text
from gongzhi.core.rules import can_manage_town, is_area_staff_in_town_of
from gongzhi.core.services import notify, notify_all, record_event

from .models import (
    BODY_MAX,
    CAPTION_MAX,
    MAX_PHOTOS,
    REASON_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    Article,
    ArticlePhoto,
    ArticleStatus,
    AuthorRole,
)
from .queries import reviewers

# Each record an article may report: (field, the permission that says the author may
# see it). Renewal projects are public once started.
LINKS = (
    ("project", None),
    ("activity", "events.view_activity"),
    ("process", "planning.view"),
    ("meeting", "meetings.view"),
)


def _check_links(*, town, actor, links: dict) -> None:
    """Refuse a link to a record of another town or one the author may not see (a
    draft activity, a cancelled meeting): the article would show it to everyone."""
    for field, perm in LINKS:
        record = links.get(field)
        if record is None:
            continue
        label = str(Article._meta.get_field(field).verbose_name)
        if record.scope.town_id != town.pk or (perm and not actor.has_perm(perm, record)):
            raise DomainError(
                _("The %(record)s chosen cannot be reported: it is not public in this town.")
                % {"record": label}
            )


def _texts(title, summary, body) -> dict:
    return {
        "title": checked_text(title, label=_("The title"), limit=TITLE_MAX),
        "summary": checked_text(summary, label=_("The summary"), limit=SUMMARY_MAX, required=False),
        "body": checked_text(body, label=_("The text"), limit=BODY_MAX),
    }


def _role(actor, town) -> str:
    staff = can_manage_town | is_area_staff_in_town_of
    return AuthorRole.STAFF if staff.test(actor, town) else AuthorRole.MEDIA


def save_article(
    *,
    town,
    actor,
    article: Article | None = None,
    title: str,
    summary: str = "",
    body: str,
    area=None,
    project=None,
    activity=None,
    process=None,
    meeting=None,
    photo=None,
    caption: str = "",
) -> Article:
    """Write a new article (``article`` None) or change one's own draft or returned
    article; ``photo`` (already cleaned by core.images.clean_photo) is added to it."""
    if article is None:
        require_perm(actor, "news.write", town)
    else:
        require_perm(actor, "news.edit", article)
        town = article.town
    texts = _texts(title, summary, body)
    caption = checked_text(caption, label=_("The caption"), limit=CAPTION_MAX, required=False)
    if area is not None and area.town_id != town.pk:
        raise DomainError(_("The residential area chosen is not in this town."))
    links = {"project": project, "activity": activity, "process": process, "meeting": meeting}
    _check_links(town=town, actor=actor, links=links)
    with transaction.atomic():
        if article is None:
            article = Article(town=town, author=actor, author_role=_role(actor, town))
            verb = "news.article_written"
        else:
            article = Article.objects.select_for_update().get(pk=article.pk)
            if not article.is_editable:
                raise DomainError(
                    _("This article is %(status)s: it can no longer be changed.")
                    % {"status": article.get_status_display()}
                )
            verb = "news.article_changed"
        for name, value in {**texts, **links, "area": area}.items():
            setattr(article, name, value)
        article.save()
        if photo is not None:
            if article.photos.count() >= MAX_PHOTOS:
                raise DomainError(
                    _("An article has at most %(count)d photos.") % {"count": MAX_PHOTOS}
                )
            ArticlePhoto.objects.create(article=article, image=photo, caption=caption)
        record_event(actor=actor, verb=verb, target=article, after={"title": article.title})
    return article


def submit_article(*, article: Article, actor) -> Article:
    """The author sends a draft (or a returned article, changed) for review; its
    reviewers are notified."""
    require_perm(actor, "news.edit", article)
    with transaction.atomic():
        article = Article.objects.select_for_update().select_related("town").get(pk=article.pk)
        if not article.may_become(ArticleStatus.SUBMITTED):
            raise DomainError(
                _("This article is %(status)s: it cannot be submitted.")
                % {"status": article.get_status_display()}
            )
        before = article.status
        article.status = ArticleStatus.SUBMITTED
        article.submitted_at = timezone.now()
        article.save(update_fields=["status", "submitted_at", "updated_at"])
        record_event(
            actor=actor, verb="news.article_submitted", target=article,
            before={"status": before}, after={"status": article.status},
        )  # fmt: skip
        # Its reviewers are told (it also waits on their 待办: todo.py); a staff
        # member submitting their own article is not told of it.
        notify_all(
            users=reviewers(article).exclude(pk=actor.pk), kind="news.submitted",
            params={"title": article.title},
            url=reverse("news:article", args=[article.town.slug, article.pk]),
        )  # fmt: skip
    return article


def _reviewed(article, actor, status) -> Article:
    require_perm(actor, "news.review", article)
    article = Article.objects.select_for_update().select_related("town").get(pk=article.pk)
    if article.status == ArticleStatus.PUBLISHED:
        raise DomainError(_("This article is already published."))
    if not article.may_become(status):
        raise DomainError(
            _("This article is %(status)s: only a submitted article can be reviewed.")
            % {"status": article.get_status_display()}
        )
    return article


def publish_article(*, article: Article, actor) -> Article:
    """Publish a submitted article: residents read it on the news pages and the feed."""
    with transaction.atomic():
        article = _reviewed(article, actor, ArticleStatus.PUBLISHED)
        article.status = ArticleStatus.PUBLISHED
        article.published_at = timezone.now()
        article.published_by = actor
        article.returned_reason = ""
        article.save()
        record_event(
            actor=actor, verb="news.article_published", target=article,
            before={"status": ArticleStatus.SUBMITTED}, after={"status": article.status},
        )  # fmt: skip
        notify(
            user=article.author, kind="news.published", params={"title": article.title},
            url=reverse("news:article", args=[article.town.slug, article.pk]),
        )  # fmt: skip
    return article


def return_article(*, article: Article, actor, reason: str) -> Article:
    """Send a submitted article back to its author with the reason; they may change
    it and submit it again."""
    reason = checked_text(reason, label=_("The reason"), limit=REASON_MAX)
    with transaction.atomic():
        article = _reviewed(article, actor, ArticleStatus.RETURNED)
        article.status = ArticleStatus.RETURNED
        article.returned_reason = reason
        article.save(update_fields=["status", "returned_reason", "updated_at"])
        record_event(
            actor=actor, verb="news.article_returned", target=article,
            before={"status": ArticleStatus.SUBMITTED},
            after={"status": article.status, "reason": reason},
        )  # fmt: skip
        notify(
            user=article.author, kind="news.returned",
            params={"title": article.title, "reason": reason},
            url=reverse("news:edit", args=[article.town.slug, article.pk]),
        )  # fmt: skip
    return article
