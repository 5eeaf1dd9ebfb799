from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "dangjian.comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        from dangjian.comments import audit_actions, demo
        from dangjian.comments.source import CommentSource
        from dangjian.lib import demo as demo_steps
        from dangjian.lib import screening

        audit_actions.register()
        screening.register(CommentSource())
        demo_steps.register("comments", demo.seed)
