"""Writes on micro-renewal projects: creating one from its origin, milestones,
spending and approvals, photos, and the status transitions up to the published
result and the satisfaction survey.

Every service checks the actor's permission (rules.py) and the project's state,
locks the project row for changes that depend on its totals or status, writes the
audit event in the same transaction, and tells people only once it commits.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.access import require_perm
from gongzhi.core.errors import DomainError, checked_text
from gongzhi.core.images import clean_photo
from gongzhi.core.services import claim_submission, notify_all, record_event
from gongzhi.core.validators import EARLIEST_DATE as EARLIEST_DATE
from gongzhi.core.validators import HAPPENED, PLANNED

from . import participants as participation
from .models import (
    MAX_MILESTONES,
    MAX_PHOTOS_PER_PHASE,
    MONEY_MAX,
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    TRANSITIONS,
    BudgetApproval,
    FundingSource,
    Milestone,
    Phase,
    Project,
    ProjectKind,
    ProjectPhoto,
    ProjectStatus,
    Spending,
    StatusChange,
)

# The satisfaction survey's questions, stored in Chinese (the programme's words, as
# residents read them); see satisfaction.py for how they are summarised.
GAIN_QUESTION = "这个项目让您有获得感吗？（1 = 没有，5 = 很强）"
SATISFACTION_QUESTION = "您对这个项目的满意度如何？（1 = 很不满意，5 = 非常满意）"
COMMENT_QUESTION = "您的意见和建议"

# Every date a service takes (plans, progress, money, status changes, photo times)
# lies in core's plausible ranges: from EARLIEST_DATE on, what is planned at most a
# few years ahead (PLANNED), what has happened not later than now (HAPPENED). The
# ledger's ?year= accepts the same first year; the forms and tests name EARLIEST_DATE
# as this module's (hence imported "as" itself).


def _lock(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def _money(value, *, label: str, allow_zero: bool = True) -> Decimal:
    """An amount in yuan with at most two decimals, within the columns' range."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(_("%(field)s must be an amount in yuan.") % {"field": label}) from None
    if not amount.is_finite():
        raise DomainError(_("%(field)s must be an amount in yuan.") % {"field": label})
    if amount < 0 and allow_zero:
        raise DomainError(_("%(field)s cannot be negative.") % {"field": label})
    if amount < 0 or (amount == 0 and not allow_zero):
        raise DomainError(_("%(field)s must be more than zero.") % {"field": label})
    # The range before the decimals: quantizing "1e26" would overflow the context's
    # precision and raise InvalidOperation (a 500) instead of a message.
    if amount > MONEY_MAX:
        raise DomainError(_("%(field)s is too large.") % {"field": label})
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(
            _("%(field)s must be an amount in yuan with at most two decimals.") % {"field": label}
        )
    # Always two decimals ("750" is 750.00), so that messages and the audit trail
    # show every amount the same way.
    return amount.quantize(Decimal("0.01"))


def _date(value, *, label: str) -> date:
    """A date given to a service, within the range of what is planned (every date the
    services take goes through here; what has happened is checked by _not_future too)."""
    if isinstance(value, datetime):
        value = value.date()
    return PLANNED.check(value, label=label)


def _photo_time(value) -> datetime:
    """When a photo was taken: a date and time that has happened, made aware."""
    if not isinstance(value, datetime):
        raise DomainError(_("When the photo was taken must be a date and time."))
    # A time typed without an offset (an API client's) is the town's local time.
    return HAPPENED.check(value, label=_("When the photo was taken"))


def _not_future(value: date, *, label: str) -> date:
    return HAPPENED.check(value, label=label)


def _period(start, end, *, what: str) -> tuple[date, date]:
    start = _date(start, label=_("The start"))
    end = _date(end, label=_("The end"))
    if end < start:
        raise DomainError(
            _("The end of %(what)s (%(end)s) is before its start (%(start)s).")
            % {"what": what, "end": end.isoformat(), "start": start.isoformat()}
        )
    return start, end


def _change_status(project: Project, to: str, *, actor, on: date, reason: str = "") -> None:
    """Move a locked project to ``to`` if the transition table allows it; record the
    public timeline row and the audit event."""
    before = project.status
    if to not in TRANSITIONS[before]:
        raise DomainError(
            _("A project that is %(status)s cannot become %(to)s.")
            % {
                "status": project.get_status_display(),
                "to": ProjectStatus(to).label,
            }
        )
    # The public timeline reads in date order: a change cannot be dated before the
    # one it follows (a resumption before its suspension, say).
    last = project.history.order_by("-at", "-pk").values_list("on", flat=True).first()
    if last is not None and on < last:
        raise DomainError(
            _("The date cannot be before the project's last change of status (%(date)s).")
            % {"date": last.isoformat()}
        )
    project.status = to
    project.save()
    StatusChange.objects.create(
        project=project, from_status=before, to_status=to, reason=reason, on=on, actor=actor
    )
    record_event(
        actor=actor,
        verb="project.status",
        target=project,
        before={"status": before},
        after={"status": to, "on": on, "reason": reason},
    )


# --- Creating and editing ----------------------------------------------------------


def _origin_area(*, process, proposal, entry):
    """The origin's residential area, after checking it may become a project: a
    completed plan, an adopted proposal, a winning contest entry."""
    given = [origin for origin in (process, proposal, entry) if origin is not None]
    if len(given) != 1:
        raise DomainError(
            _("A project comes from exactly one origin: a plan, a proposal or a contest entry.")
        )
    if process is not None:
        if process.status != "completed":
            raise DomainError(
                _("Only a completed plan (after its public notice) becomes a project.")
            )
        return process.town_id, process.area
    if proposal is not None:
        if proposal.status != "adopted":
            raise DomainError(_("Only an adopted proposal becomes a project."))
        return proposal.town_id, proposal.area
    if not entry.is_winner:
        raise DomainError(_("Only a winning contest entry becomes a project."))
    return entry.contest.town_id, entry.site.area if entry.site_id else None


def _checked_details(town, *, title, description, kind, budget, funding_source, contractor):
    if kind not in ProjectKind.values:
        raise DomainError(_("Choose the kind of project."))
    if funding_source not in FundingSource.values:
        raise DomainError(_("Choose the funding source."))
    return {
        "title": checked_text(title, label=_("The title"), limit=TITLE_MAX),
        "description": checked_text(description, label=_("What will be built"), limit=TEXT_MAX),
        "kind": kind,
        "budget": _money(budget, label=_("The budget")),
        "funding_source": funding_source,
        "contractor": checked_text(
            contractor, label=_("The contractor"), limit=100, required=False
        ),
    }


@transaction.atomic
def create_project(
    *,
    town,
    actor,
    site,
    responsible_unit,
    title: str,
    description: str,
    kind: str,
    budget,
    funding_source: str,
    planned_start,
    planned_end,
    contractor: str = "",
    partners=(),
    process=None,
    proposal=None,
    entry=None,
    submission_token: str | None = None,
) -> Project:
    """A planned project from one origin, at a site of the origin's residential area."""
    claim_submission(submission_token, user=actor)
    origin_town, origin_area = _origin_area(process=process, proposal=proposal, entry=entry)
    if origin_town != town.pk or site.town_id != town.pk:
        raise DomainError(_("The origin and the site must be in this town."))
    if origin_area is not None and site.area_id != origin_area.pk:
        raise DomainError(
            _("The site must be in %(area)s, the residential area the project comes from.")
            % {"area": origin_area.name}
        )
    if site.area_id is None:
        raise DomainError(_("Choose a site that belongs to a residential area."))
    probe = Project(town=town, area_id=site.area_id)
    require_perm(actor, "renewal.manage", probe)
    if responsible_unit.town_id != town.pk:
        raise DomainError(_("The responsible unit must be in this town."))
    partners = list(partners)
    if any(partner.town_id != town.pk for partner in partners):
        raise DomainError(_("Every partner must be a partner of this town."))
    planned_start, planned_end = _period(planned_start, planned_end, what=_("the project"))
    details = _checked_details(
        town,
        title=title,
        description=description,
        kind=kind,
        budget=budget,
        funding_source=funding_source,
        contractor=contractor,
    )
    project = Project.objects.create(
        town=town,
        area_id=site.area_id,
        site=site,
        responsible_unit=responsible_unit,
        process=process,
        proposal=proposal,
        entry=entry,
        planned_start=planned_start,
        planned_end=planned_end,
        created_by=actor,
        **details,
    )
    project.partners.set(partners)
    record_event(
        actor=actor,
        verb="project.create",
        target=project,
        after={
            "origin": project.origin_kind,
            "origin_id": project.origin.pk,
            "kind": project.kind,
            "budget": project.budget,
            "funding": project.funding_source,
        },
    )
    return project


@transaction.atomic
def edit_project(
    *,
    project: Project,
    actor,
    title: str,
    description: str,
    kind: str,
    budget,
    funding_source: str,
    contractor: str,
    planned_start,
    planned_end,
    partners=(),
) -> Project:
    """Change a project's details before its result is published. The budget never
    falls below what has been spent beyond the approvals."""
    require_perm(actor, "renewal.manage", project)
    project = _lock(project)
    if project.is_finished:
        raise DomainError(_("The result is published: the project's details are final."))
    details = _checked_details(
        project.town,
        title=title,
        description=description,
        kind=kind,
        budget=budget,
        funding_source=funding_source,
        contractor=contractor,
    )
    planned_start, planned_end = _period(planned_start, planned_end, what=_("the project"))
    partners = list(partners)
    if any(partner.town_id != project.town_id for partner in partners):
        raise DomainError(_("Every partner must be a partner of this town."))
    spent, extra = _totals(project)
    if spent > details["budget"] + extra:
        if not extra:
            raise DomainError(
                _("%(spent)s yuan is already spent: the budget cannot be less than that.")
                % {"spent": spent}
            )
        # Approvals beyond the budget cover part of what is spent, so the lowest
        # budget is the spending less those approvals: both figures are stated.
        raise DomainError(
            _(
                "%(spent)s yuan is already spent, %(extra)s yuan of it approved beyond "
                "the budget: the budget cannot be less than %(minimum)s yuan."
            )
            % {"spent": spent, "extra": extra, "minimum": spent - extra}
        )
    before = {
        "budget": project.budget,
        "contractor": project.contractor,
        "planned": [project.planned_start, project.planned_end],
    }
    for field, value in details.items():
        setattr(project, field, value)
    project.planned_start, project.planned_end = planned_start, planned_end
    project.save()
    project.partners.set(partners)
    record_event(
        actor=actor,
        verb="project.edit",
        target=project,
        before=before,
        after={
            "budget": project.budget,
            "contractor": project.contractor,
            "planned": [project.planned_start, project.planned_end],
        },
    )
    return project


# --- Milestones ----------------------------------------------------------------------


@transaction.atomic
def add_milestone(
    *,
    project: Project,
    actor,
    title: str,
    planned_start,
    planned_end,
    note: str = "",
    submission_token: str | None = None,
) -> Milestone:
    require_perm(actor, "renewal.manage", project)
    claim_submission(submission_token, user=actor)
    project = _lock(project)
    if project.is_finished:
        raise DomainError(_("The project is completed: its milestones are final."))
    planned_start, planned_end = _period(planned_start, planned_end, what=_("the milestone"))
    count = project.milestones.count()
    if count >= MAX_MILESTONES:
        raise DomainError(
            _("A project has at most %(count)d milestones.") % {"count": MAX_MILESTONES}
        )
    milestone = Milestone.objects.create(
        project=project,
        order=count + 1,
        title=checked_text(title, label=_("The milestone"), limit=80),
        planned_start=planned_start,
        planned_end=planned_end,
        note=checked_text(note, label=_("The note"), limit=200, required=False),
    )
    record_event(
        actor=actor,
        verb="project.milestone",
        target=project,
        after={"milestone": milestone.order, "planned": [planned_start, planned_end]},
    )
    return milestone


@transaction.atomic
def record_milestone(
    *, milestone: Milestone, actor, actual_start, actual_end=None, note: str | None = None
) -> Milestone:
    """Record when a milestone actually started and (when known) finished."""
    project = milestone.project
    require_perm(actor, "renewal.contribute", project)
    project = _lock(project)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if project.is_finished:
        raise DomainError(_("The project is completed: its milestones are final."))
    if project.status == ProjectStatus.SUSPENDED:
        raise DomainError(_("The project is suspended: resume it before recording progress."))
    actual_start = _not_future(_date(actual_start, label=_("The start")), label=_("The start"))
    if project.actual_start and actual_start < project.actual_start:
        # Work on a milestone is part of the construction: it cannot begin before
        # the construction did.
        raise DomainError(
            _("The milestone cannot start before construction started (%(start)s).")
            % {"start": project.actual_start.isoformat()}
        )
    if actual_end is not None:
        actual_start, actual_end = _period(actual_start, actual_end, what=_("the milestone"))
        _not_future(actual_end, label=_("The end"))
    before = {"actual": [milestone.actual_start, milestone.actual_end]}
    milestone.actual_start, milestone.actual_end = actual_start, actual_end
    if note is not None:
        milestone.note = checked_text(note, label=_("The note"), limit=200, required=False)
    milestone.save()
    record_event(
        actor=actor,
        verb="project.milestone_progress",
        target=project,
        before=before,
        after={"milestone": milestone.order, "actual": [actual_start, actual_end]},
    )
    return milestone


# --- Money ---------------------------------------------------------------------------


def _totals(project: Project) -> tuple[Decimal, Decimal]:
    """(spent, approved beyond the budget) from the entries, read under the lock.

    Quantized to the fen: SQLite sums decimals as floats (Django hands back e.g.
    Decimal("950") or Decimal("0.300000000000000")), PostgreSQL exactly."""
    cent = Decimal("0.01")
    spent = project.spendings.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    extra = project.approvals.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return spent.quantize(cent), extra.quantize(cent)


@transaction.atomic
def record_spending(
    *,
    project: Project,
    actor,
    amount,
    spent_on,
    item: str,
    payee: str = "",
    submission_token: str | None = None,
) -> Spending:
    """Charge an amount to the budget. Beyond the budget only as far as recorded
    approvals allow; the project row is locked, so racing entries are counted in turn."""
    require_perm(actor, "renewal.manage", project)
    claim_submission(submission_token, user=actor)
    project = _lock(project)
    if project.is_finished:
        # The published result states the cost; it must not change afterwards.
        raise DomainError(_("The result is published: the project's accounts are closed."))
    amount = _money(amount, label=_("The amount"), allow_zero=False)
    spent_on = _not_future(_date(spent_on, label=_("The date")), label=_("The date"))
    item = checked_text(item, label=_("What it was for"), limit=120)
    payee = checked_text(payee, label=_("Paid to"), limit=100, required=False)
    spent, extra = _totals(project)
    allowed = project.budget + extra
    if spent + amount > allowed:
        raise DomainError(
            _(
                "This would spend %(total)s yuan against a budget of %(allowed)s yuan: "
                "record an approval to spend beyond the budget first."
            )
            % {"total": spent + amount, "allowed": allowed}
        )
    spending = Spending.objects.create(
        project=project,
        amount=amount,
        spent_on=spent_on,
        item=item,
        payee=payee,
        recorded_by=actor,
    )
    record_event(
        actor=actor,
        verb="project.spend",
        target=project,
        after={"amount": amount, "on": spent_on, "spent": spent + amount},
    )
    return spending


@transaction.atomic
def approve_extra_budget(
    *,
    project: Project,
    actor,
    amount,
    reason: str,
    authority: str,
    approved_on,
    submission_token: str | None = None,
) -> BudgetApproval:
    """Record the town's approval to spend ``amount`` beyond the budget."""
    require_perm(actor, "renewal.approve_budget", project)
    claim_submission(submission_token, user=actor)
    project = _lock(project)
    if project.is_finished:
        raise DomainError(_("The result is published: the project's accounts are closed."))
    approval = BudgetApproval.objects.create(
        project=project,
        amount=_money(amount, label=_("The extra amount"), allow_zero=False),
        reason=checked_text(reason, label=_("The reason"), limit=REASON_MAX),
        authority=checked_text(authority, label=_("Who approved it"), limit=120),
        approved_on=_not_future(_date(approved_on, label=_("The date")), label=_("The date")),
        recorded_by=actor,
    )
    record_event(
        actor=actor,
        verb="project.budget_approval",
        target=project,
        after={"amount": approval.amount, "authority": approval.authority},
    )
    return approval


# --- Photos --------------------------------------------------------------------------


def add_photo(
    *,
    project: Project,
    actor,
    phase: str,
    upload,
    content: str,
    taken_at,
    place: str,
    photographer: str,
    people: str = "",
    submission_token: str | None = None,
) -> ProjectPhoto:
    """A ledger photo, re-encoded (no EXIF, so no location) before it is stored.

    The file is written only after every check passes, and deleted again if the
    transaction that writes its row does not commit: a refused or failed upload
    leaves no file behind. (Called inside a caller's own transaction, a rollback of
    that outer transaction after this returns is the caller's to clean up: Django
    has no hook for it.)"""
    written = []
    try:
        with transaction.atomic():
            claim_submission(submission_token, user=actor)
            return _add_photo(
                project=project,
                actor=actor,
                phase=phase,
                upload=upload,
                content=content,
                taken_at=taken_at,
                place=place,
                photographer=photographer,
                people=people,
                written=written,
            )
    except BaseException:
        for stored in written:
            stored.storage.delete(stored.name)
        raise


def _add_photo(
    *, project, actor, phase, upload, content, taken_at, place, photographer, people, written
) -> ProjectPhoto:
    require_perm(actor, "renewal.contribute", project)
    project = _lock(project)
    if phase not in Phase.values:
        raise DomainError(_("Choose before, during or after."))
    not_started = project.status == ProjectStatus.PLANNED or (
        project.status == ProjectStatus.SUSPENDED and project.resumes_to == ProjectStatus.PLANNED
    )
    if phase != Phase.BEFORE and not_started:
        raise DomainError(_("Construction has not started: only photos from before it."))
    if project.photos.filter(phase=phase).count() >= MAX_PHOTOS_PER_PHASE:
        raise DomainError(
            _("At most %(count)d photos per phase.") % {"count": MAX_PHOTOS_PER_PHASE}
        )
    taken_at = _photo_time(taken_at)
    details = {
        "content": checked_text(content, label=_("What it shows"), limit=200),
        "place": checked_text(place, label=_("The place"), limit=120),
        "people": checked_text(people, label=_("The people in it"), limit=200, required=False),
        "photographer": checked_text(photographer, label=_("The photographer"), limit=40),
    }
    try:
        image = clean_photo(upload, name=phase)
    except ValidationError as error:
        raise DomainError(error.messages[0]) from None
    # Every check has passed: only now is the file written (and remembered, so that
    # add_photo deletes it if the row is rolled back).
    photo = ProjectPhoto(
        project=project, phase=phase, taken_at=taken_at, uploaded_by=actor, **details
    )
    photo.image.save(image.name, image, save=False)
    written.append(photo.image)
    photo.save()
    record_event(
        actor=actor, verb="project.photo", target=project, after={"phase": phase, "photo": photo.pk}
    )
    return photo


# --- Status transitions ------------------------------------------------------------


@transaction.atomic
def start_construction(*, project: Project, actor, on) -> Project:
    """Planned → under construction: a contractor and a milestone plan are needed."""
    require_perm(actor, "renewal.manage", project)
    project = _lock(project)
    on = _not_future(_date(on, label=_("The start")), label=_("The start"))
    # The table lets a suspended project go back to construction, but only through
    # resume(): starting it again here would overwrite the first start date and
    # leave the suspension's reason behind.
    if project.status != ProjectStatus.PLANNED:
        raise DomainError(_("Only a planned project can start construction."))
    missing = []
    if not project.contractor:
        missing.append(_("the contractor"))
    if not project.milestones.exists():
        missing.append(_("at least one milestone"))
    if missing:
        raise DomainError(
            _("Construction cannot start without %(missing)s.") % {"missing": _(", ").join(missing)}
        )
    _change_status(project, ProjectStatus.UNDER_CONSTRUCTION, actor=actor, on=on)
    project.actual_start = on
    project.save(update_fields=["actual_start", "updated_at"])
    return project


@transaction.atomic
def suspend(*, project: Project, actor, reason: str, on) -> Project:
    require_perm(actor, "renewal.manage", project)
    project = _lock(project)
    reason = checked_text(reason, label=_("The reason"), limit=REASON_MAX)
    on = _not_future(_date(on, label=_("The date")), label=_("The date"))
    resumes_to = project.status
    project.suspended_reason = reason
    project.resumes_to = resumes_to
    _change_status(project, ProjectStatus.SUSPENDED, actor=actor, on=on, reason=reason)
    return project


@transaction.atomic
def resume(*, project: Project, actor, on) -> Project:
    """A suspended project goes back to the status it was suspended from."""
    require_perm(actor, "renewal.manage", project)
    project = _lock(project)
    on = _not_future(_date(on, label=_("The date")), label=_("The date"))
    if project.status != ProjectStatus.SUSPENDED:
        raise DomainError(_("Only a suspended project can resume."))
    back = project.resumes_to
    project.suspended_reason = ""
    project.resumes_to = ""
    _change_status(project, back, actor=actor, on=on)
    return project


def completion_missing(project: Project) -> list[str]:
    """What a project under construction still lacks before it may complete."""
    missing = []
    open_count = project.milestones.filter(actual_end__isnull=True).count()
    if open_count:
        missing.append(
            _("%(count)d milestone(s) still open: record when each finished")
            % {"count": open_count}
        )
    phases = set(project.photos.values_list("phase", flat=True).distinct())
    if Phase.BEFORE not in phases:
        missing.append(_("a photo from before construction"))
    if Phase.AFTER not in phases:
        missing.append(_("a photo of the finished work"))
    return missing


def _open_satisfaction_survey(project: Project, actor) -> None:
    """The satisfaction survey (获得感, 满意度, comments), one response per account."""
    from gongzhi.surveys import services as surveys

    survey = surveys.create_survey(
        town=project.town,
        area=project.area,
        actor=actor,
        title=f"满意度调查：{project.title}"[:100],
        intro="项目已完工，请告诉我们您的获得感和满意度。每人限答一次。",
    )
    gain = surveys.add_question(survey=survey, actor=actor, kind="scale", text=GAIN_QUESTION)
    satisfaction = surveys.add_question(
        survey=survey, actor=actor, kind="scale", text=SATISFACTION_QUESTION
    )
    surveys.add_question(
        survey=survey, actor=actor, kind="text", text=COMMENT_QUESTION, required=False
    )
    surveys.open_survey(survey=survey, actor=actor)
    project.satisfaction_survey = survey
    project.gain_question = gain
    project.satisfaction_question = satisfaction


@transaction.atomic
def complete_project(*, project: Project, actor, result: str, completed_on) -> Project:
    """Under construction → completed, publishing the result (结果公开): what was
    built, cost against budget, dates against plan and the photos are on the
    project's page from now on; the residents who took part are told, and the
    satisfaction survey opens."""
    require_perm(actor, "renewal.manage", project)
    project = _lock(project)
    result = checked_text(result, label=_("What was built"), limit=TEXT_MAX)
    completed_on = _not_future(
        _date(completed_on, label=_("The completion date")), label=_("The completion date")
    )
    if project.status != ProjectStatus.UNDER_CONSTRUCTION:
        raise DomainError(_("Only a project under construction can complete."))
    if project.actual_start and completed_on < project.actual_start:
        raise DomainError(
            _("The completion date is before construction started (%(start)s).")
            % {"start": project.actual_start.isoformat()}
        )
    last_end = project.milestones.aggregate(last=Max("actual_end"))["last"]
    if last_end and completed_on < last_end:
        # The published result would otherwise say the project was finished while
        # one of its milestones was still going on.
        raise DomainError(
            _("The completion date is before the last milestone finished (%(end)s).")
            % {"end": last_end.isoformat()}
        )
    missing = completion_missing(project)
    if missing:
        raise DomainError(
            _("The project cannot complete yet: %(missing)s.") % {"missing": _("; ").join(missing)}
        )
    project.result = result
    project.actual_end = completed_on
    project.result_published_at = timezone.now()
    _open_satisfaction_survey(project, actor)
    _change_status(project, ProjectStatus.COMPLETED, actor=actor, on=completed_on)
    spent, _extra = _totals(project)
    record_event(
        actor=actor,
        verb="project.result",
        target=project,
        after={"budget": project.budget, "spent": spent, "completed_on": completed_on},
    )
    if project.proposal_id and project.proposal.status == "adopted":
        from gongzhi.proposals import services as proposals

        proposals.mark_implemented(
            proposal=project.proposal, actor=actor, reason=_("Built as a micro-renewal project.")
        )
    people = participation.participants(project)
    notify_all(
        users=people,
        kind="renewal.built",
        params={"title": project.title},
        url=project.get_absolute_url(),
        town_id=project.town_id,
    )
    return project


@transaction.atomic
def start_maintenance(*, project: Project, actor, maintained_by: str, on) -> Project:
    """Completed → in maintenance, naming who looks after it from now on."""
    require_perm(actor, "renewal.manage", project)
    project = _lock(project)
    maintained_by = checked_text(maintained_by, label=_("Who maintains it"), limit=100)
    on = _not_future(_date(on, label=_("The date")), label=_("The date"))
    if project.actual_end and on < project.actual_end:
        raise DomainError(_("Maintenance cannot start before the project was completed."))
    _change_status(project, ProjectStatus.MAINTENANCE, actor=actor, on=on)
    project.maintained_by = maintained_by
    project.save(update_fields=["maintained_by", "updated_at"])
    return project
