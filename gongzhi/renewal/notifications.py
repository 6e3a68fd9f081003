"""The notifications micro-renewal sends (core/notifications.py), written out in the
reader's language when read."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core.notifications import register_kind

register_kind(
    "renewal.built",
    message=_("“%(title)s” is built: see the result and tell us how satisfied you are."),
    sample={"title": "口袋花园改造"},
    # Sent when a project completes and its satisfaction survey opens, to those who
    # took part (renewal/participation.py): the survey a resident must not miss.
    label=_("The satisfaction survey of a project you took part in"),
    sms_params=("title",),
)
