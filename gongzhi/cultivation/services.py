"""Writes on cultivation programmes: create one, link its sessions (real activities
of the town), open and close it. Who attended is never written here: it is the
activities' check-ins."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from gongzhi.core.access import require_perm
from gongzhi.core.errors import DomainError, checked_text
from gongzhi.core.services import claim_submission, record_event
from gongzhi.events.models import Activity, ActivityStatus

from .models import Programme, ProgrammeStatus, Session

MAX_SESSIONS_REQUIRED = 50


@transaction.atomic
def create_programme(
    *,
    town,
    actor,
    title: str,
    description: str = "",
    sessions_required: int,
    submission_token: str | None = None,
) -> Programme:
    """A draft programme of ``town``; the secretariat's."""
    require_perm(actor, "cultivation.manage_programme", town)
    claim_submission(submission_token, user=actor)
    title = checked_text(title, label=_("The title"), limit=100)
    if not 1 <= int(sessions_required) <= MAX_SESSIONS_REQUIRED:
        raise DomainError(
            _("The sessions to attend must be a number from 1 to %(most)d.")
            % {"most": MAX_SESSIONS_REQUIRED}
        )
    programme = Programme.objects.create(
        town=town,
        title=title,
        description=(description or "").strip(),
        sessions_required=int(sessions_required),
        created_by=actor,
    )
    record_event(actor=actor, verb="cultivation.programme.create", target=programme)
    return programme


def _lock(programme: Programme, actor) -> Programme:
    require_perm(actor, "cultivation.manage_programme", programme)
    return Programme.objects.select_for_update().get(pk=programme.pk)


@transaction.atomic
def add_session(*, programme: Programme, activity: Activity, actor) -> Session:
    """Link ``activity`` as the programme's next session. Refused for an activity of
    another town, a draft or cancelled one, one already a session (of this or another
    programme), and for a closed programme."""
    programme = _lock(programme, actor)
    if programme.status == ProgrammeStatus.CLOSED:
        raise DomainError(_("This programme is closed: no sessions can be added."))
    if activity.town_id != programme.town_id:
        raise DomainError(_("The activity belongs to another town."))
    if activity.status == ActivityStatus.DRAFT:
        raise DomainError(_("The activity is still a draft: publish it first."))
    if activity.status == ActivityStatus.CANCELLED:
        raise DomainError(_("The activity was cancelled."))
    if Session.objects.filter(activity=activity).exists():
        raise DomainError(_("This activity is already a session of a programme."))
    order = (programme.sessions.aggregate(last=Max("order"))["last"] or 0) + 1
    try:
        with transaction.atomic():
            session = Session.objects.create(
                programme=programme, activity=activity, order=order, added_by=actor
            )
    except IntegrityError:  # the same activity linked at the same moment elsewhere
        raise DomainError(_("This activity is already a session of a programme.")) from None
    record_event(
        actor=actor,
        verb="cultivation.session.add",
        target=programme,
        after={"activity": activity.pk, "order": order},
    )
    return session


def _move(programme: Programme, actor, status: str) -> Programme:
    programme = _lock(programme, actor)
    if not programme.may_become(status):
        raise DomainError(
            _("A programme that is %(status)s cannot become %(new)s.")
            % {
                "status": programme.get_status_display(),
                "new": ProgrammeStatus(status).label,
            }
        )
    before = programme.status
    programme.status = status
    programme.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor,
        verb=f"cultivation.programme.{status}",
        target=programme,
        before={"status": before},
        after={"status": status},
    )
    return programme


@transaction.atomic
def open_programme(*, programme: Programme, actor) -> Programme:
    """Make a draft public. It needs at least as many sessions as a person must
    attend, or nobody could complete it."""
    locked = _lock(programme, actor)
    if locked.status == ProgrammeStatus.DRAFT:
        linked = locked.sessions.count()
        if linked < locked.sessions_required:
            raise DomainError(
                _(
                    "Link at least %(needed)d sessions before opening: a person completes "
                    "the programme by attending %(needed)d, and it has %(linked)d."
                )
                % {"needed": locked.sessions_required, "linked": linked}
            )
    return _move(locked, actor, ProgrammeStatus.OPEN)


@transaction.atomic
def close_programme(*, programme: Programme, actor) -> Programme:
    """No more sessions; completions and certificates stay as they were."""
    return _move(programme, actor, ProgrammeStatus.CLOSED)


# Reading named personal data is logged (DOMAIN.md: access to ledgers and personal data
# is logged), as places logs the residents' roster: the same verb, on the record read.


@transaction.atomic
def log_record_access(*, actor, area, page_number: int) -> None:
    """Record that ``actor`` saw the names of the people of ``area`` trained in
    cultivation programmes (the area's record)."""
    require_perm(actor, "cultivation.view_area_record", area)
    record_event(
        actor=actor,
        verb="personal_data.view",
        target=area,
        after={"record": "cultivation", "page": page_number},
    )


@transaction.atomic
def log_certificate_access(*, actor, trainee) -> None:
    """Record that ``actor`` (staff) opened the certificate of another person, which
    names them and the sessions they attended. The person is named by account number
    only: the trail is kept for good and holds no names."""
    require_perm(actor, "cultivation.print_certificate_of", trainee)
    record_event(
        actor=actor,
        verb="personal_data.view",
        target=trainee.programme,
        after={"record": "cultivation_certificate", "person": trainee.user.pk},
    )
