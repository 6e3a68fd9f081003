"""The notification venues sends (core/notifications.py): a venue's keeper is told of
a new booking request, written out in the reader's language when read."""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from gongzhi.core.notifications import register_kind


def _when(params: dict) -> dict:
    """The start, stored as ISO text, as the reader's language writes it."""
    moment = timezone.localtime(datetime.fromisoformat(params["starts_at"]))
    return {**params, "when": date_format(moment, "DATETIME_FORMAT")}


register_kind(
    "venues.requested",
    message=_("A request to book %(venue)s on %(when)s (%(purpose)s) waits for your decision."),
    sample={"venue": "逸致议事厅", "starts_at": "2026-12-14T19:00:00+08:00", "purpose": "读书会"},
    prepare=_when,
)
