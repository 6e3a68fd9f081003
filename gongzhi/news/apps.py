from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "gongzhi.news"
    label = "news"
    verbose_name = _("Community news")

    def ready(self):
        # The notifications this app sends (core/notifications.py), its permissions,
        # the latest articles on the pages of the areas and plans they report
        # (core/sections.py), and the articles waiting on reviewers' 待办 (core/todo.py).
        from . import hooks, notifications, rules  # noqa: F401
        from . import todo as todo_sections  # noqa: F401
