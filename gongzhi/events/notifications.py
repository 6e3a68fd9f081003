"""The notifications activities send (core/notifications.py), written out in the
reader's language when read."""

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
