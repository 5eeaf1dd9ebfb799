from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "dangjian.development"
    verbose_name = _("Member development")

    def ready(self) -> None:
        from dangjian.development import audit_actions, demo
        from dangjian.lib import demo as demo_steps

        audit_actions.register()
        demo_steps.register("development", demo.seed)
