from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaperConfig(AppConfig):
    name = "gongzhi.paper"
    label = "paper"
    verbose_name = _("Paper voices")

    def ready(self):
        # Who may record a resident's paper form, and the way to it from the pages of
        # the activities, proposals, surveys, plans and areas (core/sections.py).
        from . import hooks, rules  # noqa: F401
