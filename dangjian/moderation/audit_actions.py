from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.audit import registry


def register() -> None:
    registry.register(
        {
            "moderation.screening.approved": _("Held text approved"),
            "moderation.screening.rejected": _("Held text rejected"),
            "moderation.term.added": _("Sensitive word added"),
            "moderation.term.changed": _("Sensitive word changed"),
            "moderation.term.deleted": _("Sensitive word deleted"),
            "moderation.phrase.added": _("Allowed phrase added"),
            "moderation.phrase.deleted": _("Allowed phrase deleted"),
            "moderation.category.changed": _("Sensitive-word category changed"),
            "moderation.options.changed": _("Moderation options changed"),
            "moderation.dictionary.imported": _("Sensitive-word dictionary imported"),
            "moderation.dictionary.exported": _("Sensitive-word dictionary exported"),
            "moderation.rescan.started": _("Re-scan of published texts started"),
            "moderation.rescan.finished": _("Re-scan of published texts finished"),
            "moderation.monitoring.exported": _("Moderation hits exported"),
        }
    )
