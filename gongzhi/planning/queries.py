"""Reads across rows of planning, shared by the plan's page, the API and reports
(DESIGN.md: nobody writes the same query twice). ``with_current_step`` and
``current_step_name`` (models.py) name a process's current step in lists."""

from .models import ProcessStatus, TemplateStep


def step_state(process, step) -> str:
    """Where a step of the process's template stands: "done", "current" (the step
    open now in an active process) or "upcoming". A completed process has done them
    all; an abandoned one stopped at its current step."""
    if process.status == ProcessStatus.COMPLETED or step.order < process.current_order:
        return "done"
    if step.order == process.current_order and process.status == ProcessStatus.ACTIVE:
        return "current"
    return "upcoming"


def plan_timeline(process, runs, steps=None) -> list[dict]:
    """The plan's timeline: every step of its template in order, each with its runs
    (``runs``: the process's StepRuns, oldest first, as the caller loaded them) and
    its state. ``steps`` when the caller has them already (one query otherwise)."""
    if steps is None:
        steps = TemplateStep.objects.filter(template_id=process.template_id).order_by("order")
    by_step: dict[int, list] = {}
    for run in runs:
        by_step.setdefault(run.step_id, []).append(run)
    timeline = []
    for step in steps:
        state = step_state(process, step)
        timeline.append(
            {
                "step": step,
                "runs": by_step.get(step.pk, []),
                "state": state,
                "is_current": state == "current",
            }
        )
    return timeline
