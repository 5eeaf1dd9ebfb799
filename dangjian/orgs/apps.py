from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "dangjian.orgs"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        from dangjian.orgs import audit_actions

        audit_actions.register()
