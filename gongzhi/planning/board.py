"""The progress board: every process's current step, days in step, due date and
what its open step still lacks, for the secretariat and area staff.

``evidence.missing`` checks one run with a handful of queries; a board page of 25
rows would multiply them. ``missing_for_runs`` answers the same question for many
runs at once, with a fixed number of grouped queries whatever the number of rows
(one or two per kind of evidence), and words each gap exactly as ``evidence.py``
does. tests/test_board.py checks the two agree on every kind of step.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy

from .evidence import CO_DESIGN_KINDS, approval_missing, meeting_missing
from .models import (
    ActivityLink,
    Consultation,
    ConsultationComment,
    DesignDraft,
    DotVote,
    DraftComment,
    Interview,
    MeetingLink,
    Need,
    PlanningProcess,
    ProcessStatus,
    PublicNotice,
    StepKind,
    StepPhoto,
    StepRun,
    SurveyLink,
)


def _counts(queryset, key="run_id", **annotations) -> dict:
    """{key: {annotation: value}} from one grouped query."""
    rows = queryset.values(key).annotate(**annotations).order_by()
    return {row[key]: row for row in rows}


def _at_least(runs, counts, *, floor, words) -> dict:
    """{run id: missing} for steps that need at least their minimum count (and never
    fewer than `floor`) of something counted per run in `counts` (see ``_counts``, with
    ``n``): `words`, an ``ngettext_lazy`` keyed on "need", when short, else nothing."""
    result = {}
    for run in runs:
        have = counts.get(run.pk, {}).get("n", 0)
        need = max(run.step.min_count, floor)
        result[run.pk] = [words % {"need": need, "have": have}] if have < need else []
    return result


def _present(queryset, key="run_id") -> set:
    return set(queryset.values_list(key, flat=True).distinct())


def _new_version(run_id, with_note) -> list[str]:
    if run_id not in with_note:
        return [_("A new version of the design with a note of what changed.")]
    return []


def missing_for_runs(runs: list[StepRun], now=None) -> dict[int, list[str]]:
    """{run pk: what it still lacks} for ``runs`` (their ``step`` selected), in a
    number of queries that does not grow with the number of runs."""
    now = now or timezone.now()
    by_kind: dict[str, list[StepRun]] = defaultdict(list)
    for run in runs:
        by_kind[run.step.kind].append(run)
    result: dict[int, list[str]] = {}
    by_pk = {run.pk: run for run in runs}

    def ids(*kinds):
        return [run.pk for kind in kinds for run in by_kind.get(kind, [])]

    # Survey: linked questionnaires with their responses, site photos, needs list.
    survey_runs = ids(StepKind.SURVEY)
    if survey_runs:
        links = _counts(
            SurveyLink.objects.filter(run_id__in=survey_runs),
            links=Count("pk", distinct=True),
            responses=Count("survey__responses", distinct=True),
        )
        photos = _present(
            StepPhoto.objects.filter(run_id__in=survey_runs, purpose=StepPhoto.Purpose.SITE)
        )
        needs = _present(Need.objects.filter(run_id__in=survey_runs))
        for run in by_kind[StepKind.SURVEY]:
            missing = []
            found = links.get(run.pk)
            if not found:
                missing.append(_("Link the questionnaire of the community survey."))
            elif found["responses"] < run.step.min_count:
                missing.append(
                    ngettext(
                        "At least %(need)d response to the questionnaire (%(have)d so far).",
                        "At least %(need)d responses to the questionnaire (%(have)d so far).",
                        run.step.min_count,
                    )
                    % {"need": run.step.min_count, "have": found["responses"]}
                )
            if run.pk not in photos:
                missing.append(_("At least one photo of the sites surveyed."))
            if run.pk not in needs:
                missing.append(_("The needs list written from the survey."))
            result[run.pk] = missing

    interview_runs = ids(StepKind.INTERVIEWS)
    if interview_runs:
        counts = _counts(Interview.objects.filter(run_id__in=interview_runs), n=Count("pk"))
        result.update(
            _at_least(
                by_kind[StepKind.INTERVIEWS],
                counts,
                floor=1,
                words=ngettext_lazy(
                    "At least %(need)d interview record with consent (%(have)d so far).",
                    "At least %(need)d interview records with consent (%(have)d so far).",
                    "need",
                ),
            )
        )

    draft_runs = ids(StepKind.DRAFTS)
    if draft_runs:
        counts = _counts(
            DesignDraft.objects.filter(run_id__in=draft_runs), n=Count("digest", distinct=True)
        )
        result.update(
            _at_least(
                by_kind[StepKind.DRAFTS],
                counts,
                floor=2,
                words=ngettext_lazy(
                    "At least %(need)d distinct design draft (%(have)d so far).",
                    "At least %(need)d distinct design drafts (%(have)d so far).",
                    "need",
                ),
            )
        )

    design_runs = ids(StepKind.PARTICIPATORY_DESIGN)
    if design_runs:
        linked = _present(ActivityLink.objects.filter(run_id__in=design_runs))
        sessions_qs = ActivityLink.objects.filter(
            run_id__in=design_runs, activity__kind__in=CO_DESIGN_KINDS
        ).exclude(activity__status="cancelled")
        sessions = _present(sessions_qs)
        held = _present(
            sessions_qs.filter(activity__ends_at__lte=now)
            .annotate(attended=Count("activity__attendances"))
            .filter(attended__gt=0)
        )
        comments = _counts(DraftComment.objects.filter(run_id__in=design_runs), n=Count("pk"))
        votes = _counts(DotVote.objects.filter(run_id__in=design_runs), n=Count("pk"))
        for run in by_kind[StepKind.PARTICIPATORY_DESIGN]:
            missing = []
            if run.pk not in linked:
                missing.append(_("Link the co-design workshop or World Café held for this step."))
            elif run.pk not in sessions:
                missing.append(
                    _("The linked activity must be a co-design workshop or a World Café.")
                )
            elif run.pk not in held:
                missing.append(
                    _("The linked co-design session must have been held, with its sign-in.")
                )
            inputs = comments.get(run.pk, {}).get("n", 0) + votes.get(run.pk, {}).get("n", 0)
            need = max(run.step.min_count, 1)
            if inputs < need:
                missing.append(
                    ngettext(
                        "At least %(need)d resident input on the drafts: comments or dot votes "
                        "(%(have)d so far).",
                        "At least %(need)d resident inputs on the drafts: comments or dot votes "
                        "(%(have)d so far).",
                        need,
                    )
                    % {"need": need, "have": inputs}
                )
            result[run.pk] = missing

    version_runs = ids(StepKind.ADJUSTMENT, StepKind.OPTIMISATION, StepKind.REVISION)
    if version_runs:
        noted = DesignDraft.objects.filter(run_id__in=version_runs).exclude(change_note="")
        with_note = _present(noted)
        for run in by_kind.get(StepKind.OPTIMISATION, []):
            result[run.pk] = _new_version(run.pk, with_note)
        if by_kind.get(StepKind.ADJUSTMENT):
            adjustment = by_kind[StepKind.ADJUSTMENT]
            # The latest participatory-design run of each process, as evidence.py
            # reads it: only its comments and dot votes count as answered.
            design = {}
            for run_id, process_id in (
                StepRun.objects.filter(
                    process_id__in={r.process_id for r in adjustment},
                    step__kind=StepKind.PARTICIPATORY_DESIGN,
                )
                .order_by("process_id", "-opened_at", "-pk")
                .values_list("pk", "process_id")
            ):
                design.setdefault(process_id, run_id)
            voted = _present(DotVote.objects.filter(run_id__in=design.values()))
            answers = set(
                noted.filter(run_id__in=ids(StepKind.ADJUSTMENT))
                .filter(Q(answers_votes=True) | Q(answers_comments__isnull=False))
                .values_list("run_id", "answers_votes", "answers_comments__run_id")
            )
            answering = {
                run_id
                for run_id, votes, comment_run in answers
                for run in [by_pk[run_id]]
                if comment_run == design.get(run.process_id)
                or (votes and design.get(run.process_id) in voted)
            }
            for run in adjustment:
                missing = _new_version(run.pk, with_note)
                if not missing and run.process_id in design and run.pk not in answering:
                    missing.append(
                        _(
                            "The new version must answer the residents' inputs of the "
                            "participatory design."
                        )
                    )
                result[run.pk] = missing
        if by_kind.get(StepKind.REVISION):
            revision = by_kind[StepKind.REVISION]
            # The latest consultation of each process (by opening), if it drew
            # comments; a version answers it with one of its comments.
            latest = Consultation.objects.filter(
                run__process_id=OuterRef("run__process_id")
            ).order_by("-opens_at", "-pk")
            commented = dict(
                Consultation.objects.filter(run__process_id__in={r.process_id for r in revision})
                .filter(pk=Subquery(latest.values("pk")[:1]))
                .filter(Exists(ConsultationComment.objects.filter(consultation=OuterRef("pk"))))
                .values_list("run__process_id", "pk")
            )
            answers = set(
                DesignDraft.objects.filter(
                    run_id__in=[r.pk for r in revision], answers_consultation__isnull=False
                ).values_list("run_id", "answers_consultation__consultation_id")
            )
            for run in revision:
                missing = _new_version(run.pk, with_note)
                if (
                    not missing
                    and run.process_id in commented
                    and (run.pk, commented[run.process_id]) not in answers
                ):
                    missing.append(_("The new version's change log must answer the consultation."))
                result[run.pk] = missing

    meeting_runs = ids(StepKind.JOINT_MEETING)
    if meeting_runs:
        # The last link of each run (by linking time), as evidence.py reads it.
        links = {}
        for link in (
            MeetingLink.objects.filter(run_id__in=meeting_runs)
            .select_related("meeting", "motion")
            .annotate(parties=Count("meeting__parties__party", distinct=True))
            .order_by("linked_at", "pk")
        ):
            links[link.run_id] = link
        for run in by_kind[StepKind.JOINT_MEETING]:
            link = links.get(run.pk)
            if link is None:
                result[run.pk] = [_("Link the joint meeting held for this step.")]
                continue
            result[run.pk] = meeting_missing(link, parties=link.parties) + approval_missing(link)

    consultation_runs = ids(StepKind.CONSULTATION)
    if consultation_runs:
        consultations = {
            c.run_id: c
            for c in Consultation.objects.filter(run_id__in=consultation_runs).annotate(
                unanswered=Count("comments", filter=Q(comments__reply=""))
            )
        }
        for run in by_kind[StepKind.CONSULTATION]:
            consultation = consultations.get(run.pk)
            if consultation is None:
                result[run.pk] = [_("Open the public consultation window on the current draft.")]
                continue
            missing = []
            if (consultation.closes_at - consultation.opens_at).days < run.step.min_days:
                missing.append(
                    _("The window must last at least %(days)d days.") % {"days": run.step.min_days}
                )
            if consultation.closes_at > now:
                missing.append(
                    _("The window is open until %(date)s.")
                    % {
                        "date": timezone.localtime(consultation.closes_at).strftime(
                            "%Y-%m-%d %H:%M"
                        )
                    }
                )
            if consultation.unanswered:
                missing.append(
                    ngettext(
                        "An official reply to %(n)d comment.",
                        "Official replies to %(n)d comments.",
                        consultation.unanswered,
                    )
                    % {"n": consultation.unanswered}
                )
            result[run.pk] = missing

    notice_runs = ids(StepKind.PUBLIC_NOTICE)
    if notice_runs:
        notices = {
            n.run_id: n
            for n in PublicNotice.objects.filter(run_id__in=notice_runs).annotate(
                unanswered=Count("objections", filter=Q(objections__reply=""))
            )
        }
        board_photos = _present(
            StepPhoto.objects.filter(run_id__in=notice_runs, purpose=StepPhoto.Purpose.NOTICE_BOARD)
        )
        today = timezone.localdate(now)
        for run in by_kind[StepKind.PUBLIC_NOTICE]:
            notice = notices.get(run.pk)
            if notice is None:
                result[run.pk] = [_("Post the public notice of the final plan.")]
                continue
            missing = []
            if notice.period_days < run.step.min_days:
                missing.append(
                    _("The notice period must be at least %(days)d days.")
                    % {"days": run.step.min_days}
                )
            if run.step.working_days and not notice.working_days:
                missing.append(_("The notice period must count working days."))
            if today <= notice.ends_on:
                missing.append(
                    _("The notice runs until %(date)s and cannot end early.")
                    % {"date": notice.ends_on.isoformat()}
                )
            if not notice.online:
                missing.append(_("The notice must be published online."))
            if not notice.on_board or run.pk not in board_photos:
                missing.append(_("A photo of the notice on the notice board."))
            if notice.unanswered:
                missing.append(
                    ngettext(
                        "An official reply to %(n)d objection.",
                        "Official replies to %(n)d objections.",
                        notice.unanswered,
                    )
                    % {"n": notice.unanswered}
                )
            if not notice.result.strip():
                missing.append(_("The result, published once the notice has ended."))
            result[run.pk] = missing
    return result


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
