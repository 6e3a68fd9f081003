"""Writes on accounts: sign-up, profile, consent, personal-data export and deletion."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.errors import DomainError
from gongzhi.core.models import SmsMessage, SmsPreference
from gongzhi.core.services import record_event

from .exports import export_sections
from .models import ConsentKind, ConsentRecord, User
from .privacy import NOTICE_VERSION, PURPOSES


def scope_town(user):
    """The town a person's own records are filed under (their residential area's).

    Permission: none needed: a read of the person's own area.
    """
    area = user.residential_area
    return area.town_id if area else None


_scope_town = scope_town


@transaction.atomic
def sign_up(
    *,
    phone: str,
    display_name: str,
    password: str,
    residential_area=None,
    age_band: str = "",
    privacy_consent: bool,
    age_band_consent: bool = False,
    sms_consent: bool = False,
    user: User | None = None,
) -> User:
    """Create a resident's account with the consents they gave.

    The privacy notice must be accepted; an age band is kept only with its own
    separate consent, text messages about their participation only with theirs. The
    number is unverified until the code sent to it is entered (allauth's verification
    step follows sign-up). ``user`` is the unsaved instance allauth made, if any.
    Nothing is stored when any rule fails.

    Permission: open to anyone: this creates the account.
    """
    if not privacy_consent:
        raise DomainError(_("You must agree to the privacy notice to create an account."))
    if age_band and not age_band_consent:
        raise DomainError(_("To record your age band, tick the consent for age statistics."))
    if User.objects.filter(phone=phone).exists():
        raise DomainError(_("An account with this mobile number already exists."))
    user = user if user is not None else User()
    user.phone = phone
    user.phone_verified = False
    user.display_name = display_name
    user.residential_area = residential_area
    user.age_band = age_band
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # two sign-ups with one number at the same moment
        raise DomainError(_("An account with this mobile number already exists.")) from exc
    give_consent(user=user, kind=ConsentKind.PRIVACY_NOTICE)
    if age_band_consent:
        give_consent(user=user, kind=ConsentKind.AGE_BAND)
    if sms_consent:
        give_consent(user=user, kind=ConsentKind.SMS_NOTIFICATIONS)
    return user


class AccountExists(DomainError):
    """The mobile number already has an account."""


@transaction.atomic
def create_account(*, phone: str, display_name: str, residential_area=None, password=None) -> User:
    """An account made on someone's behalf in another flow (applying as a partner,
    a paper form, a check-in at the door), with the privacy-notice consent that flow
    collected. ``password`` None leaves it without one. Raises AccountExists."""
    if User.objects.filter(phone=phone).exists():
        raise AccountExists(_("An account with this mobile number already exists."))
    account = User(phone=phone, display_name=display_name, residential_area=residential_area)
    if password is None:
        account.set_unusable_password()
    else:
        try:
            validate_password(password, account)
        except ValidationError as error:
            raise DomainError(" ".join(error.messages)) from error
        account.set_password(password)
    try:
        account.full_clean(exclude=["password"], validate_unique=False)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError as exc:
        raise AccountExists(_("An account with this mobile number already exists.")) from exc
    give_consent(user=account, kind=ConsentKind.PRIVACY_NOTICE)
    return account


def give_consent(*, user: User, kind: str) -> ConsentRecord:
    """Record a consent with the purpose text shown at the time; idempotent.

    Permission: self: ``user`` gives their own consent (also while signing up).
    """
    existing = user.consents.active().filter(kind=kind).first()
    if existing:
        return existing
    return ConsentRecord.objects.create(
        user=user, kind=kind, purpose=str(PURPOSES[kind]), notice_version=NOTICE_VERSION
    )


@transaction.atomic
def update_profile(
    *, user: User, display_name: str, residential_area, age_band: str, age_band_consent: bool
) -> User:
    """Change what a person says about themselves; the age band follows its consent.

    The correction is logged with the names of the fields changed, not their values:
    the audit trail is kept for good and must not hold personal data.

    Permission: self: ``user`` acts on their own account only.
    """
    if age_band and not age_band_consent:
        raise DomainError(_("To record your age band, tick the consent for age statistics."))
    before = (user.display_name, user.residential_area_id, user.age_band)
    user.display_name = display_name
    user.residential_area = residential_area
    if age_band_consent:
        give_consent(user=user, kind=ConsentKind.AGE_BAND)
        user.age_band = age_band
    else:
        _withdraw_kind(user, ConsentKind.AGE_BAND)
        user.age_band = ""
    user.full_clean()
    user.save()
    after = (user.display_name, user.residential_area_id, user.age_band)
    changed = [
        name
        for name, old, new in zip(
            ["display_name", "residential_area", "age_band"], before, after, strict=True
        )
        if old != new
    ]
    if changed:
        record_event(
            actor=user,
            verb="personal_data.correct",
            target=user,
            after={"fields": changed},
            town_id=_scope_town(user),
        )
    return user


def set_elder_mode(*, user: User, on: bool) -> User:
    """Keep the person's choice of 长辈版 (older residents' mode) on their account, so
    that it follows them to every device they log in on.

    A display preference, not a change to a public record: it is not written to the
    audit trail, which is kept for good and must not hold personal data (choosing the
    mode hints at a person's age). It is in the person's data export and erased with
    the account.

    Permission: self: ``user`` acts on their own account only.
    """
    on = bool(on)
    if user.elder_mode is not on:
        user.elder_mode = on
        user.save(update_fields=["elder_mode"])
    return user


def _withdraw_kind(user: User, kind: str) -> None:
    user.consents.active().filter(kind=kind).update(withdrawn_at=timezone.now())


@transaction.atomic
def withdraw_consent(*, user: User, consent: ConsentRecord) -> None:
    """Withdraw a consent and erase the data that depended on it.

    Permission: self: ``user`` acts on their own consents only.
    """
    if consent.user_id != user.pk:
        raise DomainError(_("This consent is not yours."))
    if not consent.is_active:
        raise DomainError(_("This consent was already withdrawn."))
    if consent.kind == ConsentKind.PRIVACY_NOTICE:
        raise DomainError(
            _(
                "The privacy notice is needed to keep an account. "
                "To withdraw it, delete your account."
            )
        )
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    if consent.kind == ConsentKind.AGE_BAND:
        user.age_band = ""
        user.save(update_fields=["age_band"])
    record_event(
        actor=user,
        verb="consent.withdraw",
        target=consent,
        before={"kind": consent.kind},
        town_id=_scope_town(user),
    )


def export_personal_data(*, user: User) -> dict:
    """Everything the platform holds about this person, as plain JSON-ready data.

    Later capabilities add their sections here (applications, registrations, ...).
    The request itself is logged in the audit trail, as PIPL expects.

    Permission: self: ``user`` reads their own data only.
    """
    area = user.residential_area
    data = {
        "format": "gongzhi-personal-data/1",
        "exported_at": timezone.now().isoformat(),
        "account": {
            "phone": user.phone,
            "display_name": user.display_name,
            "residential_area": ({"town": area.town.name, "name": area.name} if area else None),
            "age_band": user.age_band or None,
            "elder_mode": user.elder_mode,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "consents": [
            {
                "kind": c.kind,
                "purpose": c.purpose,
                "notice_version": c.notice_version,
                "given_at": c.given_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in user.consents.order_by("given_at")
        ],
        "roles": [
            {
                "role": grant.role,
                "town": grant.town.name,
                "areas": [a.name for a in grant.areas.all()],
            }
            for grant in user.role_grants.select_related("town").prefetch_related("areas")
        ],
    }
    # Text messages sent to the person (a code's row holds no code) and their choices.
    data["text_messages"] = [
        {
            "kind": message.kind,
            "created_at": message.created_at.isoformat(),
            "status": message.status,
            "text": message.text,
        }
        for message in SmsMessage.objects.filter(user=user).order_by("created_at", "pk")
    ]
    data["sms_choices"] = {
        choice.kind: choice.sms
        for choice in SmsPreference.objects.filter(user=user).order_by("kind")
    }
    data.update(export_sections(user))
    with transaction.atomic():
        record_event(
            actor=user, verb="personal_data.export", target=user, town_id=_scope_town(user)
        )
    return data


@transaction.atomic
def delete_account(*, user: User, password: str) -> None:
    """Delete a person's account: personal data is erased, the row stays anonymous
    so that their public contributions keep an author shown as "deleted user".

    Permission: self: ``user`` deletes their own account, with their password.
    """
    if user.is_deleted:
        raise DomainError(_("This account is already deleted."))
    if not user.check_password(password):
        raise DomainError(_("The password is not correct."))
    town_id = _scope_town(user)
    user.phone = None
    user.display_name = ""
    user.residential_area = None
    user.age_band = ""
    user.elder_mode = None
    user.is_active = False
    user.is_staff = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save()
    user.consents.active().update(withdrawn_at=user.deleted_at)
    user.role_grants.all().delete()
    # The SMS ledger keeps its rows (the town's spending) but not the number; a
    # message still waiting is then cancelled when its turn comes.
    user.sms_messages.update(phone="")
    record_event(actor=None, verb="account.delete", target=user, town_id=town_id)
