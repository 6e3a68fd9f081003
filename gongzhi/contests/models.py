"""Design contests (设计赛): a call with its sites, dates and published criteria;
entries by teams with their drafts; a jury of community partners scoring each
review stage; a public vote; awards.

The contest moves through its stages (submission → early review → mid-term review
→ final) only when the secretariat advances it (``services.advance_stage``): the
published dates are the plan, the audited advancement is the fact. Winning
entries carry ``is_winner`` so that the renewal capability (above this app) can
turn one into a micro-renewal project; nothing here knows about renewal.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.fields import person_link, town_link
from gongzhi.core.models import TimeStampedModel
from gongzhi.core.scope import Scoped


class ContestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("contest status", "Open")
    AWARDED = "awarded", _("Awarded")


# Where a contest may go from each status: used by the services that move it and by
# the manage page that decides which buttons to show (DESIGN.md: one table per
# workflow). Between opening and the awards it moves through its stages (Stage.order).
CONTEST_TRANSITIONS: dict[str, set[str]] = {
    ContestStatus.DRAFT: {ContestStatus.OPEN},
    ContestStatus.OPEN: {ContestStatus.AWARDED},
    ContestStatus.AWARDED: set(),
}


class Stage(models.TextChoices):
    """The stages of a contest, in order."""

    SUBMISSION = "submission", _("Submission")
    EARLY = "early", _("Early review")
    MIDTERM = "midterm", _("Mid-term review")
    FINAL = "final", _("Final review")

    @classmethod
    def order(cls) -> list[str]:
        return [cls.SUBMISSION.value, cls.EARLY.value, cls.MIDTERM.value, cls.FINAL.value]

    @classmethod
    def reviews(cls) -> list[str]:
        """The stages in which the jury scores."""
        return cls.order()[1:]

    @classmethod
    def next(cls, stage: str) -> str | None:
        order = cls.order()
        index = order.index(stage)
        return order[index + 1] if index + 1 < len(order) else None


class ContestQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status=ContestStatus.DRAFT)


class Contest(Scoped, TimeStampedModel):
    town = town_link(related_name="contests")
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("the call"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ContestStatus.choices, default=ContestStatus.DRAFT
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.SUBMISSION
    )
    sites = models.ManyToManyField(
        "places.Site", verbose_name=_("sites"), related_name="contests", blank=True
    )
    submission_opens = models.DateField(_("submissions open"))
    submission_closes = models.DateField(_("submissions close"))
    early_review_on = models.DateField(_("early review"))
    midterm_review_on = models.DateField(_("mid-term review"))
    final_review_on = models.DateField(_("final review"))
    public_vote_closes = models.DateTimeField(_("public vote closes"))
    jury_weight = models.PositiveSmallIntegerField(_("jury weight (%)"), default=70)
    public_weight = models.PositiveSmallIntegerField(_("public vote weight (%)"), default=30)
    created_by = person_link(_("created by"))

    objects = ContestQuerySet.as_manager()

    class Meta:
        verbose_name = _("design contest")
        verbose_name_plural = _("design contests")
        ordering = ["-submission_opens", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(jury_weight__lte=100)
                & Q(public_weight__lte=100)
                & Q(jury_weight=100 - models.F("public_weight")),
                name="contest_weights_sum_to_100",
            ),
            models.CheckConstraint(
                condition=Q(submission_closes__gte=models.F("submission_opens"))
                & Q(early_review_on__gt=models.F("submission_closes"))
                & Q(midterm_review_on__gte=models.F("early_review_on"))
                & Q(final_review_on__gte=models.F("midterm_review_on")),
                name="contest_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "open", "awarded"]), name="contest_status_known"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("contests:contest", args=[self.town.slug, self.pk])

    @property
    def schedule(self) -> list[tuple[str, object]]:
        """The published dates, in order, with their labels."""
        return [
            (_("Submissions open"), self.submission_opens),
            (_("Submissions close"), self.submission_closes),
            (Stage.EARLY.label, self.early_review_on),
            (Stage.MIDTERM.label, self.midterm_review_on),
            (Stage.FINAL.label, self.final_review_on),
            (_("Public vote closes"), self.public_vote_closes),
        ]

    def may_become(self, status: str) -> bool:
        """Whether CONTEST_TRANSITIONS lets the contest go to ``status`` now."""
        return status in CONTEST_TRANSITIONS[self.status]

    @property
    def is_reviewing(self) -> bool:
        return self.status == ContestStatus.OPEN and self.stage in Stage.reviews()


class Criterion(models.Model):
    """A published scoring criterion; fixed once the call is open."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("criterion"), max_length=60)
    description = models.CharField(_("what the jury looks for"), max_length=200, blank=True)
    max_points = models.PositiveSmallIntegerField(_("maximum points"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["contest", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "name"], name="criterion_name_once"),
            models.CheckConstraint(
                condition=Q(max_points__gte=1) & Q(max_points__lte=100),
                name="criterion_points_1_to_100",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.max_points})"


class EntryStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ADVANCED = "advanced", _("Advanced")
    ELIMINATED = "eliminated", _("Not advanced")


class EntryQuerySet(models.QuerySet):
    def in_running(self):
        """Entries not eliminated (still competing, or finished as finalists)."""
        return self.exclude(status=EntryStatus.ELIMINATED)

    def winners(self):
        """Winning entries: what the renewal capability turns into projects."""
        return self.filter(is_winner=True)


class Entry(Scoped, TimeStampedModel):
    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.PROTECT, related_name="entries"
    )
    team_name = models.CharField(_("team name"), max_length=60)
    members = models.TextField(
        _("team members"),
        max_length=500,
        blank=True,
        help_text=_("Names and roles; seen only by the secretariat."),
    )
    site = models.ForeignKey(
        "places.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title of the design"), max_length=100)
    description = models.TextField(_("the idea"), max_length=2000)
    submitted_by = person_link(_("submitted by"), related_name="contest_entries")
    status = models.CharField(
        _("status"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.SUBMITTED
    )
    stage = models.CharField(
        _("stage reached"), max_length=12, choices=Stage.choices, default=Stage.SUBMISSION
    )
    is_winner = models.BooleanField(_("winner"), default=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("contest entry")
        verbose_name_plural = _("contest entries")
        ordering = ["contest", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "team_name", "site"], name="entry_once_per_team_and_site"
            ),
            models.CheckConstraint(
                condition=Q(is_winner=False) | ~Q(status="eliminated"),
                name="entry_winner_not_eliminated",
            ),
        ]

    def __str__(self):
        return f"{self.team_name} · {self.title}"

    scope_parent = "contest"

    def get_absolute_url(self):
        return reverse("contests:entry", args=[self.contest.town.slug, self.contest_id, self.pk])

    @property
    def in_running(self) -> bool:
        return self.status != EntryStatus.ELIMINATED


class FileKind(models.TextChoices):
    IMAGE = "image", _("Image")
    PDF = "pdf", _("PDF document")


class EntryFile(models.Model):
    """A design draft: a PNG or JPEG image or a PDF, checked by its content."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to="contests/%Y/%m/")
    name = models.CharField(_("file name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=FileKind.choices)
    content_type = models.CharField(_("content type"), max_length=40)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("design draft file")
        verbose_name_plural = _("design draft files")
        ordering = ["entry", "uploaded_at", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        contest = self.entry.contest
        return reverse("contests:entry_file", args=[contest.town.slug, contest.pk, self.pk])

    @property
    def is_image(self) -> bool:
        return self.kind == FileKind.IMAGE


class JuryMember(Scoped, models.Model):
    """A community partner on the jury, for the review stages they judge."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="jury"
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="jury_seats",
    )
    stages = models.JSONField(_("stages judged"), default=list)
    appointed_at = models.DateTimeField(_("appointed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")
        ordering = ["contest", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "partner"], name="judge_once_per_contest")
        ]

    def __str__(self):
        return f"{self.contest} · {self.partner}"

    scope_parent = "contest"

    @property
    def audit_label(self) -> str:
        return f"jury member #{self.pk}"

    def get_stages_display(self) -> list[str]:
        labels = dict(Stage.choices)
        return [str(labels[s]) for s in Stage.order() if s in self.stages]


class Score(models.Model):
    """Points one judge gave one entry on one criterion in one stage; never changed."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="scores"
    )
    judge = models.ForeignKey(
        JuryMember, verbose_name=_("judge"), on_delete=models.PROTECT, related_name="scores"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    points = models.PositiveSmallIntegerField(_("points"))
    scored_at = models.DateTimeField(_("scored at"), auto_now_add=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["entry", "stage", "judge", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "judge", "stage", "criterion"], name="score_once_per_judge_stage"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=["early", "midterm", "final"]), name="score_in_review_stage"
            ),
        ]

    def __str__(self):
        return f"{self.entry} · {self.criterion.name}: {self.points}"


class PublicVote(models.Model):
    """One account's vote in a contest's public vote: one per account and contest."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="votes"
    )
    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="votes"
    )
    user = person_link(_("voter"), related_name="contest_votes", on_delete=models.CASCADE)
    cast_at = models.DateTimeField(_("cast at"))

    class Meta:
        verbose_name = _("public vote")
        verbose_name_plural = _("public votes")
        ordering = ["contest", "cast_at"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="one_vote_per_account")
        ]

    def __str__(self):
        return f"{self.contest} · {self.entry_id}"


class Award(models.Model):
    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="awards"
    )
    entry = models.OneToOneField(
        Entry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="award"
    )
    title = models.CharField(_("award"), max_length=30)
    rank = models.PositiveSmallIntegerField(_("rank"))
    combined_score = models.DecimalField(_("combined score"), max_digits=5, decimal_places=2)
    awarded_at = models.DateTimeField(_("awarded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["contest", "rank"]
        constraints = [models.UniqueConstraint(fields=["contest", "rank"], name="award_rank_once")]

    def __str__(self):
        return f"{self.title} · {self.entry}"
