from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "gongzhi.organisations"
    label = "organisations"
    verbose_name = _("Organisation (1+5+n)")

    def ready(self):
        self.register_notifications()
        # Team memberships count as load in partner matching, and units and roles
        # appear on partner profiles: partners knows nothing of organisations.
        from . import hooks  # noqa: F401

        self.register_mine()

    def register_mine(self):
        # A partner's teams and committees on their 我的 page (core/mine.py).
        from . import mine  # noqa: F401

    def register_notifications(self):
        # The notifications this app sends, written in the reader's language when
        # read (core/notifications.py).
        from . import notifications  # noqa: F401
