from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gongzhi.core"
    label = "core"
    verbose_name = _("Core: audit trail")

    def ready(self):
        # The SMS pipeline's notifications to the secretariat (its budget) and its
        # section of the staff's 待办 (messages that did not arrive).
        from django.db.backends.signals import connection_created

        from . import metrics  # noqa: F401 - counts tasks through django-tasks' signals
        from .pagecache import install

        # Every committed write draws a new data version (core/pagecache.py).
        connection_created.connect(install, dispatch_uid="gongzhi.pagecache")
        from .sms import notifications, todo  # noqa: F401
