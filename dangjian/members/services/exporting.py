"""Exporting a scoped roster to .xlsx in constant memory, masked unless allowed, audited.

The headers are those the importer reads, so an export can be imported elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.audit.services import log_action
from dangjian.lib import masking
from dangjian.lib.excel import write_workbook
from dangjian.members.choices import ETHNICITY_NAMES
from dangjian.members.models import Member
from dangjian.members.services.importing import HEADERS

EXPORT_FIELDS = (
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
)
EXTRA_HEADERS = ("党籍状态", "所在党支部", "党组织编码", "流动党员", "失联党员", "出国（境）")
EDUCATION_NAMES = {
    "doctorate": "研究生（博士）",
    "master": "研究生（硕士）",
    "bachelor": "大学本科",
    "junior_college": "大学专科",
    "secondary_vocational": "中专",
    "high_school": "高中/中技",
    "junior_high": "初中及以下",
}
CATEGORY_NAMES = {
    "teacher": "教师",
    "staff": "职工",
    "undergraduate": "本科生",
    "master": "硕士研究生",
    "doctoral": "博士研究生",
    "retired": "离退休",
    "other": "其他",
}
DEGREE_NAMES = {"": "", "bachelor": "学士", "master": "硕士", "doctor": "博士"}
STATUS_NAMES = {"full": "正式党员", "probationary": "预备党员"}
STANDING_NAMES = {
    "active": "正常",
    "suspended": "停止党籍",
    "transferred_out": "已转出",
    "exited": "已出党",
    "deceased": "已去世",
}
GENDER_NAMES = {"M": "男", "F": "女"}


_COLUMNS = (
    "name", "gender", "ethnicity", "birth_date", "id_number", "native_place", "education",
    "degree", "category", "staff_number", "grade", "phone", "email", "address", "joined_on",
    "full_member_on", "status", "standing", "organization__name", "organization__code",
    "is_floating", "is_lost_contact", "is_abroad",
)  # fmt: skip


def _rows(members: QuerySet[Member], *, full: bool) -> Iterator[list[Any]]:
    """Plain tuples, not model instances: a 100,000-row export spends its time writing."""
    mask_id = (lambda v: v) if full else masking.mask_id_number
    mask_phone = (lambda v: v) if full else masking.mask_phone
    mask_address = (lambda v: v) if full else masking.mask_address
    for (name, gender, ethnicity, birth, id_number, native, education, degree, category,
         staff, grade, phone, email, address, joined, full_on, status, standing, org_name,
         org_code, floating, lost, abroad) in members.values_list(*_COLUMNS).iterator(
        chunk_size=2000
    ):  # fmt: skip
        yield [
            name,
            GENDER_NAMES.get(gender, ""),
            ETHNICITY_NAMES.get(ethnicity, ""),
            birth,
            mask_id(id_number),
            native,
            EDUCATION_NAMES.get(education, ""),
            DEGREE_NAMES.get(degree, ""),
            CATEGORY_NAMES.get(category, ""),
            staff,
            grade,
            mask_phone(phone),
            email,
            mask_address(address),
            joined,
            full_on,
            STATUS_NAMES.get(status, ""),
            STANDING_NAMES.get(standing, ""),
            org_name,
            org_code,
            "是" if floating else "",
            "是" if lost else "",
            "是" if abroad else "",
        ]


def roster_export(
    *,
    actor: User,
    members: QuerySet[Member],
    full: bool,
    reason: str,
    filters: dict[str, Any],
    org_code: str,
) -> tuple[IO[bytes], int]:
    """Write the roster and audit the export; return the file and the number of rows."""
    count = members.count()
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    handle = write_workbook(
        _rows(members, full=full),
        headers=[HEADERS[f][0] for f in EXPORT_FIELDS] + list(EXTRA_HEADERS),
        sheet_name="党员名册",
        footer=f"导出：{actor.username} {stamp}{'（含完整个人信息）' if full else ''}",
    )
    log_action(
        actor,
        "members.export.completed",
        target_label=f"{count}",
        org_code=org_code,
        detail={"rows": count, "full_values": full, "reason": reason, "filters": filters},
    )
    return handle, count
