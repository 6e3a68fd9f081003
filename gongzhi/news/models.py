"""Community news (社区新闻): stories that media partners (社区媒体合伙人) and staff
write to publicise what the programme did (宣传微更新成果), reviewed by the
secretariat or the staff of the article's residential area before residents read them.

An ``Article`` moves draft → submitted → published, or submitted → returned (with a
reason) → submitted again; ``TRANSITIONS`` is read by the services and by the pages
that decide which buttons to show. The body is plain text: paragraphs split on blank
lines, never HTML from users. Photos are re-encoded on upload (core.images).
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.fields import area_link, person_link, town_link
from gongzhi.core.models import TimeStampedModel
from gongzhi.core.scope import Scoped

TITLE_MAX = 100
SUMMARY_MAX = 200
BODY_MAX = 10000
REASON_MAX = 500
CAPTION_MAX = 100
MAX_PHOTOS = 9


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("article status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("article status", "Waiting for review")
    PUBLISHED = "published", pgettext_lazy("article status", "Published")
    RETURNED = "returned", pgettext_lazy("article status", "Returned")


# Where an article may go from each status.
TRANSITIONS = {
    ArticleStatus.DRAFT: {ArticleStatus.SUBMITTED},
    ArticleStatus.RETURNED: {ArticleStatus.SUBMITTED},
    ArticleStatus.SUBMITTED: {ArticleStatus.PUBLISHED, ArticleStatus.RETURNED},
    ArticleStatus.PUBLISHED: set(),
}
EDITABLE = {ArticleStatus.DRAFT, ArticleStatus.RETURNED}


class AuthorRole(models.TextChoices):
    """Who wrote it, for the figures: a media partner or staff."""

    MEDIA = "media", _("Media partner")
    STAFF = "staff", pgettext_lazy("author role", "Staff")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ArticleStatus.PUBLISHED)


class Article(Scoped, TimeStampedModel):
    town = town_link(related_name="articles")
    area = area_link(related_name="articles", optional=True)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    summary = models.CharField(_("summary"), max_length=SUMMARY_MAX, blank=True)
    body = models.TextField(_("text"))
    project = models.ForeignKey(
        "renewal.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    activity = models.ForeignKey(
        "events.Activity",
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    process = models.ForeignKey(
        "planning.PlanningProcess",
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    author = person_link(_("author"), related_name="articles")
    author_role = models.CharField(_("written as"), max_length=10, choices=AuthorRole.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    returned_reason = models.CharField(_("reason returned"), max_length=REASON_MAX, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = person_link(_("published by"), optional=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["town", "status", "-published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="news_published_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="returned") | ~models.Q(returned_reason=""),
                name="news_returned_has_reason",
            ),
        ]  # fmt: skip

    def __str__(self):
        return self.title

    @property
    def audit_label(self) -> str:
        return f"article #{self.pk}"

    def get_absolute_url(self):
        return reverse("news:article", args=[self.town.slug, self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    def may_become(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]

    @property
    def paragraphs(self) -> list[str]:
        """The body's paragraphs: text between blank lines, line breaks kept inside."""
        text = self.body.replace("\r\n", "\n")
        return [p.strip() for p in text.split("\n\n") if p.strip()]


def _photo_path(instance, filename):
    return f"news/{instance.article.town_id}/{instance.article_id}/{filename}"


class ArticlePhoto(Scoped, models.Model):
    """A photo of the article, re-encoded on upload (no EXIF: no place, no phone)."""

    scope_parent = "article"

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to=_photo_path)
    caption = models.CharField(_("caption"), max_length=CAPTION_MAX, blank=True)

    class Meta:
        verbose_name = _("article photo")
        verbose_name_plural = _("article photos")
        ordering = ["pk"]

    def __str__(self):
        return self.caption or f"photo #{self.pk}"
