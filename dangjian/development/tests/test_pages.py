"""The branch's development pages: board, deadlines, new applicant, timeline with its step
form and documents, and a step for several people."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.development import services
from dangjian.development.models import Case, StepDocument
from dangjian.development.tests.test_services import D, DevelopmentTestCase, person
from dangjian.lib import idnumber


class BoardTests(DevelopmentTestCase):
    def test_the_board_shows_each_case_in_its_stage_with_its_next_step(self):
        mine = self.new_case(1)
        self.record_until(mine, 7)  # an activist waiting to become a development object
        other = services.case_create(
            actor=self.uni.user("secretary2"),
            person=person(2),
            org=self.uni.b21,
            application_date=D(2024, 3, 1),
        )
        page = self.client_for("secretary1").get("/development/")
        self.assertEqual(page.status_code, 200)
        columns = {c.stage: c for c in page.context["columns"]}
        self.assertEqual([r.case for r in columns[2].rows], [mine])
        self.assertNotContains(page, other.name)
        self.assertContains(page, f"/development/cases/{mine.pk}/")
        self.assertEqual(page.context["due"]["overdue"], 0)

    def test_the_due_list_groups_overdue_cases(self):
        case = self.new_case(1, application=D(2024, 3, 1))  # talk due by 2024-04-01: overdue
        page = self.client_for("secretary1").get("/development/due/")
        overdue = {key: rows for key, _t, rows, _e, _n in page.context["groups"]}["overdue"]
        self.assertEqual([r.case for r in overdue], [case])
        self.assertContains(page, "days overdue")

    def test_the_branch_committee_member_sees_but_cannot_open_a_case(self):
        self.assertEqual(self.client_for("committee_member").get("/development/").status_code, 200)
        self.assertEqual(
            self.client_for("committee_member").get("/development/new/").status_code, 404
        )
        self.assertEqual(self.client_for("member1").get("/development/").status_code, 404)


class NewApplicantTests(DevelopmentTestCase):
    def form(self, **changes: object) -> dict[str, object]:
        data = {
            "name": "新申请人",
            "id_number": idnumber.make("110101", D(2004, 1, 2), 5),
            "phone": "13800138000",
            "organization": self.uni.b11.pk,
            "application_date": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
            "ethnicity": "01",
            "education": "bachelor",
            "category": "undergraduate",
        }
        data.update(changes)
        return data

    def test_a_valid_application_opens_a_case(self):
        response = self.client_for("secretary1").post("/development/new/", self.form())
        case = Case.objects.get()
        self.assertRedirects(response, f"/development/cases/{case.pk}/")
        self.assertEqual(case.profile["category"], "undergraduate")
        self.assertEqual(case.next_step, 2)

    def test_an_applicant_under_18_is_refused_beside_the_date_with_the_rule(self):
        young = idnumber.make("110101", timezone.localdate() - dt.timedelta(days=17 * 365), 5)
        response = self.client_for("secretary1").post(
            "/development/new/", self.form(id_number=young)
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("DEV-AGE", " ".join(response.context["form"].errors["application_date"]))
        self.assertFalse(Case.objects.exists())

    def test_another_branch_cannot_be_chosen(self):
        response = self.client_for("secretary1").post(
            "/development/new/", self.form(organization=self.uni.b21.pk)
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("organization", response.context["form"].errors)


class CasePageTests(DevelopmentTestCase):
    def test_the_timeline_names_the_people_and_offers_the_next_step(self):
        case = self.new_case()
        self.record_until(case, 6)
        page = self.client_for("secretary1").get(f"/development/cases/{case.pk}/")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, self.uni.members["member1"].name)  # a contact, by name
        self.assertEqual(page.context["form"].step, 7)
        self.assertNotContains(page, case.id_number)  # masked
        viewer = self.client_for("committee_member").get(f"/development/cases/{case.pk}/")
        self.assertIsNone(viewer.context["form"])  # sees, does not record
        self.assertEqual(
            self.client_for("secretary2").get(f"/development/cases/{case.pk}/").status_code, 404
        )

    def test_recording_a_step_and_a_refusal_named_beside_the_date(self):
        case = self.new_case(application=D(2024, 3, 1))
        client = self.client_for("secretary1")
        late = client.post(
            f"/development/cases/{case.pk}/record/",
            {"step": 2, "date": "2024-04-02", "talker": self.m("secretary1")},
        )
        self.assertEqual(late.status_code, 422)
        self.assertIn("DEV-TALK", " ".join(late.context["form"].errors["date"]))
        self.assertFalse(case.steps.filter(step=2).exists())
        ok = client.post(
            f"/development/cases/{case.pk}/record/",
            {"step": 2, "date": "2024-04-01", "talker": self.m("secretary1")},
        )
        self.assertRedirects(ok, f"/development/cases/{case.pk}/")
        self.assertEqual(case.steps.get(step=2).actors["talker"], self.m("secretary1"))
        case.refresh_from_db()
        self.assertEqual(case.next_step, 3)

    def test_an_approval_step_is_for_the_committee(self):
        case = self.new_case()
        self.record_until(case, 13)
        secretary = self.client_for("secretary1").post(
            f"/development/cases/{case.pk}/record/",
            {"step": 13, "date": "2025-06-05", "approver_org": "U"},
        )
        self.assertEqual(secretary.status_code, 403)
        committee = self.client_for("committee1").post(
            f"/development/cases/{case.pk}/record/",
            {"step": 13, "date": "2025-06-05", "approver_org": "U"},
        )
        self.assertEqual(committee.status_code, 302)

    def test_completing_the_persons_data(self):
        case = self.new_case(who=services.Person(name="待补全", id_number=person(9).id_number))
        response = self.client_for("secretary1").post(
            f"/development/cases/{case.pk}/edit/",
            {"ethnicity": "02", "education": "master", "category": "master", "phone": ""},
        )
        self.assertEqual(response.status_code, 302)
        case.refresh_from_db()
        self.assertEqual(case.profile["ethnicity"], "02")
        self.assertTrue(AuditEntry.objects.filter(action="development.case.updated").exists())
        bad = self.client_for("secretary1").post(
            f"/development/cases/{case.pk}/edit/", {"ethnicity": "99"}
        )
        self.assertEqual(bad.status_code, 422)


class DocumentTests(DevelopmentTestCase):
    def test_a_document_is_kept_with_its_form_and_served_only_in_scope(self):
        case = self.new_case()
        client = self.client_for("secretary1")
        response = client.post(
            f"/development/cases/{case.pk}/documents/",
            {
                "step": 1,
                "form": "application",
                "file": SimpleUploadedFile("申请书.pdf", b"%PDF-1.4 x"),
            },
        )
        self.assertEqual(response.status_code, 302)
        document = StepDocument.objects.get()
        self.assertEqual((document.step, document.form), (1, "application"))
        page = client.get(f"/development/cases/{case.pk}/")
        [row] = [r for r in page.context["documents"] if r.step == 1]
        self.assertEqual(row.missing, 0)
        download = client.get(f"/development/documents/{document.pk}/")
        self.assertEqual(download.status_code, 200)
        self.assertEqual(b"".join(download.streaming_content), b"%PDF-1.4 x")
        self.assertEqual(
            self.client_for("secretary2").get(f"/development/documents/{document.pk}/").status_code,
            404,
        )
        # a form of another step is refused
        client.post(
            f"/development/cases/{case.pk}/documents/",
            {"step": 1, "form": "approval", "file": SimpleUploadedFile("x.pdf", b"%PDF-1.4 y")},
        )
        self.assertEqual(StepDocument.objects.count(), 1)
        client.post(f"/development/documents/{document.pk}/remove/")
        self.assertFalse(StepDocument.objects.exists())
        self.assertTrue(AuditEntry.objects.filter(action="development.document.removed").exists())


class BatchPageTests(DevelopmentTestCase):
    def test_a_branch_meeting_admits_several_with_their_own_votes(self):
        cases = [self.new_case(seq) for seq in (1, 2)]
        for case in cases:
            self.record_until(case, 15)
        client = self.client_for("secretary1")
        page = client.get("/development/batch/?step=15")
        self.assertEqual([row.case for row in page.context["form"].candidates], cases)
        data = {
            "step": 15,
            "date": "2025-06-20",
            "entitled": 10,
            "present": 8,
            "cases": [c.pk for c in cases],
            f"yes_{cases[0].pk}": 8,
            f"yes_{cases[1].pk}": 4,  # no majority of the entitled: refuses the whole batch
        }
        refused = client.post("/development/batch/", data)
        self.assertEqual(refused.status_code, 422)
        self.assertIn("DEV-MAJORITY", " ".join(refused.context["refused"]))
        self.assertFalse(any(c.steps.filter(step=15).exists() for c in cases))
        data[f"yes_{cases[1].pk}"] = 7
        done = client.post("/development/batch/", data)
        self.assertEqual(done.status_code, 302)
        self.assertEqual([c.steps.get(step=15).vote["yes"] for c in cases], [8, 7])
        self.assertTrue(AuditEntry.objects.filter(action="development.batch.recorded").exists())


class ApplicantHomeTests(DevelopmentTestCase):
    def test_the_applicant_finds_their_progress_on_the_home_page_and_in_the_menu(self):
        from django.test import Client

        from dangjian.development import applicants
        from dangjian.testing.base import sign_in

        case = self.new_case(application=D(2024, 3, 1))
        user, _password = applicants.applicant_account_create(
            actor=self.uni.user("secretary1"), case=case
        )
        user.must_change_password = False  # (changed at the first sign-in)
        user.save(update_fields=["must_change_password"])
        client = sign_in(Client(), user)
        home = client.get("/")
        self.assertContains(home, 'id="my-development"')
        self.assertContains(home, "/development/me/")
        self.assertNotContains(self.client_for("member1").get("/"), 'id="my-development"')


class DueGroupTests(DevelopmentTestCase):
    def test_one_group_is_paged_through_in_full(self):
        cases = [self.new_case(seq, application=D(2024, 3, seq)) for seq in (1, 2, 3)]
        client = self.client_for("secretary1")
        page = client.get("/development/due/?show=overdue")
        self.assertEqual([row.case for row in page.context["rows"]], cases)  # oldest first
        self.assertEqual(page.context["page"].paginator.count, 3)
        self.assertEqual(client.get("/development/due/?show=later").context["rows"], [])
        self.assertEqual(client.get("/development/due/?show=nonsense").status_code, 200)
