"""Community planning proposals (社区规划提案): raised by residents, supported and
discussed by their neighbours, reviewed by staff and decided on record.

A proposal reaches review by itself when enough residents support it (the town's
threshold); staff then adopt it (onto a meeting's agenda: the meetings capability
does that through ``services.adopt``), merge it into another, or decline it with a
reason, and finally mark it implemented. Every status change is kept as a
``StatusChange`` row and an audit event. Proposals are a building block: the planning
and renewal capabilities (above this app) read adopted proposals; nothing here
imports them.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.fields import area_link, person_link, town_link
from gongzhi.core.models import FromPaper, TimeStampedModel
from gongzhi.core.scope import Scoped

TITLE_MAX = 80
DESCRIPTION_MAX = 2000
COMMENT_MAX = 1000
REASON_MAX = 500


class Category(models.TextChoices):
    PUBLIC_SPACE = "public_space", _("Public space")
    FACILITIES = "facilities", _("Facilities")
    ENVIRONMENT = "environment", _("Environment")
    SAFETY = "safety", _("Safety")
    SERVICES = "services", _("Services")
    OTHER = "other", pgettext_lazy("proposal category", "Other")


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("proposal status", "Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    ADOPTED = "adopted", _("Adopted")
    MERGED = "merged", _("Merged into another proposal")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    IMPLEMENTED = "implemented", _("Implemented")


# Which status may follow which (the review flow of the module docstring). Residents
# may still support and comment while a proposal is open (submitted or under review).
TRANSITIONS: dict[str, set[str]] = {
    ProposalStatus.SUBMITTED: {
        ProposalStatus.UNDER_REVIEW,
        ProposalStatus.ADOPTED,
        ProposalStatus.MERGED,
        ProposalStatus.NOT_ADOPTED,
    },
    ProposalStatus.UNDER_REVIEW: {
        ProposalStatus.ADOPTED,
        ProposalStatus.MERGED,
        ProposalStatus.NOT_ADOPTED,
    },
    ProposalStatus.ADOPTED: {ProposalStatus.IMPLEMENTED},
    ProposalStatus.MERGED: set(),
    ProposalStatus.NOT_ADOPTED: set(),
    ProposalStatus.IMPLEMENTED: set(),
}
OPEN_STATUSES = [ProposalStatus.SUBMITTED.value, ProposalStatus.UNDER_REVIEW.value]


class ProposalSettings(Scoped, models.Model):
    """A town's rules for proposals (created with defaults on first use)."""

    town = models.OneToOneField(
        "places.Town",
        verbose_name=_("town"),
        on_delete=models.CASCADE,
        related_name="proposal_settings",
    )
    support_threshold = models.PositiveSmallIntegerField(
        _("supports needed for review"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(10000)],
        help_text=_("A proposal with this many supports goes to staff review by itself."),
    )
    authors_may_support = models.BooleanField(
        _("authors may support their own proposals"), default=False
    )

    class Meta:
        verbose_name = _("proposal settings")
        verbose_name_plural = _("proposal settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(support_threshold__gte=1), name="proposal_threshold_positive"
            )
        ]

    def __str__(self):
        return str(self.town)


class Proposal(Scoped, TimeStampedModel):
    town = town_link(related_name="proposals")
    area = area_link(related_name="proposals")
    site = models.ForeignKey(
        "places.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    author = person_link(_("author"), related_name="proposals")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(
        pgettext_lazy("proposal description", "description"), max_length=DESCRIPTION_MAX
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    # The reason given with the latest decision (required when not adopted).
    status_reason = models.TextField(_("reason"), blank=True, max_length=REASON_MAX)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )
    # When someone last supported, commented or decided: "recently active" sorts by it.
    last_activity_at = models.DateTimeField(_("last activity"), db_index=True)
    # Current supports and visible comments, kept by the services that change them
    # (counters.py), so that a list of any length costs the same.
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-pk"]
        # The town's list in each of its orders (forms.Sort.ORDER) reads its first page
        # from an index, so it costs the same with 200 or 20,000 proposals.
        indexes = [
            models.Index(fields=["town", "status", "-created_at"]),
            models.Index(fields=["town", "-created_at", "-id"], name="proposal_town_newest"),
            models.Index(
                fields=["town", "-support_count", "-created_at", "-id"], name="proposal_town_top"
            ),
            models.Index(fields=["town", "-last_activity_at", "-id"], name="proposal_town_active"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False)
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="proposal_merged_names_target",
            ),
            models.CheckConstraint(
                condition=~Q(status="not_adopted") | ~Q(status_reason=""),
                name="proposal_not_adopted_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="proposal_not_merged_into_itself"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:proposal", args=[self.town.slug, self.pk])

    @property
    def is_open(self) -> bool:
        """Still gathering supports and comments."""
        return self.status in OPEN_STATUSES


class Support(FromPaper, models.Model):
    """One resident's support. Withdrawing keeps the row (with its time) so the
    history stays; a person has at most one current support per proposal."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="supports"
    )
    user = person_link(_("supporter"), related_name="proposal_supports", on_delete=models.CASCADE)
    created_at = models.DateTimeField(_("supported at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "user"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_current_support_per_person",
            )
        ]

    def __str__(self):
        return f"{self.user_id} → {self.proposal_id}"


class Comment(Scoped, models.Model):
    """A comment, or a reply to one (one level only). Staff comments are marked
    official. Moderators hide a comment with a reason; the row and reason are kept."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = person_link(
        pgettext_lazy("comment author", "author"), related_name="proposal_comments"
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX)
    is_official = models.BooleanField(_("official reply"), default=False)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = person_link(_("hidden by"), optional=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="proposal_comment_hidden_has_reason",
            )
        ]

    def __str__(self):
        return self.body[:40]

    scope_parent = "proposal"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class CommentReport(models.Model):
    """A resident's report that a comment is abusive; moderators see open reports."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="reports"
    )
    reporter = person_link(_("reported by"), on_delete=models.CASCADE)
    reason = models.CharField(_("reason"), max_length=200)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment report")
        verbose_name_plural = _("comment reports")
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_person")
        ]

    def __str__(self):
        return self.reason


class StatusChange(models.Model):
    """The proposal's public history: each status it moved to, when and why."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="history"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=ProposalStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ProposalStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    actor = person_link(_("by"), optional=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


def _photo_path(instance, filename):
    return f"proposals/{instance.proposal_id}/{filename}"


class ProposalPhoto(models.Model):
    """A photo of the place the proposal is about (re-encoded: no location data)."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to=_photo_path)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposal photo")
        verbose_name_plural = _("proposal photos")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.image.name
