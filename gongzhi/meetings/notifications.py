"""The notifications about meetings (core/notifications.py), written out in the
reader's language when read."""

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
    "meetings.invited",
    message=_("You are invited to the meeting “%(title)s” on %(when)s at %(venue)s."),
    sample={
        "title": "第一居民区自治会议",
        "starts_at": "2026-12-14T19:00:00+08:00",
        "venue": "议事厅",
    },
    prepare=_when,
    label=_("An invitation to a meeting"),
    sms_params=("title", "when", "venue"),
)
