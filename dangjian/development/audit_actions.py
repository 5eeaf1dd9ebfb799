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
            "development.document.read": _("Development document opened"),
            "development.dossier.exported": _("Development dossier exported"),
            "development.case.returned": _("Development case returned to the branch"),
            "development.case.resubmitted": _("Development case resubmitted to the committee"),
            "development.applicant.account_created": _("Applicant's account opened"),
            "development.report.exported": _("Development report exported"),
            "development.plan.set": _("Admission plan set"),
            "development.holiday.set": _("Calendar day set"),
            "development.holiday.deleted": _("Calendar day deleted"),
            "development.holiday.imported": _("Official holiday schedule imported"),
        }
    )
