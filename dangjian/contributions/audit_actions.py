from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.audit import registry


def register() -> None:
    registry.register(
        {
            "contributions.contribution.submitted": _("Contribution sent to the editors"),
            "contributions.contribution.changed": _("Contribution changed by its author"),
            "contributions.contribution.resubmitted": _("Contribution sent again"),
            "contributions.contribution.withdrawn": _("Contribution withdrawn by its author"),
            "contributions.contribution.accepted": _("Contribution accepted"),
            "contributions.contribution.returned": _("Contribution returned for changes"),
            "contributions.contribution.rejected": _("Contribution not accepted"),
            "contributions.contribution.published": _("Contribution published"),
            "contributions.contribution.released": _("Contribution cleared by moderation"),
            "contributions.contribution.held": _("Contribution held for moderation"),
            "contributions.contribution.discarded": _("Contribution refused by moderation"),
        }
    )
