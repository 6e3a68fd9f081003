from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CultivationConfig(AppConfig):
    name = "gongzhi.cultivation"
    label = "cultivation"
    verbose_name = _("Partner cultivation")

    def ready(self):
        # The public summary on a residential area's page (core/sections.py).
        from . import hooks  # noqa: F401
