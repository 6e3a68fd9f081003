"""Writes on the talent pool: applying, recommending, reviewing, enrolling."""

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.models import ConsentKind
from gongzhi.accounts.services import AccountExists, create_account, give_consent
from gongzhi.core.access import require_perm
from gongzhi.core.errors import DomainError
from gongzhi.core.scope import Role
from gongzhi.core.services import notify, record_event
from gongzhi.places.services import grant_role

from .models import (
    Application,
    ApplicationStatus,
    Channel,
    Mode,
    Partner,
    PartnerMode,
    Recommendation,
    RecommendationStatus,
    Skill,
    Slot,
)

User = get_user_model()


def normalise_skills(names) -> list[Skill]:
    """Skill tags from free text: trimmed, de-duplicated, created when new."""
    seen, skills = set(), []
    for raw in names:
        name = raw.strip()[:30]
        if name and name.lower() not in seen:
            seen.add(name.lower())
            skill = Skill.objects.filter(name__iexact=name).first()
            skills.append(skill or Skill.objects.create(name=name))
    return skills


def _check_profile(*, town, area, modes, availability):
    if area.town_id != town.pk:
        raise DomainError(_("The residential area is not in this town."))
    unknown = [m for m in modes if m not in Mode.values]
    if unknown:
        raise DomainError(_("Unknown work mode: %(mode)s.") % {"mode": ", ".join(unknown)})
    if not modes:
        raise DomainError(_("Choose at least one work mode."))
    if any(slot not in Slot.values for slot in availability):
        raise DomainError(_("Unknown availability."))


def _account_for(*, user, phone, name, area, password):
    """The applicant's account: the signed-in user's, or a new one for that number.

    A visitor who is not logged in may not apply with a number that already has an
    account (that would let anyone apply in someone else's name): they log in first.
    ``password`` None creates an account without one (ledger imports of paper forms).
    """
    if user is not None and user.is_authenticated:
        if phone and user.phone != phone:
            raise DomainError(_("Use the mobile number of the account you are logged in with."))
        return user
    try:
        return create_account(
            phone=phone, display_name=name, residential_area=area, password=password
        )
    except AccountExists as exc:
        raise DomainError(
            _("This mobile number already has an account. Please log in first, then apply.")
        ) from exc


@transaction.atomic
def submit_application(
    *,
    town,
    user=None,
    phone: str,
    password: str | None = None,
    name: str,
    area,
    profession: str,
    skills: list[str],
    modes: list[str],
    party_status: str,
    availability: list[str],
    motivation: str = "",
    consent: bool,
    channel: str = Channel.ONLINE,
    recommendation: Recommendation | None = None,
) -> Application:
    """Apply to be a community partner of ``town``.

    Works for a logged-out visitor too: the account of that mobile number is linked,
    or created. Consent to the partner privacy notice is required and recorded.
    Nothing is stored when a rule fails.

    Permission: open to anyone, signed in or not (online recruitment).
    """
    if not consent:
        raise DomainError(_("You must agree to the privacy notice to apply."))
    _check_profile(town=town, area=area, modes=modes, availability=availability)
    account = _account_for(user=user, phone=phone, name=name, area=area, password=password)
    if Partner.objects.filter(town=town, user=account).exists():
        raise DomainError(_("This mobile number already belongs to a partner of this town."))
    if Application.objects.open().filter(town=town, applicant=account).exists():
        raise DomainError(
            _("An application with this mobile number is already waiting for review.")
        )
    application = Application(
        town=town,
        applicant=account,
        channel=channel,
        name=name,
        area=area,
        profession=profession,
        party_status=party_status,
        modes_wanted=list(dict.fromkeys(modes)),
        motivation=motivation,
    )
    application.availability = availability
    application.full_clean(exclude=["applicant", "skills"])
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # the same person applying twice at the same moment
        raise DomainError(
            _("An application with this mobile number is already waiting for review.")
        ) from exc
    application.skills.set(normalise_skills(skills))
    give_consent(user=account, kind=ConsentKind.PARTNER_PROFILE)
    if recommendation is not None:
        recommendation.application = application
        recommendation.status = RecommendationStatus.CONFIRMED
        recommendation.save(update_fields=["application", "status", "updated_at"])
    record_event(
        actor=account,
        verb="application.submit",
        target=application,
        after={"channel": channel, "modes": application.modes_wanted},
    )
    return application


@transaction.atomic
def update_application(*, application: Application, user, **fields) -> Application:
    """The applicant answers a request for more information: their corrected
    application goes back to the queue."""
    require_perm(user, "partners.answer_application", application)
    if application.status != ApplicationStatus.MORE_INFO:
        raise DomainError(_("This application cannot be changed now."))
    skills = fields.pop("skills")
    modes = fields.pop("modes")
    availability = fields.pop("availability")
    _check_profile(
        town=application.town, area=fields["area"], modes=modes, availability=availability
    )
    for name, value in fields.items():
        setattr(application, name, value)
    application.modes_wanted = list(dict.fromkeys(modes))
    application.availability = availability
    application.status = ApplicationStatus.SUBMITTED
    application.full_clean(exclude=["applicant", "skills"])
    application.save()
    application.skills.set(normalise_skills(skills))
    record_event(
        actor=user,
        verb="application.resubmit",
        target=application,
        before={"status": ApplicationStatus.MORE_INFO},
        after={"status": ApplicationStatus.SUBMITTED},
    )
    return application


def _lock_open(application: Application) -> Application:
    """Re-read the application under a row lock: two reviewers cannot both decide."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.MORE_INFO):
        raise DomainError(
            _("This application was already decided: %(status)s.")
            % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def accept_application(
    *, application: Application, actor, primary_mode: str, secondary_modes=()
) -> Partner:
    """Enrol the applicant as a partner with one primary and any secondary modes."""
    require_perm(actor, "partners.review", application.town)
    application = _lock_open(application)
    secondary = [m for m in dict.fromkeys(secondary_modes) if m != primary_mode]
    unknown = [m for m in [primary_mode, *secondary] if m not in Mode.values]
    if unknown:
        raise DomainError(_("Unknown work mode: %(mode)s.") % {"mode": ", ".join(unknown)})
    if Partner.objects.filter(town=application.town, user=application.applicant).exists():
        raise DomainError(_("This person is already a partner of this town."))
    partner = Partner(
        town=application.town,
        user=application.applicant,
        application=application,
        name=application.name,
        area=application.area,
        profession=application.profession,
        party_status=application.party_status,
    )
    partner.availability = application.availability
    partner.save()
    partner.skills.set(application.skills.all())
    PartnerMode.objects.bulk_create(
        [PartnerMode(partner=partner, mode=primary_mode, is_primary=True)]
        + [PartnerMode(partner=partner, mode=mode) for mode in secondary]
    )
    application.status = ApplicationStatus.ACCEPTED
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    grant_role(actor=actor, user=application.applicant, role=Role.PARTNER, town=application.town)
    record_event(
        actor=actor,
        verb="application.accept",
        target=application,
        before={"status": ApplicationStatus.SUBMITTED},
        after={"status": "accepted", "partner": partner.pk, "modes": [primary_mode, *secondary]},
    )
    notify(
        user=application.applicant,
        kind="partners.welcome",
        params={"town": application.town.name},
        url=partner.get_absolute_url(),
    )
    return partner


@transaction.atomic
def decline_application(*, application: Application, actor, reason: str) -> Application:
    require_perm(actor, "partners.review", application.town)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the applicant a reason."))
    application = _lock_open(application)
    before = application.status
    application.status = ApplicationStatus.DECLINED
    application.decision_note = reason
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.save()
    record_event(
        actor=actor,
        verb="application.decline",
        target=application,
        before={"status": before},
        after={"status": "declined", "reason": reason},
    )
    notify(
        user=application.applicant,
        kind="partners.declined",
        params={"reason": reason},
        url=reverse("partners:my_applications"),
    )
    return application


@transaction.atomic
def request_more_info(*, application: Application, actor, question: str) -> Application:
    require_perm(actor, "partners.review", application.town)
    question = question.strip()
    if not question:
        raise DomainError(_("Write what you need to know."))
    application = _lock_open(application)
    before = application.status
    application.status = ApplicationStatus.MORE_INFO
    application.decision_note = question
    application.save(update_fields=["status", "decision_note", "updated_at"])
    record_event(
        actor=actor,
        verb="application.request_info",
        target=application,
        before={"status": before},
        after={"status": "more_info", "question": question},
    )
    notify(
        user=application.applicant,
        kind="partners.more_info",
        params={"question": question},
        url=reverse("partners:edit_application", args=[application.pk]),
    )
    return application


@transaction.atomic
def recommend(
    *, town, area, actor, name: str, phone: str, reason: str
) -> tuple[Recommendation, str]:
    """Recommend a resident. Returns the recommendation and the one-time token for
    the link the resident must open; nobody is enrolled until they apply there."""
    require_perm(actor, "partners.recommend", area)
    if area.town_id != town.pk:
        raise DomainError(_("The residential area is not in this town."))
    if Partner.objects.filter(town=town, user__phone=phone).exists():
        raise DomainError(_("This mobile number already belongs to a partner of this town."))
    if Recommendation.objects.filter(
        town=town, phone=phone, status=RecommendationStatus.PENDING, expires_at__gt=timezone.now()
    ).exists():
        raise DomainError(_("This resident has already been recommended and has not answered yet."))
    token = secrets.token_urlsafe(24)
    recommendation = Recommendation.objects.create(
        town=town,
        area=area,
        recommended_by=actor,
        name=name,
        phone=phone,
        reason=reason,
        token_hash=Recommendation.hash_token(token),
        expires_at=timezone.now() + timedelta(days=Recommendation.VALID_DAYS),
    )
    record_event(actor=actor, verb="recommendation.create", target=recommendation)
    existing = User.objects.filter(phone=phone, is_active=True).first()
    if existing:
        notify(
            user=existing,
            kind="partners.recommended",
            params={"town": town.name},
            url=reverse("partners:recommendation", args=[token]),
        )
    return recommendation, token


def recommendation_for_token(token: str) -> Recommendation:
    """The pending recommendation behind a link, or a clear error."""
    recommendation = (
        Recommendation.objects.select_related("town", "area", "recommended_by")
        .filter(token_hash=Recommendation.hash_token(token))
        .first()
    )
    if recommendation is None:
        raise DomainError(
            _("This link is not valid. Ask the person who recommended you for a new one.")
        )
    if recommendation.status == RecommendationStatus.CONFIRMED:
        raise DomainError(_("This link was already used: the application has been sent."))
    if recommendation.status == RecommendationStatus.WITHDRAWN:
        raise DomainError(_("This recommendation was withdrawn."))
    if recommendation.is_expired:
        raise DomainError(
            _("This link has expired. Ask the person who recommended you for a new one.")
        )
    return recommendation


@transaction.atomic
def confirm_recommendation(*, token: str, **application_fields) -> Application:
    """The recommended resident applies through their one-time link."""
    recommendation = recommendation_for_token(token)
    # Lock the row so that two submissions of the same link cannot both pass.
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.status != RecommendationStatus.PENDING:
        raise DomainError(_("This link was already used: the application has been sent."))
    return submit_application(
        town=recommendation.town,
        channel=Channel.RECOMMENDED,
        recommendation=recommendation,
        **application_fields,
    )


@transaction.atomic
def update_partner_profile(
    *, partner: Partner, actor, profession: str, skills: list[str], availability: list[str]
) -> Partner:
    """A partner keeps their own profession, skills and availability up to date."""
    require_perm(actor, "partners.edit_profile", partner)
    if any(slot not in Slot.values for slot in availability):
        raise DomainError(_("Unknown availability."))
    before = {"profession": partner.profession, "availability": partner.availability}
    partner.profession = profession
    partner.availability = availability
    partner.full_clean(exclude=["user", "skills"])
    partner.save()
    partner.skills.set(normalise_skills(skills))
    record_event(
        actor=actor,
        verb="partner.update_profile",
        target=partner,
        before=before,
        after={"profession": profession, "availability": partner.availability},
    )
    return partner


@transaction.atomic
def manage_partner(
    *, partner: Partner, actor, status: str, primary_mode: str, secondary_modes=(), note: str = ""
) -> Partner:
    """The secretariat changes a partner's modes or status (active, paused, left)."""
    require_perm(actor, "partners.manage", partner)
    from .models import PartnerStatus

    if status not in PartnerStatus.values:
        raise DomainError(_("Unknown status."))
    secondary = [m for m in dict.fromkeys(secondary_modes) if m != primary_mode]
    unknown = [m for m in [primary_mode, *secondary] if m not in Mode.values]
    if unknown:
        raise DomainError(_("Unknown work mode: %(mode)s.") % {"mode": ", ".join(unknown)})
    if status != partner.status and status != PartnerStatus.ACTIVE and not note.strip():
        raise DomainError(_("Say why the partner pauses or leaves."))
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    before = {
        "status": partner.status,
        "modes": [partner.primary_mode, *partner.secondary_modes],
    }
    partner.status = status
    partner.save(update_fields=["status", "updated_at"])
    partner.modes.all().delete()
    PartnerMode.objects.bulk_create(
        [PartnerMode(partner=partner, mode=primary_mode, is_primary=True)]
        + [PartnerMode(partner=partner, mode=mode) for mode in secondary]
    )
    after = {"status": status, "modes": [primary_mode, *secondary], "note": note.strip()}
    if before != {k: after[k] for k in before}:
        record_event(actor=actor, verb="partner.manage", target=partner, before=before, after=after)
        if before["status"] != status:
            notify(
                user=partner.user,
                kind="partners.status",
                params={"status": partner.status},
                url=partner.get_absolute_url(),
            )
    return partner
