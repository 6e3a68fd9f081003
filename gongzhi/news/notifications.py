"""The notifications community news sends to an article's author (core/notifications.py)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core.notifications import register_kind

register_kind(
    "news.published",
    message=_("Your article “%(title)s” is published."),
    sample={"title": "口袋花园建成了"},
)
register_kind(
    "news.returned",
    message=_("Your article “%(title)s” was returned: %(reason)s"),
    sample={"title": "口袋花园建成了", "reason": "请补充居民的话。"},
)
