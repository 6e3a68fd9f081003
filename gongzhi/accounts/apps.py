from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gongzhi.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # 长辈版 chosen by a signed-in person is kept on the account, through this
        # app's service (core/display.py, which may not import accounts).
        from gongzhi.core.display import register_account_keeper

        from .services import set_elder_mode

        register_account_keeper(set_elder_mode)
