from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.lib import idnumber
from dangjian.members.models import ImportJob, Member
from dangjian.testing.base import BaseTestCase

HEADERS = [
    "党员类型",
    "姓名",
    "身份证号",
    "民族",
    "学历",
    "人员类别",
    "学号",
    "手机号",
    "入党日期",
    "转正日期",
    "性别",
    "出生日期",
    "党组织编码",
]


def person(n: int, **overrides) -> dict:
    birth = dt.date(1995, 1, 1) + dt.timedelta(days=n * 3)
    row = {
        "党员类型": "正式党员",
        "姓名": "导入" + "甲乙丙丁戊己庚辛壬癸"[n % 10] + "子丑寅卯辰巳午未申酉"[n // 10 % 10],
        "身份证号": idnumber.make("320102", birth, 100 + n * 2 + 1),
        "民族": "汉族",
        "学历": "硕士研究生",
        "人员类别": "硕士研究生",
        "学号": f"2024S{n:04d}",
        "手机号": f"1380000{n:04d}",
        "入党日期": "2016.07.01",
        "转正日期": "2017年7月1日",
        "性别": "男",
        "出生日期": birth,
        "党组织编码": "B11",
    }
    row.update(overrides)
    return row


def workbook(rows: list[dict], headers: list[str] = HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class ImportTestCase(BaseTestCase):
    def upload(self, content: bytes, persona: str = "secretary1", **extra):
        client = self.client_for(persona)
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post(
                "/members/import/?org=B11" if persona == "secretary1" else "/members/import/",
                {"file": SimpleUploadedFile("名册.xlsx", content), **extra},
            )
        self.assertEqual(response.status_code, 302, getattr(response, "content", b"")[:500])
        job = ImportJob.objects.latest("id")
        return client, job

    def good_rows(self) -> list[dict]:
        rows = [person(n) for n in range(1, 6)]
        rows[1]["入党日期"] = 42552  # an Excel serial date: 2016-07-01
        rows[1]["转正日期"] = "2017-07-01"
        rows[2]["身份证号"] = rows[2]["身份证号"].translate(
            str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
        )
        rows[3]["党员类型"] = "预备党员"
        rows[3]["入党日期"] = timezone.localdate() - dt.timedelta(days=30)
        rows[3]["转正日期"] = None
        return rows

    def bad_rows(self) -> list[dict]:
        rows = self.good_rows()
        existing = self.uni.members["member1"].id_number
        rows[0]["身份证号"] = rows[0]["身份证号"][:-1] + (
            "1" if rows[0]["身份证号"][-1] != "1" else "2"
        )
        rows[1]["党组织编码"] = "NOPE"
        rows[2]["入党日期"] = "2016年13月1日"
        # A duplicate in the file, and a number already on record (birth date and gender are
        # left out, so they are read from the number).
        rows.append(
            person(7, 身份证号=rows[4]["身份证号"], 学号="2024S9999", 出生日期=None, 性别=None)
        )
        rows.append(person(8, 身份证号=existing, 出生日期=None, 性别=None))
        return rows

    def test_a_file_with_bad_rows_imports_nothing_and_reports_each_row(self):
        before = Member.objects.count()
        client, job = self.upload(workbook(self.bad_rows()))
        self.assertEqual(job.status, ImportJob.Status.INVALID)
        self.assertEqual(Member.objects.count(), before)
        problems = {(e["row"], e["field"]) for e in job.errors}
        self.assertIn((2, "id_number"), problems)
        self.assertIn((3, "organization"), problems)
        self.assertIn((4, "joined_on"), problems)
        self.assertIn((7, "id_number"), problems)  # same as row 6
        self.assertIn((8, "id_number"), problems)  # on record
        page = client.get(f"/members/import/{job.pk}/")
        self.assertContains(page, "nothing has been imported")
        self.assertContains(page, "NOPE")
        report = client.get(f"/members/import/{job.pk}/report.xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
        header = [c.value for c in sheet[1]]
        self.assertEqual(header[0], "行号")
        self.assertEqual(header[-1], "问题")
        problem_of_row_3 = sheet.cell(row=3, column=len(header)).value
        self.assertIn("党组织编码", str(problem_of_row_3))
        self.assertIsNone(sheet.cell(row=6, column=len(header)).value)  # row 6 is fine
        refused = AuditEntry.objects.get(action="members.import.refused")
        self.assertEqual(refused.result, "failure")
        self.assertEqual(refused.detail["bad_rows"], 5)
        # Confirming without choosing to keep the valid rows is refused.
        with self.captureOnCommitCallbacks(execute=True):
            client.post(f"/members/import/{job.pk}/confirm/")
        self.assertEqual(Member.objects.count(), before)

    def test_the_fixed_file_imports_completely_and_is_audited(self):
        before = Member.objects.count()
        rows = self.good_rows()
        client, job = self.upload(workbook(rows))
        self.assertEqual(job.status, ImportJob.Status.VALID, job.errors)
        self.assertEqual(Member.objects.count(), before)  # nothing until confirmed
        with self.captureOnCommitCallbacks(execute=True):
            client.post(f"/members/import/{job.pk}/confirm/")
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.DONE)
        self.assertEqual(job.imported_rows, 5)
        self.assertEqual(job.content, b"")
        self.assertEqual(Member.objects.count(), before + 5)
        imported = Member.objects.get(staff_number="2024S0002")
        self.assertEqual(imported.joined_on, dt.date(2016, 7, 1))
        self.assertEqual(imported.full_member_on, dt.date(2017, 7, 1))
        self.assertEqual(Member.objects.get(staff_number="2024S0004").status, "probationary")
        self.assertEqual(
            AuditEntry.objects.filter(
                action="members.member.created", actor_username="secretary1"
            ).count(),
            5,
        )
        completed = AuditEntry.objects.get(action="members.import.completed")
        self.assertEqual(completed.detail["imported"], 5)

    def test_the_error_report_fixed_in_place_can_be_uploaded_again(self):
        rows = self.good_rows()
        rows[0]["民族"] = "火星族"
        client, job = self.upload(workbook(rows))
        report = client.get(f"/members/import/{job.pk}/report.xlsx")
        book = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content)))
        sheet = book.active
        header = [c.value for c in sheet[1]]
        sheet.cell(row=2, column=header.index("民族") + 1).value = "汉族"
        buffer = io.BytesIO()
        book.save(buffer)
        _, second = self.upload(buffer.getvalue())
        self.assertEqual(second.status, ImportJob.Status.VALID, second.errors)

    def test_the_valid_rows_alone_are_imported_when_the_user_says_so(self):
        before = Member.objects.count()
        client, job = self.upload(workbook(self.bad_rows()))
        with self.captureOnCommitCallbacks(execute=True):
            client.post(f"/members/import/{job.pk}/confirm/", {"keep_valid": "1"})
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.DONE)
        self.assertEqual(Member.objects.count(), before + 2)

    def test_missing_required_columns_refuse_the_file(self):
        content = workbook([person(1)], headers=["姓名", "性别"])
        _, job = self.upload(content)
        self.assertIn("入党日期", job.file_error)
        self.assertIn("公民身份号码", job.file_error)

    def test_a_file_that_is_not_a_workbook_is_refused(self):
        _, job = self.upload(b"not a spreadsheet")
        self.assertEqual(job.status, ImportJob.Status.INVALID)
        self.assertTrue(job.file_error)

    def test_rows_cannot_land_outside_the_importers_scope(self):
        rows = [person(1, 党组织编码="B21")]
        _, job = self.upload(workbook(rows))
        self.assertEqual(job.errors[0]["field"], "organization")

    def test_another_users_import_is_not_visible(self):
        _, job = self.upload(workbook(self.good_rows()))
        response = self.client_for("secretary2").get(f"/members/import/{job.pk}/")
        self.assertEqual(response.status_code, 404)


class ImportCommandTestCase(BaseTestCase):
    def write(self, tmp: Path, rows: list[dict]) -> Path:
        path = tmp / "roster.xlsx"
        path.write_bytes(workbook(rows))
        return path

    def test_the_command_refuses_a_bad_file_and_writes_nothing(self):
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            rows = [person(1), person(2, 身份证号="123")]
            path = self.write(Path(tmp), rows)
            before = Member.objects.count()
            with self.assertRaises(CommandError):
                call_command(
                    "import_members",
                    str(path),
                    "--org",
                    "B11",
                    stdout=io.StringIO(),
                    stderr=io.StringIO(),
                )
            self.assertEqual(Member.objects.count(), before)
            call_command(
                "import_members",
                str(path),
                "--org",
                "B11",
                "--keep-valid",
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
            self.assertEqual(Member.objects.count(), before + 1)

    def test_dry_run_writes_nothing(self):
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            path = self.write(Path(tmp), [person(1)])
            before = Member.objects.count()
            call_command(
                "import_members", str(path), "--org", "B11", "--dry-run", stdout=io.StringIO()
            )
            self.assertEqual(Member.objects.count(), before)


def test_the_command_exits_non_zero_when_the_file_is_refused(tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(workbook([person(1)], headers=["姓名"]))
    result = subprocess.run(
        [sys.executable, "manage.py", "import_members", str(path), "--org", "U", "--dry-run"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={
            "DEBUG": "1",
            "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
            "PATH": "/usr/bin:/bin",
            "LANGUAGE": "en",
        },
        check=False,
    )
    assert result.returncode != 0


class ReportHeaderTestCase(BaseTestCase):
    def test_a_problem_with_a_field_the_file_lacks_names_the_field_in_chinese(self):
        from django.utils import translation

        from dangjian.members.services.importing import parse_roster

        headers = [h for h in HEADERS if h != "党组织编码"]
        with translation.override("zh-hans"):
            parsed = parse_roster(
                io.BytesIO(workbook([person(1)], headers)),
                scope=self.uni.c1,
                default_org=None,
                max_rows=10,
            )
        headers_of = {e.field: e.header for e in parsed.errors}
        self.assertEqual(headers_of["organization"], "党组织")
