"""Demo data: a realistic university, deterministic for a given seed and reference date.

Organizations and members are written with bulk inserts (COPY on PostgreSQL), so a million
members load in minutes. Every member gets the events that put them on the roster, and a few
get the later changes a real year brings (moves, transfers, extensions, sanctions, exits).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangjian.accounts.models import User
from dangjian.audit.services import log_action
from dangjian.lib import crypto, demo, idnumber
from dangjian.lib.dates import add_months
from dangjian.members.choices import (
    Category,
    Degree,
    Education,
    SanctionKind,
    Standing,
    Status,
)
from dangjian.members.models import (
    ID_PURPOSE,
    PHONE_PURPOSE,
    EventKind,
    Member,
    PostHolding,
)
from dangjian.members.services import counts
from dangjian.members.services.events import member_record_event, member_set_flags
from dangjian.orgs.models import SEGMENT_WIDTH, Organization, PostKind, Role, RoleAssignment, Term

SCHOOLS = [
    ("计算机学院", "CS"),
    ("电子信息学院", "EE"),
    ("机械工程学院", "ME"),
    ("材料科学与工程学院", "MS"),
    ("化学化工学院", "CH"),
    ("物理学院", "PH"),
    ("数学科学学院", "MA"),
    ("经济管理学院", "EM"),
    ("法学院", "LA"),
    ("马克思主义学院", "MX"),
    ("外国语学院", "FL"),
    ("文学院", "LI"),
    ("生命科学学院", "LS"),
    ("医学院", "MD"),
    ("建筑学院", "AR"),
    ("土木工程学院", "CE"),
    ("环境学院", "EN"),
    ("艺术学院", "AT"),
    ("公共管理学院", "PA"),
    ("机关", "AD"),
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉宇浩凯健俊帆帅旭宁"
    "佳欣悦琳雪晨曦思雨涵萱博文轩睿哲翔瑞泽宏毅诚晓阳志远晗子墨梓若可一"
)
REGIONS = [
    "110101",
    "110105",
    "120101",
    "130102",
    "140105",
    "210102",
    "220102",
    "230102",
    "310104",
    "320102",
    "320506",
    "330106",
    "340104",
    "350102",
    "360102",
    "370102",
    "410105",
    "420106",
    "430104",
    "440106",
    "450103",
    "500103",
    "510107",
    "520102",
    "530102",
    "610113",
    "620102",
    "640104",
    "650102",
    "150102",
]
PROVINCES = [
    "北京市",
    "天津市",
    "河北省",
    "山西省",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "上海市",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "广西壮族自治区",
    "重庆市",
    "四川省",
    "贵州省",
    "云南省",
    "陕西省",
    "甘肃省",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
    "内蒙古自治区",
]
MINORITIES = ["03", "08", "11", "05", "04", "06", "07", "15", "02", "09", "10", "12", "13", "14"]
GROUPS_PER_BRANCH = (2, 3)
AGES = {
    Category.UNDERGRADUATE: (19, 22),
    Category.MASTER: (22, 27),
    Category.DOCTORAL: (25, 33),
    Category.TEACHER: (28, 62),
    Category.STAFF: (25, 60),
    Category.RETIRED: (61, 88),
}
AGE_AT_JOIN = {
    Category.UNDERGRADUATE: (18, 21),
    Category.MASTER: (19, 24),
    Category.DOCTORAL: (19, 27),
    Category.TEACHER: (19, 35),
    Category.STAFF: (19, 35),
    Category.RETIRED: (20, 40),
}
PROBATIONARY_SHARE = {
    Category.UNDERGRADUATE: 0.45,
    Category.MASTER: 0.2,
    Category.DOCTORAL: 0.08,
    Category.TEACHER: 0.03,
    Category.STAFF: 0.04,
    Category.RETIRED: 0.0,
}
EDUCATIONS = {
    Category.UNDERGRADUATE: [Education.BACHELOR],
    Category.MASTER: [Education.MASTER],
    Category.DOCTORAL: [Education.DOCTORATE],
    Category.TEACHER: [Education.DOCTORATE] * 6 + [Education.MASTER] * 3 + [Education.BACHELOR],
    Category.STAFF: [Education.MASTER] * 4 + [Education.BACHELOR] * 5 + [Education.JUNIOR_COLLEGE],
    Category.RETIRED: [Education.BACHELOR] * 4
    + [Education.JUNIOR_COLLEGE] * 3
    + [Education.HIGH_SCHOOL] * 2
    + [Education.MASTER],
}
DEGREES = {
    Education.DOCTORATE: Degree.DOCTOR,
    Education.MASTER: Degree.MASTER,
    Education.BACHELOR: Degree.BACHELOR,
}
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238 test secret


@dataclass(frozen=True)
class Persona:
    username: str
    display_name: str
    description: str


PERSONAS = [
    Persona("orgdept", "组织部", "organization department, whole university (TOTP)"),
    Persona("committee1", "", "organizer of the first secondary committee"),
    Persona("secretary1", "", "secretary of a branch under the first committee"),
    Persona("secretary2", "", "secretary of a branch under the second committee"),
    Persona("member1", "", "a full member of secretary1's branch"),
    Persona("editor1", "", "propaganda editor of the university: content review"),
    Persona("sysadmin", "系统管理员", "system administrator (TOTP)"),
    Persona("secadmin", "安全管理员", "security administrator (TOTP)"),
    Persona("auditor", "审计管理员", "audit administrator (TOTP)"),
]


@dataclass
class Plan:
    members: int
    branches: int
    seed: int
    today: dt.date


@dataclass
class BranchSpec:
    org: Organization
    kind: str  # teacher, undergraduate, postgraduate, retired
    cohort: int | None = None
    groups: list[Organization] = field(default_factory=list)


class _Writer:
    """Inserts rows fast: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self) -> None:
        self.vendor = connection.vendor

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                raw = cursor.cursor
                with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
                batch: list[Sequence[Any]] = []
                for row in rows:
                    batch.append([self._sqlite(v) for v in row])
                    if len(batch) >= 5000:
                        cursor.executemany(sql, batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)

    @staticmethod
    def _sqlite(value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    @contextmanager
    def without_secondary_indexes(self, *tables: str, foreign_keys: bool) -> Iterator[None]:
        """Load empty tables without their plain indexes and foreign keys, then build them once.

        Building an index over a million sorted rows is far faster than maintaining it row by
        row, and adding a foreign key checks every row in one join, where a deferred
        constraint queues a check per row. Unique indexes stay, so the load is still checked
        as it goes. PostgreSQL only; foreign keys only when the tables they point to have no
        checks queued in this transaction (PostgreSQL refuses to add them then).
        """
        if self.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint) "
                "AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
                [list(tables)],
            )
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
                [list(tables)],
            )
            dropped = cursor.fetchall() if foreign_keys else []
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            for table, name, _definition in dropped:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
                # PostgreSQL builds no index on a table with foreign-key checks queued.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for _name, definition in indexes:
                    cursor.execute(definition)
                for table, name, definition in dropped:
                    cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def next_id(self, table: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
            return int(cursor.fetchone()[0]) + 1

    def reset_sequence(self, table: str) -> None:
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Table names are this module's constants, never input.
                sequence = f"pg_get_serial_sequence('{table}', 'id')"
                highest = f"(SELECT COALESCE(MAX(id), 1) FROM {table})"  # noqa: S608
                cursor.execute(f"SELECT setval({sequence}, {highest})")


class DemoBuilder:
    def __init__(self, plan: Plan, log: Callable[[str], None] = print) -> None:
        self.plan = plan
        self.rng = random.Random(plan.seed)
        self.log = log
        self.writer = _Writer()
        self.now = timezone.now()
        self.used_ids: set[str] = set()
        self.branch_specs: list[BranchSpec] = []
        self.committees: list[Organization] = []
        self.root: Organization | None = None
        self.people: dict[str, int] = {}

    # Organizations -------------------------------------------------------------------------

    def _org(self, parent: Organization | None, index: int, **fields: Any) -> Organization:
        path = (parent.path if parent else "") + str(index).zfill(SEGMENT_WIDTH)
        return Organization(
            parent=parent,
            path=path,
            depth=len(path) // SEGMENT_WIDTH - 1,
            sort_order=index,
            created_at=self.now,
            **fields,
        )

    def build_orgs(self) -> None:
        rng, today = self.rng, self.plan.today
        root = self._org(
            None,
            1,
            name="中共示范大学委员会",
            short_name="学校党委",
            code="U",
            kind=Organization.Kind.COMMITTEE,
            approval_authority=True,
            founded_on=dt.date(1952, 10, 1),
            contact_name="组织部",
            contact_phone="010-62780000",
            address="行政楼301",
        )
        root.save()
        self.root = root
        per_school = max(1, self.plan.branches // len(SCHOOLS))
        extra = self.plan.branches - per_school * len(SCHOOLS)
        committees = []
        for index, (school, _abbr) in enumerate(SCHOOLS, start=1):
            small = index in (10, 19)
            name = (
                f"中共示范大学{school}委员会" if not small else f"中共示范大学{school}总支部委员会"
            )
            if school == "机关":
                name = "中共示范大学机关委员会"
            committees.append(
                self._org(
                    root,
                    index,
                    name=name,
                    short_name=f"{school}{'党总支' if small else '党委'}",
                    code=f"C{index:02d}",
                    kind=Organization.Kind.GENERAL_BRANCH if small else Organization.Kind.COMMITTEE,
                    approval_authority=not small and index <= 3,
                    founded_on=dt.date(rng.randint(1980, 2005), rng.randint(1, 12), 1),
                )
            )
        Organization.objects.bulk_create(committees)
        self.committees = committees
        branches: list[Organization] = []
        for c_index, committee in enumerate(committees, start=1):
            school = SCHOOLS[c_index - 1][0]
            count = per_school + (1 if c_index <= extra else 0)
            for b_index, (kind, label, cohort) in enumerate(
                self._branch_layout(school, count), start=1
            ):
                branch = self._org(
                    committee,
                    b_index,
                    name=f"{school}{label}",
                    short_name=label,
                    code=f"C{c_index:02d}B{b_index:03d}",
                    kind=Organization.Kind.BRANCH,
                    branch_type=kind,
                    founded_on=dt.date(rng.randint(2000, 2022), rng.randint(1, 12), 1),
                )
                branches.append(branch)
                self.branch_specs.append(BranchSpec(branch, kind, cohort))
        Organization.objects.bulk_create(branches, batch_size=2000)
        groups: list[Organization] = []
        for spec in self.branch_specs:
            for g_index in range(1, rng.randint(*GROUPS_PER_BRANCH) + 1):
                group = self._org(
                    spec.org,
                    g_index,
                    name=f"{spec.org.name}第{'一二三四'[g_index - 1]}党小组",
                    short_name=f"第{'一二三四'[g_index - 1]}党小组",
                    code=f"{spec.org.code}G{g_index}",
                    kind=Organization.Kind.GROUP,
                    branch_type=spec.org.branch_type,
                )
                groups.append(group)
                spec.groups.append(group)
        Organization.objects.bulk_create(groups, batch_size=5000)
        self._terms(root, committees, [s.org for s in self.branch_specs], today)
        self.log(
            f"organizations: 1 university committee, {len(committees)} secondary, "
            f"{len(branches)} branches, {len(groups)} Party groups"
        )

    def _branch_layout(self, school: str, count: int) -> list[tuple[str, str, int | None]]:
        year = self.plan.today.year
        layout: list[tuple[str, str, int | None]] = []
        if school == "机关":
            layout += [("teacher", f"机关第{n}党支部", None) for n in range(1, count + 1)]
            return layout
        teacher_n = max(1, count // 4)
        for n in range(1, teacher_n + 1):
            layout.append(("teacher", f"教工第{n}党支部", None))
        post_n = max(1, count // 4)
        for n in range(1, post_n + 1):
            kind_label = "博士研究生" if n == post_n and post_n > 1 else "硕士研究生"
            layout.append(("postgraduate", f"{kind_label}第{n}党支部", None))
        remaining = count - len(layout) - 1
        for n in range(max(remaining, 0)):
            cohort = year - 1 - (n % 4)
            layout.append(("undergraduate", f"{cohort}级本科生第{n // 4 + 1}党支部", cohort))
        if len(layout) < count:
            layout.append(("retired", "离退休教工党支部", None))
        return layout[:count]

    def _terms(
        self,
        root: Organization,
        committees: list[Organization],
        branches: list[Organization],
        today: dt.date,
    ) -> None:
        rng = self.rng
        terms = [
            Term(
                organization=root,
                ordinal=14,
                start_date=add_months(today, -30),
                end_date=add_months(today, 30),
            )
        ]
        for committee in committees:
            start = add_months(today, -rng.randint(6, 58))
            terms.append(
                Term(
                    organization=committee,
                    ordinal=rng.randint(3, 8),
                    start_date=start,
                    end_date=add_months(start, 60),
                )
            )
        for branch in branches:
            start = add_months(today, -rng.randint(1, 38))
            terms.append(
                Term(
                    organization=branch,
                    ordinal=rng.randint(1, 6),
                    start_date=start,
                    end_date=add_months(start, 36),
                )
            )
        Term.objects.bulk_create(terms, batch_size=5000)

    # Members -------------------------------------------------------------------------------

    def _name(self) -> str:
        rng = self.rng
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.8 else "")
        return rng.choice(SURNAMES) + given

    def _id_number(self, birth: dt.date, male: bool) -> str:
        rng = self.rng
        while True:
            seq = rng.randrange(0, 1000)
            if (seq % 2 == 1) != male:
                seq = (seq + 1) % 1000
            number = idnumber.make(rng.choice(REGIONS), birth, seq)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def _birth(self, low: int, high: int) -> dt.date:
        today = self.plan.today
        days = self.rng.randint(low * 365, high * 365 + 364)
        return today - dt.timedelta(days=days)

    def _category_for(self, spec: BranchSpec) -> str:
        r = self.rng.random()
        if spec.kind == "teacher":
            return Category.TEACHER if r < 0.78 else Category.STAFF
        if spec.kind == "postgraduate":
            return Category.DOCTORAL if "博士" in spec.org.name or r < 0.1 else Category.MASTER
        if spec.kind == "retired":
            return Category.RETIRED
        return Category.UNDERGRADUATE

    def _member_row(self, spec: BranchSpec, serial: int) -> dict[str, Any]:
        rng, today = self.rng, self.plan.today
        category = Category(self._category_for(spec))
        male = rng.random() < (0.48 if category == Category.UNDERGRADUATE else 0.55)
        birth = self._birth(*AGES[category])
        probationary = rng.random() < PROBATIONARY_SHARE[category]
        earliest_join = add_months(birth, 12 * AGE_AT_JOIN[category][0])
        if probationary:
            joined = today - dt.timedelta(days=rng.randint(20, 360))
            if rng.random() < 0.03:
                joined = today - dt.timedelta(days=rng.randint(380, 540))  # overdue
        else:
            latest = min(add_months(birth, 12 * AGE_AT_JOIN[category][1]), add_months(today, -13))
            span = max((latest - earliest_join).days, 1)
            joined = earliest_join + dt.timedelta(days=rng.randint(0, span))
        joined = max(joined, earliest_join)
        full_on = None
        if not probationary:
            full_on = add_months(joined, 12 + (6 if rng.random() < 0.01 else 0))
            if full_on > today:
                full_on, probationary = None, True
        education = rng.choice(EDUCATIONS[category])
        degree = "" if category == Category.UNDERGRADUATE else DEGREES.get(education, "")
        if category == Category.UNDERGRADUATE:
            prefix = str(spec.cohort or today.year - 2)
        elif category in (Category.MASTER, Category.DOCTORAL):
            prefix = str(today.year - rng.randint(0, 3)) + (
                "S" if category == Category.MASTER else "D"
            )
        else:
            prefix = "T" if category != Category.RETIRED else "R"
        staff_number = f"{prefix}{serial:07d}"
        phone = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        address = ""
        if rng.random() < 0.3:
            address = (
                f"{rng.choice(PROVINCES)}{rng.choice(['海淀区', '朝阳区', '江北区', '高新区'])}"
                + (f"学府路{rng.randint(1, 300)}号")
            )
        ethnicity = "01" if rng.random() < 0.91 else rng.choice(MINORITIES)
        id_number = self._id_number(birth, male)
        group = rng.choice(spec.groups) if spec.groups and rng.random() < 0.85 else None
        return {
            "name": self._name(),
            "gender": "M" if male else "F",
            "ethnicity": ethnicity,
            "birth_date": birth,
            "id_number": id_number,
            "native_place": rng.choice(PROVINCES),
            "education": education,
            "degree": degree,
            "category": category,
            "staff_number": staff_number,
            "grade": str(spec.cohort) if spec.cohort else "",
            "phone": phone,
            "email": "",
            "address": address,
            "joined_on": joined,
            "full_member_on": full_on,
            "status": Status.PROBATIONARY if probationary else Status.FULL,
            "organization": spec.org,
            "party_group": group,
        }

    def _spec_weights(self) -> list[float]:
        weight = {"undergraduate": 1.0, "postgraduate": 1.3, "teacher": 1.5, "retired": 1.2}
        return [weight[s.kind] for s in self.branch_specs]

    def build_members(self) -> None:
        plan, writer = self.plan, self.writer
        started = time.monotonic()
        weights = self._spec_weights()
        assignments = self.rng.choices(range(len(self.branch_specs)), weights, k=plan.members)
        member_id = writer.next_id("members_member")
        event_id = writer.next_id("members_memberevent")
        first_member_id = member_id
        member_columns = [
            "id",
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "id_number",
            "id_number_hash",
            "native_place",
            "education",
            "degree",
            "category",
            "staff_number",
            "grade",
            "phone",
            "phone_hash",
            "email",
            "address",
            "joined_on",
            "full_member_on",
            "status",
            "standing",
            "organization_id",
            "org_path",
            "party_group_id",
            "is_floating",
            "floating_to",
            "is_lost_contact",
            "lost_contact_since",
            "is_abroad",
            "user_id",
            "statement",
            "statement_held",
            "created_at",
            "updated_at",
        ]
        event_columns = [
            "id",
            "member_id",
            "kind",
            "effective_date",
            "org_before_id",
            "org_after_id",
            "status_before",
            "status_after",
            "standing_before",
            "standing_after",
            "reason",
            "document",
            "detail",
            "recorded_by_id",
            "recorded_at",
        ]
        member_rows: list[tuple[Any, ...]] = []
        event_rows: list[tuple[Any, ...]] = []
        empty = json.dumps({})

        def flush() -> None:
            writer.insert("members_member", member_columns, member_rows)
            writer.insert("members_memberevent", event_columns, event_rows)
            member_rows.clear()
            event_rows.clear()

        for serial, spec_index in enumerate(assignments, start=1):
            spec = self.branch_specs[spec_index]
            row = self._member_row(spec, serial)
            org = spec.org
            group = row["party_group"]
            member_rows.append(
                (
                    member_id,
                    row["name"],
                    row["gender"],
                    row["ethnicity"],
                    row["birth_date"],
                    crypto.encrypt(row["id_number"]),
                    crypto.blind_index(row["id_number"], purpose=ID_PURPOSE),
                    row["native_place"],
                    row["education"],
                    row["degree"],
                    row["category"],
                    row["staff_number"],
                    row["grade"],
                    crypto.encrypt(row["phone"]),
                    crypto.blind_index(row["phone"], purpose=PHONE_PURPOSE),
                    "",
                    crypto.encrypt(row["address"]) if row["address"] else "",
                    row["joined_on"],
                    row["full_member_on"],
                    row["status"],
                    Standing.ACTIVE,
                    org.pk,
                    org.path,
                    group.pk if group else None,
                    False,
                    "",
                    False,
                    None,
                    False,
                    None,
                    "",
                    "",
                    self.now,
                    self.now,
                )
            )
            first_status = Status.PROBATIONARY
            event_rows.append(
                (
                    event_id,
                    member_id,
                    EventKind.REGISTERED,
                    row["joined_on"],
                    None,
                    org.pk,
                    "",
                    first_status,
                    "",
                    Standing.ACTIVE,
                    "",
                    "",
                    empty,
                    None,
                    self.now,
                )
            )
            event_id += 1
            if row["full_member_on"]:
                event_rows.append(
                    (
                        event_id,
                        member_id,
                        EventKind.CONVERSION,
                        row["full_member_on"],
                        org.pk,
                        org.pk,
                        Status.PROBATIONARY,
                        Status.FULL,
                        Standing.ACTIVE,
                        Standing.ACTIVE,
                        "",
                        "",
                        empty,
                        None,
                        self.now,
                    )
                )
                event_id += 1
            member_id += 1
            if len(member_rows) >= 20000:
                flush()
                done = member_id - first_member_id
                rate = done / max(time.monotonic() - started, 0.001)
                self.log(f"  members: {done:,} ({rate:,.0f}/s)")
        flush()
        writer.reset_sequence("members_member")
        writer.reset_sequence("members_memberevent")
        self.log(f"members: {plan.members:,} in {time.monotonic() - started:.1f}s")

    # Accounts, roles, posts and a year's changes -------------------------------------------

    def _pick_member(self, *orgs: Organization, **filters: Any) -> Member:
        """The first member without an account in the first of `orgs` that has one, matching
        the filters if any does."""
        free = Member.objects.filter(standing=Standing.ACTIVE, user__isnull=True).order_by("id")
        for candidates in (free.filter(**filters), free):
            for org in orgs:
                member = candidates.filter(organization=org).first()
                if member is not None:
                    return member
        raise AssertionError(f"no member left in {', '.join(o.code for o in orgs)}")

    def _user(self, username: str, display_name: str, admin_role: str = "") -> User:
        user = User(username=username, display_name=display_name, admin_role=admin_role)
        user.set_password(settings.DEMO_PASSWORD)
        user.password_changed_at = self.now
        user.save()
        if admin_role or username == "orgdept":
            TOTPDevice.objects.create(user=user, name="demo", key=DEMO_TOTP_KEY, confirmed=True)
        return user

    def _link(self, user: User, member: Member) -> None:
        Member.objects.filter(pk=member.pk).update(user=user)
        if not user.display_name:
            User.objects.filter(pk=user.pk).update(display_name=member.name)

    def build_people(self) -> None:
        today = self.plan.today
        first, second = self.committees[0], self.committees[1]
        teacher_branches = [s for s in self.branch_specs if s.kind == "teacher"]
        branch1 = next(s.org for s in teacher_branches if s.org.parent_id == first.pk)
        branch2 = next(s.org for s in teacher_branches if s.org.parent_id == second.pk)
        admin_branch = next(
            s.org for s in self.branch_specs if s.org.parent_id == self.committees[-1].pk
        )
        for admin in ("sysadmin", "secadmin", "auditor"):
            role = {
                "sysadmin": "system_admin",
                "secadmin": "security_admin",
                "auditor": "audit_admin",
            }[admin]
            persona = next(p for p in PERSONAS if p.username == admin)
            self._user(admin, persona.display_name, role)
        orgdept = self._user("orgdept", "")
        self._link(
            orgdept, self._pick_member(admin_branch, category=Category.STAFF, status=Status.FULL)
        )
        committee1 = self._user("committee1", "")
        first_branch = next(s.org for s in self.branch_specs if s.org.parent_id == first.pk)
        self._link(
            committee1,
            self._pick_member(first_branch, category=Category.TEACHER, status=Status.FULL),
        )
        secretary1 = self._user("secretary1", "")
        sec1_member = self._pick_member(branch1, category=Category.TEACHER, status=Status.FULL)
        self._link(secretary1, sec1_member)
        secretary2 = self._user("secretary2", "")
        sec2_member = self._pick_member(branch2, category=Category.TEACHER, status=Status.FULL)
        self._link(secretary2, sec2_member)
        member1 = self._user("member1", "")
        self._link(member1, self._pick_member(branch1, status=Status.FULL))
        editor1 = self._user("editor1", "")
        admin_branches = [
            s.org for s in self.branch_specs if s.org.parent_id == self.committees[-1].pk
        ]
        self._link(editor1, self._pick_member(*reversed(admin_branches), status=Status.FULL))
        grants = [
            (orgdept, self.root, Role.ORG_DEPARTMENT),
            (editor1, self.root, Role.PROPAGANDA_EDITOR),
            (committee1, first, Role.COMMITTEE_ORGANIZER),
            (secretary1, branch1, Role.BRANCH_SECRETARY),
            (secretary2, branch2, Role.BRANCH_SECRETARY),
        ]
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user=u, organization=o, role=r) for u, o, r in grants]
        )
        self.people = {"secretary1": sec1_member.pk, "secretary2": sec2_member.pk}
        self._posts(today, {branch1.pk: sec1_member, branch2.pk: sec2_member})

    def _posts(self, today: dt.date, secretaries: dict[int, Member]) -> None:
        """A secretary for every branch, a committee where it has seven full members."""
        rng = self.rng
        holdings: list[PostHolding] = []
        per_branch: dict[int, list[int]] = {}
        rows = (
            Member.objects.filter(standing=Standing.ACTIVE, status=Status.FULL)
            .exclude(category=Category.RETIRED)
            .values_list("organization_id", "id")
            .order_by("organization_id", "id")
        )
        for org_id, member_id in rows.iterator(chunk_size=20000):
            bucket = per_branch.setdefault(org_id, [])
            if len(bucket) < 5:
                bucket.append(member_id)
        for spec in self.branch_specs:
            candidates = per_branch.get(spec.org.pk, [])
            if spec.org.pk in secretaries:
                chosen = secretaries[spec.org.pk].pk
                candidates = [chosen] + [c for c in candidates if c != chosen]
            if not candidates:
                continue
            start = add_months(today, -rng.randint(1, 30))
            posts = [PostKind.SECRETARY]
            if spec.org.full_count >= 7 or len(candidates) >= 4:
                posts += [PostKind.ORGANIZATION, PostKind.PROPAGANDA, PostKind.DISCIPLINE]
            for post, member_id in zip(posts, candidates, strict=False):
                holdings.append(
                    PostHolding(
                        member_id=member_id, organization=spec.org, post=post, start_date=start
                    )
                )
            for group in spec.groups:
                leader = rng.choice(candidates)
                holdings.append(
                    PostHolding(
                        member_id=leader,
                        organization=group,
                        post=PostKind.GROUP_LEADER,
                        start_date=start,
                    )
                )
        PostHolding.objects.bulk_create(holdings, batch_size=5000)

    def build_changes(self) -> None:
        """A year of changes recorded through the services, so they are real and audited."""
        rng, today = self.rng, self.plan.today
        actor = User.objects.get(username="orgdept")
        # About one change per thousand members a year, capped so big seeds stay quick.
        scale = max(1, min(self.plan.members // 1000, 40))
        candidates = list(
            Member.objects.filter(standing=Standing.ACTIVE, user__isnull=True)
            .exclude(pk__in=self.people.values())
            .order_by("id")
            .values_list("pk", flat=True)[: 50 * scale * 4]
        )
        rng.shuffle(candidates)
        pool = iter(candidates)
        branches = [s.org for s in self.branch_specs]

        def member() -> Member:
            return Member.objects.select_related("organization").get(pk=next(pool))

        def when(low: int, high: int, m: Member | None = None) -> dt.date:
            day = today - dt.timedelta(days=rng.randint(low, high))
            if m is not None:
                last = m.full_member_on or m.joined_on
                day = max(day, min(last + dt.timedelta(days=1), today))
            return day

        for _ in range(3 * scale):
            m = member()
            target = rng.choice([b for b in branches if b.pk != m.organization_id])
            member_record_event(
                actor=actor,
                member=m,
                kind=EventKind.TRANSFER_INTERNAL,
                effective_date=when(10, 200, m),
                organization=target,
                reason="工作调动",
            )
        for _ in range(2 * scale):
            m = member()
            member_record_event(
                actor=actor,
                member=m,
                kind=EventKind.TRANSFER_OUT,
                effective_date=when(5, 150, m),
                reason="毕业离校",
                detail={"destination": "中共某市委组织部"},
            )
        for _ in range(scale):
            m = member()
            member_set_flags(
                actor=actor,
                member=m,
                effective_date=when(30, 200),
                is_floating=True,
                floating_to="深圳（实习）",
                is_lost_contact=False,
                lost_contact_since=None,
                is_abroad=False,
            )
            m = member()
            member_set_flags(
                actor=actor,
                member=m,
                effective_date=when(30, 200),
                is_floating=False,
                floating_to="",
                is_lost_contact=True,
                lost_contact_since=when(200, 400),
                is_abroad=False,
            )
        probationary = list(
            Member.objects.filter(
                status=Status.PROBATIONARY,
                standing=Standing.ACTIVE,
                joined_on__lt=add_months(today, -12),
                user__isnull=True,
            ).values_list("pk", flat=True)[: max(1, scale // 2)]
        )
        for pk in probationary:
            m = Member.objects.select_related("organization").get(pk=pk)
            member_record_event(
                actor=actor,
                member=m,
                kind=EventKind.PROBATION_EXTENDED,
                effective_date=add_months(m.joined_on, 12),
                reason="支部大会决议延长预备期",
                detail={"months": 6},
            )
        m = member()
        member_record_event(
            actor=actor,
            member=m,
            kind=EventKind.SANCTION,
            effective_date=when(30, 90),
            reason="违反工作纪律",
            detail={"sanction": SanctionKind.WARNING},
        )
        retired = list(
            Member.objects.filter(category=Category.RETIRED, standing=Standing.ACTIVE).values_list(
                "pk", flat=True
            )[: max(1, scale)]
        )
        for pk in retired:
            m = Member.objects.select_related("organization").get(pk=pk)
            member_record_event(
                actor=actor,
                member=m,
                kind=EventKind.DEATH,
                effective_date=when(10, 300, m),
                reason="病故",
            )

    @contextmanager
    def _phase(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        yield
        self.log(f"{name}: {time.monotonic() - started:.1f}s")

    def run(self) -> None:
        started = time.monotonic()
        # On its own, the load commits the organizations first, so the members' foreign keys
        # can be added after the load rather than checked row by row; inside a caller's
        # transaction (the tests) it is one transaction.
        separate = not connection.in_atomic_block
        with transaction.atomic(), self._phase("organizations"):
            self.build_orgs()
        with transaction.atomic():
            with (
                self._phase("members and indexes"),
                self.writer.without_secondary_indexes(
                    "members_member", "members_memberevent", foreign_keys=separate
                ),
            ):
                self.build_members()
            with self._phase("counters"):
                counts.recount()
                for spec in self.branch_specs:
                    spec.org.refresh_from_db(fields=["full_count", "probationary_count"])
            with self._phase("accounts, roles and posts"):
                self.build_people()
        with self._phase("transfers, exits and sanctions"):
            self.build_changes()
        context = demo.DemoContext(
            today=self.plan.today, rng=random.Random(self.plan.seed + 1), log=self.log
        )
        for name, step in demo.steps():
            with self._phase(name):
                step(context)
        log_action(
            None,
            "members.demo.seeded",
            username="seed_demo",
            detail={
                "members": self.plan.members,
                "branches": self.plan.branches,
                "seed": self.plan.seed,
            },
        )
        self.log(f"demo data ready in {time.monotonic() - started:.1f}s")
