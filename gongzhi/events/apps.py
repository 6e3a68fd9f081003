from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "gongzhi.events"
    label = "events"
    verbose_name = _("Activities and participation")

    def ready(self):
        self.register_notifications()
        # This capability's records join the person's personal-data export.
        from . import exports  # noqa: F401

        # What waits for staff on the 待办 workbench (core/todo.py).
        from . import todo as todo_sections  # noqa: F401

        self.register_mine()

    def register_mine(self):
        # The person's activities and hours on their 我的 page (core/mine.py).
        from . import mine  # noqa: F401

    def register_notifications(self):
        # The notifications this app sends, written in the reader's language when
        # read (core/notifications.py).
        from . import notifications  # noqa: F401
