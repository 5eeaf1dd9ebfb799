"""The development API: the contract of issue 5 item 6, refusals naming the rule, scope."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from dangjian.development.models import Case, CaseStatus, StepEvent
from dangjian.development.tests.test_services import BIRTH, D, DevelopmentTestCase
from dangjian.lib import idnumber


class DevelopmentApiTests(DevelopmentTestCase):
    def post(self, persona: str, path: str, body: dict[str, Any]) -> Any:
        return self.client_for(persona).post(
            f"/api/v1/development{path}", json.dumps(body, default=str), "application/json"
        )

    def create(self, persona: str = "secretary1", **body: Any) -> Any:
        return self.post(persona, "/cases", body)

    def person_body(self, seq: int = 1, birth: dt.date = BIRTH) -> dict[str, Any]:
        return {
            "person": {
                "name": "张三",
                "id_number": idnumber.make("110101", birth, seq),
                "phone": "13800138000",
                "ethnicity": "01",
                "education": "bachelor",
                "category": "undergraduate",
            },
            "org": "B11",
            "application_date": "2024-03-01",
        }

    def step(self, case_id: int, number: int, day: dt.date, persona="secretary1", **fields):
        return self.post(
            persona, f"/cases/{case_id}/steps", {"step": number, "date": day, **fields}
        )

    def test_create_by_person_and_by_member(self):
        created = self.create(**self.person_body(2, birth=D(2003, 5, 6)))
        self.assertEqual(created.status_code, 201, created.content)
        case = Case.objects.get(pk=created.json()["id"])
        self.assertEqual((case.gender, case.birth_date), ("F", D(2003, 5, 6)))
        by_member = self.create(
            member=self.uni.members["b11_probationary"].pk, application_date="2025-01-02"
        )
        self.assertEqual(by_member.status_code, 201, by_member.content)
        self.assertEqual(Case.objects.get(pk=by_member.json()["id"]).organization, self.uni.b11)

    def test_dev_age_refusal_names_the_rule(self):
        body = self.person_body(birth=D(2008, 6, 1))
        refused = self.create(**body)
        self.assertEqual(refused.status_code, 422)
        self.assertEqual(refused.json()["rule"], "DEV-AGE")
        self.assertIn("DEV-AGE", refused.json()["error"])
        self.assertIn("2026-06-01", refused.json()["error"])
        bad = self.create(**{**body, "person": {**body["person"], "id_number": "110101"}})
        self.assertEqual((bad.status_code, bad.json()["rule"]), (422, None))
        self.assertIn("id_number", bad.json()["fields"])

    def test_a_full_history_through_the_api_to_conversion(self):
        case_id = self.create(**self.person_body()).json()["id"]
        for number, day, fields, who in self.history():
            answer = self.step(case_id, number, day, who, **fields)
            self.assertEqual(answer.status_code, 201, (number, answer.content))
        detail = self.client_for("committee_member").get(f"/api/v1/development/cases/{case_id}")
        self.assertEqual(detail.status_code, 200)
        data = detail.json()
        self.assertEqual((data["status"], data["stage"]), (CaseStatus.CLOSED, 5))
        self.assertIsNone(data["next_step"])
        self.assertEqual(len(data["timeline"]), 26)
        self.assertEqual(data["timeline"][-3]["fields"]["outcome"], "convert")
        self.assertEqual(data["timeline"][-3]["rule_version"], "2026.05")

    def test_next_step_has_the_engine_dates(self):
        case_id = self.create(**{**self.person_body(), "application_date": "2026-01-05"}).json()
        data = self.client_for("secretary1").get(f"/api/v1/development/cases/{case_id['id']}")
        nxt = data.json()["next_step"]
        self.assertEqual((nxt["step"], nxt["latest"], nxt["rule"]), (2, "2026-02-05", "DEV-TALK"))
        self.assertEqual(nxt["status"], "overdue")
        self.assertEqual(data.json()["warnings"][0]["rule"], "DEV-TALK")

    def refused(self, answer: Any, rule: str) -> None:
        self.assertEqual(answer.status_code, 422, answer.content)
        self.assertEqual(answer.json()["rule"], rule, answer.json())
        self.assertIn(rule, answer.json()["error"])

    def test_dev_talk_at_its_boundary(self):
        body = {**self.person_body(), "application_date": "2026-01-05"}
        case_id = self.create(**body).json()["id"]
        talker = self.m("secretary1")
        self.refused(self.step(case_id, 2, D(2026, 2, 6), talker=talker), "DEV-TALK")
        self.assertEqual(self.step(case_id, 2, D(2026, 2, 5), talker=talker).status_code, 201)

    def test_dev_1year_at_its_boundary(self):
        case_id = self.create(**self.person_body()).json()["id"]
        self.record_until(Case.objects.get(pk=case_id), 7)
        self.refused(self.step(case_id, 7, D(2025, 4, 9)), "DEV-1YEAR")
        self.assertEqual(self.step(case_id, 7, D(2025, 4, 10)).status_code, 201)

    def test_dev_sponsor(self):
        case_id = self.create(**self.person_body()).json()["id"]
        self.record_until(Case.objects.get(pk=case_id), 9)
        probationary = self.m("b11_probationary")
        for sponsors in ([self.m("secretary1")], [self.m("secretary1"), probationary]):
            self.refused(self.step(case_id, 9, D(2025, 5, 1), sponsors=sponsors), "DEV-SPONSOR")
        self.assertFalse(StepEvent.objects.filter(case_id=case_id, step=9).exists())

    def test_dev_quorum(self):
        case_id = self.create(**self.person_body()).json()["id"]
        self.record_until(Case.objects.get(pk=case_id), 15)
        vote = {"entitled": 10, "present": 5, "yes": 5}
        self.refused(self.step(case_id, 15, D(2025, 6, 20), vote=vote), "DEV-QUORUM")
        vote = {"entitled": 10, "present": 6, "yes": 6}
        self.assertEqual(self.step(case_id, 15, D(2025, 6, 20), vote=vote).status_code, 201)

    def test_batch_through_the_api(self):
        ids = [
            self.create(**{**self.person_body(i), "application_date": "2026-02-01"}).json()["id"]
            for i in range(1, 4)
        ]
        body = {"cases": ids, "step": 2, "date": "2026-02-10", "talker": self.m("secretary1")}
        answer = self.post("secretary1", "/steps/batch", body)
        self.assertEqual(answer.status_code, 201, answer.content)
        self.assertEqual(len(answer.json()), 3)
        again = self.post("secretary1", "/steps/batch", body)
        self.refused(again, "DEV-ORDER")
        self.assertEqual(self.post("secretary2", "/steps/batch", body).status_code, 404)

    def test_scope(self):
        case_id = self.create(**self.person_body()).json()["id"]
        path = f"/api/v1/development/cases/{case_id}"
        for persona in ("secretary2", "member1", "outsider"):
            self.assertEqual(self.client_for(persona).get(path).status_code, 404, persona)
            answer = self.step(case_id, 2, D(2024, 3, 20), persona, talker=self.m("secretary1"))
            self.assertEqual(answer.status_code, 404, persona)
        self.assertEqual(self.client_for("committee_member").get(path).status_code, 200)
        answer = self.step(
            case_id, 2, D(2024, 3, 20), "committee_member", talker=self.m("secretary1")
        )
        self.assertEqual(answer.status_code, 403)
        self.assertEqual(self.create("secretary2", **self.person_body(5)).status_code, 422)
        self.assertEqual(self.create("committee_member", **self.person_body(5)).status_code, 403)
        self.assertEqual(self.client_for("committee1").get(path).status_code, 200)
        self.assertEqual(self.client_for("orgdept").get(path).status_code, 200)
