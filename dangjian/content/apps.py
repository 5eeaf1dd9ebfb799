from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "dangjian.content"
    verbose_name = _("Propaganda")

    def ready(self) -> None:
        from dangjian.content import audit_actions, defaults

        audit_actions.register()
        post_migrate.connect(defaults.install_columns, sender=self, dispatch_uid="content.columns")
