from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenewalConfig(AppConfig):
    name = "gongzhi.renewal"
    label = "renewal"
    verbose_name = _("Micro-renewal")

    def ready(self):
        self.register_notifications()
        # The sections renewal adds to the pages of its origins (a plan, a proposal,
        # a contest entry) and of residential areas: the projects they became.
        from . import hooks  # noqa: F401

        # What waits for staff on the 待办 workbench (core/todo.py).
        from . import todo as todo_sections  # noqa: F401

    def register_notifications(self):
        # The notifications this app sends, written in the reader's language when
        # read (core/notifications.py).
        from . import notifications  # noqa: F401
