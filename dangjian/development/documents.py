"""The standard papers of each step (the dossier's 材料 list), as the organization departments'
dossier checklists name them (发展党员工作流程及材料清单). A document uploaded to a step names
one of its forms, or none for another paper."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Form:
    code: str
    name: str | Promise


FORMS: dict[int, tuple[Form, ...]] = {
    1: (Form("application", _("Written application to join the Party")),),
    2: (Form("talk-record", _("Record of the talk with the applicant")),),
    3: (
        Form("activist-recommendation", _("Recommendations for activist (party members and mass)")),
        Form("committee-minutes-activist", _("Branch committee minutes selecting activists")),
    ),
    4: (Form("activist-filing", _("Activist filing form for the higher committee")),),
    5: (Form("contacts-appointment", _("Appointment of cultivation contacts")),),
    6: (
        Form("activist-register", _("Activist cultivation and assessment register")),
        Form("thought-report", _("Thought report")),
    ),
    7: (
        Form("opinions", _("Opinions of party members and the masses")),
        Form(
            "committee-minutes-object",
            _("Branch committee minutes selecting the development object"),
        ),
        Form("notice-object", _("Public notice of the development object")),
    ),
    8: (Form("object-filing", _("Development object filing form")),),
    9: (Form("sponsor-appointment", _("Appointment of the two sponsors")),),
    10: (
        Form("political-review", _("Political review report")),
        Form("inquiry-letters", _("Inquiry letters and replies")),
    ),
    11: (Form("training-certificate", _("Intensive training certificate")),),
    12: (Form("committee-review", _("Branch committee review opinion")),),
    13: (
        Form("prereview-request", _("Request for pre-review")),
        Form("prereview-opinion", _("Pre-review opinion of the higher committee")),
    ),
    14: (Form("application-form", _("Party membership application form (入党志愿书)")),),
    15: (
        Form("assembly-minutes-admission", _("Minutes of the branch general meeting")),
        Form("assembly-resolution", _("Resolution of the branch general meeting")),
    ),
    16: (Form("committee-talk-record", _("Record of the higher committee's talk")),),
    17: (Form("approval", _("Approval of the higher committee")),),
    18: (Form("approval-filing", _("Filing report to the next-higher organization department")),),
    19: (),
    20: (Form("oath-record", _("Record of the admission oath")),),
    21: (
        Form("probation-register", _("Probationary member assessment register")),
        Form("probation-thought-report", _("Thought report")),
    ),
    22: (Form("conversion-application", _("Written application for full membership")),),
    23: (
        Form("notice-conversion", _("Public notice of the conversion")),
        Form(
            "assembly-minutes-conversion", _("Minutes of the branch general meeting on conversion")
        ),
    ),
    24: (Form("conversion-approval", _("Approval of the conversion")),),
    25: (Form("archive-list", _("Archive catalogue of the dossier")),),
}

BY_CODE: dict[str, tuple[int, Form]] = {
    form.code: (number, form) for number, forms in FORMS.items() for form in forms
}


def forms_of(step: int) -> tuple[Form, ...]:
    return FORMS.get(step, ())


def form_name(code: str) -> str | Promise:
    found = BY_CODE.get(code)
    return found[1].name if found else code
