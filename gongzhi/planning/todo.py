"""What planning adds to staff's 待办 (core/todo.py): consultation comments and
objections still waiting for an official reply, each with the days left in its
consultation or notice (the step cannot close while one is unanswered); notices
ending soon without their result; step-1 surveys that reached the step's target;
and plan steps overdue or due within a week, each with what its evidence still
lacks. The rows show the plan and a few words of the text, never the writer's name."""

from datetime import timedelta

from django.db.models import Count, F
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gongzhi.core.todo import register_todo, todo_section
from gongzhi.surveys.models import SurveyStatus

from .evidence import missing_for_runs
from .models import (
    ConsultationComment,
    Objection,
    ProcessStatus,
    PublicNotice,
    StepKind,
    StepRun,
    SurveyLink,
)

# A notice ending within this many days is "ending soon": time to prepare the result.
ENDING_SOON_DAYS = 3


def _days_left(closes_on) -> str:
    """How long until ``closes_on`` (a date): a consultation's or notice's last day."""
    days = (closes_on - timezone.localdate()).days
    if days < 0:
        return _("closed")
    if days == 0:
        return _("last day")
    return ngettext("%(n)s day left", "%(n)s days left", days) % {"n": days}


def _unreplied(todo, model, stage: str, closes: str):
    """Texts of ``model`` without an official reply in the viewer's scope, those whose
    ``stage`` (the consultation or the notice they answer) closes first at the top,
    with the stage and the plan's town and area that their rows read."""
    process = f"{stage}__run__process"
    return (
        todo.narrow(model.objects.filter(reply=""), through=process)
        .select_related(stage, f"{process}__town", f"{process}__area")
        .order_by(f"{stage}__{closes}", "created_at", "pk")
    )


def unreplied_comments(todo):
    return _unreplied(todo, ConsultationComment, "consultation", "closes_at")


@todo_section(
    "planning.comments",
    20,
    gettext_lazy("Consultation comments awaiting an official reply"),
    unreplied_comments,
)
def comment_row(comment):
    process = comment.consultation.run.process
    closes_on = timezone.localdate(comment.consultation.closes_at)
    return {
        "url": reverse("planning:consultation", args=[process.town.slug, process.pk]) + "#comments",
        "title": _("Comment on “%(plan)s”: %(text)s")
        % {"plan": process.title, "text": Truncator(comment.body).chars(40)},
        "detail": _("%(area)s · consultation: %(left)s")
        % {"area": process.area.name, "left": _days_left(closes_on)},
    }


def unreplied_objections(todo):
    return _unreplied(todo, Objection, "notice", "ends_on")


@todo_section(
    "planning.objections",
    21,
    gettext_lazy("Objections awaiting an official reply"),
    unreplied_objections,
)
def objection_row(objection):
    process = objection.notice.run.process
    return {
        "url": reverse("planning:notice", args=[process.town.slug, process.pk]) + "#objections",
        "title": _("Objection to “%(plan)s”: %(text)s")
        % {"plan": process.title, "text": Truncator(objection.body).chars(40)},
        "detail": _("%(area)s · notice: %(left)s")
        % {"area": process.area.name, "left": _days_left(objection.notice.ends_on)},
    }


def notices_ending_soon(todo):
    today = timezone.localdate()
    notices = PublicNotice.objects.filter(
        ends_on__gte=today, ends_on__lte=today + timedelta(days=ENDING_SOON_DAYS), result=""
    )
    return (
        todo.narrow(notices, through="run__process")
        .select_related("run__process__town", "run__process__area")
        .order_by("ends_on", "pk")
    )


@todo_section("planning.notices", 22, gettext_lazy("Notices ending soon"), notices_ending_soon)
def notice_row(notice):
    process = notice.run.process
    return {
        "url": reverse("planning:notice", args=[process.town.slug, process.pk]),
        "title": _("Notice of “%(plan)s”") % {"plan": process.title},
        "detail": _("%(area)s · notice: %(left)s")
        % {"area": process.area.name, "left": _days_left(notice.ends_on)},
    }


# --- Surveys that reached their target ---------------------------------------------

SURVEY_PROCESS = "run__process"


def surveys_at_target(todo):
    """Open questionnaires linked to an open survey step (step 1) of an active plan
    whose responses have reached the step's minimum (its ``min_count``, the target the
    evidence rule counts against): time to close the survey and write the needs list."""
    return todo.narrow(
        SurveyLink.objects.filter(
            run__closed_at__isnull=True,
            run__step__kind=StepKind.SURVEY,
            run__process__status=ProcessStatus.ACTIVE,
            survey__status=SurveyStatus.OPEN,
        )
        .annotate(responses=Count("survey__responses"))
        .filter(responses__gte=Greatest(F("run__step__min_count"), 1)),
        through=SURVEY_PROCESS,
    )


def surveys_shown(todo):
    return (
        surveys_at_target(todo)
        .select_related("survey", "run__step", f"{SURVEY_PROCESS}__town", f"{SURVEY_PROCESS}__area")
        .order_by("linked_at", "pk")
    )


@todo_section(
    "planning.surveys", 23, gettext_lazy("Surveys that reached their target"), surveys_shown
)
def survey_row(link):
    process = link.run.process
    return {
        "url": reverse("surveys:manage", args=[process.town.slug, link.survey_id]),
        "title": _("Close “%(survey)s”: %(responses)s responses, target %(target)s")
        % {
            "survey": link.survey.title,
            "responses": link.responses,
            "target": link.run.step.min_count,
        },
        "detail": _("%(area)s · plan “%(plan)s”")
        % {"area": process.area.name, "plan": process.title},
    }


# --- Plan steps overdue or due soon, with the evidence they lack ----------------------

# A step due within this many days is on the list with the overdue ones.
DUE_SOON_DAYS = 7


def steps_due(todo):
    """The open steps of active plans that are overdue or due within DUE_SOON_DAYS
    (the due date the progress board reads as overdue once passed)."""
    return todo.narrow(
        StepRun.objects.open().filter(
            process__status=ProcessStatus.ACTIVE,
            due_on__lte=timezone.localdate() + timedelta(days=DUE_SOON_DAYS),
        ),
        through="process",
    )


def _due(days: int) -> str:
    if days < 0:
        return ngettext("%(n)s day overdue", "%(n)s days overdue", -days) % {"n": -days}
    if days == 0:
        return _("due today")
    return ngettext("due in %(n)s day", "due in %(n)s days", days) % {"n": days}


def step_rows(todo, limit):
    runs = list(
        steps_due(todo)
        .select_related("step", "process__town", "process__area")
        .order_by("due_on", "pk")[:limit]
    )
    # What each step still lacks, by the evidence rule itself (in a fixed number of
    # queries for all rows).
    missing = missing_for_runs(runs)
    today = timezone.localdate()
    rows = []
    for run in runs:
        process = run.process
        args = [process.town.slug, process.pk]
        lacking = missing.get(run.pk, [])
        if lacking:
            url = reverse("planning:step", args=args)
            todo_text = _("Missing: %(items)s") % {"items": _("; ").join(str(m) for m in lacking)}
        else:
            url = reverse("planning:process", args=args) + "#work"
            todo_text = _("Evidence complete: close the step")
        rows.append(
            {
                "url": url,
                "title": _("“%(plan)s”, step %(order)s: %(step)s")
                % {"plan": process.title, "order": run.step.order, "step": run.step.display_title},
                "detail": _("%(area)s · %(due)s · %(todo)s")
                % {
                    "area": process.area.name,
                    "due": _due((run.due_on - today).days),
                    "todo": todo_text,
                },
            }
        )
    return rows


register_todo(
    key="planning.steps",
    order=24,
    title=gettext_lazy("Plan steps overdue or due within a week"),
    count=steps_due,
    rows=step_rows,
)
