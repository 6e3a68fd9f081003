"""Recording a resident's paper form: who the resident is, then the input itself.

Older residents without a smartphone fill in a paper form at the residents' committee
(or give their answer to a partner who brings the form in). Staff of the resident's
area record it here. The input goes through the same service as an online one, so it
obeys the same rules and is counted once per person; the row is then marked with the
paper's reference, its photo, who recorded it and when, and the audit trail keeps an
event. A person who already took part (online or from paper) is refused, with when
and how, so a paper form never doubles an online voice.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.models import ConsentKind, User, phone_validator
from gongzhi.accounts.services import AccountExists, create_account, give_consent
from gongzhi.core.access import require_perm
from gongzhi.core.errors import DomainError, checked_text
from gongzhi.core.services import record_event

from .kinds import PaperKind

NAME_MAX = 40
REFERENCE_MAX = 40


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def already_message(kind: PaperKind, row, person) -> str:
    """Why a second input from this person is refused: how and when they took part."""
    when = _when(kind.when(row))
    if row.from_paper:
        return _(
            "%(name)s's paper form was already recorded by %(staff)s on %(when)s "
            "(reference %(reference)s): it is not recorded twice."
        ) % {
            "name": person.display_name,
            "staff": row.paper_recorded_by.display_name if row.paper_recorded_by else "—",
            "when": _when(row.paper_recorded_at),
            "reference": row.paper_reference,
        }
    return _(
        "%(name)s already took part online (%(what)s on %(when)s): "
        "a paper form does not count a second time."
    ) % {"name": person.display_name, "what": kind.done_online, "when": when}


def _paper_person(*, area, name: str, phone: str = "") -> User:
    """The resident named on the paper form, as an account of ``area``.

    With a mobile number, the account of that number (made now, without a password,
    if there is none: the resident may claim it later by a code). Without one, the
    area's account kept for this name for residents without a mobile number; staff
    tell two namesakes apart by writing the building into the name. Either way the
    privacy-notice consent the paper form carries is recorded with a new account.
    Called by record_from_paper, inside its transaction and after its permission check.
    """
    name = checked_text(name, label=_("The resident's name"), limit=NAME_MAX)
    phone = (phone or "").strip()
    if phone:
        try:
            phone_validator(phone)
        except ValidationError:
            raise DomainError(_("Enter an 11-digit mainland China mobile number.")) from None
        person = User.objects.filter(phone=phone).select_related("residential_area").first()
        if person is None:
            try:
                return create_account(phone=phone, display_name=name, residential_area=area)
            except AccountExists:  # made at the same moment elsewhere
                person = User.objects.select_related("residential_area").get(phone=phone)
        if person.residential_area_id not in (None, area.pk):
            raise DomainError(
                _(
                    "This mobile number belongs to a resident of %(area)s: staff of that "
                    "residential area record their paper forms."
                )
                % {"area": person.residential_area.name}
            )
        return person
    person = (
        User.objects.filter(
            phone__isnull=True, deleted_at__isnull=True, residential_area=area, display_name=name
        )
        .order_by("pk")
        .first()
    )
    if person is None:
        person = User(display_name=name, residential_area=area)
        person.set_unusable_password()
        person.save()
        give_consent(user=person, kind=ConsentKind.PRIVACY_NOTICE)
    return person


@transaction.atomic
def record_from_paper(
    *,
    kind: PaperKind,
    target,
    actor,
    area,
    name: str,
    phone: str = "",
    reference: str,
    photo=None,
    **inputs,
):
    """Record one resident's paper input on ``target`` (all or nothing).

    ``photo`` is an image already cleaned by core.images.clean_photo. ``inputs`` are
    the kind's own fields (the answers, the comment, the chosen draft).
    """
    require_perm(actor, "paper.record", area)
    if target.scope.town_id != area.town_id:
        raise DomainError(_("This is not in your town: record paper forms for your own town."))
    reference = checked_text(reference, label=_("The paper form's reference"), limit=REFERENCE_MAX)
    person = _paper_person(area=area, name=name, phone=phone)
    prior = kind.prior(target, person)
    if prior is not None:
        raise DomainError(already_message(kind, prior, person))
    row = kind.record(target, person, **inputs)
    row.paper_reference = reference
    row.paper_recorded_by = actor
    row.paper_recorded_at = timezone.now()
    fields = ["paper_reference", "paper_recorded_by", "paper_recorded_at"]
    if photo is not None:
        row.paper_photo.save(photo.name, photo, save=False)
        fields.append("paper_photo")
    row.save(update_fields=fields)
    record_event(
        actor=actor,
        verb=f"paper.{kind.key}",
        target=target,
        after={"resident": person.audit_label, "reference": reference, "row": row.pk},
    )
    return row
