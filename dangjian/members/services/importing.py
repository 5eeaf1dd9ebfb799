"""Importing a roster from an .xlsx file: Chinese headers, row-by-row validation, all or nothing.

The column set is documented in docs/import.md. Headers are matched in any order, and the
error report is the uploaded sheet with the problems of each row beside it, so it can be
fixed and uploaded again as it is.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Field, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.models import User
from dangjian.audit.services import log_action
from dangjian.lib import crypto
from dangjian.lib.excel import WorkbookError, read_rows, write_workbook
from dangjian.lib.text import clean_text, to_halfwidth
from dangjian.members.choices import (
    ETHNICITIES,
    Category,
    Degree,
    Education,
    Gender,
    Status,
)
from dangjian.members.models import ID_PURPOSE, ImportJob, Member
from dangjian.members.services.records import members_bulk_create
from dangjian.members.validation import clean_member_data
from dangjian.orgs.models import Organization, subtree_q

# Field -> headers people write for it, first one canonical (used in the template).
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名",),
    "gender": ("性别",),
    "ethnicity": ("民族",),
    "birth_date": ("出生日期", "出生年月"),
    "id_number": ("公民身份号码", "身份证号", "身份证号码", "公民身份证号码", "身份证"),
    "native_place": ("籍贯",),
    "education": ("学历",),
    "degree": ("学位",),
    "category": ("人员类别",),
    "staff_number": ("学号/工号", "学号", "工号", "学工号", "学号或工号"),
    "grade": ("年级",),
    "phone": ("手机号码", "手机号", "手机", "联系电话"),
    "email": ("电子邮箱", "邮箱", "电子邮件"),
    "address": ("家庭住址", "现居住地", "住址", "通讯地址"),
    "joined_on": ("入党日期", "入党时间"),
    "full_member_on": ("转正日期", "转正时间"),
    "status": ("党员类型", "党员类别"),
    "organization": ("党组织编码", "所在党支部", "党支部", "所在党组织"),
}
REQUIRED_HEADERS = (
    "name",
    "id_number",
    "ethnicity",
    "education",
    "category",
    "joined_on",
    "status",
)
REPORT_HEADERS = ("行号", "问题")

GENDERS = {
    "男": Gender.MALE,
    "女": Gender.FEMALE,
    "m": Gender.MALE,
    "f": Gender.FEMALE,
    "male": Gender.MALE,
    "female": Gender.FEMALE,
}
ETHNICITY_BY_NAME = {
    **{name: code for code, name, _label in ETHNICITIES},
    **{name.removesuffix("族"): code for code, name, _label in ETHNICITIES if len(name) > 2},
    **{code: code for code, _name, _label in ETHNICITIES},
}
EDUCATIONS = {
    "博士研究生": Education.DOCTORATE,
    "博士": Education.DOCTORATE,
    "研究生（博士）": Education.DOCTORATE,
    "研究生(博士)": Education.DOCTORATE,
    "硕士研究生": Education.MASTER,
    "硕士": Education.MASTER,
    "研究生（硕士）": Education.MASTER,
    "研究生(硕士)": Education.MASTER,
    "大学本科": Education.BACHELOR,
    "本科": Education.BACHELOR,
    "大学专科": Education.JUNIOR_COLLEGE,
    "专科": Education.JUNIOR_COLLEGE,
    "大专": Education.JUNIOR_COLLEGE,
    "中专": Education.SECONDARY_VOCATIONAL,
    "中等专科": Education.SECONDARY_VOCATIONAL,
    "高中": Education.HIGH_SCHOOL,
    "中技": Education.HIGH_SCHOOL,
    "高中/中技": Education.HIGH_SCHOOL,
    "技校": Education.HIGH_SCHOOL,
    "初中": Education.JUNIOR_HIGH,
    "初中及以下": Education.JUNIOR_HIGH,
    "小学": Education.JUNIOR_HIGH,
}
DEGREES = {
    "学士": Degree.BACHELOR,
    "学士学位": Degree.BACHELOR,
    "硕士": Degree.MASTER,
    "硕士学位": Degree.MASTER,
    "博士": Degree.DOCTOR,
    "博士学位": Degree.DOCTOR,
    "无": Degree.NONE,
    "": Degree.NONE,
}
CATEGORIES = {
    "教师": Category.TEACHER,
    "专任教师": Category.TEACHER,
    "职工": Category.STAFF,
    "教职工": Category.STAFF,
    "管理人员": Category.STAFF,
    "本科生": Category.UNDERGRADUATE,
    "本科": Category.UNDERGRADUATE,
    "硕士研究生": Category.MASTER,
    "硕士生": Category.MASTER,
    "博士研究生": Category.DOCTORAL,
    "博士生": Category.DOCTORAL,
    "离退休": Category.RETIRED,
    "离退休人员": Category.RETIRED,
    "退休": Category.RETIRED,
    "离休": Category.RETIRED,
    "其他": Category.OTHER,
}
STATUSES = {
    "正式党员": Status.FULL,
    "正式": Status.FULL,
    "预备党员": Status.PROBATIONARY,
    "预备": Status.PROBATIONARY,
}


def _normalize_header(value: Any) -> str:
    text = to_halfwidth(clean_text(value)).replace(" ", "")
    text = re.sub(r"[*＊]", "", text)
    return re.sub(r"[(（].*?[)）]$", "", text)


def _header_lookup() -> dict[str, str]:
    lookup = {}
    for field_name, names in HEADERS.items():
        for name in names:
            lookup[_normalize_header(name)] = field_name
    return lookup


@dataclass
class RowError:
    row: int
    field: str
    header: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "field": self.field,
            "header": self.header,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class ParsedRoster:
    header_row: list[str] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    valid: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def error_rows(self) -> set[int]:
        return {e.row for e in self.errors}


class _Mapper:
    """Turns one sheet row into raw values for clean_member_data, noting what it cannot read."""

    def __init__(self, branches: Mapping[str, Organization], default_org: Organization | None):
        self.branches = branches
        self.default_org = default_org
        self.by_name: dict[str, Organization | None] = {}
        for org in branches.values():
            # A name shared by two branches is ambiguous: only the code will do.
            self.by_name[org.name] = None if org.name in self.by_name else org

    def map(self, cells: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
        raw: dict[str, Any] = {}
        for field_name, value in cells.items():
            text = clean_text(value) if not isinstance(value, int | float | dt.date) else value
            if field_name in ("birth_date", "joined_on", "full_member_on"):
                raw[field_name] = value
            elif field_name == "id_number" or field_name == "phone" or field_name == "staff_number":
                raw[field_name] = str(int(value)) if isinstance(value, float) else str(text)
            elif field_name in _VALUE_MAPS:
                raw[field_name] = self._lookup(field_name, str(text), errors)
            elif field_name != "organization":
                raw[field_name] = text
        raw["organization"] = self._organization(cells.get("organization"), errors)
        if raw.get("education") == Education.MASTER and raw.get("degree") == Degree.DOCTOR:
            raw["education"] = Education.DOCTORATE
        return raw

    def _lookup(self, field_name: str, text: str, errors: dict[str, str]) -> str:
        table, accepted = _VALUE_MAPS[field_name]
        key = text.strip().lower() if field_name == "gender" else text.strip()
        if key in table:
            return table[key]
        if not key:
            return ""
        errors[field_name] = _("“%(value)s” is not recognized; write one of: %(allowed)s.") % {
            "value": text,
            "allowed": accepted,
        }
        return ""

    def _organization(self, value: Any, errors: dict[str, str]) -> Organization | None:
        text = clean_text(value)
        if not text:
            if self.default_org is None:
                errors["organization"] = _(
                    "Give the branch's code in the file, or choose a default branch."
                )
            return self.default_org
        org = self.branches.get(text) or self.by_name.get(text)
        if org is None:
            errors["organization"] = _(
                "No Party branch in your scope has the code or name “%(value)s”."
            ) % {"value": text}
        return org


_VALUE_MAPS: dict[str, tuple[Mapping[str, str], str]] = {
    "gender": (GENDERS, "男、女"),
    "ethnicity": (ETHNICITY_BY_NAME, "汉族、回族……（GB 3304）"),
    "education": (
        EDUCATIONS,
        "研究生（博士）、研究生（硕士）、大学本科、大学专科、中专、高中/中技、初中及以下",
    ),
    "degree": (DEGREES, "学士、硕士、博士、无"),
    "category": (CATEGORIES, "教师、职工、本科生、硕士研究生、博士研究生、离退休、其他"),
    "status": (STATUSES, "正式党员、预备党员"),
}


def parse_roster(
    source: IO[bytes],
    *,
    scope: Organization,
    default_org: Organization | None,
    max_rows: int,
    progress: Callable[[int], None] | None = None,
    today: dt.date | None = None,
) -> ParsedRoster:
    """Read and validate every row; nothing is written."""
    parsed = ParsedRoster()
    try:
        all_rows = list(read_rows(source, max_rows=max_rows))
    except WorkbookError as exc:
        parsed.file_error = (
            _("The file has more than %(n)d rows; split it.") % {"n": max_rows}
            if "more than" in str(exc)
            else _("The file cannot be read as an Excel .xlsx workbook.")
        )
        return parsed
    if not all_rows:
        parsed.file_error = _("The file is empty.")
        return parsed
    lookup = _header_lookup()
    _header_number, header = all_rows[0]
    parsed.header_row = [clean_text(h) for h in header]
    for index, title in enumerate(header):
        field_name = lookup.get(_normalize_header(title))
        if field_name and field_name not in parsed.columns:
            parsed.columns[field_name] = index
    missing = [HEADERS[f][0] for f in REQUIRED_HEADERS if f not in parsed.columns]
    if missing:
        parsed.file_error = _("The file lacks these columns: %(cols)s.") % {
            "cols": "、".join(missing)
        }
        return parsed
    parsed.rows = all_rows[1:]
    branches = {
        org.code: org
        for org in Organization.objects.filter(
            subtree_q(scope.path), kind=Organization.Kind.BRANCH, is_active=True
        )
    }
    mapper = _Mapper(branches, default_org)
    names = {f: parsed.header_row[i] for f, i in parsed.columns.items()}
    for position, (number, values) in enumerate(parsed.rows, start=1):
        cells = {f: values[i] if i < len(values) else None for f, i in parsed.columns.items()}
        errors: dict[str, str] = {}
        raw = mapper.map(cells, errors)
        try:
            data = clean_member_data(raw, today=today, check_unique=False)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                errors.setdefault(field_name, " ".join(messages))
            data = None
        if errors:
            for field_name, message in errors.items():
                parsed.errors.append(
                    RowError(
                        row=number,
                        field=field_name,
                        header=names.get(field_name) or _label(field_name),
                        value=clean_text(cells.get(field_name)),
                        message=message,
                    )
                )
        elif data is not None:
            parsed.valid.append((number, data))
        if progress and position % 500 == 0:
            progress(int(90 * position / max(len(parsed.rows), 1)))
    _check_duplicates(parsed, names)
    return parsed


def _label(field_name: str) -> str:
    """A field's name for the report when the file has no column for it (the branch, say)."""
    try:
        field = Member._meta.get_field(field_name)
    except FieldDoesNotExist:
        return field_name
    return str(field.verbose_name) if isinstance(field, Field) else field_name


def existing_staff_numbers(values: list[str]) -> QuerySet[Member, str]:
    # The unique index on staff numbers is partial (not empty); PostgreSQL proves a list of
    # more than 100 values inside it only when the query says so too.
    return (
        Member.objects.exclude(staff_number="")
        .filter(staff_number__in=values)
        .values_list("staff_number", flat=True)
    )


def _check_duplicates(parsed: ParsedRoster, names: Mapping[str, str]) -> None:
    """Duplicates inside the file and against the records, in a few batched queries."""
    rows_by_digest: dict[str, list[int]] = {}
    rows_by_staff: dict[str, list[int]] = {}
    values: dict[int, dict[str, Any]] = {}
    for number, data in parsed.valid:
        values[number] = data
        digest = crypto.blind_index(data["id_number"], purpose=ID_PURPOSE)
        rows_by_digest.setdefault(digest, []).append(number)
        if data["staff_number"]:
            rows_by_staff.setdefault(data["staff_number"], []).append(number)

    def flag(number: int, field_name: str, message: str) -> None:
        value = values[number][field_name]
        parsed.errors.append(
            RowError(
                number, field_name, names.get(field_name) or _label(field_name), value, message
            )
        )

    for numbers in rows_by_digest.values():
        for number in numbers[1:]:
            flag(
                number,
                "id_number",
                _("The same ID number is on row %(row)d.") % {"row": numbers[0]},
            )
    for numbers in rows_by_staff.values():
        for number in numbers[1:]:
            flag(
                number,
                "staff_number",
                _("The same staff or student number is on row %(row)d.") % {"row": numbers[0]},
            )
    digests = list(rows_by_digest)
    for start in range(0, len(digests), 500):
        found = Member.objects.filter(id_number_hash__in=digests[start : start + 500])
        for digest in found.values_list("id_number_hash", flat=True):
            for number in rows_by_digest[digest]:
                flag(number, "id_number", _("A member with this ID number is already on record."))
    staff_numbers = list(rows_by_staff)
    for start in range(0, len(staff_numbers), 500):
        for staff in existing_staff_numbers(staff_numbers[start : start + 500]):
            for number in rows_by_staff[staff]:
                flag(
                    number,
                    "staff_number",
                    _("A member with this staff or student number is already on record."),
                )
    bad_rows = parsed.error_rows
    parsed.valid = [(n, d) for n, d in parsed.valid if n not in bad_rows]
    parsed.errors.sort(key=lambda e: (e.row, e.field))


def error_report(parsed: ParsedRoster) -> IO[bytes]:
    """The uploaded sheet with a row number in front and the row's problems at the end."""
    by_row: dict[int, list[str]] = {}
    for error in parsed.errors:
        by_row.setdefault(error.row, []).append(f"{error.header}：{error.message}")
    data_headers = [h for h in parsed.header_row if h not in REPORT_HEADERS]
    keep = [i for i, h in enumerate(parsed.header_row) if h not in REPORT_HEADERS]
    rows = (
        [
            number,
            *[values[i] if i < len(values) else None for i in keep],
            "；".join(by_row.get(number, [])),
        ]
        for number, values in parsed.rows
    )
    return write_workbook(
        rows,
        headers=[REPORT_HEADERS[0], *data_headers, REPORT_HEADERS[1]],
        sheet_name="导入检查",
        highlight_column=len(data_headers) + 1,
    )


def template_workbook() -> IO[bytes]:
    fields = [f for f in HEADERS if f != "organization"] + ["organization"]
    headers = [HEADERS[f][0] for f in fields]
    example = {
        "name": "张三",
        "gender": "男",
        "ethnicity": "汉族",
        "birth_date": "2002-05-06",
        "id_number": "110101200205060019",
        "native_place": "北京市",
        "education": "大学本科",
        "degree": "学士",
        "category": "本科生",
        "staff_number": "2020010001",
        "grade": "2020",
        "phone": "13800138000",
        "email": "",
        "address": "",
        "joined_on": "2022-06-01",
        "full_member_on": "2023-06-01",
        "status": "正式党员",
        "organization": "",
    }
    return write_workbook([[example[f] for f in fields]], headers=headers, sheet_name="党员名册")


# The job: upload, validate, then import on the user's word.


@transaction.atomic
def import_job_create(
    *,
    actor: User,
    filename: str,
    content: bytes,
    scope: Organization,
    organization: Organization | None,
) -> ImportJob:
    return ImportJob.objects.create(
        created_by=actor,
        scope=scope,
        organization=organization,
        filename=filename[:200],
        content=crypto.encrypt_bytes(content),
    )


def _parse_job(job: ImportJob, *, max_rows: int) -> ParsedRoster:
    def progress(percent: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(progress=percent)

    source = io.BytesIO(crypto.decrypt_bytes(bytes(job.content)))
    return parse_roster(
        source, scope=job.scope, default_org=job.organization, max_rows=max_rows, progress=progress
    )


def import_job_validate(*, job: ImportJob, max_rows: int) -> ParsedRoster:
    parsed = _parse_job(job, max_rows=max_rows)
    job.total_rows = parsed.total
    job.valid_rows = len(parsed.valid)
    job.file_error = parsed.file_error
    job.errors = [e.as_dict() for e in parsed.errors[:5000]]
    job.progress = 100
    job.status = (
        ImportJob.Status.INVALID if parsed.file_error or parsed.errors else ImportJob.Status.VALID
    )
    job.save(
        update_fields=["total_rows", "valid_rows", "file_error", "errors", "progress", "status"]
    )
    if job.status == ImportJob.Status.INVALID:
        log_action(
            job.created_by,
            "members.import.refused",
            target=job,
            target_label=job.filename,
            org_code=job.scope.code,
            result="failure",
            detail={
                "rows": parsed.total,
                "bad_rows": len(parsed.error_rows),
                "file_error": parsed.file_error,
            },
        )
    return parsed


class ImportRefusedError(ValidationError):
    pass


def import_rows(
    *,
    actor: User | None,
    parsed: ParsedRoster,
    keep_valid: bool,
    scope: Organization,
    label: str,
) -> list[Member]:
    """Write the valid rows; with errors anywhere, nothing unless the user keeps the valid rows."""
    if parsed.file_error:
        raise ImportRefusedError(parsed.file_error)
    if parsed.errors and not keep_valid:
        raise ImportRefusedError(
            _("%(n)d rows have errors; nothing was imported.") % {"n": len(parsed.error_rows)}
        )
    if not parsed.valid:
        raise ImportRefusedError(_("The file has no valid rows to import."))
    with transaction.atomic():
        members = members_bulk_create(
            actor=actor,
            rows=[data for _number, data in parsed.valid],
            detail={"import": label},
        )
        log_action(
            actor,
            "members.import.completed",
            target_label=label,
            org_code=scope.code,
            detail={
                "rows": parsed.total,
                "imported": len(members),
                "skipped_rows": sorted(parsed.error_rows)[:1000],
            },
        )
    return members


def import_job_commit(*, job: ImportJob, keep_valid: bool, max_rows: int) -> int:
    claimed = ImportJob.objects.filter(
        pk=job.pk, status__in=[ImportJob.Status.VALID, ImportJob.Status.INVALID]
    ).update(status=ImportJob.Status.IMPORTING, progress=0)
    if not claimed:
        raise ImportRefusedError(_("This import has already been started."))
    parsed = _parse_job(job, max_rows=max_rows)
    try:
        members = import_rows(
            actor=job.created_by,
            parsed=parsed,
            keep_valid=keep_valid,
            scope=job.scope,
            label=job.filename,
        )
    except ValidationError:
        job.status = ImportJob.Status.INVALID if parsed.errors else ImportJob.Status.FAILED
        job.errors = [e.as_dict() for e in parsed.errors[:5000]]
        job.save(update_fields=["status", "errors"])
        raise
    job.status = ImportJob.Status.DONE
    job.imported_rows = len(members)
    job.progress = 100
    job.finished_at = timezone.now()
    job.content = b""
    job.save(update_fields=["status", "imported_rows", "progress", "finished_at", "content"])
    return len(members)


def visible_jobs(user: User) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(created_by=user)
