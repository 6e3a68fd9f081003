"""The progress board: every process's current step, days in step, due date and
what its open step still lacks, for the secretariat and area staff.

What a step lacks is the evidence rule itself (``evidence.missing_for_runs``), which
checks all the board's runs at once with a fixed number of grouped queries whatever
the number of rows.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .evidence import missing_for_runs
from .models import PlanningProcess, ProcessStatus, StepRun

# --- The board's rows ----------------------------------------------------------------


def board_queryset(town, user):
    """The town's processes a user may watch (area staff: their areas), each with its
    open run and that run's due date (for the overdue filter)."""
    from gongzhi.core.scope import within_scope

    open_run = StepRun.objects.filter(process=OuterRef("pk"), closed_at__isnull=True)
    processes = (
        PlanningProcess.objects.filter(town=town)
        .select_related("area", "team", "template")
        .annotate(
            open_run_id=Subquery(open_run.values("pk")[:1]),
            due_on=Subquery(open_run.values("due_on")[:1]),
        )
    )
    return within_scope(processes, user, town)


def overdue(queryset, today: date | None = None):
    return queryset.filter(due_on__lt=today or timezone.localdate())


# --- A plan's state: one reading for the plan page, the board and the list -----------


@dataclass(frozen=True)
class PlanState:
    """Where a plan stands: its status, the step open now (none once the plan is final
    or abandoned), how long that step has been open, when it is due and whether it is
    overdue. The plan page, the progress board and the plan list all show this, so
    they never disagree."""

    status: str
    status_label: str
    step_order: int | None = None
    step_title: str = ""
    days_in_step: int | None = None
    due_on: date | None = None
    is_overdue: bool = False

    @property
    def is_active(self) -> bool:
        return self.status == ProcessStatus.ACTIVE


def plan_state(process: PlanningProcess, open_run: StepRun | None, today=None) -> PlanState:
    """The state of ``process`` from its open run (with its ``step``; None when no step
    is open). A step counts only while the plan is active: a completed or abandoned
    plan has no current step, nothing due and nothing overdue."""
    today = today or timezone.localdate()
    status = process.status
    label = process.get_status_display()
    if status != ProcessStatus.ACTIVE or open_run is None:
        return PlanState(status=status, status_label=label)
    return PlanState(
        status=status,
        status_label=label,
        step_order=open_run.step.order,
        step_title=open_run.step.display_title,
        days_in_step=(today - timezone.localdate(open_run.opened_at)).days,
        due_on=open_run.due_on,
        is_overdue=open_run.due_on < today,
    )


def open_runs_of(processes) -> dict[int, StepRun]:
    """{process pk: its open run, with the step}, in one query."""
    return {
        run.process_id: run
        for run in StepRun.objects.open()
        .filter(process_id__in=[p.pk for p in processes])
        .select_related("step")
    }


@dataclass
class BoardRow:
    process: PlanningProcess
    state: PlanState
    missing: list[str] = field(default_factory=list)

    @property
    def days_in_step(self) -> int | None:
        return self.state.days_in_step

    @property
    def due_on(self) -> date | None:
        return self.state.due_on

    @property
    def is_overdue(self) -> bool:
        return self.state.is_overdue


def board_rows(processes, now=None) -> list[BoardRow]:
    """One row per process (annotated by ``board_queryset``), with what its open step
    lacks: two queries for the runs plus the fixed set of ``missing_for_runs``."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    processes = list(processes)
    runs = list(
        StepRun.objects.filter(
            pk__in=[p.open_run_id for p in processes if p.open_run_id]
        ).select_related("step")
    )
    missing = missing_for_runs(runs, now)
    by_run = {run.pk: run for run in runs}
    rows = []
    for process in processes:
        run = by_run.get(process.open_run_id)
        rows.append(
            BoardRow(
                process=process,
                state=plan_state(process, run, today),
                missing=missing.get(run.pk, []) if run else [],
            )
        )
    return rows
