from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    name = "gongzhi.venues"
    label = "venues"
    verbose_name = _("Venues and bookings")

    def ready(self):
        # The keeper's notification of a request (core/notifications.py) and the
        # requests waiting in 待办 (core/todo.py).
        from . import notifications  # noqa: F401
        from . import todo as todo_sections  # noqa: F401
