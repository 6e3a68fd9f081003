"""The eleven-step participatory planning loop (DOMAIN.md "The planning loop").

A ``WorkflowTemplate`` is an ordered list of ``TemplateStep`` rows, each with a kind
and its evidence rule (a minimum count, a minimum number of days). A template is
never changed once a process has started from it: administrators copy it to a new
version and change that, so every process keeps the rules it started with.

A ``PlanningProcess`` runs one residential area's plan through the template's steps.
Each time a step is opened a ``StepRun`` is created (revision 1, 2, … when the loop
comes back to it); evidence always hangs on a run, so going back never deletes or
overwrites what an earlier run gathered. Whether a run may close is decided by the
evidence table in ``evidence.py``; the transitions (advance, return, abandon) are
the services in ``services.py`` and the permission table in ``rules.py``.

Planning sits on the building blocks below it: it links a survey (surveys), a
co-design activity (events) and a joint meeting (meetings) as a step's evidence and
interprets their outcomes; none of them knows about planning.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from gongzhi.core.fields import area_link, person_link, town_link
from gongzhi.core.models import FromPaper, TimeStampedModel
from gongzhi.core.scope import Scoped

REASON_MAX = 500


class StepKind(models.TextChoices):
    """What a step is, which decides the evidence it needs (evidence.py)."""

    SURVEY = "survey", _("Community survey")
    INTERVIEWS = "interviews", _("Resident interviews")
    DRAFTS = "drafts", _("Multi-draft design")
    PARTICIPATORY_DESIGN = "participatory_design", _("Participatory design")
    ADJUSTMENT = "adjustment", _("Plan adjustment")
    JOINT_MEETING = "joint_meeting", pgettext_lazy("step kind", "Joint meeting")
    OPTIMISATION = "optimisation", _("Plan optimisation")
    CONSULTATION = "consultation", _("Public consultation")
    REVISION = "revision", _("Plan revision")
    PUBLIC_NOTICE = "public_notice", pgettext_lazy("step kind", "Public notice")


# The names of the default loop's eleven steps (PROGRAMME.md), by order and kind:
# they live here, translated, so that every language shows its own name; a town may
# still rename a step of its template (TemplateStep.title_zh / title_en).
DEFAULT_STEP_NAMES = {
    (1, StepKind.SURVEY): _("Community survey"),
    (2, StepKind.INTERVIEWS): _("Resident interviews"),
    (3, StepKind.DRAFTS): _("Multi-draft design"),
    (4, StepKind.PARTICIPATORY_DESIGN): _("Participatory design"),
    (5, StepKind.ADJUSTMENT): _("Plan adjustment"),
    (6, StepKind.JOINT_MEETING): pgettext_lazy("step kind", "Joint meeting"),
    (7, StepKind.OPTIMISATION): _("Plan optimisation"),
    (8, StepKind.CONSULTATION): _("Public consultation"),
    (9, StepKind.REVISION): _("Plan revision"),
    (10, StepKind.JOINT_MEETING): _("Joint meeting (second)"),
    (11, StepKind.PUBLIC_NOTICE): _("Public notice of the plan"),
}


def reading_chinese() -> bool:
    """Whether the active language is Chinese (the default when none is active)."""
    return (get_language() or settings.LANGUAGE_CODE).lower().startswith("zh")


def step_name(order: int, kind: str, title_zh: str = "", title_en: str = "") -> str:
    """A step's name in the active language.

    The town's own name in that language when it renamed the step; otherwise the
    code's name of the default loop's step at that order and of that kind, else the
    name of its kind. A rename in one language only does not reach readers of the
    other: they see the code's name of the step, which says what the step is (a
    Chinese rename in an English page would be unreadable there)."""
    override = title_zh if reading_chinese() else title_en
    if override:
        return override
    name = DEFAULT_STEP_NAMES.get((order, kind))
    if name is None:
        try:
            name = StepKind(kind).label
        except ValueError:
            return title_zh or title_en or str(kind)
    return str(name)


def with_current_step(processes):
    """``processes`` annotated with what names their current step (``step_kind``,
    ``step_title_zh``, ``step_title_en``), in the same query; ``current_step_name``
    turns a row into the name in the active language."""
    steps = TemplateStep.objects.filter(
        template=OuterRef("template"), order=OuterRef("current_order")
    )
    return processes.annotate(
        step_kind=Subquery(steps.values("kind")[:1]),
        step_title_zh=Subquery(steps.values("title_zh")[:1]),
        step_title_en=Subquery(steps.values("title_en")[:1]),
    )


def current_step_name(row) -> str:
    """The current step's name of a process (or a values() row) from
    ``with_current_step``; empty when the template has no step at that order."""
    get = row.get if isinstance(row, dict) else lambda key: getattr(row, key, None)
    if not get("step_kind"):
        return ""
    return step_name(
        get("current_order"),
        get("step_kind"),
        get("step_title_zh") or "",
        get("step_title_en") or "",
    )


class WorkflowTemplate(Scoped, TimeStampedModel):
    """An ordered list of steps with their evidence rules. ``town`` empty: offered to
    every town of the deployment (the default template)."""

    town = town_link(related_name="workflow_templates", optional=True)
    name = models.CharField(_("name"), max_length=80)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="copies",
    )
    is_default = models.BooleanField(_("the default template"), default=False)
    created_by = person_link(_("created by"), optional=True)

    class Meta:
        verbose_name = _("workflow template")
        verbose_name_plural = _("workflow templates")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_template"
            )
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"

    @property
    def in_use(self) -> bool:
        """A template some process started from: its rules are fixed for good."""
        return self.processes.exists()


class TemplateStep(models.Model):
    template = models.ForeignKey(
        WorkflowTemplate, verbose_name=_("template"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("step"))
    kind = models.CharField(_("kind"), max_length=24, choices=StepKind.choices)
    # The town's own name of the step, per language; blank: the code's name
    # (DEFAULT_STEP_NAMES), which follows the reader's language. See display_title.
    title_zh = models.CharField(
        _("name in Chinese"),
        max_length=60,
        blank=True,
        help_text=_("Leave empty to use the step's standard name."),
    )
    title_en = models.CharField(
        _("name in English"),
        max_length=60,
        blank=True,
        help_text=_("Leave empty to use the step's standard name."),
    )
    # The evidence rule: what "enough" means for this kind (see evidence.py).
    min_count = models.PositiveIntegerField(
        _("minimum count"),
        default=0,
        help_text=_("Responses, interviews, drafts or residents' inputs the step needs."),
    )
    min_days = models.PositiveSmallIntegerField(
        _("minimum days"), default=0, help_text=_("The least length of a window or notice.")
    )
    working_days = models.BooleanField(
        _("count working days"),
        default=False,
        help_text=_("Skip weekends and the holiday list when counting the days."),
    )
    expected_days = models.PositiveSmallIntegerField(
        _("expected duration (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("After this long a step shows as overdue on the progress board."),
    )

    class Meta:
        verbose_name = _("template step")
        verbose_name_plural = _("template steps")
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="template_step_order")
        ]

    def __str__(self):
        return f"{self.order}. {self.display_title}"

    @property
    def display_title(self) -> str:
        """The step's name in the active language (see ``step_name``)."""
        return step_name(self.order, self.kind, self.title_zh, self.title_en)

    @property
    def standard_title(self) -> str:
        """The code's name of the step in the active language, ignoring renames."""
        return step_name(self.order, self.kind)


class ProcessStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", pgettext_lazy("plan status", "Active")
    COMPLETED = "completed", _("Completed")
    ABANDONED = "abandoned", _("Abandoned")


class BatchLaunch(Scoped, models.Model):
    """One action of the secretariat that started the same template in many areas."""

    town = town_link(related_name="+")
    template = models.ForeignKey(
        WorkflowTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=100)
    launched_by = person_link(_("launched by"))
    launched_at = models.DateTimeField(_("launched at"), auto_now_add=True)

    class Meta:
        verbose_name = _("batch launch")
        verbose_name_plural = _("batch launches")
        ordering = ["-launched_at"]

    def __str__(self):
        return self.title


class ProcessQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status=ProcessStatus.DRAFT)


class PlanningProcess(Scoped, TimeStampedModel):
    town = town_link(related_name="processes")
    area = area_link(related_name="processes")
    sites = models.ManyToManyField(
        "places.Site", verbose_name=_("sites"), blank=True, related_name="processes"
    )
    title = models.CharField(_("title"), max_length=100)
    template = models.ForeignKey(
        WorkflowTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="processes",
    )
    team = models.ForeignKey(
        "organisations.OrgUnit",
        verbose_name=_("responsible team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="processes",
    )
    lead_partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("lead partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_processes",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProcessStatus.choices, default=ProcessStatus.ACTIVE
    )
    # The template step now open (1-based); the last one stays after completion.
    current_order = models.PositiveSmallIntegerField(_("current step"), default=1)
    starts_on = models.DateField(_("starts on"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    abandoned_reason = models.CharField(
        _("reason for abandoning"), max_length=REASON_MAX, blank=True
    )
    batch = models.ForeignKey(
        BatchLaunch,
        verbose_name=_("batch launch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="processes",
    )
    proposals = models.ManyToManyField(
        "proposals.Proposal",
        verbose_name=_("proposals taken in"),
        blank=True,
        related_name="processes",
    )
    created_by = person_link(_("created by"))

    objects = ProcessQuerySet.as_manager()

    class Meta:
        verbose_name = _("planning process")
        verbose_name_plural = _("planning processes")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="abandoned") | ~Q(abandoned_reason=""),
                name="process_abandoned_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(current_order__gte=1), name="process_current_step_positive"
            ),
            # One loop at a time in an area (services.start_process says so first).
            models.UniqueConstraint(
                fields=["area"],
                condition=Q(status="active"),
                name="one_active_process_per_area",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("planning:process", args=[self.town.slug, self.pk])


class RunOutcome(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    RETURNED = "returned", _("Sent back")
    ABANDONED = "abandoned", _("Abandoned")


class StepRunQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)


class StepRun(Scoped, models.Model):
    """One opening of a step. Evidence hangs on the run, so an earlier run's evidence
    stays untouched when the loop returns to the step (a new revision)."""

    process = models.ForeignKey(
        PlanningProcess, verbose_name=_("process"), on_delete=models.CASCADE, related_name="runs"
    )
    step = models.ForeignKey(
        TemplateStep, verbose_name=_("step"), on_delete=models.PROTECT, related_name="runs"
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    opened_at = models.DateTimeField(_("opened at"))
    due_on = models.DateField(_("due"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=RunOutcome.choices, blank=True, default=""
    )
    note = models.CharField(_("note"), max_length=REASON_MAX, blank=True)

    objects = StepRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("step run")
        verbose_name_plural = _("step runs")
        ordering = ["process", "opened_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["process"], condition=Q(closed_at__isnull=True), name="one_open_run"
            ),
            models.UniqueConstraint(
                fields=["process", "step", "revision"], name="run_revision_unique"
            ),
            models.CheckConstraint(
                condition=(Q(closed_at__isnull=True) & Q(outcome=""))
                | (Q(closed_at__isnull=False) & ~Q(outcome="")),
                name="run_outcome_iff_closed",
            ),
        ]

    def __str__(self):
        return f"{self.step} (r{self.revision})"

    scope_parent = "process"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


# --- Evidence ------------------------------------------------------------------------


class SurveyLink(models.Model):
    """Step 1: the questionnaire whose responses are the survey's evidence."""

    run = models.ForeignKey(
        StepRun, verbose_name=_("step run"), on_delete=models.CASCADE, related_name="survey_links"
    )
    survey = models.ForeignKey(
        "surveys.Survey", verbose_name=_("survey"), on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey of a step")
        verbose_name_plural = _("surveys of steps")
        constraints = [
            models.UniqueConstraint(fields=["run", "survey"], name="survey_linked_once_per_run")
        ]

    def __str__(self):
        return str(self.survey_id)


class Need(models.Model):
    """Step 1: one item of the needs list written from the survey."""

    run = models.ForeignKey(
        StepRun, verbose_name=_("step run"), on_delete=models.CASCADE, related_name="needs"
    )
    text = models.CharField(_("need"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["run", "order", "pk"]

    def __str__(self):
        return self.text


def _photo_path(instance, filename):
    return f"planning/{instance.run.process_id}/{filename}"


class StepPhoto(models.Model):
    """A photo taken for a step: the sites surveyed (step 1), the notice board (step 11)."""

    class Purpose(models.TextChoices):
        SITE = "site", _("Site photo")
        NOTICE_BOARD = "notice_board", _("Notice on the board")

    run = models.ForeignKey(
        StepRun, verbose_name=_("step run"), on_delete=models.CASCADE, related_name="photos"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    image = models.ImageField(_("photo"), upload_to=_photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    taken_on = models.DateField(_("taken on"), null=True, blank=True)
    uploaded_by = person_link(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("step photo")
        verbose_name_plural = _("step photos")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.caption or self.image.name


class IntervieweeCategory(models.TextChoices):
    OLDER_RESIDENT = "older_resident", _("Older resident")
    FAMILY = "family", _("Family with children")
    YOUNG_RESIDENT = "young_resident", _("Young resident")
    OWNER = "owner", pgettext_lazy("interview party", "Owner")
    TENANT = "tenant", _("Tenant")
    SHOPKEEPER = "shopkeeper", _("Shopkeeper")
    PROPERTY_STAFF = "property_staff", _("Property company staff")
    OTHER = "other", pgettext_lazy("interviewee", "Other")


class Interview(models.Model):
    """Step 2: a resident interview. ``notes`` are for the team only; the public
    sees the category, the date and the de-identified ``summary``."""

    run = models.ForeignKey(
        StepRun, verbose_name=_("step run"), on_delete=models.CASCADE, related_name="interviews"
    )
    category = models.CharField(
        _("interviewee"), max_length=20, choices=IntervieweeCategory.choices
    )
    held_on = models.DateField(_("held on"))
    interviewer = person_link(_("interviewer"))
    notes = models.TextField(_("notes (team only)"), max_length=5000)
    summary = models.CharField(_("public summary (no names)"), max_length=500)
    consent = models.BooleanField(_("the interviewee consented to the record"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["held_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(consent=True), name="interview_has_consent")
        ]

    def __str__(self):
        return f"{self.get_category_display()} {self.held_on}"


def _draft_path(instance, filename):
    return f"planning/{instance.process_id}/drafts/{filename}"


class DesignDraft(Scoped, models.Model):
    """A version of the plan's design (steps 3, 5, 7, 9): a file (image or PDF) with
    its description, its author and, from the second version on, a change note
    saying which residents' inputs it answers."""

    process = models.ForeignKey(
        PlanningProcess, verbose_name=_("process"), on_delete=models.CASCADE, related_name="drafts"
    )
    run = models.ForeignKey(
        StepRun, verbose_name=_("step run"), on_delete=models.PROTECT, related_name="drafts"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(
        pgettext_lazy("draft description", "description"), max_length=3000
    )
    file = models.FileField(_("file"), upload_to=_draft_path)
    content_type = models.CharField(_("file type"), max_length=40)
    # SHA-256 of the stored file: two uploads of the same file are not two drafts.
    digest = models.CharField(_("file digest"), max_length=64)
    author = models.ForeignKey(
        "partners.Partner",
        verbose_name=pgettext_lazy("draft author", "author"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drafts",
    )
    uploaded_by = person_link(_("uploaded by"))
    change_note = models.TextField(_("what changed and why"), blank=True, max_length=3000)
    answers_comments = models.ManyToManyField(
        "DraftComment",
        verbose_name=_("comments it answers"),
        blank=True,
        related_name="answered_by",
    )
    answers_consultation = models.ManyToManyField(
        "ConsultationComment",
        verbose_name=_("consultation comments it answers"),
        blank=True,
        related_name="answered_by",
    )
    answers_votes = models.BooleanField(_("it answers the dot votes"), default=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("design draft")
        verbose_name_plural = _("design drafts")
        ordering = ["process", "version"]
        constraints = [
            models.UniqueConstraint(fields=["process", "version"], name="draft_version_unique")
        ]

    def __str__(self):
        return f"v{self.version} {self.title}"

    scope_parent = "process"


class DraftComment(models.Model):
    """Step 4 (and any time a draft is shown): a resident's comment on a draft."""

    draft = models.ForeignKey(
        DesignDraft, verbose_name=_("draft"), on_delete=models.CASCADE, related_name="comments"
    )
    run = models.ForeignKey(
        StepRun, verbose_name=_("step run"), on_delete=models.CASCADE, related_name="draft_comments"
    )
    user = person_link(_("resident"))
    body = models.TextField(pgettext_lazy("plan comment", "comment"), max_length=1000)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("draft comment")
        verbose_name_plural = _("draft comments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:40]


class DotVote(FromPaper, models.Model):
    """Step 4: a resident's dot on the draft they prefer (one per resident per run)."""

    run = models.ForeignKey(
        StepRun, verbose_name=_("step run"), on_delete=models.CASCADE, related_name="dot_votes"
    )
    draft = models.ForeignKey(
        DesignDraft, verbose_name=_("draft"), on_delete=models.CASCADE, related_name="dot_votes"
    )
    user = person_link(_("resident"), on_delete=models.CASCADE)
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dot vote")
        verbose_name_plural = _("dot votes")
        constraints = [
            models.UniqueConstraint(fields=["run", "user"], name="one_dot_per_resident_per_run")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.draft_id}"


class ActivityLink(models.Model):
    """Step 4: the co-design workshop or World Café (an events activity) held for it."""

    run = models.ForeignKey(
        StepRun, verbose_name=_("step run"), on_delete=models.CASCADE, related_name="activity_links"
    )
    activity = models.ForeignKey(
        "events.Activity", verbose_name=_("activity"), on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity of a step")
        verbose_name_plural = _("activities of steps")
        constraints = [
            models.UniqueConstraint(fields=["run", "activity"], name="activity_linked_once_per_run")
        ]

    def __str__(self):
        return str(self.activity_id)


class JointDecision(models.TextChoices):
    APPROVE = "approve", _("Approve the plan")
    RETURN = "return", _("Send it back to an earlier step")


class MeetingLink(models.Model):
    """Steps 6 and 10: the joint meeting (meetings capability) held for the step and
    planning's reading of its decision: the motion that decided, approve or return
    (to a named earlier step, with the reasons)."""

    run = models.ForeignKey(
        StepRun, verbose_name=_("step run"), on_delete=models.CASCADE, related_name="meeting_links"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="+"
    )
    motion = models.ForeignKey(
        "meetings.Motion",
        verbose_name=_("deciding motion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=JointDecision.choices, blank=True, default=""
    )
    return_to = models.PositiveSmallIntegerField(_("back to step"), null=True, blank=True)
    reasons = models.TextField(_("reasons"), blank=True, max_length=REASON_MAX)
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting of a step")
        verbose_name_plural = _("meetings of steps")
        constraints = [
            models.UniqueConstraint(fields=["run", "meeting"], name="meeting_linked_once_per_run"),
            models.CheckConstraint(
                condition=~Q(decision="return") | Q(return_to__isnull=False),
                name="meeting_return_names_step",
            ),
        ]

    def __str__(self):
        return str(self.meeting_id)


class Consultation(models.Model):
    """Step 8: the window in which residents comment on the current draft."""

    run = models.OneToOneField(
        StepRun, verbose_name=_("step run"), on_delete=models.CASCADE, related_name="consultation"
    )
    draft = models.ForeignKey(
        DesignDraft,
        verbose_name=_("draft consulted on"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))

    class Meta:
        verbose_name = _("public consultation")
        verbose_name_plural = _("public consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="consultation_closes_after"
            )
        ]

    def __str__(self):
        return str(self.run)


class RepliedText(FromPaper, models.Model):
    """A resident's text that staff must answer officially (a consultation comment, an
    objection to a notice): the step cannot close while one is unanswered."""

    user = person_link(_("resident"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    reply = models.TextField(_("official reply"), blank=True, max_length=1000)
    replied_by = person_link(_("replied by"), optional=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:40]


class ConsultationComment(RepliedText):
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    body = models.TextField(pgettext_lazy("plan comment", "comment"), max_length=1000)

    class Meta(RepliedText.Meta):
        verbose_name = _("consultation comment")
        verbose_name_plural = _("consultation comments")


class Holiday(models.Model):
    """A public holiday that working days skip (maintained by the administrator);
    ``is_workday`` marks a weekend day made a working day (调休)."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=40)
    is_workday = models.BooleanField(_("a weekend day worked instead"), default=False)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}"


class PublicNotice(models.Model):
    """Step 11: the notice (公示) of the final plan, for its full period."""

    run = models.OneToOneField(
        StepRun, verbose_name=_("step run"), on_delete=models.CASCADE, related_name="notice"
    )
    draft = models.ForeignKey(
        DesignDraft, verbose_name=_("plan noticed"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("notice text"), max_length=5000)
    starts_on = models.DateField(_("posted on"))
    period_days = models.PositiveSmallIntegerField(_("period (days)"))
    working_days = models.BooleanField(_("working days"), default=False)
    # The last day of the period, computed when posted (working days skip weekends
    # and holidays); the notice cannot end before it.
    ends_on = models.DateField(_("last day"))
    online = models.BooleanField(_("published online"), default=True)
    on_board = models.BooleanField(_("posted on the notice board"), default=False)
    result = models.TextField(_("result published"), blank=True, max_length=3000)

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="notice_ends_after_start"
            )
        ]

    def __str__(self):
        return str(self.run)


class Objection(RepliedText):
    notice = models.ForeignKey(
        PublicNotice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="objections"
    )
    body = models.TextField(_("objection"), max_length=1000)

    class Meta(RepliedText.Meta):
        verbose_name = _("objection")
        verbose_name_plural = _("objections")


class Follower(models.Model):
    """A resident following a process (supporters of a proposal taken into it follow
    it by themselves); followers are told of each step."""

    process = models.ForeignKey(
        PlanningProcess,
        verbose_name=_("process"),
        on_delete=models.CASCADE,
        related_name="followers",
    )
    user = person_link(_("resident"), on_delete=models.CASCADE)
    since = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [models.UniqueConstraint(fields=["process", "user"], name="follow_once")]

    def __str__(self):
        return f"{self.user_id} → {self.process_id}"
