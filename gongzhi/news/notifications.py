"""The notifications community news sends (core/notifications.py): to an article's author
when it is published or returned, to its reviewers when it is submitted."""

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
# To its reviewers (the town's secretariat; the area's staff for an area's article).
register_kind(
    "news.submitted",
    message=_("The article “%(title)s” is waiting for your review."),
    sample={"title": "口袋花园建成了"},
)
