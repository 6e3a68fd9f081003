"""What every SMS backend offers (see the package docstring)."""

import math
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Sent:
    """The provider accepted the message."""

    # The provider's id for it (Alibaba's BizId, Tencent's SerialNo): delivery
    # receipts name the message by it.
    provider_id: str
    # Billed units: a message longer than one segment costs one unit per segment.
    cost_units: int = 1


@dataclass(frozen=True)
class Receipt:
    """A provider's delivery report on one message."""

    provider_id: str
    phone: str
    delivered: bool
    # The provider's status or error code as it gave it ("DELIVERED", "MK:0001", ...).
    error_code: str = ""
    reported_at: datetime | None = None


class SmsError(Exception):
    """The provider refused the message or could not be reached.

    ``retryable`` says whether sending again later may succeed (the provider down,
    throttled, a timeout); a refusal that will not change (an invalid number, a
    template not approved, the account out of credit) is not retried.
    """

    def __init__(self, code: str, message: str = "", *, retryable: bool):
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message
        self.retryable = retryable


class SmsBackend:
    """Base class of the backends. ``options`` is ``settings.GONGZHI_SMS``."""

    name = ""

    def __init__(self, options: dict):
        self.options = options

    def template_id(self, template: str) -> str:
        """The provider's template id for a template key; SmsError if not configured
        (not retryable: a deployment must add it to GONGZHI_SMS["TEMPLATES"])."""
        try:
            return self.options.get("TEMPLATES", {})[template]
        except KeyError:
            raise SmsError(
                "template_not_configured",
                f"no provider template for {template!r} in GONGZHI_SMS['TEMPLATES']",
                retryable=False,
            ) from None

    def send(self, *, phone: str, template: str, params: dict[str, str], text: str) -> Sent:
        """Send one message to a mainland number (11 digits). Raises SmsError."""
        raise NotImplementedError

    def parse_receipts(self, body: bytes) -> list[Receipt]:
        """The delivery reports in a callback's body, as the provider posts them.
        Raises ValueError when the body is not a report this provider sends."""
        raise NotImplementedError


def segments(text: str) -> int:
    """How many billed segments a Chinese SMS of ``text`` (signature included) takes:
    70 characters fit in one; longer messages are split into parts of 67."""
    length = len(text)
    return 1 if length <= 70 else math.ceil(length / 67)


@cache
def _backend(path: str, options_key: tuple) -> SmsBackend:
    return import_string(path)(dict(settings.GONGZHI_SMS))


def get_backend() -> SmsBackend:
    """The configured backend (one instance per configuration)."""
    options = settings.GONGZHI_SMS
    key = tuple(sorted((k, repr(v)) for k, v in options.items()))
    return _backend(options["BACKEND"], key)
