from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "gongzhi.contests"
    label = "contests"
    verbose_name = _("Design contests")

    def ready(self):
        # This capability's records join the person's personal-data export.
        from . import exports  # noqa: F401
