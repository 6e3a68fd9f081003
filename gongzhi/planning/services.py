"""Writes on the planning loop: templates, starting processes (one or a batch), and
the transitions of a process — advance, return, abandon. Evidence is gathered by the
services in ``evidence_services.py``; whether a step may close is ``evidence.py``.

Every transition locks the process row, closes the open run with its outcome, opens
the next run (a new revision when the loop comes back to a step), is audited, and
tells the process's followers once the transaction commits.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongzhi.core.access import require_perm
from gongzhi.core.errors import DomainError, checked_text
from gongzhi.core.services import claim_submission, notify, record_event

from . import evidence
from .kinds import spec
from .models import (
    REASON_MAX,
    BatchLaunch,
    Follower,
    PlanningProcess,
    ProcessStatus,
    RunOutcome,
    StepKind,
    StepRun,
    TemplateStep,
    WorkflowTemplate,
)

# The default template (DOMAIN.md's table): (kind, min_count, min_days, expected
# days), by order. The steps' names are not stored: they come from code
# (models.DEFAULT_STEP_NAMES), translated, unless a town renames a step.
DEFAULT_STEPS = [
    (StepKind.SURVEY, 30, 0, 30),
    (StepKind.INTERVIEWS, 5, 0, 21),
    (StepKind.DRAFTS, 2, 0, 30),
    (StepKind.PARTICIPATORY_DESIGN, 10, 0, 21),
    (StepKind.ADJUSTMENT, 0, 0, 14),
    (StepKind.JOINT_MEETING, 0, 0, 14),
    (StepKind.OPTIMISATION, 0, 0, 14),
    (StepKind.CONSULTATION, 0, 7, 14),
    (StepKind.REVISION, 0, 0, 14),
    (StepKind.JOINT_MEETING, 0, 0, 14),
    (StepKind.PUBLIC_NOTICE, 0, 7, 14),
]
DEFAULT_TEMPLATE_NAME = gettext_noop("Participatory community planning (11 steps)")
MAX_BATCH_AREAS = 1000


# --- Templates -----------------------------------------------------------------------


@transaction.atomic
def ensure_default_template() -> WorkflowTemplate:
    """The deployment's default eleven-step template, created once."""
    template = WorkflowTemplate.objects.filter(is_default=True).first()
    if template is not None:
        return template
    template = WorkflowTemplate.objects.create(name="参与式社区规划（十一步）", is_default=True)
    TemplateStep.objects.bulk_create(
        TemplateStep(
            template=template,
            order=order,
            kind=kind,
            min_count=min_count,
            min_days=min_days,
            expected_days=expected,
        )
        for order, (kind, min_count, min_days, expected) in enumerate(DEFAULT_STEPS, 1)
    )
    return template


@transaction.atomic
def copy_template(
    *,
    template: WorkflowTemplate,
    actor,
    name: str = "",
    town=None,
    submission_token: str | None = None,
) -> WorkflowTemplate:
    """A new version of ``template`` (same steps and rules) that the administrator may
    change; processes started from the original keep its rules."""
    require_perm(actor, "planning.templates")
    claim_submission(submission_token, user=actor)
    name = checked_text(name or template.name, label=_("The name"), limit=80)
    latest = WorkflowTemplate.objects.filter(name=name).aggregate(v=Max("version"))["v"] or 0
    copy = WorkflowTemplate.objects.create(
        name=name,
        version=latest + 1,
        based_on=template,
        town=town if town is not None else template.town,
        created_by=actor,
    )
    TemplateStep.objects.bulk_create(
        TemplateStep(
            template=copy,
            order=step.order,
            kind=step.kind,
            title_zh=step.title_zh,
            title_en=step.title_en,
            min_count=step.min_count,
            min_days=step.min_days,
            working_days=step.working_days,
            expected_days=step.expected_days,
        )
        for step in template.steps.all()
    )
    record_event(
        actor=actor,
        verb="template.copy",
        target=copy,
        after={"from": template.pk, "name": name, "version": copy.version},
    )
    return copy


@transaction.atomic
def change_step_rule(*, step: TemplateStep, actor, **rules) -> TemplateStep:
    """Change a step's names (title_zh, title_en; blank: the standard name) or
    evidence rule (min_count, min_days, working_days, expected_days) on a template no
    process has used yet."""
    require_perm(actor, "planning.templates")
    step = TemplateStep.objects.select_for_update().select_related("template").get(pk=step.pk)
    if step.template.in_use:
        raise DomainError(
            _("Processes have started from this template; copy it to change its rules.")
        )
    allowed = {"title_zh", "title_en", "min_count", "min_days", "working_days", "expected_days"}
    unknown = set(rules) - allowed
    if unknown:
        raise DomainError(_("Unknown rule: %(rules)s") % {"rules": ", ".join(sorted(unknown))})
    before = {key: getattr(step, key) for key in rules}
    for key, value in rules.items():
        setattr(step, key, value)
    if (
        not 1 <= step.expected_days <= 365
        or not 0 <= step.min_days <= 365
        or not 0 <= step.min_count <= 100_000
    ):
        raise DomainError(_("Keep the rules within sensible bounds (days up to 365)."))
    # Only the public notice has a floor today (kinds.py), hence the wording.
    if step.min_days < spec(step.kind).min_days_floor:
        raise DomainError(_("A public notice lasts at least one day."))
    step.title_zh = checked_text(step.title_zh, label=_("The title"), limit=60, required=False)
    step.title_en = checked_text(step.title_en, label=_("The title"), limit=60, required=False)
    # A "rename" to the standard name is none: the step keeps following the code.
    for field, language in (("title_zh", "zh-hans"), ("title_en", "en")):
        with translation.override(language):
            if getattr(step, field) == step.standard_title:
                setattr(step, field, "")
    step.save()
    record_event(
        actor=actor,
        verb="template.rule",
        target=step.template,
        before={"step": step.order, **before},
        after={"step": step.order, **rules},
    )
    return step


# --- Starting processes --------------------------------------------------------------


def _open_run(process: PlanningProcess, order: int, now, note: str = "") -> StepRun:
    step = process.template.steps.get(order=order)
    revision = process.runs.filter(step=step).count() + 1
    return StepRun.objects.create(
        process=process,
        step=step,
        revision=revision,
        opened_at=now,
        due_on=timezone.localdate(now) + timedelta(days=step.expected_days),
        note=note,
    )


def _check_start(town, area, template, team, lead_partner, sites) -> None:
    if area.town_id != town.pk:
        raise DomainError(_("Choose a residential area of this town."))
    if template.town_id not in (None, town.pk):
        raise DomainError(_("Choose a template of this town."))
    if team is not None and team.town_id != town.pk:
        raise DomainError(_("Choose a team of this town."))
    if lead_partner is not None and lead_partner.town_id != town.pk:
        raise DomainError(_("Choose a partner of this town."))
    if any(site.area_id != area.pk for site in sites):
        raise DomainError(_("Every site must be in the process's residential area."))


def has_active_process(area) -> bool:
    """One loop at a time in an area (the constraint one_active_process_per_area)."""
    return PlanningProcess.objects.filter(area=area, status=ProcessStatus.ACTIVE).exists()


@transaction.atomic
def start_process(
    *,
    town,
    area,
    actor,
    title: str,
    template=None,
    team=None,
    lead_partner=None,
    sites=(),
    starts_on=None,
    batch=None,
) -> PlanningProcess:
    """Start the loop in one residential area: the process opens its first step."""
    require_perm(actor, "planning.start", town)
    template = template or ensure_default_template()
    sites = list(sites)
    _check_start(town, area, template, team, lead_partner, sites)
    if not template.steps.exists():
        raise DomainError(_("This template has no steps."))
    busy = _("%(area)s already has an active planning process; finish or abandon it first.") % {
        "area": area.name
    }
    if has_active_process(area):
        raise DomainError(busy)
    now = timezone.now()
    try:
        with transaction.atomic():
            process = PlanningProcess.objects.create(
                town=town,
                area=area,
                title=checked_text(title, label=_("The title"), limit=100),
                template=template,
                team=team,
                lead_partner=lead_partner,
                starts_on=starts_on or timezone.localdate(now),
                batch=batch,
                created_by=actor,
                status=ProcessStatus.ACTIVE,
                current_order=template.steps.order_by("order").values_list("order", flat=True)[0],
            )
    except IntegrityError:  # a concurrent start in the same area won the race
        raise DomainError(busy) from None
    if sites:
        process.sites.set(sites)
    _open_run(process, process.current_order, now)
    record_event(
        actor=actor,
        verb="planning.start",
        target=process,
        after={
            "template": template.pk,
            "title": process.title,
            "batch": getattr(batch, "pk", None),
        },
    )
    return process


@transaction.atomic
def launch_batch(
    *, town, actor, title: str, assignments, template=None, submission_token: str | None = None
) -> BatchLaunch:
    """One action of the secretariat: the same template in many residential areas,
    with a team per area (``assignments``: (area, team or None) pairs). All or none:
    one bad area means no process starts."""
    require_perm(actor, "planning.start", town)
    claim_submission(submission_token, user=actor)
    assignments = list(assignments)
    if not assignments:
        raise DomainError(_("Choose at least one residential area."))
    if len(assignments) > MAX_BATCH_AREAS:
        raise DomainError(_("Launch at most %(n)d areas at once.") % {"n": MAX_BATCH_AREAS})
    areas = [area.pk for area, _team in assignments]
    if len(set(areas)) != len(areas):
        raise DomainError(_("Each residential area can be chosen once."))
    busy = set(
        PlanningProcess.objects.filter(area_id__in=areas, status=ProcessStatus.ACTIVE).values_list(
            "area__name", flat=True
        )
    )
    if busy:
        raise DomainError(
            _("These areas already have an active process: %(areas)s")
            % {"areas": "、".join(sorted(busy))}
        )
    template = template or ensure_default_template()
    batch = BatchLaunch.objects.create(
        town=town,
        template=template,
        title=checked_text(title, label=_("The title"), limit=100),
        launched_by=actor,
    )
    for area, team in assignments:
        start_process(
            town=town,
            area=area,
            actor=actor,
            title=f"{area.name}·{batch.title}",
            template=template,
            team=team,
            batch=batch,
        )
    record_event(
        actor=actor,
        verb="planning.batch",
        target=batch,
        after={"template": template.pk, "areas": len(assignments)},
    )
    return batch


# --- Transitions ---------------------------------------------------------------------


def _lock(process: PlanningProcess) -> PlanningProcess:
    return (
        PlanningProcess.objects.select_for_update()
        .select_related("town", "area", "template")
        .get(pk=process.pk)
    )


def open_run(process: PlanningProcess) -> StepRun | None:
    return process.runs.open().select_related("step").first()


def _active(process: PlanningProcess) -> StepRun:
    if process.status != ProcessStatus.ACTIVE:
        raise DomainError(
            _("This process is %(status)s; its steps no longer change.")
            % {"status": process.get_status_display()}
        )
    run = open_run(process)
    if run is None:  # pragma: no cover - an active process always has an open run
        raise DomainError(_("This process has no open step."))
    return run


def _tell_followers(process: PlanningProcess, kind: str, params: dict | None = None) -> None:
    """Tell the process's followers (a notification of ``kind`` with the plan's title
    and ``params``)."""
    url = process.get_absolute_url()
    params = {"title": process.title, **(params or {})}
    for follower in Follower.objects.filter(process=process).select_related("user"):
        notify(user=follower.user, kind=kind, params=params, url=url)


def missing_evidence(process: PlanningProcess, now=None) -> list[str]:
    """What the open step still lacks (empty when it may close)."""
    run = open_run(process)
    return evidence.missing(run, now) if run else []


@transaction.atomic
def advance_step(*, process: PlanningProcess, actor, now=None) -> PlanningProcess:
    """Close the open step if its evidence exists and open the next one (or complete
    the process after the last). Refused with the list of what is missing."""
    require_perm(actor, "planning.advance", process)
    process = _lock(process)
    run = _active(process)
    now = now or timezone.now()
    missing = evidence.missing(run, now)
    if missing:
        raise DomainError(
            _("Step %(order)d “%(title)s” cannot close yet. Missing: %(missing)s")
            % {
                "order": run.step.order,
                "title": run.step.display_title,
                "missing": " ".join(missing),
            }
        )
    run.closed_at = now
    run.outcome = RunOutcome.COMPLETED
    run.save(update_fields=["closed_at", "outcome"])
    following = process.template.steps.filter(order__gt=run.step.order).order_by("order").first()
    if following is None:
        process.status = ProcessStatus.COMPLETED
        process.completed_at = now
        process.save(update_fields=["status", "completed_at", "updated_at"])
        kind, params = "planning.final", {}
    else:
        process.current_order = following.order
        process.save(update_fields=["current_order", "updated_at"])
        _open_run(process, following.order, now)
        # The step's name is written out in each follower's language when read.
        kind = "planning.moved"
        params = {
            "order": following.order,
            "kind": following.kind,
            "title_zh": following.title_zh,
            "title_en": following.title_en,
        }
    record_event(
        actor=actor,
        verb="planning.advance",
        target=process,
        before={"step": run.step.order, "revision": run.revision},
        after={"step": process.current_order, "status": process.status},
    )
    _tell_followers(process, kind, params)
    return process


@transaction.atomic
def return_to_step(
    *, process: PlanningProcess, actor, to_order: int, reason: str, meeting_link=None, now=None
) -> PlanningProcess:
    """Send the plan back to an earlier step (from a joint meeting's decision, or by
    the secretariat with a reason). The open run closes as "sent back" and the
    earlier step opens again as a new revision; no evidence is deleted."""
    # A joint meeting's decision is the area's to record; otherwise the secretariat's.
    require_perm(
        actor,
        "planning.return_by_meeting" if meeting_link else "planning.return_by_secretariat",
        process,
    )
    process = _lock(process)
    run = _active(process)
    reason = checked_text(reason, label=_("The reason"), limit=REASON_MAX)
    if not 1 <= to_order < run.step.order:
        raise DomainError(
            _("A plan can only go back to an earlier step (1 to %(last)d).")
            % {"last": run.step.order - 1}
        )
    if not process.template.steps.filter(order=to_order).exists():
        raise DomainError(_("This template has no step %(n)d.") % {"n": to_order})
    now = now or timezone.now()
    run.closed_at = now
    run.outcome = RunOutcome.RETURNED
    run.note = reason
    run.save(update_fields=["closed_at", "outcome", "note"])
    process.current_order = to_order
    process.save(update_fields=["current_order", "updated_at"])
    opened = _open_run(process, to_order, now, note=reason)
    record_event(
        actor=actor,
        verb="planning.return",
        target=process,
        before={"step": run.step.order, "revision": run.revision},
        after={
            "step": to_order,
            "revision": opened.revision,
            "reason": reason,
            "meeting": getattr(meeting_link, "meeting_id", None),
        },
    )
    _tell_followers(process, "planning.returned", {"order": to_order, "reason": reason})
    return process


@transaction.atomic
def abandon(*, process: PlanningProcess, actor, reason: str, now=None) -> PlanningProcess:
    require_perm(actor, "planning.abandon", process)
    process = _lock(process)
    run = _active(process)
    reason = checked_text(reason, label=_("The reason"), limit=REASON_MAX)
    now = now or timezone.now()
    run.closed_at = now
    run.outcome = RunOutcome.ABANDONED
    run.note = reason
    run.save(update_fields=["closed_at", "outcome", "note"])
    process.status = ProcessStatus.ABANDONED
    process.abandoned_reason = reason
    process.save(update_fields=["status", "abandoned_reason", "updated_at"])
    record_event(actor=actor, verb="planning.abandon", target=process, after={"reason": reason})
    _tell_followers(process, "planning.abandoned", {"reason": reason})
    return process


# --- Followers and proposals ---------------------------------------------------------


@transaction.atomic
def follow(*, process: PlanningProcess, user) -> bool:
    """Follow a process; returns False when already following."""
    require_perm(user, "planning.take_part", process)
    # Queue behind a take-in (which locks the process, then adds followers): the new
    # row's foreign key is checked at commit, waiting for the take-in's lock while the
    # take-in waits for this row — a deadlock (test_concurrency.py). NO KEY: other
    # rows that refer to the process need not wait.
    PlanningProcess.objects.select_for_update(no_key=True).filter(pk=process.pk).first()
    _follower, created = Follower.objects.get_or_create(process=process, user=user)
    return created


@transaction.atomic
def take_in_proposal(*, process: PlanningProcess, proposal, actor) -> None:
    """An adopted proposal of the same area becomes part of the plan (link kept both
    ways); its author and current supporters follow the process."""
    require_perm(actor, "planning.advance", process)
    from gongzhi.proposals.models import ProposalStatus
    from gongzhi.proposals.services import current_supporters

    process = _lock(process)
    if proposal.town_id != process.town_id or proposal.area_id != process.area_id:
        raise DomainError(_("Take in a proposal of the process's residential area."))
    if proposal.status != ProposalStatus.ADOPTED:
        raise DomainError(_("Only an adopted proposal can be taken into a plan."))
    if process.proposals.filter(pk=proposal.pk).exists():
        raise DomainError(_("This proposal is already part of the plan."))
    process.proposals.add(proposal)
    people = {proposal.author_id, *current_supporters(proposal).values_list("pk", flat=True)}
    existing = set(Follower.objects.filter(process=process).values_list("user_id", flat=True))
    Follower.objects.bulk_create(
        (Follower(process=process, user_id=user_id) for user_id in people - existing),
        ignore_conflicts=True,  # follow() may add one of them at the same moment
    )
    record_event(
        actor=actor, verb="planning.proposal", target=process, after={"proposal": proposal.pk}
    )
    _tell_followers(process, "planning.proposal_taken_in", {"proposal": proposal.title})
