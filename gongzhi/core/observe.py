"""Errors to a Sentry-compatible service (README, "Seeing it run").

config/settings.py calls ``init_sentry`` when GONGZHI_SENTRY_DSN is set. What leaves
the deployment is the minimum needed to fix a fault (PIPL): no cookies, user, IP or
local variables (a resident's name in a variable cannot be recognised and removed),
the usual secrets by key, and every mainland mobile number wherever it appears (an
exception's text, a query string, a form) replaced by ``[phone]``. Each event carries
the request's id (tag ``request_id``), the number a resident reads off the error page.

Imported by the settings: nothing here may import Django models.
"""

import re

from django_guid import get_guid

# 138 1234 5678 with or without +86 / 0086, not inside a longer run of digits.
PHONE = re.compile(r"(?<!\d)(?:(?:\+|00)?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
PHONE_MASK = "[phone]"
# Keys whose values never leave, whatever they hold (added to sentry-sdk's own list).
PERSONAL_KEYS = ["phone", "mobile", "code", "id_number", "name", "real_name", "address"]


def scrub_phones(value):
    """``value`` (an event or any part of it) with every mobile number replaced."""
    if isinstance(value, str):
        return PHONE.sub(PHONE_MASK, value)
    if isinstance(value, dict):
        return {scrub_phones(k): scrub_phones(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(scrub_phones(item) for item in value)
    return value


def before_send(event, hint):
    """sentry-sdk's last look at an event: tag it with the request id, drop phones."""
    request_id = get_guid()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return scrub_phones(event)


def init_sentry(dsn: str, *, environment: str = "production", release: str | None = None):
    """Start sentry-sdk with the Django integration and the rules above."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        event_scrubber=EventScrubber(denylist=DEFAULT_DENYLIST + PERSONAL_KEYS, recursive=True),
        before_send=before_send,
        # Errors only: performance tracing is the metrics endpoint's job.
        traces_sample_rate=None,
    )
