from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "dangjian.moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from dangjian.lib import demo as demo_steps
        from dangjian.lib import screening
        from dangjian.moderation import audit_actions, defaults, demo, services

        audit_actions.register()
        demo_steps.register("moderation", demo.seed)
        screening.install(services.screen, services.attach, services.supersede)
        post_migrate.connect(
            defaults.install_defaults, sender=self, dispatch_uid="moderation.defaults"
        )
