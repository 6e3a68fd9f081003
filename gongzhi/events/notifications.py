"""The notifications activities send (core/notifications.py), written out in the
reader's language when read."""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from gongzhi.core.notifications import register_kind

register_kind(
    "events.place_free",
    message=_("A place came free: you are now signed up for %(title)s."),
    sample={"title": "社区花园共建日"},
    label=_("A place came free on a waiting list"),
    sms_params=("title",),
)
register_kind(
    "events.hours_approved",
    message=_("Your %(minutes)d minutes at %(title)s were approved."),
    sample={"minutes": 90, "title": "社区花园共建日"},
)
register_kind(
    "events.hours_rejected",
    message=_("Your %(minutes)d minutes at %(title)s were not approved."),
    sample={"minutes": 90, "title": "社区花园共建日"},
)
register_kind(
    "events.reminder",
    message=_("Reminder: %(title)s is tomorrow at %(time)s, %(venue)s."),
    sample={"title": "社区花园共建日", "time": "09:30", "venue": "居委会活动室"},
    label=_("Reminder the day before an activity"),
    sms_params=("title", "time", "venue"),
)


def _when(params: dict) -> dict:
    """The times, stored as ISO text, as the reader's language writes them."""
    values = dict(params)
    values["when"] = date_format(
        timezone.localtime(datetime.fromisoformat(params["starts_at"])), "DATETIME_FORMAT"
    )
    if "ends_at" in params:
        values["end"] = date_format(
            timezone.localtime(datetime.fromisoformat(params["ends_at"])), "H:i"
        )
    return values


# Both in-app only: the place and the reason are free text, longer than an SMS
# template's variables take (core/notifications.py SMS_PARAM_LIMIT).
register_kind(
    "events.changed",
    message=_("%(title)s has changed: it is now on %(when)s – %(end)s at %(venue)s."),
    sample={
        "title": "社区花园共建日",
        "starts_at": "2026-12-14T09:30:00+08:00",
        "ends_at": "2026-12-14T11:30:00+08:00",
        "venue": "居委会活动室",
    },
    prepare=_when,
)
register_kind(
    "events.cancelled",
    message=_("%(title)s on %(when)s is cancelled. Reason: %(reason)s"),
    sample={
        "title": "社区花园共建日",
        "starts_at": "2026-12-14T09:30:00+08:00",
        "reason": "天气预报有大雨，改期另行通知。",
    },
    prepare=_when,
)
