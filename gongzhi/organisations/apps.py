from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "gongzhi.organisations"
    label = "organisations"
    verbose_name = _("Organisation (1+5+n)")

    def ready(self):
        # Team memberships count as load in partner matching, and units and roles
        # appear on partner profiles: partners knows nothing of organisations.
        from . import hooks  # noqa: F401

        self.register_mine()

    def register_mine(self):
        # A partner's teams and committees on their 我的 page (core/mine.py).
        from . import mine  # noqa: F401
