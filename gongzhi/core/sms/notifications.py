"""The in-app notifications the SMS pipeline sends the secretariat about its budget."""

from django.utils.translation import gettext_lazy as _

from ..notifications import register_kind

register_kind(
    "core.sms_budget_warning",
    message=_(
        "This month's text messages have used %(percent)s%% of the town's SMS budget. "
        "At 100%% notifications stop (verification codes still go out)."
    ),
    sample={"percent": 80},
)
register_kind(
    "core.sms_budget_stopped",
    message=_(
        "The town's SMS budget for this month is used up: notifications are no longer "
        "sent by text message until next month (verification codes still go out)."
    ),
    sample={"percent": 100},
)
