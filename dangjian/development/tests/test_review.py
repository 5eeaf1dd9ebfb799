"""The committee's review: the queues, approve (and a rule's refusal), return and resubmit with
their audit and notifications, and scope."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.audit.models import AuditEntry
from dangjian.development import review, services
from dangjian.development.models import Case, CaseReturn, StepEvent
from dangjian.development.tests.matrix_committee import person_case, record_until
from dangjian.development.tests.test_services import D, DevelopmentTestCase
from dangjian.notifications.models import Delivery
from dangjian.orgs.models import Organization, RoleAssignment

QUEUE = "/development/committee/"


def approve_url(case: Case) -> str:
    return f"/development/committee/{case.pk}/approve/"


class ReviewTestCase(DevelopmentTestCase):
    def case_at(self, step: int, seq: int, **kw: Any) -> Case:
        return record_until(self.uni, person_case(self.uni, seq, **kw), step)

    def queue_ids(self, persona: str) -> dict[int | str, set[int]]:
        data = review.committee_queue(self.uni.user(persona))
        ids: dict[int | str, set[int]] = {
            n: {r.case.pk for r in rows} for n, rows in data.steps.items()
        }
        ids[review.RETURNED] = {r.case_id for r in data.returned}
        return ids

    def deliveries(self, persona: str, kind: str) -> int:
        return Delivery.objects.filter(
            recipient=self.uni.user(persona), notification__kind=kind
        ).count()


class QueueTests(ReviewTestCase):
    def test_the_queues_hold_the_cases_waiting_for_the_committee_in_scope(self):
        at13, at17, at24 = self.case_at(13, 1), self.case_at(17, 2), self.case_at(24, 3)
        early = self.case_at(7, 4)  # the branch's step next
        returned = self.case_at(13, 5)
        review.case_return(
            actor=self.uni.user("committee1"), case=returned, step=13, reason="材料不全，请补充。"
        )
        other = person_case(
            self.uni, 6, org=self.uni.b21, actor="orgdept"
        )  # C2's: not committee1's
        record_until(self.uni, other, 13, actor="orgdept")
        mine = self.queue_ids("committee1")
        self.assertEqual(mine[13], {at13.pk})
        self.assertEqual(mine[17], {at17.pk})
        self.assertEqual(mine[24], {at24.pk})
        self.assertEqual(mine[review.RETURNED], {returned.pk})
        self.assertNotIn(early.pk, set().union(*mine.values()))
        university = self.queue_ids("orgdept")
        self.assertEqual(university[13], {at13.pk, other.pk})
        self.assertEqual(self.queue_ids("secretary1")[13], set())  # sees, does not approve

    def test_the_page_shows_the_tabs_what_the_branch_recorded_and_overdue_in_words(self):
        at13, at24 = self.case_at(13, 1), self.case_at(24, 2)
        client = self.client_for("committee1")
        page = client.get(QUEUE)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, at13.name)
        self.assertContains(page, "2025-06-01")  # step 12, the branch committee's review
        self.assertNotContains(page, at24.name)
        page = client.get(QUEUE + "?step=24")
        self.assertContains(page, at24.name)
        self.assertContains(page, "Yes 7 of 10 entitled, 8 present")
        self.assertContains(page, "Resolved: convert")
        self.assertContains(page, "Overdue by")  # due by 2026-09-22: three months after 23
        self.assertContains(page, f"/development/cases/{at24.pk}/")
        self.assertEqual(self.client_for("committee1").get(QUEUE + "?step=x").status_code, 200)
        for persona in ("secretary1", "committee_member", "member1", "outsider"):
            self.assertEqual(self.client_for(persona).get(QUEUE).status_code, 404, persona)


class ApproveTests(ReviewTestCase):
    def test_the_confirm_page_then_the_approval_recorded_and_audited(self):
        case = self.case_at(13, 1)
        client = self.client_for("committee1")
        page = client.get(approve_url(case))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "What will happen")
        unconfirmed = client.post(approve_url(case), {"date": "2025-06-05"})
        self.assertEqual(unconfirmed.status_code, 422)
        self.assertFalse(StepEvent.objects.filter(case=case, step=13).exists())
        done = client.post(approve_url(case), {"date": "2025-06-05", "confirm": "on"})
        self.assertRedirects(done, f"{QUEUE}?step=13&done={case.pk}", fetch_redirect_response=False)
        event = StepEvent.objects.get(case=case, step=13)
        self.assertEqual((event.date, event.approver_org.code), (D(2025, 6, 5), "U"))
        entry = AuditEntry.objects.filter(action="development.step.recorded").latest("id")
        self.assertEqual(
            (entry.actor_id, entry.detail["step"]), (self.uni.user("committee1").pk, 13)
        )
        after = client.get(f"{QUEUE}?step=13&done={case.pk}")
        self.assertContains(after, f"/development/cases/{case.pk}/")
        self.assertEqual(self.queue_ids("committee1")[13], set())

    def test_a_rule_refusal_is_shown_with_the_rule_named(self):
        case = self.case_at(17, 1)  # the branch meeting was on 2025-06-20
        answer = self.client_for("orgdept").post(
            approve_url(case), {"date": "2025-12-21", "confirm": "on"}
        )
        self.assertEqual(answer.status_code, 422)
        self.assertContains(answer, "DEV-APPR", status_code=422)
        self.assertContains(answer, "2025-12-20", status_code=422)
        self.assertFalse(StepEvent.objects.filter(case=case, step=17).exists())

    def test_without_a_committee_with_approval_authority_dev_approver_refuses(self):
        case = self.case_at(13, 1)
        Organization.objects.filter(pk=self.uni.root.pk).update(approval_authority=False)
        self.assertEqual(review.approving_org(self.uni.user("committee1"), case), self.uni.c1)
        answer = self.client_for("committee1").post(
            approve_url(case), {"date": "2025-06-05", "confirm": "on"}
        )
        self.assertContains(answer, "DEV-APPROVER", status_code=422)

    def test_the_nearest_committee_with_authority_that_the_user_holds(self):
        case = self.case_at(13, 1)
        committee1, orgdept = self.uni.user("committee1"), self.uni.user("orgdept")
        self.assertEqual(review.approving_org(committee1, case), self.uni.root)
        self.uni.c1.approval_authority = True
        self.uni.c1.save(update_fields=["approval_authority"])
        self.assertEqual(review.approving_org(committee1, case), self.uni.c1)
        self.assertEqual(review.approving_org(orgdept, case), self.uni.c1)

    def test_conversion_approves_the_branch_meetings_resolution(self):
        case = self.case_at(24, 1)
        client = self.client_for("committee1")
        self.assertContains(client.get(approve_url(case)), "Convert to full membership")
        wrong = client.post(
            approve_url(case), {"date": "2026-07-01", "outcome": "cancel", "confirm": "on"}
        )
        self.assertEqual(wrong.status_code, 422)
        done = client.post(
            approve_url(case), {"date": "2026-07-01", "outcome": "convert", "confirm": "on"}
        )
        self.assertEqual(done.status_code, 302)
        self.assertEqual(StepEvent.objects.get(case=case, step=24).outcome, "convert")

    def test_scope_and_capability(self):
        case = self.case_at(13, 1)
        body = {"date": "2025-06-05", "confirm": "on"}
        for persona in ("secretary1", "committee_member"):  # see it, may not approve
            client = self.client_for(persona)
            self.assertEqual(client.get(approve_url(case)).status_code, 403, persona)
            self.assertEqual(client.post(approve_url(case), body).status_code, 403, persona)
        for persona in ("secretary2", "member1", "outsider"):
            client = self.client_for(persona)
            self.assertEqual(client.post(approve_url(case), body).status_code, 404, persona)
        self.assertFalse(StepEvent.objects.filter(case=case, step=13).exists())
        with self.assertRaises(PermissionDenied):
            review.case_approve(
                actor=self.uni.user("secretary1"), case=case, step=13, date=D(2025, 6, 5)
            )

    def test_a_case_not_waiting_for_the_committee_is_not_approved(self):
        case = self.case_at(7, 1)
        answer = self.client_for("committee1").post(
            approve_url(case), {"date": "2025-06-05", "confirm": "on"}
        )
        self.assertEqual(answer.status_code, 422)
        with self.assertRaises(ValidationError):
            review.case_approve(
                actor=self.uni.user("committee1"), case=case, step=13, date=D(2025, 6, 5)
            )


class ReturnTests(ReviewTestCase):
    def test_return_then_resubmit_audited_and_notified(self):
        case = self.case_at(17, 1)
        committee = self.client_for("committee1")
        short = committee.post(f"/development/committee/{case.pk}/return/", {"reason": "补"})
        self.assertEqual(short.status_code, 422)
        self.assertFalse(CaseReturn.objects.exists())
        answer = committee.post(
            f"/development/committee/{case.pk}/return/", {"reason": "支部大会记录缺少表决结果。"}
        )
        self.assertEqual(answer.status_code, 302)
        returned = CaseReturn.objects.get(case=case)
        self.assertEqual((returned.step, returned.returned_by), (17, self.uni.user("committee1")))
        entry = AuditEntry.objects.get(action="development.case.returned")
        self.assertEqual(entry.detail["step"], 17)
        self.assertEqual(self.deliveries("secretary1", "development.returned"), 1)
        self.assertEqual(self.queue_ids("committee1")[17], set())
        self.assertContains(committee.get(QUEUE + "?step=returned"), "支部大会记录缺少表决结果")
        again = committee.post(approve_url(case), {"date": "2025-07-15", "confirm": "on"})
        self.assertEqual(again.status_code, 422)  # waiting for the branch

        url = f"/development/committee/{case.pk}/resubmit/"
        self.assertEqual(self.client_for("committee_member").get(url).status_code, 403)
        self.assertEqual(self.client_for("secretary2").get(url).status_code, 404)
        branch = self.client_for("secretary1")
        self.assertContains(branch.get(url), "支部大会记录缺少表决结果")
        self.assertEqual(branch.post(url, {"resolution": ""}).status_code, 422)
        done = branch.post(url, {"resolution": "已补充表决结果记录。"})
        self.assertRedirects(done, url, fetch_redirect_response=False)
        returned.refresh_from_db()
        self.assertEqual(returned.resolved_by, self.uni.user("secretary1"))
        self.assertEqual(returned.resolution, "已补充表决结果记录。")
        self.assertTrue(AuditEntry.objects.filter(action="development.case.resubmitted").exists())
        self.assertEqual(self.deliveries("committee1", "development.resubmitted"), 1)
        self.assertEqual(self.queue_ids("committee1")[17], {case.pk})
        self.assertEqual(branch.post(url, {"resolution": "再次提交一次。"}).status_code, 422)

    def test_a_return_needs_the_approve_capability_and_one_open_at_a_time(self):
        case = self.case_at(13, 1)
        with self.assertRaises(PermissionDenied):
            review.case_return(
                actor=self.uni.user("secretary1"), case=case, step=13, reason="材料不全，请补充。"
            )
        review.case_return(
            actor=self.uni.user("committee1"), case=case, step=13, reason="材料不全，请补充。"
        )
        with self.assertRaises(ValidationError):
            review.case_return(
                actor=self.uni.user("orgdept"), case=case, step=13, reason="再退回一次试试。"
            )
        with self.assertRaises(ValidationError):  # too long
            review.case_resubmit(
                actor=self.uni.user("secretary1"), case=case, resolution="x" * 1001
            )
        with self.assertRaises(PermissionDenied):
            review.case_resubmit(
                actor=self.uni.user("committee_member"), case=case, resolution="已经改好了。"
            )

    def test_nobody_to_tell_is_not_an_error(self):
        case = self.case_at(13, 1)
        review.case_return(
            actor=self.uni.user("orgdept"), case=case, step=13, reason="材料不全，请补充。"
        )
        RoleAssignment.objects.filter(user=self.uni.user("committee1")).delete()
        review.case_resubmit(
            actor=self.uni.user("secretary1"), case=case, resolution="已补充政审材料。"
        )
        self.assertEqual(self.deliveries("orgdept", "development.resubmitted"), 1)  # returned it
        self.assertEqual(self.deliveries("committee1", "development.resubmitted"), 0)


class RejectionTests(ReviewTestCase):
    def test_the_committee_may_refuse_an_admission_with_its_reason(self):
        from dangjian.development.models import CaseStatus
        from dangjian.members.models import Member

        case = self.case_at(17, 1)
        client = self.client_for("committee1")
        empty = client.post(f"/development/committee/{case.pk}/reject/", {"date": "2025-07-15"})
        self.assertEqual(empty.status_code, 422)
        done = client.post(
            f"/development/committee/{case.pk}/reject/",
            {"date": "2025-07-15", "reason": "现实表现尚需进一步考察。", "confirm": "on"},
        )
        self.assertEqual(done.status_code, 302)
        case.refresh_from_db()
        self.assertEqual(case.status, CaseStatus.REJECTED)
        event = case.steps.get(step=17)
        self.assertEqual((event.outcome, event.note), ("reject", "现实表现尚需进一步考察。"))
        self.assertFalse(Member.objects.filter(name=case.name).exists())  # not on the roster
        told = Delivery.objects.filter(
            recipient=self.uni.user("secretary1"), notification__kind="development.rejected"
        )
        self.assertEqual(told.count(), 1)
        with self.assertRaises(services.RuleError) as closed:
            services.step_record(
                actor=self.uni.user("secretary1"), case=case, step=18, date=D(2025, 7, 20)
            )
        self.assertEqual(closed.exception.rule, "DEV-ORDER")

    def test_a_refusal_needs_its_reason_in_the_api_too(self):
        case = self.case_at(17, 2)
        with self.assertRaises(ValidationError):
            services.step_record(
                actor=self.uni.user("committee1"),
                case=case,
                step=17,
                date=D(2025, 7, 15),
                fields={"approver_org": "U", "outcome": "reject"},
            )
