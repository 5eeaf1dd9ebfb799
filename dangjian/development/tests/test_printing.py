"""Printing in member development: the PDF dossier (valid, audited with its code, scoped), the
public notices (the person's data and the notice dates) and the filing list (scoped)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from unittest import mock

from django.test import SimpleTestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.content.models import Upload
from dangjian.development import dossier, services
from dangjian.development.models import StepDocument
from dangjian.development.tests.test_services import BIRTH, D, DevelopmentTestCase
from dangjian.lib import idnumber

PROFILE = {"ethnicity": "01", "education": "bachelor", "category": "undergraduate"}


def person(seq: int, name: str) -> services.Person:
    """A person whose admission can put them on the roster (a name of Chinese characters)."""
    return services.Person(
        name=name, id_number=idnumber.make("110101", BIRTH, seq), profile=PROFILE
    )


class DossierTests(DevelopmentTestCase):
    def setUp(self) -> None:
        self.case = self.new_case()
        self.record_until(self.case, 10)
        self.url = reverse("development:dossier-pdf", args=[self.case.pk])

    def test_the_dossier_is_a_pdf_with_its_pages_and_is_audited_with_its_code(self):
        response = self.client_for("committee_member").get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("no-store", response.get("Cache-Control", ""))
        self.assertIn(f"dossier-{self.case.pk}-", response["Content-Disposition"])
        content = response.content
        self.assertTrue(content.startswith(b"%PDF-"))
        self.assertIn(b"%%EOF", content[-32:])
        pages = re.findall(rb"/Type /Page\b", content)
        self.assertGreaterEqual(len(pages), 2)  # cover and timeline, then the checklist
        self.assertTrue(b"STSong-Light" in content or b"DossierCJK" in content)
        entry = AuditEntry.objects.get(action="development.dossier.exported")
        self.assertEqual(entry.actor, self.uni.user("committee_member"))
        self.assertEqual((entry.target_id, entry.org_code), (str(self.case.pk), "B11"))
        code = entry.detail["code"]
        self.assertRegex(code, r"^[0-9a-f]{12}$")
        self.assertIn(code.encode(), content)  # in the document's keywords, for checking
        generated = dt.datetime.fromisoformat(entry.detail["generated_at"])
        self.assertTrue(dossier.verify(self.case.pk, generated, code))
        self.assertFalse(dossier.verify(self.case.pk + 1, generated, code))
        self.assertFalse(dossier.verify(self.case.pk, generated + dt.timedelta(seconds=1), code))

    def test_out_of_scope_is_404_and_anonymous_is_sent_to_sign_in(self):
        for persona in ("secretary2", "member1", "outsider"):
            self.assertEqual(self.client_for(persona).get(self.url).status_code, 404, persona)
        anonymous = self.client.get(self.url)
        self.assertEqual(anonymous.status_code, 302)
        self.assertFalse(AuditEntry.objects.filter(action="development.dossier.exported").exists())

    def test_the_timeline_names_the_actors_and_the_checklist_tells_present_from_missing(self):
        names = dossier.member_names(self.case.steps.all())
        talk = self.case.steps.get(step=2)
        sponsors = self.case.steps.get(step=9)
        self.assertIn("王书记", " ".join(dossier.event_details(talk, names)))
        details = " ".join(dossier.event_details(sponsors, names))
        self.assertIn("王书记", details)
        self.assertIn("李党员", details)
        self.assertIn("2014.06", details)
        upload = Upload.objects.create(
            kind=Upload.Kind.FILE,
            file="development/matrix-none.pdf",
            name="申请书.pdf",
            content_type="application/pdf",
            size=1,
            uploaded_by=self.uni.user("secretary1"),
        )
        StepDocument.objects.create(
            case=self.case, step=1, form="application", title="入党申请书", upload=upload
        )
        StepDocument.objects.create(case=self.case, step=2, title="其他材料", upload=upload)
        lines, others = dossier.checklist(self.case)
        by_step = {(line.step, line.name): line.count for line in lines}
        self.assertEqual(by_step[(1, "Written application to join the Party")], 1)
        self.assertEqual(by_step[(2, "Record of the talk with the applicant")], 0)
        self.assertEqual([d.title for d in others], ["其他材料"])

    def test_a_closed_case_and_a_masked_id_number(self):
        case = self.new_case(who=person(2, "结案人"))
        for number, day, fields, who in self.history():
            services.step_record(
                actor=self.uni.user(who), case=case, step=number, date=day, fields=fields
            )
        built = dossier.build(case, actor=self.uni.user("orgdept"))
        self.assertTrue(built.content.startswith(b"%PDF-"))
        self.assertGreaterEqual(built.pages, 2)
        self.assertNotIn(case.id_number.encode(), built.content)


DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


class FontTests(SimpleTestCase):
    def tearDown(self) -> None:
        dossier.font_name.cache_clear()

    def test_a_font_without_chinese_or_no_file_falls_back_to_the_cid_font(self):
        for path in ("/nonexistent/font.ttf", str(DEJAVU)):
            dossier.font_name.cache_clear()
            with override_settings(PDF_CJK_FONT=path):
                self.assertEqual(dossier.font_name(), dossier.CID_FONT)

    def test_a_truetype_font_with_the_glyphs_is_embedded(self):
        if not DEJAVU.is_file():
            self.skipTest("no TrueType font on this machine")
        with (
            override_settings(PDF_CJK_FONT=str(DEJAVU)),
            mock.patch.object(dossier, "SAMPLE", "AB"),
        ):
            self.assertEqual(dossier.font_name(), dossier.TTF_FONT)


class NoticeTests(DevelopmentTestCase):
    def test_the_development_object_notice_has_the_person_and_the_notice_dates(self):
        case = self.new_case()
        self.record_until(case, 7)
        services.step_record(
            actor=self.uni.user("secretary1"),
            case=case,
            step=7,
            date=D(2025, 4, 15),
            fields={"notice_start": D(2025, 4, 7), "notice_end": D(2025, 4, 11)},
        )
        url = reverse("development:print-notice-object", args=[case.pk])
        page = self.client_for("secretary1").get(url)
        self.assertEqual(page.status_code, 200)
        text = page.content.decode()
        self.assertIn(case.name, text)
        self.assertIn("2025年4月7日", text)
        self.assertIn("2025年4月11日", text)
        self.assertIn("2024年3月1日", text)  # application
        self.assertIn("2024年4月10日", text)  # activist
        self.assertIn("2003年5月", text)  # born
        self.assertIn("css/print.css", text)
        self.assertNotIn(case.id_number, text)
        self.assertEqual(self.client_for("secretary2").get(url).status_code, 404)

    def test_without_notice_dates_the_blanks_are_left_to_fill_by_hand(self):
        case = self.new_case()
        url = reverse("development:print-notice-object", args=[case.pk])
        text = self.client_for("committee_member").get(url).content.decode()
        self.assertIn("____年__月__日", text)

    def test_the_conversion_notice_has_the_admission_and_probation_dates(self):
        case = self.new_case(who=person(4, "转正人"))
        self.record_until(case, 23)
        url = reverse("development:print-notice-conversion", args=[case.pk])
        page = self.client_for("committee1").get(url)
        self.assertEqual(page.status_code, 200)
        text = page.content.decode()
        self.assertIn(case.name, text)
        self.assertIn("2025年6月20日", text)  # admitted by the branch general meeting
        self.assertIn("2025年7月15日", text)  # approved
        self.assertIn("2026年6月20日", text)  # probation ends
        self.assertIn("2026年6月1日", text)  # applied for conversion
        self.assertEqual(self.client_for("member1").get(url).status_code, 404)
        self.assertEqual(self.client.get(url).status_code, 302)


class FilingTests(DevelopmentTestCase):
    def test_the_filing_list_is_scoped_and_filtered_by_stage(self):
        activist = self.new_case(seq=1, who=person(1, "积极分子"))
        self.record_until(activist, 7)
        applicant = self.new_case(seq=2, who=person(2, "申请者"))
        elsewhere = services.case_create(
            actor=self.uni.user("secretary2"),
            person=person(3, "外支部"),
            org=self.uni.b21,
            application_date=D(2024, 3, 1),
        )
        services.step_record(
            actor=self.uni.user("secretary2"),
            case=elsewhere,
            step=2,
            date=D(2024, 3, 20),
            fields={"talker": self.m("secretary2")},
        )
        services.step_record(
            actor=self.uni.user("secretary2"), case=elsewhere, step=3, date=D(2024, 4, 10)
        )
        url = reverse("development:print-filing", args=["B11"])
        text = self.client_for("secretary1").get(url, {"stage": 2}).content.decode()
        self.assertIn(activist.name, text)
        self.assertIn("2024-04-10", text)
        self.assertNotIn(applicant.name, text)
        self.assertNotIn(elsewhere.name, text)
        # The university's organization department sees both branches from the top.
        top = self.client_for("orgdept").get(
            reverse("development:print-filing", args=["U"]), {"stage": 2}
        )
        self.assertIn(elsewhere.name, top.content.decode())
        self.assertIn(activist.name, top.content.decode())
        # No development object yet; another branch's list is out of scope.
        objects = self.client_for("secretary1").get(url, {"stage": 3}).content.decode()
        self.assertNotIn(activist.name, objects)
        b21 = reverse("development:print-filing", args=["B21"])
        self.assertEqual(self.client_for("secretary1").get(b21).status_code, 404)
        self.assertEqual(self.client_for("secretary1").get(url + "?stage=9").status_code, 422)
        self.assertEqual(
            self.client_for("secretary1")
            .get(reverse("development:print-filing", args=["X"]))
            .status_code,
            404,
        )

    def test_the_default_list_is_of_activists(self):
        page = self.client_for("committee_member").get(
            reverse("development:print-filing", args=["B11"])
        )
        self.assertEqual(page.status_code, 200)
        self.assertEqual(page.context["stage"], 2)
        self.assertLessEqual(page.context["today"], timezone.localdate())
