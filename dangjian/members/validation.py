"""Validation of a member's data, shared by the forms, the API and the importer.

Input values may be typed (dates, organizations) or text as people write it; the result is a
dict of clean values, or a ValidationError whose messages name the field, the rule and the
values involved.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.lib import crypto, idnumber
from dangjian.lib.dates import DateParseError, add_months, age_on, parse_date
from dangjian.lib.text import clean_text, to_halfwidth
from dangjian.members import rules
from dangjian.members.choices import (
    ETHNICITY_NAMES,
    Category,
    Degree,
    Education,
    Gender,
    Status,
)
from dangjian.members.models import ID_PURPOSE, Member
from dangjian.orgs.models import Organization

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
NAME_RE = re.compile(r"^[\u3400-\u9fffA-Za-z·• .\-]{2,50}$")

REQUIRED = (
    "name",
    "id_number",
    "ethnicity",
    "education",
    "category",
    "joined_on",
    "status",
    "organization",
)
PERSONAL_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "native_place",
    "education",
    "degree",
    "category",
    "staff_number",
    "grade",
    "phone",
    "email",
    "address",
    "joined_on",
    "full_member_on",
    "status",
    "organization",
    "party_group",
)


def _date(value: Any, field: str, errors: dict[str, str]) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return parse_date(value)
    except DateParseError:
        errors[field] = _(
            "“%(value)s” is not a date; write it like 2019-07-01, 2019.07.01 or 2019年7月1日."
        ) % {"value": clean_text(value)}
        return None


def _choice(value: Any, field: str, choices: type[Any], errors: dict[str, str]) -> str:
    text = clean_text(value)
    if text in choices.values:
        return text
    errors[field] = _("“%(value)s” is not one of the allowed values.") % {"value": text}
    return ""


def clean_member_data(
    raw: Mapping[str, Any],
    *,
    instance: Member | None = None,
    today: dt.date | None = None,
    check_unique: bool = True,
) -> dict[str, Any]:
    """Check and normalize a member's data; on update, missing keys keep their stored value."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    data: dict[str, Any] = {}
    if instance is not None:
        for field in PERSONAL_FIELDS:
            data[field] = getattr(instance, field)
    for field in PERSONAL_FIELDS:
        if field in raw:
            data[field] = raw[field]

    for field in REQUIRED:
        value = data.get(field)
        if value is None or (isinstance(value, str) and not clean_text(value)):
            errors[field] = _("This field is required.")

    name = clean_text(data.get("name"))
    if name and not NAME_RE.match(name):
        errors["name"] = _("Write the name in Chinese characters or letters, 2 to 50 of them.")
    data["name"] = name

    info = None
    id_text = clean_text(data.get("id_number"))
    if id_text:
        try:
            info = idnumber.parse(id_text, today=today)
        except idnumber.IdNumberError as exc:
            errors["id_number"] = str(exc)
    data["id_number"] = info.number if info else id_text

    birth = _date(data.get("birth_date"), "birth_date", errors)
    gender_raw = clean_text(data.get("gender"))
    if info is not None:
        if birth is not None and birth != info.birth_date:
            errors["birth_date"] = _(
                "The date of birth %(given)s does not match %(derived)s in the ID number."
            ) % {"given": birth.isoformat(), "derived": info.birth_date.isoformat()}
        if gender_raw and gender_raw != info.gender:
            errors["gender"] = _("The gender does not match the ID number, which says %(g)s.") % {
                "g": Gender(info.gender).label
            }
        birth, gender_raw = info.birth_date, info.gender
    data["birth_date"] = birth
    if gender_raw and gender_raw not in Gender.values:
        errors["gender"] = _("Choose male or female.")
    data["gender"] = gender_raw

    ethnicity = clean_text(data.get("ethnicity"))
    if ethnicity and ethnicity not in ETHNICITY_NAMES:
        errors["ethnicity"] = _("“%(value)s” is not an ethnicity in GB 3304.") % {
            "value": ethnicity
        }
    data["ethnicity"] = ethnicity
    if data.get("education"):
        data["education"] = _choice(data["education"], "education", Education, errors)
    data["degree"] = clean_text(data.get("degree"))
    if data["degree"] not in Degree.values:
        errors["degree"] = _("“%(value)s” is not one of the allowed values.") % {
            "value": data["degree"]
        }
    if data.get("category"):
        data["category"] = _choice(data["category"], "category", Category, errors)
    if data.get("status"):
        data["status"] = _choice(data["status"], "status", Status, errors)

    data["native_place"] = clean_text(data.get("native_place"))[:100]
    data["address"] = clean_text(data.get("address"))[:200]
    data["grade"] = clean_text(data.get("grade"))[:10]
    data["staff_number"] = to_halfwidth(clean_text(data.get("staff_number"))).replace(" ", "")
    if len(data["staff_number"]) > 30:
        errors["staff_number"] = _("The staff or student number has at most 30 characters.")

    phone = to_halfwidth(clean_text(data.get("phone"))).replace(" ", "").replace("-", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if phone and not PHONE_RE.match(phone):
        errors["phone"] = _("A mobile number has 11 digits and starts with 13 to 19.")
    data["phone"] = phone

    email = clean_text(data.get("email"))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("“%(value)s” is not an email address.") % {"value": email}
    data["email"] = email

    joined = _date(data.get("joined_on"), "joined_on", errors)
    full = _date(data.get("full_member_on"), "full_member_on", errors)
    data["joined_on"], data["full_member_on"] = joined, full
    if joined and joined > today:
        errors["joined_on"] = _("The date joined cannot be in the future.")
    if joined and birth and "joined_on" not in errors:
        age = age_on(birth, joined)
        if age < rules.MIN_AGE_YEARS:
            errors["joined_on"] = _(
                "A member must be at least 18 when joining (%(source)s): on %(date)s this "
                "person was %(age)d."
            ) % {"source": rules.MIN_AGE.source, "date": joined.isoformat(), "age": age}
    status = data.get("status")
    if status == Status.FULL and joined and "joined_on" not in errors:
        if full is None:
            errors["full_member_on"] = _("Enter the date this member became a full member.")
        else:
            earliest = add_months(joined, rules.PROBATION_MONTHS)
            if full < earliest:
                errors["full_member_on"] = _(
                    "Probation lasts one year (%(source)s): joined on %(joined)s, so the earliest "
                    "date to become a full member is %(earliest)s."
                ) % {
                    "source": rules.PROBATION_ONE_YEAR.source,
                    "joined": joined.isoformat(),
                    "earliest": earliest.isoformat(),
                }
            elif full > today:
                errors["full_member_on"] = _("The date cannot be in the future.")
    elif status == Status.PROBATIONARY and full is not None:
        errors["full_member_on"] = _("A probationary member has no date of becoming a full member.")

    org = data.get("organization")
    if org is not None and not isinstance(org, Organization):
        errors["organization"] = _("Choose an organization.")
    elif org is not None:
        if org.kind != Organization.Kind.BRANCH:
            errors["organization"] = _("Members belong to a Party branch; choose a branch.")
        elif not org.is_active:
            errors["organization"] = _("This organization has been dissolved.")
    group = data.get("party_group")
    if (
        group is not None
        and isinstance(org, Organization)
        and (group.kind != Organization.Kind.GROUP or group.parent_id != org.pk)
    ):
        errors["party_group"] = _("The Party group must belong to the member's branch.")

    if check_unique:
        _check_unique(data, info, instance, errors)
    if errors:
        raise ValidationError(errors)
    return data


def _check_unique(
    data: dict[str, Any],
    info: idnumber.IdInfo | None,
    instance: Member | None,
    errors: dict[str, str],
) -> None:
    if info is not None and "id_number" not in errors:
        clash = Member.objects.filter(
            id_number_hash=crypto.blind_index(info.number, purpose=ID_PURPOSE)
        )
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors["id_number"] = _("A member with this ID number is already on record.")
    if data["staff_number"] and "staff_number" not in errors:
        clash = Member.objects.filter(staff_number=data["staff_number"])
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors["staff_number"] = _(
                "A member with this staff or student number is already on record."
            )
