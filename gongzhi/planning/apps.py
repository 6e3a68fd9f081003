from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "gongzhi.planning"
    label = "planning"
    verbose_name = _("Planning")

    def ready(self):
        self.register_notifications()
        # The sections planning adds to pages of the apps below it: the plans a
        # proposal is part of, and an area's plans with their current step.
        from . import hooks  # noqa: F401

        # Comments and objections awaiting a reply, on staff's 待办 (core/todo.py).
        from . import todo as todo_sections  # noqa: F401

        self.register_mine()

    def register_mine(self):
        # The plans a person follows and their comments, on their 我的 page (core/mine.py).
        from . import mine  # noqa: F401

    def register_notifications(self):
        # The notifications this app sends, written in the reader's language when
        # read (core/notifications.py).
        from . import notifications  # noqa: F401
