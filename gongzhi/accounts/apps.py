from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gongzhi.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # 长辈版 chosen by a signed-in person is kept on the account, and the consent
        # to SMS notifications given or withdrawn from 我的, through this app's
        # services (core may not import accounts).
        from gongzhi.core.display import register_account_keeper
        from gongzhi.core.sms.preferences import register_consent_keeper

        from .services import give_consent, set_elder_mode, withdraw_consent

        register_account_keeper(set_elder_mode)
        register_consent_keeper(give=give_consent, withdraw=withdraw_consent)
