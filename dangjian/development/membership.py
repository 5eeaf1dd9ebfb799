"""Where member development meets the roster: the approval of admission (step 17) puts a
probationary member on it, dated from the branch meeting that admitted them (step 15); the
approval at conversion (step 24) makes them a full member from the day probation expires,
extends their probation, or cancels their probationary membership.

Called by services._record inside its transaction: a refusal here refuses the step.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dangjian.development.models import Case
from dangjian.development.rules import engine
from dangjian.development.rules.checks import probation_end
from dangjian.development.rules.model import CaseHistory, RulesConfig, StepRecord
from dangjian.development.rules.steps import CANCEL, CONVERT, EXTEND, REJECT
from dangjian.members.choices import ETHNICITY_NAMES, Category, Education, Status
from dangjian.members.models import EventKind, Member
from dangjian.members.services.events import member_record_event
from dangjian.members.services.records import member_create

# The personal data a member record needs that an application does not carry.
PROFILE_FIELDS = ("ethnicity", "education", "category", "staff_number", "grade")
PROFILE_REQUIRED = ("ethnicity", "education", "category")


def clean_profile(raw: dict[str, Any]) -> dict[str, str]:
    """The profile fields given, checked against the roster's code lists (GB 3304 and ours)."""
    profile: dict[str, str] = {}
    for name in PROFILE_FIELDS:
        value = str(raw.get(name) or "").strip()
        if not value:
            continue
        if name == "ethnicity" and value not in ETHNICITY_NAMES:
            raise ValidationError(
                {name: _("“%(value)s” is not an ethnicity in GB 3304.") % {"value": value}}
            )
        if name == "education" and value not in Education.values:
            raise ValidationError({name: _("Choose an education level from the list.")})
        if name == "category" and value not in Category.values:
            raise ValidationError({name: _("Choose a personnel category from the list.")})
        if len(value) > 30:
            raise ValidationError({name: _("At most 30 characters.")})
        profile[name] = value
    return profile


def missing_profile(case: Case) -> list[str]:
    """The fields the member record will need that the case does not hold yet."""
    if case.member_id is not None:
        return []
    return [name for name in PROFILE_REQUIRED if not (case.profile or {}).get(name)]


def apply(
    actor: Any, case: Case, history: CaseHistory, record: StepRecord, config: RulesConfig
) -> None:
    """Bring the member record in line with an approval just recorded (steps 17 and 24)."""
    if record.step == 17 and record.outcome != REJECT:
        _admit(actor, case, history)
    elif record.step == 24:
        _decide_conversion(actor, case, history, record, config)


def _admit(actor: Any, case: Case, history: CaseHistory) -> None:
    meeting = history.first(15)
    if meeting is None or case.member_id is not None:
        return  # a member's own record exists already (a probationary member's case)
    missing = missing_profile(case)
    if missing:
        labels = {
            "ethnicity": _("ethnicity"),
            "education": _("education"),
            "category": _("personnel category"),
        }
        raise ValidationError(
            {
                missing[0]: _(
                    "Admission puts the person on the roster: record their %(fields)s on the "
                    "case first."
                )
                % {
                    "fields": pgettext("list separator", ", ").join(
                        str(labels[name]) for name in missing
                    )
                }
            }
        )
    profile = case.profile or {}
    data = {
        "name": case.name,
        "gender": case.gender,
        "birth_date": case.birth_date,
        "id_number": case.id_number,
        "phone": case.phone,
        "ethnicity": profile.get("ethnicity", ""),
        "education": profile.get("education", ""),
        "category": profile.get("category", ""),
        "staff_number": profile.get("staff_number", ""),
        "grade": profile.get("grade", ""),
        "joined_on": meeting.date,
        "full_member_on": None,
        "status": Status.PROBATIONARY,
        "organization": case.organization,
    }
    try:
        member = member_create(
            actor=actor,
            data=data,
            origin=EventKind.ADMISSION,
            reason=_("Admitted through member development case %(case)d") % {"case": case.pk},
        )
    except ValidationError as error:
        fields = error.message_dict if hasattr(error, "error_dict") else {"member": error.messages}
        name, messages = next(iter(fields.items()))
        raise ValidationError(
            {
                name: _("The member record cannot be created: %(problem)s")
                % {"problem": " ".join(messages)}
            }
        ) from None
    case.member = member
    case.save(update_fields=["member", "updated_at"])


def _decide_conversion(
    actor: Any, case: Case, history: CaseHistory, record: StepRecord, config: RulesConfig
) -> None:
    meeting = history.last(23)
    if meeting is None or case.member_id is None:
        return
    member = Member.objects.get(pk=case.member_id)
    if member.status != Status.PROBATIONARY:
        return
    outcome = record.outcome or meeting.outcome
    if outcome == CONVERT:
        version = engine.version_for(meeting.date, config)
        member_record_event(
            actor=actor,
            member=member,
            kind=EventKind.CONVERSION,
            effective_date=probation_end(history, version, config),
            reason=_("Conversion approved on %(date)s") % {"date": record.date.isoformat()},
        )
    elif outcome == EXTEND:
        member_record_event(
            actor=actor,
            member=member,
            kind=EventKind.PROBATION_EXTENDED,
            effective_date=meeting.date,
            reason=_(
                "Probation extended by the branch meeting of %(date)s, approved on %(approved)s"
            )
            % {"date": meeting.date.isoformat(), "approved": record.date.isoformat()},
            detail={"months": meeting.extension_months},
        )
    elif outcome == CANCEL:
        member_record_event(
            actor=actor,
            member=member,
            kind=EventKind.EXIT_PROBATION_CANCELLED,
            effective_date=record.date,
            reason=_("Probationary membership cancelled by the branch meeting of %(date)s")
            % {"date": meeting.date.isoformat()},
        )
