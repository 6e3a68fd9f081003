"""Which notifications a person takes by SMS, chosen on 我的.

Texts about one's participation are sent only with the person's consent
(accounts.ConsentKind.SMS_NOTIFICATIONS, PIPL) and only to a verified number. Once
the consent is given every SMS kind is on; the person may turn each off. Turning
any on gives the consent; turning all off withdraws it; withdrawing it on the
personal-data page stops them all. Verification codes are never optional.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from ..errors import DomainError
from ..masking import mask_phone
from ..models import SmsPreference
from ..notifications import sms_kinds
from .outgoing import SMS_CONSENT

# The SMS consent's record (with the purpose text shown) belongs to accounts, whose
# services are the only writers of consent (DESIGN.md, PIPL). Core may not import
# accounts: accounts registers its two services here from its ready().
_consent_keeper: dict = {}


def register_consent_keeper(*, give, withdraw) -> None:
    """``give(user=, kind=)`` and ``withdraw(user=, consent=)``: accounts' services."""
    _consent_keeper.update(give=give, withdraw=withdraw)


def _consent(user):
    return user.consents.filter(kind=SMS_CONSENT, withdrawn_at__isnull=True).first()


def sms_choices(user) -> dict:
    """The 我的 section's context: each SMS kind with whether it is on, the masked
    number they go to and whether it is verified. Two queries."""
    consented = _consent(user) is not None
    off = set(SmsPreference.objects.filter(user=user, sms=False).values_list("kind", flat=True))
    return {
        "kinds": [
            {"key": kind.key, "label": kind.label, "on": consented and kind.key not in off}
            for kind in sms_kinds()
        ],
        "consented": consented,
        "phone": mask_phone(user.phone),
        "verified": bool(user.phone_verified),
    }


@transaction.atomic
def set_sms_choices(*, user, kinds) -> set[str]:
    """Keep the SMS kinds ``user`` turned on (``kinds``, keys of SMS kinds) and turn
    the others off; give the SMS consent when any is on and withdraw it when none
    is. Returns the kinds now on. A key that is not an SMS kind is refused, and
    nothing is kept."""
    known = {kind.key for kind in sms_kinds()}
    chosen = {str(key) for key in kinds}
    unknown = chosen - known
    if unknown:
        raise DomainError(
            _("“%(kind)s” is not a message that can be sent by SMS. Reload the page and try again.")
            % {"kind": sorted(unknown)[0][:60]}
        )
    if not _consent_keeper:
        raise RuntimeError("no consent keeper registered: is gongzhi.accounts installed?")
    for key in known:
        SmsPreference.objects.update_or_create(user=user, kind=key, defaults={"sms": key in chosen})
    consent = _consent(user)
    if chosen and consent is None:
        _consent_keeper["give"](user=user, kind=SMS_CONSENT)
    elif not chosen and consent is not None:
        _consent_keeper["withdraw"](user=user, consent=consent)
    return chosen
