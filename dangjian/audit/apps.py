from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "dangjian.audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from dangjian.audit import registry

        registry.register(
            {
                "audit.log.exported": _("Audit log exported"),
                "audit.log.pruned": _("Expired audit entries deleted"),
            }
        )
