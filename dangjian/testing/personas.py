"""A small university with the personas every test and the permission matrix use.

U  学校党委 (org_department: orgdept; propaganda_editor: editor1)
├── C1 信息学院党委 (committee_organizer: committee1)
│   ├── B11 教工第一党支部 (branch_secretary: secretary1; branch_committee: committee_member)
│   │   └── G111 第一党小组
│   └── B12 本科生第一党支部
└── C2 材料学院党委
    └── B21 教工党支部 (branch_secretary: secretary2)
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.lib import idnumber
from dangjian.lib.dates import add_months
from dangjian.members.choices import Category, Education, Status
from dangjian.members.models import EventKind, Member
from dangjian.members.services.records import member_create, post_assign
from dangjian.orgs.models import Organization, PostKind, Role, RoleAssignment
from dangjian.orgs.services import org_create

PASSWORD = "Test-Passw0rd!"
_serial = itertools.count(1)


def new_id_number(birth: dt.date, *, male: bool = True) -> str:
    sequence = next(_serial) % 500 * 2 + (1 if male else 0)
    return idnumber.make("110101", birth, sequence % 1000)


def member_data(org: Organization, **overrides: Any) -> dict[str, Any]:
    """Valid data for member_create, varied per call."""
    n = next(_serial)
    birth = overrides.pop("birth_date", dt.date(1980, 1, 1) + dt.timedelta(days=n * 37 % 3000))
    male = overrides.pop("male", n % 2 == 0)
    status = overrides.get("status", Status.FULL)
    joined = overrides.get("joined_on", dt.date(2015, 6, 1) + dt.timedelta(days=n % 300))
    data = {
        "name": overrides.pop("name", f"测试{chr(0x4E00 + n % 2000)}{chr(0x4E00 + n * 7 % 2000)}"),
        "id_number": new_id_number(birth, male=male),
        "ethnicity": "01",
        "education": Education.MASTER,
        "category": Category.TEACHER,
        "staff_number": f"T{n:07d}",
        "phone": f"139{n:08d}",
        "joined_on": joined,
        "full_member_on": (add_months(joined, 12) if status == Status.FULL else None),
        "status": status,
        "organization": org,
        "address": "北京市海淀区学院路1号",
    }
    data.update(overrides)
    return data


def make_member(org: Organization, **overrides: Any) -> Member:
    return member_create(actor=None, data=member_data(org, **overrides))


def make_user(username: str, **fields: Any) -> User:
    user = User(username=username, **fields)
    user.set_password(PASSWORD)
    user.password_changed_at = timezone.now()
    user.save()
    return user


@dataclass
class University:
    root: Organization
    c1: Organization
    c2: Organization
    b11: Organization
    b12: Organization
    b21: Organization
    g111: Organization
    users: dict[str, User] = field(default_factory=dict)
    members: dict[str, Member] = field(default_factory=dict)

    def user(self, name: str) -> User:
        return self.users[name]


PERSONA_NAMES = (
    "orgdept",
    "committee1",
    "secretary1",
    "secretary2",
    "committee_member",
    "member1",
    "editor1",
    "outsider",
    "sysadmin",
    "secadmin",
    "auditor",
)
TWO_FACTOR_PERSONAS = ("orgdept", "sysadmin", "secadmin", "auditor")


def build_university() -> University:
    kinds = Organization.Kind
    root = org_create(
        actor=None,
        parent=None,
        name="中共测试大学委员会",
        code="U",
        kind=kinds.COMMITTEE,
        approval_authority=True,
    )
    c1 = org_create(
        actor=None,
        parent=root,
        name="中共测试大学信息学院委员会",
        short_name="信息学院党委",
        code="C1",
        kind=kinds.COMMITTEE,
    )
    c2 = org_create(
        actor=None,
        parent=root,
        name="中共测试大学材料学院委员会",
        short_name="材料学院党委",
        code="C2",
        kind=kinds.COMMITTEE,
    )
    b11 = org_create(
        actor=None,
        parent=c1,
        name="信息学院教工第一党支部",
        short_name="教工第一党支部",
        code="B11",
        kind=kinds.BRANCH,
        branch_type="teacher",
    )
    b12 = org_create(
        actor=None,
        parent=c1,
        name="信息学院本科生第一党支部",
        short_name="本科生第一党支部",
        code="B12",
        kind=kinds.BRANCH,
        branch_type="undergraduate",
    )
    b21 = org_create(
        actor=None,
        parent=c2,
        name="材料学院教工党支部",
        short_name="教工党支部",
        code="B21",
        kind=kinds.BRANCH,
        branch_type="teacher",
    )
    g111 = org_create(
        actor=None,
        parent=b11,
        name="信息学院教工第一党支部第一党小组",
        short_name="第一党小组",
        code="G111",
        kind=kinds.GROUP,
        branch_type="teacher",
    )
    uni = University(root, c1, c2, b11, b12, b21, g111)
    m = uni.members
    m["secretary1"] = make_member(b11, name="王书记")
    m["member1"] = make_member(b11, name="李党员")
    m["committee_member"] = make_member(b11, name="赵委员")
    m["b11_probationary"] = make_member(
        b11,
        name="钱预备",
        status=Status.PROBATIONARY,
        joined_on=timezone.localdate() - dt.timedelta(days=100),
    )
    m["b12_student"] = make_member(
        b12,
        name="孙同学",
        category=Category.UNDERGRADUATE,
        education=Education.BACHELOR,
        birth_date=dt.date(2003, 5, 6),
        joined_on=dt.date(2022, 5, 20),
    )
    m["secretary2"] = make_member(b21, name="周书记")
    m["b21_member"] = make_member(b21, name="吴党员")
    m["committee1"] = make_member(b12, name="郑组织员")
    u = uni.users
    for name in PERSONA_NAMES:
        admin_role = {
            "sysadmin": "system_admin",
            "secadmin": "security_admin",
            "auditor": "audit_admin",
        }.get(name, "")
        u[name] = make_user(name, admin_role=admin_role, display_name=name)
    for name in ("secretary1", "secretary2", "member1", "committee_member", "committee1"):
        Member.objects.filter(pk=m[name].pk).update(user=u[name])
        m[name].refresh_from_db()
    grants = [
        ("orgdept", root, Role.ORG_DEPARTMENT),
        ("editor1", root, Role.PROPAGANDA_EDITOR),
        ("committee1", c1, Role.COMMITTEE_ORGANIZER),
        ("secretary1", b11, Role.BRANCH_SECRETARY),
        ("committee_member", b11, Role.BRANCH_COMMITTEE),
        ("secretary2", b21, Role.BRANCH_SECRETARY),
    ]
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u[name], organization=org, role=role) for name, org, role in grants]
    )
    post_assign(
        actor=u["secretary1"],
        organization=b11,
        member=m["secretary1"],
        post=PostKind.SECRETARY,
        start_date=dt.date(2024, 1, 1),
    )
    for org in (root, c1, c2, b11, b12, b21, g111):
        org.refresh_from_db()
    return uni


ORIGINS = (EventKind.REGISTERED, EventKind.ADMISSION, EventKind.TRANSFER_IN)
