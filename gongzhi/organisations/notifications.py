"""The notifications about teams (core/notifications.py), written out in the
reader's language when read."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core.notifications import choice_labels, register_kind

from .models import MemberRole

register_kind(
    "organisations.joined",
    message=_("You joined %(unit)s as %(role)s."),
    sample={"unit": "第一居民区睦邻规划团队", "role": MemberRole.MEMBER.value},
    prepare=choice_labels(role=MemberRole),
)
