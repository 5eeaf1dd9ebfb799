"""The working-day calendar: who edits it, adding, deleting and importing days, all audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.audit.models import AuditEntry
from dangjian.development import plans, reports
from dangjian.development.models import Holiday, calendar_for
from dangjian.testing.base import BaseTestCase

D = dt.date
SCHEDULE = """2030-10-01,holiday,国庆节
2030-10-02，holiday，国庆节
# a comment line

2030-10-12,workday,国庆节调休
2030-12-31,holiday
"""


class CalendarAccessTests(BaseTestCase):
    def test_only_the_whole_university_edits(self):
        self.assertTrue(reports.may_edit_calendar(self.uni.user("orgdept")))
        for persona in ("committee1", "secretary1", "committee_member", "member1", "sysadmin"):
            with self.subTest(persona=persona):
                self.assertFalse(reports.may_edit_calendar(self.uni.user(persona)))
        with self.assertRaises(PermissionDenied):
            plans.holiday_set(actor=self.uni.user("committee1"), date=D(2030, 5, 1), kind="holiday")

    def test_viewers_read_it_and_others_get_404(self):
        Holiday.objects.create(date=D(2030, 5, 1), kind="holiday", name="劳动节")
        page = self.client_for("secretary1").get("/development/holidays/?year=2030")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "劳动节")
        self.assertNotContains(page, 'id="holiday-add"')
        self.assertEqual(
            self.client_for("secretary1").post("/development/holidays/", {}).status_code, 403
        )
        self.assertEqual(self.client_for("member1").get("/development/holidays/").status_code, 404)
        editor = self.client_for("orgdept").get("/development/holidays/?year=2030")
        self.assertContains(editor, 'id="holiday-add"')
        self.assertContains(editor, 'id="holiday-import"')

    def test_a_year_without_rows_is_noted(self):
        page = self.client_for("orgdept").get("/development/holidays/?year=2031")
        self.assertContains(page, 'id="calendar-empty-note"')
        Holiday.objects.create(date=D(2031, 1, 1), kind="holiday", name="元旦")
        page = self.client_for("orgdept").get("/development/holidays/?year=2031")
        self.assertNotContains(page, 'id="calendar-empty-note"')


class HolidaySetTests(BaseTestCase):
    def test_add_change_and_delete_are_audited(self):
        actor = self.uni.user("orgdept")
        day = plans.holiday_set(actor=actor, date=D(2030, 10, 1), kind="holiday", name="国庆")
        plans.holiday_set(actor=actor, date=D(2030, 10, 1), kind="holiday", name="国庆节")
        plans.holiday_set(actor=actor, date=D(2030, 10, 1), kind="holiday", name="国庆节")
        entries = list(AuditEntry.objects.filter(action="development.holiday.set").order_by("id"))
        self.assertEqual(len(entries), 2)  # the third changed nothing
        self.assertEqual(entries[0].changes["kind"], [None, "holiday"])
        self.assertEqual(entries[1].changes, {"name": ["国庆", "国庆节"]})
        plans.holiday_delete(actor=actor, holiday=day)
        self.assertFalse(Holiday.objects.exists())
        deleted = AuditEntry.objects.get(action="development.holiday.deleted")
        self.assertEqual(deleted.target_label, "2030-10-01")

    def test_it_validates(self):
        actor = self.uni.user("orgdept")
        with self.assertRaises(ValidationError) as weekday:
            plans.holiday_set(actor=actor, date=D(2030, 10, 9), kind="workday")  # a Wednesday
        self.assertIn("2030-10-09", weekday.exception.message_dict["kind"][0])
        with self.assertRaises(ValidationError) as kind:
            plans.holiday_set(actor=actor, date=D(2030, 10, 9), kind="off")
        self.assertIn("kind", kind.exception.message_dict)
        with self.assertRaises(ValidationError) as name:
            plans.holiday_set(actor=actor, date=D(2030, 10, 9), kind="holiday", name="节" * 51)
        self.assertIn("name", name.exception.message_dict)
        with self.assertRaises(ValidationError) as year:
            plans.holiday_set(actor=actor, date=D(1999, 10, 1), kind="holiday")
        self.assertIn("date", year.exception.message_dict)
        self.assertFalse(Holiday.objects.exists())

    def test_the_pages_add_and_delete(self):
        client = self.client_for("orgdept")
        added = client.post(
            "/development/holidays/",
            {"action": "add", "date": "2030-10-12", "kind": "workday", "name": "调休"},
        )
        self.assertEqual(added.status_code, 302)
        self.assertIn("year=2030", added["Location"])
        day = Holiday.objects.get()
        self.assertEqual((day.date, day.kind), (D(2030, 10, 12), "workday"))
        refused = client.post(
            "/development/holidays/", {"action": "add", "date": "2030-10-09", "kind": "workday"}
        )
        self.assertEqual(refused.status_code, 422)
        self.assertIn("kind", refused.context["form"].errors)
        self.assertEqual(
            self.client_for("committee1")
            .post(f"/development/holidays/{day.pk}/delete/")
            .status_code,
            403,
        )
        self.assertEqual(
            self.client_for("member1").post(f"/development/holidays/{day.pk}/delete/").status_code,
            404,
        )
        gone = client.post(f"/development/holidays/{day.pk}/delete/")
        self.assertEqual(gone.status_code, 302)
        self.assertFalse(Holiday.objects.exists())

    def test_the_calendar_the_rules_read(self):
        plans.holiday_set(actor=self.uni.user("orgdept"), date=D(2030, 10, 1), kind="holiday")
        calendar = calendar_for([2030])
        self.assertTrue(calendar.is_configured(2030))
        self.assertFalse(calendar.is_working_day(D(2030, 10, 1)))


class HolidayImportTests(BaseTestCase):
    def test_it_reads_a_schedule(self):
        read, changed = plans.holiday_import(actor=self.uni.user("orgdept"), text=SCHEDULE)
        self.assertEqual((read, changed), (4, 4))
        rows = list(Holiday.objects.values_list("date", "kind", "name"))
        self.assertEqual(
            rows,
            [
                (D(2030, 10, 1), "holiday", "国庆节"),
                (D(2030, 10, 2), "holiday", "国庆节"),
                (D(2030, 10, 12), "workday", "国庆节调休"),
                (D(2030, 12, 31), "holiday", ""),
            ],
        )
        self.assertEqual(AuditEntry.objects.filter(action="development.holiday.set").count(), 4)
        summary = AuditEntry.objects.get(action="development.holiday.imported")
        self.assertEqual(summary.detail["changed"], 4)
        again = plans.holiday_import(actor=self.uni.user("orgdept"), text=SCHEDULE)
        self.assertEqual(again, (4, 0))

    def test_one_bad_line_saves_nothing_and_is_named(self):
        text = (
            "2030-10-01,holiday,国庆节\n2030-13-01,holiday,x\n2030-10-09,workday,调休\n"
            "nonsense\n2030-10-01,holiday\n"
        )
        with self.assertRaises(ValidationError) as refused:
            plans.holiday_import(actor=self.uni.user("orgdept"), text=text)
        problems = refused.exception.message_dict["lines"]
        self.assertTrue(problems[0].startswith("Line 2:"), problems)
        self.assertTrue(any(p.startswith("Line 3:") and "2030-10-09" in p for p in problems))
        self.assertTrue(any(p.startswith("Line 4:") for p in problems))
        self.assertTrue(any(p.startswith("Line 5:") and "line 1" in p for p in problems))
        self.assertFalse(Holiday.objects.exists())
        self.assertFalse(
            AuditEntry.objects.filter(action__startswith="development.holiday").exists()
        )
        with self.assertRaises(ValidationError):
            plans.holiday_import(actor=self.uni.user("orgdept"), text="  \n# only a comment\n")

    def test_the_page_imports_or_shows_the_lines(self):
        client = self.client_for("orgdept")
        done = client.post("/development/holidays/", {"action": "import", "lines": SCHEDULE})
        self.assertEqual(done.status_code, 302)
        self.assertIn("year=2030", done["Location"])
        self.assertEqual(Holiday.objects.count(), 4)
        bad = client.post(
            "/development/holidays/", {"action": "import", "lines": "2030-11-01,holiday\nx,y"}
        )
        self.assertEqual(bad.status_code, 422)
        self.assertContains(bad, "Line 2:", status_code=422)
        self.assertFalse(Holiday.objects.filter(date=D(2030, 11, 1)).exists())
        refused = self.client_for("committee1").post(
            "/development/holidays/", {"action": "import", "lines": SCHEDULE}
        )
        self.assertEqual(refused.status_code, 403)
