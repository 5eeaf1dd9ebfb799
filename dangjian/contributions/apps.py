from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    name = "dangjian.contributions"
    verbose_name = _("Contribution desk")

    def ready(self) -> None:
        from dangjian.contributions import audit_actions, demo
        from dangjian.contributions.services import ArticleSource
        from dangjian.lib import demo as demo_steps
        from dangjian.lib import screening

        audit_actions.register()
        screening.register(ArticleSource())
        demo_steps.register("contributions", demo.seed)
