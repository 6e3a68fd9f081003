"""The notifications about partners (core/notifications.py), written out in the
reader's language when read."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core.notifications import choice_labels, register_kind

from .models import PartnerStatus

register_kind(
    "partners.welcome",
    message=_("Welcome! You are now a community partner of %(town)s."),
    sample={"town": "高境镇"},
    label=_("Your partner application was accepted"),
    sms_params=("town",),
)
register_kind(
    "partners.declined",
    message=_("Your partner application was not accepted: %(reason)s"),
    sample={"reason": "材料不全"},
    label=_("Your partner application was declined"),
    sms_params=("reason",),
)
register_kind(
    "partners.more_info",
    message=_("The secretariat asks about your partner application: %(question)s"),
    sample={"question": "请补充从业经历"},
)
register_kind(
    "partners.recommended",
    message=_("You were recommended as a community partner of %(town)s. Open to answer."),
    sample={"town": "高境镇"},
)
register_kind(
    "partners.status",
    message=_("Your community partner status is now: %(status)s."),
    sample={"status": PartnerStatus.PAUSED.value},
    prepare=choice_labels(status=PartnerStatus),
)
