from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "gongzhi.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # Personal-data export, and the sections meetings add to pages of the apps
        # below it (a proposal's agenda items, a unit's and an area's action items).
        # The invitation residents are sent (core/notifications.py).
        from . import (  # noqa: F401
            exports,
            hooks,
            notifications,  # noqa: F401
        )

        # What waits for staff on the 待办 workbench (core/todo.py).
        from . import todo as todo_sections  # noqa: F401
