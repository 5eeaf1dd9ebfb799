from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dangjian.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from dangjian.accounts import audit_actions

        audit_actions.register()
