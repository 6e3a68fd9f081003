"""The notifications about proposals (core/notifications.py), written out in the
reader's language when read."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core.notifications import choice_labels, register_kind

from .models import ProposalStatus

register_kind(
    "proposals.reply",
    message=_("There is a reply to your comment on “%(title)s”."),
    sample={"title": "增设休息座椅"},
)
register_kind(
    "proposals.hidden",
    message=_("Your comment on “%(title)s” was hidden: %(reason)s"),
    sample={"title": "增设休息座椅", "reason": "广告"},
)
register_kind(
    "proposals.status",
    message=_("The proposal “%(title)s” is now: %(status)s."),
    sample={"title": "增设休息座椅", "status": ProposalStatus.ADOPTED.value},
    prepare=choice_labels(status=ProposalStatus),
    # Only the author is texted (proposals/services.py): supporters read it in-app.
    label=_("The status of your proposal changed"),
    sms_params=("title", "status"),
)
