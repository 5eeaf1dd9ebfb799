from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "dangjian.content"
    verbose_name = _("Propaganda")

    def ready(self) -> None:
        import dangjian.lib.demo
        from dangjian.content import audit_actions, defaults, live, selectors
        from dangjian.content import demo as content_demo
        from dangjian.notifications.selectors import register_receipt_viewer

        audit_actions.register()
        live.register()
        register_receipt_viewer(selectors.answers_for_notification)
        dangjian.lib.demo.register("content", content_demo.seed)
        post_migrate.connect(defaults.install_columns, sender=self, dispatch_uid="content.columns")
