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
from gongzhi.core.todo import register_todo

from .models import FINISHED, Milestone, Project, ProjectStatus

BUILDING = [ProjectStatus.PLANNED, ProjectStatus.UNDER_CONSTRUCTION]


def overdue_milestones(todo):
    return todo.narrow(
        Milestone.objects.filter(
            actual_end__isnull=True,
            planned_end__lt=timezone.localdate(),
            project__status__in=BUILDING,
        ),
        town_field="project__town_id",
        area_field="project__area_id",
    )


def milestone_rows(todo, limit):
    milestones = (
        overdue_milestones(todo)
        .select_related("project__town", "project__area")
        .order_by("planned_end", "pk")
    )
    today = timezone.localdate()
    rows = []
    for milestone in milestones[:limit]:
        project = milestone.project
        late = (today - milestone.planned_end).days
        rows.append(
            {
                "url": reverse("renewal:manage", args=[project.town.slug, project.pk]),
                "title": _("“%(milestone)s” of “%(project)s”")
                % {"milestone": milestone.title, "project": project.title},
                "detail": _("%(area)s · %(late)s")
                % {
                    "area": project.area.name,
                    "late": ngettext("%(n)s day overdue", "%(n)s days overdue", late) % {"n": late},
                },
            }
        )
    return rows


register_todo(
    key="renewal.milestones",
    order=60,
    title=gettext_lazy("Project milestones overdue"),
    count=overdue_milestones,
    rows=milestone_rows,
)


# --- Budgets used up ------------------------------------------------------------------


def budgets_used_up(todo):
    """Projects not finished whose spending has reached what they may spend (the
    budget plus the approvals beyond it): services.record_spending refuses any further
    payment until the town records an approval, which only the town may do."""
    return todo.narrow(
        Project.objects.exclude(status__in=FINISHED)
        .with_money()
        .filter(spent__gt=0, spent__gte=F("budget") + F("approved_extra")),
    )


def budget_rows(todo, limit):
    projects = budgets_used_up(todo).select_related("town", "area").order_by("planned_end", "pk")
    return [
        {
            "url": reverse("renewal:manage", args=[p.town.slug, p.pk]) + "#money",
            "title": _("“%(project)s” has spent its budget") % {"project": p.title},
            "detail": _("%(area)s · spent %(spent)s of %(allowed)s yuan")
            % {
                "area": p.area.name,
                "spent": format_money(p.spent),
                "allowed": format_money(p.budget + p.approved_extra),
            },
        }
        for p in projects[:limit]
    ]


register_todo(
    key="renewal.budgets",
    order=61,
    title=gettext_lazy("Projects whose spending has reached the budget"),
    count=budgets_used_up,
    rows=budget_rows,
    who="town",
)
