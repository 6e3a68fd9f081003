from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "gongzhi.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        # A resident's own answers join their personal-data export.
        from . import exports  # noqa: F401

        self.register_mine()

    def register_mine(self):
        # The surveys the person answered, on their 我的 page (core/mine.py).
        from . import mine  # noqa: F401
