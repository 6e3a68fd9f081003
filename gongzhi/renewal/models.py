"""Micro-renewal projects (微更新): a final plan, an adopted proposal or a winning
contest entry carried into construction, and the result shown to the residents who
asked for it.

A ``Project`` has exactly one origin (a completed planning process, an adopted
proposal, or a winning entry), a site in a residential area, a kind, a responsible
unit and partners, a budget with its funding source, a contractor and milestones.
Its status moves planned → under construction → completed → in maintenance, and
may be suspended (with a reason) before completion; every change is a
``StatusChange`` row (the public timeline) and an audit event (services.py).

Money is in yuan with two decimals. What has been spent (``Spending``) may exceed
the budget only by what a recorded ``BudgetApproval`` allows; the service checks
it under a row lock, so two entries racing each other cannot both pass.

Renewal sits on planning, proposals and contests: it reads them and nothing below
imports it (the links back are page sections registered in hooks.py).
"""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.fields import area_link, person_link, town_link
from gongzhi.core.models import TimeStampedModel
from gongzhi.core.scope import Scoped

TITLE_MAX = 100
TEXT_MAX = 3000
REASON_MAX = 500
MONEY_MAX = Decimal("99999999.99")
MAX_MILESTONES = 30
MAX_PHOTOS_PER_PHASE = 24


class ProjectKind(models.TextChoices):
    """The seven kinds PROGRAMME.md reports, plus other."""

    GARDEN = "garden", _("Community garden")
    FACILITIES = "facilities", _("Convenience facilities")
    ROADSIDE = "roadside", _("Roadside scenery")
    OLD_WALL = "old_wall", _("Old wall, new look")
    PAVILION = "pavilion", _("Pavilion and stairwell")
    GATE = "gate", _("Community gate")
    HOOKS = "hooks", _("Convenience hooks")
    OTHER = "other", pgettext_lazy("project kind", "Other")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("project status", "Planned")
    UNDER_CONSTRUCTION = "construction", _("Under construction")
    COMPLETED = "completed", pgettext_lazy("project status", "Completed")
    MAINTENANCE = "maintenance", _("In maintenance")
    SUSPENDED = "suspended", pgettext_lazy("project status", "Suspended")


# The transitions services.py allows (a suspended project resumes to the status it
# was suspended from, which is stored on the project).
TRANSITIONS = {
    ProjectStatus.PLANNED: {ProjectStatus.UNDER_CONSTRUCTION, ProjectStatus.SUSPENDED},
    ProjectStatus.UNDER_CONSTRUCTION: {ProjectStatus.COMPLETED, ProjectStatus.SUSPENDED},
    ProjectStatus.COMPLETED: {ProjectStatus.MAINTENANCE},
    ProjectStatus.MAINTENANCE: set(),
    ProjectStatus.SUSPENDED: {ProjectStatus.PLANNED, ProjectStatus.UNDER_CONSTRUCTION},
}
# Statuses in which the result has been published.
FINISHED = {ProjectStatus.COMPLETED, ProjectStatus.MAINTENANCE}


class FundingSource(models.TextChoices):
    TOWN_BUDGET = "town_budget", _("Town budget")
    SELF_GOVERNANCE_FUND = "self_governance_fund", _("Self-governance fund")
    SPONSOR = "sponsor", _("Sponsor")
    OTHER = "other", pgettext_lazy("funding source", "Other")


class OriginKind(models.TextChoices):
    PROCESS = "process", _("Planning process")
    PROPOSAL = "proposal", _("Proposal")
    ENTRY = "entry", _("Design contest entry")


def _to_fen(value, expression, connection):
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


class YuanSum(models.functions.Coalesce):
    """A sum of amounts in yuan (zero when there are none), exact to the fen.

    SQLite adds decimals as floats, and Django hands a computed decimal back
    unquantized (Decimal("100.990000000000")), which the ledger and the project page
    would show as it is; PostgreSQL's sum is already exact."""

    def __init__(self, subquery):
        zero = models.Value(Decimal("0.00"), output_field=models.DecimalField())
        super().__init__(
            subquery, zero, output_field=models.DecimalField(max_digits=12, decimal_places=2)
        )

    def get_db_converters(self, connection):
        return [*super().get_db_converters(connection), _to_fen]


class ProjectQuerySet(models.QuerySet):
    def public(self):
        """Every project is public: residents follow what is built in their area."""
        return self

    def with_money(self):
        """Annotate ``spent`` (the sum of spending entries) and ``approved_extra``
        (the sum of approvals to spend beyond the budget), as subqueries so that
        the two sums never multiply each other's rows."""
        spent = (
            Spending.objects.filter(project=models.OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(total=models.Sum("amount"))
            .values("total")
        )
        extra = (
            BudgetApproval.objects.filter(project=models.OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(total=models.Sum("amount"))
            .values("total")
        )
        return self.annotate(
            spent=YuanSum(models.Subquery(spent)),
            approved_extra=YuanSum(models.Subquery(extra)),
        )

    def with_scores(self):
        """Annotate the satisfaction survey's averages (``gain_score``,
        ``satisfaction_score``, 1–5, None before any answer) and ``score_count``
        (responses), in subqueries over the survey's answers."""
        from gongzhi.surveys.models import Answer, Response

        def average(question_field):
            return models.Subquery(
                Answer.objects.filter(question=models.OuterRef(question_field))
                .order_by()
                .values("question")
                .annotate(value=models.Avg("scale"))
                .values("value")
            )

        responses = (
            Response.objects.filter(survey=models.OuterRef("satisfaction_survey"))
            .order_by()
            .values("survey")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(
            gain_score=average("gain_question"),
            satisfaction_score=average("satisfaction_question"),
            score_count=models.functions.Coalesce(models.Subquery(responses), 0),
        )


class Project(Scoped, TimeStampedModel):
    town = town_link(related_name="projects")
    area = area_link(related_name="projects")
    site = models.ForeignKey(
        "places.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="projects"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("what will be built"), max_length=TEXT_MAX)
    kind = models.CharField(_("kind"), max_length=20, choices=ProjectKind.choices)

    # Exactly one origin (a check constraint says so); the origin's pages link back.
    process = models.ForeignKey(
        "planning.PlanningProcess",
        verbose_name=_("from the plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    proposal = models.ForeignKey(
        "proposals.Proposal",
        verbose_name=_("from the proposal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    entry = models.ForeignKey(
        "contests.Entry",
        verbose_name=_("from the contest entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )

    responsible_unit = models.ForeignKey(
        "organisations.OrgUnit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    partners = models.ManyToManyField(
        "partners.Partner", verbose_name=_("partners"), blank=True, related_name="projects"
    )
    budget = models.DecimalField(_("budget (yuan)"), max_digits=10, decimal_places=2)
    funding_source = models.CharField(
        _("funding source"), max_length=24, choices=FundingSource.choices
    )
    contractor = models.CharField(_("contractor"), max_length=100, blank=True)

    status = models.CharField(
        _("status"), max_length=14, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    # While suspended: why, and the status it resumes to.
    suspended_reason = models.CharField(
        _("reason for suspension"), max_length=REASON_MAX, blank=True
    )
    resumes_to = models.CharField(
        _("resumes to"), max_length=14, choices=ProjectStatus.choices, blank=True
    )

    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned completion"))
    actual_start = models.DateField(_("construction started"), null=True, blank=True)
    actual_end = models.DateField(_("completed on"), null=True, blank=True)

    # The result published at completion (结果公开).
    result = models.TextField(_("what was built"), blank=True, max_length=TEXT_MAX)
    result_published_at = models.DateTimeField(_("result published at"), null=True, blank=True)
    maintained_by = models.CharField(_("maintained by"), max_length=100, blank=True)

    # The satisfaction survey opened at completion, and its two 1–5 questions.
    satisfaction_survey = models.OneToOneField(
        "surveys.Survey",
        verbose_name=_("satisfaction survey"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project",
    )
    gain_question = models.ForeignKey(
        "surveys.Question",
        verbose_name=_("sense-of-gain question"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    satisfaction_question = models.ForeignKey(
        "surveys.Question",
        verbose_name=_("satisfaction question"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    created_by = person_link(_("created by"))

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("micro-renewal project")
        verbose_name_plural = _("micro-renewal projects")
        ordering = ["-planned_start", "-pk"]
        indexes = [models.Index(fields=["town", "status", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(process__isnull=False, proposal__isnull=True, entry__isnull=True)
                    | Q(process__isnull=True, proposal__isnull=False, entry__isnull=True)
                    | Q(process__isnull=True, proposal__isnull=True, entry__isnull=False)
                ),
                name="project_has_one_origin",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("planned_start")),
                name="project_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=False, actual_end__gte=F("actual_start")),
                name="project_actual_end_after_start",
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="project_budget_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="suspended") | (~Q(suspended_reason="") & ~Q(resumes_to="")),
                name="project_suspended_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["completed", "maintenance"])
                | Q(actual_end__isnull=False, result_published_at__isnull=False),
                name="project_finished_has_result",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("renewal:project", args=[self.town.slug, self.pk])

    @property
    def origin_kind(self) -> str:
        if self.process_id:
            return OriginKind.PROCESS
        if self.proposal_id:
            return OriginKind.PROPOSAL
        return OriginKind.ENTRY

    @property
    def origin(self):
        return self.process or self.proposal or self.entry

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED


class Milestone(Scoped, models.Model):
    """A stage of construction with planned and actual dates. A milestone is open
    until its actual end is recorded; a project cannot complete with one open."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("milestone"), max_length=80)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("started on"), null=True, blank=True)
    actual_end = models.DateField(_("finished on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "order"], name="milestone_order_unique"),
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("planned_start")),
                name="milestone_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=False, actual_end__gte=F("actual_start")),
                name="milestone_actual_end_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    scope_parent = "project"

    @property
    def is_open(self) -> bool:
        return self.actual_end is None

    @property
    def days_late(self) -> int | None:
        """Days the actual end is past the planned end (None while open, 0 on time)."""
        if self.actual_end is None:
            return None
        return max(0, (self.actual_end - self.planned_end).days)


class Spending(Scoped, models.Model):
    """One payment or commitment charged to the project's budget."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="spendings"
    )
    spent_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    item = models.CharField(_("what for"), max_length=120)
    payee = models.CharField(_("paid to"), max_length=100, blank=True)
    recorded_by = person_link(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("spending entry")
        verbose_name_plural = _("spending entries")
        ordering = ["project", "spent_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="spending_amount_positive")
        ]

    def __str__(self):
        return f"{self.item} {self.amount}"

    scope_parent = "project"


class BudgetApproval(Scoped, models.Model):
    """A recorded approval to spend beyond the budget: by how much, why, and on whose
    authority (e.g. the joint meeting or the town's decision it cites)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="approvals"
    )
    amount = models.DecimalField(_("extra amount (yuan)"), max_digits=10, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=REASON_MAX)
    authority = models.CharField(_("approved by (meeting or document)"), max_length=120)
    approved_on = models.DateField(_("approved on"))
    recorded_by = person_link(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("budget approval")
        verbose_name_plural = _("budget approvals")
        ordering = ["project", "approved_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="approval_amount_positive")
        ]

    def __str__(self):
        return f"+{self.amount}"

    scope_parent = "project"


class Phase(models.TextChoices):
    BEFORE = "before", pgettext_lazy("photo phase", "Before")
    DURING = "during", pgettext_lazy("photo phase", "During")
    AFTER = "after", pgettext_lazy("photo phase", "After")


def _photo_path(instance, filename):
    return f"projects/{instance.project_id}/{instance.phase}/{filename}"


class ProjectPhoto(Scoped, models.Model):
    """A ledger photo of the site before, during or after construction: time, place,
    content, people and photographer (DOMAIN.md "Ledgers"). Re-encoded on upload, so
    no location metadata is kept."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="photos"
    )
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices)
    image = models.ImageField(_("photo"), upload_to=_photo_path)
    content = models.CharField(_("what it shows"), max_length=200)
    taken_at = models.DateTimeField(_("taken at"))
    place = models.CharField(_("place"), max_length=120)
    people = models.CharField(_("people in it"), max_length=200, blank=True)
    photographer = models.CharField(_("photographer"), max_length=40)
    uploaded_by = person_link(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("project photo")
        verbose_name_plural = _("project photos")
        ordering = ["project", "phase", "taken_at", "pk"]

    def __str__(self):
        return self.content

    scope_parent = "project"


class StatusChange(models.Model):
    """The public timeline of a project's status."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="history"
    )
    from_status = models.CharField(
        pgettext_lazy("status change", "from"), max_length=14, choices=ProjectStatus.choices
    )
    to_status = models.CharField(
        pgettext_lazy("status change", "to"), max_length=14, choices=ProjectStatus.choices
    )
    reason = models.CharField(_("reason"), max_length=REASON_MAX, blank=True)
    on = models.DateField(_("date"))
    actor = person_link(_("by"), null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["project", "at", "pk"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"
