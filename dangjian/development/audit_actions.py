from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.audit import registry


def register() -> None:
    registry.register(
        {
            "development.case.created": _("Development case opened"),
            "development.step.recorded": _("Development step recorded"),
            "development.batch.recorded": _("Development step recorded for several people"),
            "development.case.updated": _("Development case data corrected"),
            "development.document.added": _("Development document added"),
            "development.document.removed": _("Development document removed"),
        }
    )
