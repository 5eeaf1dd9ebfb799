from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.audit import registry


def register() -> None:
    registry.register(
        {
            "development.case.created": _("Development case opened"),
            "development.step.recorded": _("Development step recorded"),
            "development.batch.recorded": _("Development step recorded for several people"),
        }
    )
