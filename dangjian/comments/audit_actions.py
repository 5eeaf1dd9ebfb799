from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.audit import registry


def register() -> None:
    registry.register(
        {
            "comments.comment.posted": _("Comment posted"),
            "comments.comment.edited": _("Comment changed"),
            "comments.comment.deleted": _("Comment deleted"),
            "comments.comment.hidden": _("Comment hidden"),
            "comments.comment.unhidden": _("Comment shown again"),
            "comments.comment.liked": _("Comment liked"),
            "comments.comment.unliked": _("Comment like taken back"),
            "comments.comment.reported": _("Comment reported"),
            "comments.reports.dismissed": _("Comment reports dismissed"),
            "comments.comment.published": _("Held comment published"),
            "comments.comment.withdrawn": _("Comment withdrawn for review"),
            "comments.comment.discarded": _("Held comment discarded"),
        }
    )
