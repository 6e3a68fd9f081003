"""The notifications about contests (core/notifications.py), written out in the
reader's language when read."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core.notifications import register_kind

register_kind(
    "contests.jury",
    message=_("You are on the jury of %(title)s."),
    sample={"title": "社区微更新设计大赛"},
)
register_kind(
    "contests.eliminated",
    message=_("%(title)s did not go on to the next stage. Thank you for taking part!"),
    sample={"title": "口袋花园方案"},
)
register_kind(
    "contests.award",
    message=_("Congratulations: %(title)s won %(award)s."),
    sample={"title": "口袋花园方案", "award": "一等奖"},
)
