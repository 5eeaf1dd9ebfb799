from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "dangjian.orgs"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        from dangjian.accounts.policy import register_role_resolver
        from dangjian.orgs import audit_actions, permissions

        audit_actions.register()
        register_role_resolver(lambda user: [grant.source for grant in permissions.grants(user)])
