"""What renewal adds to staff's 待办 (core/todo.py): milestones of projects still being
built whose planned end has passed with no actual end recorded (the project cannot
complete while one is open), and — for the town, which alone approves spending beyond
a budget — projects whose spending has reached what they may spend. Both are done on
the project's manage page."""

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gongzhi.core.templatetags.money import format_money
from gongzhi.core.todo import todo_section

from .models import FINISHED, Milestone, Project, ProjectStatus

BUILDING = [ProjectStatus.PLANNED, ProjectStatus.UNDER_CONSTRUCTION]


def overdue_milestones(todo):
    milestones = Milestone.objects.filter(
        actual_end__isnull=True,
        planned_end__lt=timezone.localdate(),
        project__status__in=BUILDING,
    )
    return (
        todo.narrow(milestones, through="project")
        .select_related("project__town", "project__area")
        .order_by("planned_end", "pk")
    )


@todo_section(
    "renewal.milestones", 60, gettext_lazy("Project milestones overdue"), overdue_milestones
)
def milestone_row(milestone):
    project = milestone.project
    late = (timezone.localdate() - milestone.planned_end).days
    return {
        "url": reverse("renewal:manage", args=[project.town.slug, project.pk]),
        "title": _("“%(milestone)s” of “%(project)s”")
        % {"milestone": milestone.title, "project": project.title},
        "detail": _("%(area)s · %(late)s")
        % {
            "area": project.area.name,
            "late": ngettext("%(n)s day overdue", "%(n)s days overdue", late) % {"n": late},
        },
    }


# --- Budgets used up ------------------------------------------------------------------


def budgets_used_up(todo):
    """Projects not finished whose spending has reached what they may spend (the
    budget plus the approvals beyond it): services.record_spending refuses any further
    payment until the town records an approval, which only the town may do."""
    projects = (
        Project.objects.exclude(status__in=FINISHED)
        .with_money()
        .filter(spent__gt=0, spent__gte=F("budget") + F("approved_extra"))
    )
    return todo.narrow(projects).select_related("town", "area").order_by("planned_end", "pk")


@todo_section(
    "renewal.budgets",
    61,
    gettext_lazy("Projects whose spending has reached the budget"),
    budgets_used_up,
    who="town",
)
def budget_row(p):
    return {
        "url": reverse("renewal:manage", args=[p.town.slug, p.pk]) + "#money",
        "title": _("“%(project)s” has spent its budget") % {"project": p.title},
        "detail": _("%(area)s · spent %(spent)s of %(allowed)s yuan")
        % {
            "area": p.area.name,
            "spent": format_money(p.spent),
            "allowed": format_money(p.budget + p.approved_extra),
        },
    }
