"""The planning figure, counted from records: which processes count for a period and
where each stands. Labels, rules in words and links are the reports'
(reports/figures.py)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef

from gongzhi.core.counting import Span, in_area

from .models import (
    PlanningProcess,
    ProcessStatus,
    RunOutcome,
    StepRun,
    current_step_name,
    with_current_step,
)

# Completed and abandoned processes come after the active ones (by step).
_STAGE_ORDER = {ProcessStatus.COMPLETED: 1, ProcessStatus.ABANDONED: 2}


@dataclass
class Stage:
    """Processes at one stage: active ones at step ``order`` (named ``step_name``),
    or all the completed or all the abandoned ones (``order`` None)."""

    status: str
    order: int | None
    step_name: str
    n: int


def counted(town, period: Span, area=None):
    """Public processes (not drafts) started on or before the period's last day and
    neither abandoned (a step run closed as abandoned) nor completed before its
    first day."""
    first = period.first_moment
    abandoned_before = StepRun.objects.filter(
        process=OuterRef("pk"), outcome=RunOutcome.ABANDONED, closed_at__lt=first
    )
    return (
        PlanningProcess.objects.public()
        .filter(town=town, starts_on__lte=period.end, **in_area(area))
        .exclude(Exists(abandoned_before))
        .exclude(completed_at__lt=first)
    )


def by_stage(town, period: Span, area=None) -> list[Stage]:
    """The ``counted`` processes by stage: active ones by their current step, then
    completed, then abandoned. Two templates may name the same step differently: the
    stage takes the first name found. One query."""
    rows = (
        with_current_step(counted(town, period, area).order_by())
        .values("status", "current_order", "step_kind", "step_title_zh", "step_title_en")
        .annotate(n=Count("pk"))
    )
    stages: dict = {}
    for row in sorted(rows, key=lambda r: (r["status"], r["current_order"])):
        active = row["status"] == ProcessStatus.ACTIVE
        key = (row["status"], row["current_order"] if active else None)
        if key in stages:
            stages[key].n += row["n"]
        else:
            name = current_step_name(row) if active else ""
            stages[key] = Stage(*key, step_name=name, n=row["n"])
    return sorted(
        stages.values(),
        key=lambda s: (_STAGE_ORDER.get(s.status, 0), s.order or 0),
    )
