"""What the paper desk lists: what residents can take part in now, and what was
recorded from paper lately."""

from django.db.models import Q
from django.utils import timezone

from gongzhi.events.models import Activity
from gongzhi.planning.evidence_services import consultation_is_open, notice_is_running
from gongzhi.planning.kinds import spec
from gongzhi.planning.models import (
    Consultation,
    DesignDraft,
    PlanningProcess,
    ProcessStatus,
    PublicNotice,
    StepRun,
)
from gongzhi.proposals.models import OPEN_STATUSES, Proposal
from gongzhi.surveys.models import Survey, SurveyStatus

from .kinds import KINDS

RECENT = 20
LISTED = 30


def _in_areas(queryset, area_ids):
    """Town-wide rows and those of the staff member's areas."""
    return queryset.filter(Q(area__isnull=True) | Q(area_id__in=area_ids))


def _open_run(process):
    return (
        StepRun.objects.filter(process=process, closed_at__isnull=True)
        .select_related("step")
        .first()
    )


def paper_window(process) -> dict | None:
    """The plan's open consultation or running notice, if any: what a paper form for
    it asks for (comments or objections), on which draft, until when."""
    run = _open_run(process)
    if run is None or process.status != ProcessStatus.ACTIVE:
        return None
    consultation = Consultation.objects.filter(run=run).select_related("draft").first()
    if consultation is not None and consultation_is_open(consultation):
        return {
            "kind": KINDS["comment"],
            "draft": consultation.draft,
            "until": consultation.closes_at,
        }
    notice = PublicNotice.objects.filter(run=run).select_related("draft").first()
    if notice is not None and notice_is_running(notice):
        return {"kind": KINDS["objection"], "draft": notice.draft, "until": notice.ends_on}
    return None


def plan_kinds(process) -> list:
    """The paper inputs a plan takes now (a dot while participatory design runs)."""
    window = paper_window(process)
    if window is not None:
        return [window["kind"]]
    run = _open_run(process)
    if (
        run is not None
        and process.status == ProcessStatus.ACTIVE
        and "dot" in spec(run.step.kind).resident_actions
        and process.drafts.exists()
    ):
        return [KINDS["dot"]]
    return []


def dot_drafts(process):
    return DesignDraft.objects.filter(process=process).order_by("version")


def open_for_paper(town, area_ids) -> dict:
    """What residents of the staff member's areas can take part in now, by kind."""
    now = timezone.now()
    plans = []
    processes = (
        PlanningProcess.objects.filter(town=town, status=ProcessStatus.ACTIVE)
        .filter(area_id__in=area_ids)
        .select_related("area")
        .order_by("-pk")[:LISTED]
    )
    for process in processes:
        kinds = plan_kinds(process)
        if kinds:
            plans.append({"process": process, "kinds": kinds, "window": paper_window(process)})
    return {
        "activities": list(
            _in_areas(Activity.objects.public().filter(town=town), area_ids)
            .filter(starts_at__gt=now)
            .select_related("area")
            .order_by("starts_at", "pk")[:LISTED]
        ),
        "proposals": list(
            _in_areas(Proposal.objects.filter(town=town, status__in=OPEN_STATUSES), area_ids)
            .select_related("area")
            .order_by("-pk")[:LISTED]
        ),
        "surveys": list(
            _in_areas(Survey.objects.filter(town=town, status=SurveyStatus.OPEN), area_ids)
            .select_related("area")
            .order_by("-pk")[:LISTED]
        ),
        "plans": plans,
    }


def recently_recorded(area_ids) -> list[dict]:
    """The latest paper forms recorded for residents of these areas, every kind."""
    rows = []
    for kind in KINDS.values():
        for row in (
            kind.row_model.objects.filter(
                paper_recorded_at__isnull=False, user__residential_area_id__in=area_ids
            )
            .select_related("user", "paper_recorded_by")
            .order_by("-paper_recorded_at")[:RECENT]
        ):
            rows.append({"kind": kind, "row": row})
    rows.sort(key=lambda entry: entry["row"].paper_recorded_at, reverse=True)
    return rows[:RECENT]
