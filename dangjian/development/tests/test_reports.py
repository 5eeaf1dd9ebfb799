"""Development reports: every figure against known histories, scope, the workbook, the plans."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.audit.models import AuditEntry
from dangjian.development import plans, reports, services
from dangjian.development.deadlines import due_list
from dangjian.development.models import AdmissionPlan, Case, CaseStatus
from dangjian.development.tests.test_services import BIRTH, PROFILE, D, DevelopmentTestCase
from dangjian.lib import idnumber

TODAY = D(2026, 11, 30)
NAMES = "甲乙丙丁戊己庚辛壬癸子丑寅卯"


def person(seq: int) -> services.Person:
    """An applicant whose name a member record accepts (no digits)."""
    return services.Person(
        name=f"申请人{NAMES[seq]}",
        id_number=idnumber.make("110101", BIRTH, seq),
        profile=PROFILE,
    )


class ReportData(DevelopmentTestCase):
    """Five cases with known histories:

    A (B11) converted: applied 2024-03-01, activist 2024-04-10, development object 2025-04-15,
      admission meeting 2025-06-20, admitted (17) 2025-07-15, conversion approved 2026-07-01.
    B (B11) admitted (17) 2025-07-15, open at stage 4.
    C (B11) applied 2024-03-10, activist 2024-04-10, open at stage 2, stalled since then.
    E (B12) applied 2024-03-01, open at stage 1, stalled.
    F (B12) cancelled (set directly).
    D (B21) applied ten days ago, open at stage 1: outside C1.
    """

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        uni = cls.uni
        helper = cls("run")
        helper.uni = uni
        cls.a = helper.new_case(who=person(1))
        helper.record_until(cls.a, 99)
        cls.b = helper.new_case(who=person(2))
        helper.record_until(cls.b, 18)
        cls.c = helper.new_case(who=person(3), application=D(2024, 3, 10))
        helper.record_until(cls.c, 4)
        cls.e = services.case_create(
            actor=uni.user("committee1"),
            person=person(5),
            org=uni.b12,
            application_date=D(2024, 3, 1),
        )
        cls.f = services.case_create(
            actor=uni.user("committee1"),
            person=person(6),
            org=uni.b12,
            application_date=D(2024, 3, 1),
        )
        Case.objects.filter(pk=cls.f.pk).update(status=CaseStatus.CANCELLED)
        cls.d = services.case_create(
            actor=uni.user("secretary2"),
            person=person(4),
            org=uni.b21,
            application_date=timezone.localdate() - dt.timedelta(days=10),
        )

    def report(self, persona: str = "orgdept", **kw: Any) -> reports.Report:
        kw.setdefault("org", None)
        kw.setdefault("year", 2025)
        return reports.report(self.uni.user(persona), today=TODAY, **kw)


class ReportFigureTests(ReportData):
    def test_counts_by_stage_and_by_organization(self):
        result = self.report(org=self.uni.root)
        self.assertEqual(result.by_stage, {1: 2, 2: 1, 4: 1})
        self.assertEqual(result.open_total, 4)
        rows = {r.org.code: r for r in result.rows if r.org is not None}
        self.assertEqual(list(rows), ["C1", "C2"])
        self.assertEqual(rows["C1"].stages, {1: 1, 2: 1, 3: 0, 4: 1, 5: 0})
        self.assertEqual((rows["C1"].completed, rows["C1"].cancelled), (1, 1))
        self.assertEqual(rows["C2"].stage_list, [1, 0, 0, 0, 0])
        self.assertEqual((result.total.open, result.total.completed), (4, 1))

    def test_a_committee_sees_its_branches(self):
        result = self.report("committee1", org=None)
        self.assertEqual(result.org, self.uni.c1)
        rows = {r.org.code: r for r in result.rows if r.org is not None}
        self.assertEqual(list(rows), ["B11", "B12"])
        self.assertEqual(rows["B11"].stage_list, [0, 1, 0, 1, 0])
        self.assertEqual(rows["B12"].stage_list, [1, 0, 0, 0, 0])
        self.assertEqual(result.by_stage, {1: 1, 2: 1, 4: 1})

    def test_cases_on_the_organization_itself_have_a_row(self):
        services.case_create(
            actor=self.uni.user("committee1"),
            person=person(11),
            org=self.uni.c1,
            application_date=D(2024, 5, 1),
        )
        result = self.report(org=self.uni.c1)
        own = result.rows[0]
        self.assertIsNone(own.org)
        self.assertIn(self.uni.c1.display_name, own.label)
        self.assertEqual(own.stage_list, [1, 0, 0, 0, 0])
        self.assertEqual(result.total.stage_list, [2, 1, 0, 1, 0])
        self.assertEqual([r.org.code for r in result.rows[1:]], ["B11", "B12"])
        university = self.report(org=self.uni.root)
        self.assertEqual(university.rows[0].stage_list, [2, 1, 0, 1, 0])  # C1 with its own

    def test_admissions_and_conversions_of_the_year(self):
        in_2025 = self.report(org=self.uni.root, year=2025)
        self.assertEqual(
            (in_2025.admission_total.admitted, in_2025.admission_total.converted), (2, 0)
        )
        in_2026 = self.report(org=self.uni.root, year=2026)
        self.assertEqual(
            (in_2026.admission_total.admitted, in_2026.admission_total.converted), (0, 1)
        )
        by_org = {r.org.code: r for r in in_2025.admissions if r.org is not None}
        self.assertEqual((by_org["C1"].admitted, by_org["C2"].admitted), (2, 0))

    def test_a_conversion_needs_the_outcome_convert(self):
        step24 = self.a.steps.get(step=24)
        step23 = self.a.steps.get(step=23)
        step23.outcome = "extend"
        step23.save(update_fields=["outcome"])
        self.assertEqual(self.report(org=self.uni.root, year=2026).admission_total.converted, 0)
        step24.outcome = "convert"  # the committee's own outcome decides
        step24.save(update_fields=["outcome"])
        self.assertEqual(self.report(org=self.uni.root, year=2026).admission_total.converted, 1)

    def test_plans_own_or_the_sum_of_the_children(self):
        committee1 = self.uni.user("committee1")
        plans.plan_set(actor=committee1, org=self.uni.b11, year=2025, planned=3)
        plans.plan_set(actor=committee1, org=self.uni.b12, year=2025, planned=2)
        result = self.report(org=self.uni.c1)
        by_org = {r.org.code: r for r in result.admissions if r.org is not None}
        self.assertEqual((by_org["B11"].planned, by_org["B11"].admitted), (3, 2))
        self.assertEqual(by_org["B11"].percent, 67)
        self.assertEqual(result.admission_total.planned, 5)  # C1 has no plan of its own
        plans.plan_set(actor=committee1, org=self.uni.c1, year=2025, planned=8)
        self.assertEqual(self.report(org=self.uni.c1).admission_total.planned, 8)
        university = self.report(org=self.uni.root)
        by_org = {r.org.code: r for r in university.admissions if r.org is not None}
        self.assertEqual((by_org["C1"].planned, by_org["C2"].planned), (8, None))
        self.assertEqual(university.admission_total.planned, 8)
        self.assertIsNone(self.report(org=self.uni.root, year=2024).admission_total.planned)

    def test_average_time_per_stage(self):
        in_2024 = {i.start: i for i in self.report(org=self.uni.root, year=2024).intervals}
        # A and B: 2024-03-01 to 04-10 (40 days); C: 2024-03-10 to 04-10 (31 days).
        self.assertEqual((in_2024[1].cases, in_2024[1].average_days), (3, 37.0))
        self.assertEqual(in_2024[3].cases, 0)
        self.assertIsNone(in_2024[3].average_days)
        in_2025 = {i.start: i for i in self.report(org=self.uni.root, year=2025).intervals}
        self.assertEqual((in_2025[3].cases, in_2025[3].average_days), (2, 370.0))
        self.assertEqual((in_2025[7].cases, in_2025[7].average_days), (2, 66.0))
        in_2026 = {i.start: i for i in self.report(org=self.uni.root, year=2026).intervals}
        self.assertEqual((in_2026[15].cases, in_2026[15].average_days), (1, 376.0))

    def test_stalled_and_overdue_cases(self):
        result = self.report(org=self.uni.root, stalled_days=180)
        stalled = {s.case.pk: s for s in result.stalled}
        self.assertEqual(set(stalled), {self.c.pk, self.e.pk, self.b.pk})
        self.assertEqual(stalled[self.c.pk].last_date, D(2024, 4, 10))
        self.assertEqual(stalled[self.c.pk].days, (TODAY - D(2024, 4, 10)).days)
        self.assertEqual(result.stalled_count, 3)
        self.assertEqual(self.report(org=self.uni.root, stalled_days=3650).stalled_count, 0)
        expected = due_list(self.uni.user("orgdept"), org=self.uni.root, today=TODAY).overdue
        self.assertEqual([o.case.pk for o in result.overdue], [d.case.pk for d in expected])
        self.assertIn(self.e.pk, [o.case.pk for o in result.overdue])  # the talk is overdue

    def test_secretary1_sees_only_b11(self):
        result = self.report("secretary1", year=2025)
        self.assertEqual(result.org, self.uni.b11)
        self.assertEqual(result.by_stage, {2: 1, 4: 1})
        self.assertEqual(result.total.completed, 1)
        self.assertEqual(result.total.cancelled, 0)
        self.assertEqual(result.admission_total.admitted, 2)
        self.assertEqual({s.case.pk for s in result.stalled}, {self.c.pk, self.b.pk})
        self.assertTrue(all(o.case.organization == self.uni.b11 for o in result.overdue))
        page = self.client_for("secretary1").get("/development/reports/?org=C1")
        self.assertEqual(page.status_code, 200)
        self.assertEqual(page.context["report"].org, self.uni.b11)  # C1 is out of scope
        self.assertIn("org", page.context["form"].errors)
        self.assertNotContains(page, self.e.name)

    def test_the_query_count_does_not_grow_with_the_cases(self):
        user = User.objects.get(username="orgdept")
        with CaptureQueriesContext(connection) as before:
            reports.report(user, org=self.uni.root, year=2025, today=TODAY)
        self.new_case(who=person(9))
        services.case_create(
            actor=self.uni.user("committee1"),
            person=person(10),
            org=self.uni.b12,
            application_date=D(2024, 5, 1),
        )
        user = User.objects.get(username="orgdept")
        with CaptureQueriesContext(connection) as after:
            reports.report(user, org=self.uni.root, year=2025, today=TODAY)
        self.assertEqual(len(before), len(after))


class ReportPageTests(ReportData):
    def test_the_page_shows_the_figures_as_tables(self):
        page = self.client_for("orgdept").get("/development/reports/?org=U&year=2025")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, 'id="reports-orgs"')
        self.assertContains(page, self.c.name)  # stalled
        self.assertContains(page, 'id="plan-form"')
        bad = self.client_for("orgdept").get("/development/reports/?year=1800&stalled_days=x")
        self.assertEqual(bad.status_code, 200)
        self.assertIn("year", bad.context["form"].errors)
        self.assertEqual(bad.context["report"].year, timezone.localdate().year)

    def test_thousands_separators(self):
        plans.plan_set(actor=self.uni.user("orgdept"), org=self.uni.c1, year=2025, planned=12345)
        page = self.client_for("orgdept").get("/development/reports/?org=C1&year=2025")
        self.assertContains(page, "12,345")

    def test_a_viewer_without_approval_has_no_plan_form(self):
        page = self.client_for("secretary1").get("/development/reports/")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'id="plan-form"')
        self.assertEqual(self.client_for("member1").get("/development/reports/").status_code, 404)

    def test_the_workbook_has_a_sheet_per_section_and_is_audited(self):
        answer = self.client_for("committee1").get(
            "/development/reports/export.xlsx?year=2025&stalled_days=180"
        )
        self.assertEqual(answer.status_code, 200)
        book = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
        self.assertEqual(len(book.sheetnames), 6)
        by_org = book[book.sheetnames[1]]
        values = [[c.value for c in row] for row in by_org.iter_rows()]
        self.assertEqual(values[1][0], self.uni.b11.display_name)
        self.assertEqual(values[1][1:6], [0, 1, 0, 1, 0])
        stalled = book[book.sheetnames[4]]
        names = {row[0].value for row in stalled.iter_rows(min_row=2)}
        self.assertEqual(names, {self.b.name, self.c.name, self.e.name})
        entry = AuditEntry.objects.get(action="development.report.exported")
        self.assertEqual((entry.actor, entry.org_code), (self.uni.user("committee1"), "C1"))

    def test_a_formula_in_a_name_stays_text(self):
        Case.objects.filter(pk=self.c.pk).update(name="=1+1")
        answer = self.client_for("committee1").get("/development/reports/export.xlsx?year=2025")
        book = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
        stalled = book[book.sheetnames[4]]
        cell = next(r[0] for r in stalled.iter_rows(min_row=2) if r[0].value == "=1+1")
        self.assertEqual(cell.data_type, "s")


class PlanSetTests(ReportData):
    def test_it_creates_then_changes_with_the_audit(self):
        actor = self.uni.user("committee1")
        plan = plans.plan_set(actor=actor, org=self.uni.b11, year=2026, planned=4)
        self.assertEqual((plan.planned, plan.set_by), (4, actor))
        plans.plan_set(actor=actor, org=self.uni.b11, year=2026, planned=6)
        self.assertEqual(AdmissionPlan.objects.get(organization=self.uni.b11, year=2026).planned, 6)
        entries = AuditEntry.objects.filter(action="development.plan.set").order_by("id")
        self.assertEqual([e.changes["planned"] for e in entries], [[None, 4], [4, 6]])
        self.assertEqual(entries[0].org_code, "B11")

    def test_it_validates(self):
        actor = self.uni.user("orgdept")
        for year, planned, bad in ((1999, 1, "year"), (2101, 1, "year"), (2026, -1, "planned"),
                                   (2026, 100_001, "planned")):  # fmt: skip
            with self.subTest(year=year, planned=planned), self.assertRaises(ValidationError) as e:
                plans.plan_set(actor=actor, org=self.uni.c1, year=year, planned=planned)
            self.assertIn(bad, e.exception.message_dict)
        plans.plan_set(actor=actor, org=self.uni.c1, year=2100, planned=100_000)
        self.assertFalse(
            AuditEntry.objects.filter(
                action="development.plan.set", changes__planned=[None, -1]
            ).exists()
        )

    def test_only_approvers_of_the_organization(self):
        with self.assertRaises(PermissionDenied):
            plans.plan_set(
                actor=self.uni.user("secretary1"), org=self.uni.b11, year=2026, planned=1
            )
        with self.assertRaises(PermissionDenied):
            plans.plan_set(actor=self.uni.user("committee1"), org=self.uni.c2, year=2026, planned=1)

    def test_the_form_on_the_page(self):
        client = self.client_for("committee1")
        done = client.post(
            "/development/reports/plans/", {"org": "B12", "year": "2026", "planned": "7"}
        )
        self.assertEqual(done.status_code, 302)
        self.assertIn("org=B12", done["Location"])
        self.assertEqual(AdmissionPlan.objects.get(organization=self.uni.b12, year=2026).planned, 7)
        bad = client.post(
            "/development/reports/plans/", {"org": "B12", "year": "2026", "planned": "-3"}
        )
        self.assertEqual(bad.status_code, 422)
        self.assertIn("planned", bad.context["plan_form"].errors)
        other = client.post(
            "/development/reports/plans/", {"org": "C2", "year": "2026", "planned": "3"}
        )
        self.assertEqual(other.status_code, 422)
        self.assertIn("org", other.context["plan_form"].errors)
        refused = self.client_for("secretary1").post(
            "/development/reports/plans/", {"org": "B11", "year": "2026", "planned": "3"}
        )
        self.assertEqual(refused.status_code, 404)
        self.assertFalse(
            AdmissionPlan.objects.filter(organization__code__in=["C2", "B11"]).exists()
        )


def test_planned_for_sums_down_the_tree():
    plans_ = {"0000100001": 3, "000010000200001": 2, "000010000200002": 4}
    assert reports.planned_for("00001", plans_) == 9
    assert reports.planned_for("0000100002", plans_) == 6
    assert reports.planned_for("0000100003", plans_) is None
