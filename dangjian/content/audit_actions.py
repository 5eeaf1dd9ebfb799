from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.audit import registry


def register() -> None:
    registry.register(
        {
            "content.item.created": _("Content item created"),
            "content.item.changed": _("Content item changed"),
            "content.item.submitted": _("Content item submitted for review"),
            "content.item.published": _("Content item published"),
            "content.item.approved": _("Content item approved"),
            "content.item.returned": _("Content item returned for changes"),
            "content.item.withdrawn": _("Content item withdrawn"),
            "content.item.pinned": _("Content item pinned"),
            "content.item.unpinned": _("Content item unpinned"),
            "content.column.created": _("Column added"),
            "content.column.renamed": _("Column renamed"),
            "content.column.moved": _("Column moved"),
            "content.column.deleted": _("Column deleted"),
            "content.statistics.exported": _("Reading statistics exported"),
        }
    )
