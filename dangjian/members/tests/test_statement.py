from __future__ import annotations

import json

from django.core.exceptions import ValidationError

from dangjian.audit.models import AuditEntry
from dangjian.lib import screening
from dangjian.members.models import Member
from dangjian.members.services.statement import SOURCE, statement_update
from dangjian.moderation import dictionary
from dangjian.moderation.models import Category, Screening
from dangjian.moderation.services import (
    rescan_start,
    screening_approve,
    screening_reject,
    term_save,
)
from dangjian.testing.base import BaseTestCase

CLEAN = "我是信息学院教师，热爱教学工作，乐于和同学们交流。"
# Invented words, listed by each test: no default term or clean text contains them.
REVIEW_WORD = "甲乙审核词"
MASK_WORD = "丙丁粗口词"
BLOCK_WORD = "戊己禁止词"


class StatementTestCase(BaseTestCase):
    def setUp(self):
        # Each test's dictionary is rolled back with it, and its version number reused: the
        # engine this process holds must not outlive the test.
        dictionary.forget()
        self.addCleanup(dictionary.forget)
        self.member = Member.objects.get(pk=self.uni.members["member1"].pk)
        self.author = self.uni.user("member1")

    def add_term(self, text, category, action):
        # The dictionary change reaches the engine once its transaction commits.
        with self.captureOnCommitCallbacks(execute=True):
            term_save(
                actor=None, text=text, category=Category.objects.get(code=category), action=action
            )

    def write(self, text):
        return statement_update(member=self.member, actor=self.author, text=text)

    def stored(self):
        return Member.objects.values_list("statement", "statement_held").get(pk=self.member.pk)

    def screenings(self, **filters):
        return Screening.objects.filter(source=SOURCE, object_id=str(self.member.pk), **filters)


class StatementUpdateTestCase(StatementTestCase):
    def test_it_publishes_clean_text(self):
        result = self.write(f"  {CLEAN}\r\n第二行。 ")
        self.assertEqual(result.action, "pass")
        self.assertEqual(self.stored(), (f"{CLEAN}\n第二行。", ""))
        self.assertEqual(result.message, "Your self-introduction has been published.")
        # A clean text costs the scan and nothing else.
        self.assertFalse(self.screenings().exists())
        entry = AuditEntry.objects.get(
            action="members.statement.changed", target_id=str(self.member.pk)
        )
        self.assertEqual(entry.actor_username, "member1")
        self.assertEqual(entry.org_code, "B11")
        self.assertEqual(entry.changes, {"statement": ["", f"{CLEAN}\n第二行。"]})

    def test_it_publishes_a_vulgar_term_masked(self):
        self.add_term(MASK_WORD, "vulgar", "mask")
        result = self.write(f"{CLEAN}{MASK_WORD}")
        self.assertEqual(result.action, "mask")
        statement, held = self.stored()
        self.assertNotIn(MASK_WORD, statement)
        self.assertTrue(statement.startswith(CLEAN))
        self.assertIn("*", statement)
        self.assertEqual(held, "")
        self.assertIn("*", result.message)
        self.assertEqual(self.screenings(state=Screening.State.PUBLISHED).count(), 1)

    def test_it_holds_text_for_review_and_keeps_the_published_one(self):
        self.write(CLEAN)
        self.add_term(REVIEW_WORD, "political", "review")
        held_text = f"新的简介{REVIEW_WORD}"
        result = self.write(held_text)
        self.assertEqual(result.action, "review")
        self.assertTrue(result.held)
        self.assertEqual(self.stored(), (CLEAN, held_text))
        self.assertIn("review", result.message)
        self.assertEqual(self.screenings(state=Screening.State.HELD).get().text, held_text)

    def test_an_approved_text_is_published(self):
        self.write(CLEAN)
        self.add_term(REVIEW_WORD, "political", "review")
        held_text = f"新的简介{REVIEW_WORD}"
        self.write(held_text)
        screening_approve(self.screenings().get(), actor=self.uni.user("orgdept"))
        self.assertEqual(self.stored(), (held_text, ""))
        self.assertTrue(
            AuditEntry.objects.filter(
                action="members.statement.published", target_id=str(self.member.pk)
            ).exists()
        )

    def test_a_rejected_text_stays_hidden_and_the_published_one_stays(self):
        self.write(CLEAN)
        self.add_term(REVIEW_WORD, "political", "review")
        self.write(f"新的简介{REVIEW_WORD}")
        screening_reject(self.screenings().get(), actor=self.uni.user("orgdept"), reason="不妥")
        self.assertEqual(self.stored(), (CLEAN, ""))

    def test_a_rejected_first_text_leaves_no_statement(self):
        self.add_term(REVIEW_WORD, "political", "review")
        self.write(f"简介{REVIEW_WORD}")
        screening_reject(self.screenings().get(), actor=self.uni.user("orgdept"), reason="不妥")
        self.assertEqual(self.stored(), ("", ""))

    def test_it_refuses_a_blocked_text_and_stores_nothing(self):
        self.write(CLEAN)
        self.add_term(BLOCK_WORD, "violence", "block")
        with self.assertRaises(ValidationError) as caught:
            self.write(f"简介{BLOCK_WORD}")
        self.assertIn("statement", caught.exception.message_dict)
        self.assertIn("cannot be published", caught.exception.message_dict["statement"][0])
        self.assertEqual(self.stored(), (CLEAN, ""))
        # The refusal is recorded for monitoring though the write is refused.
        refused = self.screenings(state=Screening.State.REFUSED).get()
        self.assertEqual(refused.author_id, self.author.pk)
        self.assertEqual(refused.org_path, self.member.org_path)
        self.assertEqual(AuditEntry.objects.filter(action="members.statement.changed").count(), 1)

    def test_an_empty_text_removes_the_statement_and_any_held_text(self):
        self.write(CLEAN)
        self.add_term(REVIEW_WORD, "political", "review")
        self.write(f"简介{REVIEW_WORD}")
        result = self.write("  \r\n ")
        self.assertEqual(result.action, "cleared")
        self.assertEqual(self.stored(), ("", ""))

    def test_a_newer_published_text_replaces_a_held_one(self):
        self.add_term(REVIEW_WORD, "political", "review")
        self.write(f"简介{REVIEW_WORD}")
        self.write(CLEAN)
        self.assertEqual(self.stored(), (CLEAN, ""))

    def test_it_refuses_more_than_500_characters_before_screening(self):
        self.add_term(BLOCK_WORD, "violence", "block")
        with self.assertRaises(ValidationError) as caught:
            self.write(BLOCK_WORD + "长" * 500)
        message = caught.exception.message_dict["statement"][0]
        self.assertIn("self-introduction", message)
        self.assertIn("505", message)
        self.assertFalse(self.screenings().exists())
        # A line break counts as one character, however the browser sends it.
        self.write("\r\n".join(["长" * 49] * 10))
        self.assertEqual(len(self.stored()[0]), 499)


class StatementSourceTestCase(StatementTestCase):
    def test_the_source_is_registered_and_reads_published_texts(self):
        source = screening.source(SOURCE)
        self.assertIsNotNone(source)
        self.assertEqual(str(source.label), "Self-introduction")
        self.write(CLEAN)
        other = self.uni.members["secretary2"]
        statement_update(member=other, actor=self.uni.user("secretary2"), text="周书记的简介")
        self.assertEqual(source.count(), 2)
        stored = {s.object_id: s for s in source.published()}
        self.assertEqual(set(stored), {str(self.member.pk), str(other.pk)})
        mine = stored[str(self.member.pk)]
        self.assertEqual(
            (mine.text, mine.author_id, mine.org_path),
            (CLEAN, self.author.pk, self.member.org_path),
        )
        self.assertEqual(source.link(str(self.member.pk)), f"/members/{self.member.pk}/")

    def test_a_rescan_withdraws_a_statement_a_new_term_matches(self):
        text = f"简介{REVIEW_WORD}"
        self.write(text)  # clean when written
        self.assertEqual(self.stored(), (text, ""))
        self.add_term(REVIEW_WORD, "political", "review")
        with self.captureOnCommitCallbacks(execute=True):
            rescan = rescan_start(actor=self.uni.user("orgdept"))
        rescan.refresh_from_db()
        self.assertEqual(rescan.status, "done")
        self.assertEqual(rescan.flagged, 1)
        self.assertEqual(self.stored(), ("", text))
        held = self.screenings(state=Screening.State.HELD).get()
        self.assertEqual(held.rescan_id, rescan.pk)
        self.assertTrue(
            AuditEntry.objects.filter(
                action="members.statement.withdrawn", target_id=str(self.member.pk)
            ).exists()
        )
        # Approved, it is shown again.
        screening_approve(held, actor=self.uni.user("orgdept"))
        self.assertEqual(self.stored(), (text, ""))

    def test_a_rescan_rejected_statement_stays_hidden(self):
        text = f"简介{REVIEW_WORD}"
        self.write(text)
        self.add_term(REVIEW_WORD, "political", "review")
        with self.captureOnCommitCallbacks(execute=True):
            rescan_start(actor=self.uni.user("orgdept"))
        held = self.screenings(state=Screening.State.HELD).get()
        screening_reject(held, actor=self.uni.user("orgdept"), reason="不妥")
        statement, _held = self.stored()
        self.assertEqual(statement, "")

    def test_a_rescan_masks_a_statement_a_new_mask_term_matches(self):
        self.write(f"{CLEAN}{MASK_WORD}")
        self.add_term(MASK_WORD, "vulgar", "mask")
        with self.captureOnCommitCallbacks(execute=True):
            rescan_start(actor=self.uni.user("orgdept"))
        statement, held = self.stored()
        self.assertNotIn(MASK_WORD, statement)
        self.assertTrue(statement.startswith(CLEAN))
        self.assertEqual(held, "")

    def test_a_newer_text_closes_the_older_one_waiting_for_review(self):
        self.add_term(REVIEW_WORD, "political", "review")
        self.write(f"第一稿{REVIEW_WORD}")
        self.write(f"第二稿{REVIEW_WORD}")
        first, second = self.screenings().order_by("pk")
        self.assertEqual((first.state, second.state), ("superseded", "held"))
        with self.assertRaises(ValidationError):
            screening_approve(first, actor=self.uni.user("orgdept"))
        screening_approve(second, actor=self.uni.user("orgdept"))
        self.assertEqual(self.stored(), (f"第二稿{REVIEW_WORD}", ""))

    def test_a_clean_text_or_clearing_closes_what_waited(self):
        self.add_term(REVIEW_WORD, "political", "review")
        self.write(f"第一稿{REVIEW_WORD}")
        self.write(CLEAN)
        waited = self.screenings().get()
        self.assertEqual(waited.state, "superseded")
        self.assertEqual(self.stored(), (CLEAN, ""))

    def test_published_reads_without_loading_members(self):
        self.write(CLEAN)
        source = screening.source(SOURCE)
        with self.assertNumQueries(1):
            rows = list(source.published())
        self.assertEqual(len(rows), 1)


class StatementPageTestCase(StatementTestCase):
    url = "/members/me/statement/"

    def test_the_member_edits_their_own_statement(self):
        client = self.client_for("member1")
        page = client.get(self.url)
        self.assertContains(page, 'name="statement"')
        self.assertContains(page, 'maxlength="500"')
        response = client.post(self.url, {"statement": CLEAN}, follow=True)
        self.assertRedirects(response, f"/members/{self.member.pk}/")
        self.assertContains(response, "Your self-introduction has been published.")
        self.assertContains(response, CLEAN)
        self.assertEqual(self.stored(), (CLEAN, ""))

    def test_the_text_is_shown_escaped_with_its_line_breaks(self):
        self.write("第一行<b>加粗</b>\n第二行")
        page = self.client_for("secretary1").get(f"/members/{self.member.pk}/")
        self.assertContains(page, "第一行&lt;b&gt;加粗&lt;/b&gt;<br>第二行")

    def test_the_detail_page_links_to_the_form_for_the_member_only(self):
        detail = f"/members/{self.member.pk}/"
        self.assertContains(self.client_for("member1").get(detail), self.url)
        self.assertNotContains(self.client_for("secretary1").get(detail), self.url)

    def test_accounts_without_a_member_record_get_404(self):
        for persona in ("editor1", "outsider", "sysadmin"):
            self.assertEqual(self.client_for(persona).get(self.url).status_code, 404, persona)
        self.assertEqual(self.client.get(self.url).status_code, 302)

    def test_a_held_text_is_shown_to_its_author_only(self):
        self.write(CLEAN)
        self.add_term(REVIEW_WORD, "political", "review")
        held_text = f"新的简介{REVIEW_WORD}"
        response = self.client_for("member1").post(self.url, {"statement": held_text}, follow=True)
        self.assertContains(response, "will be shown after a moderator reviews it")
        self.assertContains(response, "Awaiting review")
        self.assertContains(response, held_text)
        self.assertContains(response, CLEAN)
        other = self.client_for("secretary1").get(f"/members/{self.member.pk}/")
        self.assertContains(other, CLEAN)
        self.assertNotContains(other, held_text)
        self.assertNotContains(other, "Awaiting review")
        # The form offers the held text for further editing.
        self.assertContains(self.client_for("member1").get(self.url), held_text)

    def test_a_refused_text_is_explained_beside_the_field(self):
        self.add_term(BLOCK_WORD, "violence", "block")
        response = self.client_for("member1").post(self.url, {"statement": f"简介{BLOCK_WORD}"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "cannot be published here")
        self.assertContains(response, 'id="id_statement_error"')
        self.assertEqual(self.stored(), ("", ""))

    def test_a_text_too_long_is_explained_beside_the_field(self):
        response = self.client_for("member1").post(self.url, {"statement": "长" * 501})
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response, "The self-introduction can be at most 500 characters; this one has 501."
        )
        self.assertEqual(self.stored(), ("", ""))

    def test_a_masked_text_tells_the_author(self):
        self.add_term(MASK_WORD, "vulgar", "mask")
        response = self.client_for("member1").post(
            self.url, {"statement": f"{CLEAN}{MASK_WORD}"}, follow=True
        )
        self.assertContains(response, "some words in it are shown as *")
        self.assertNotContains(response, MASK_WORD)


class StatementApiTestCase(StatementTestCase):
    url = "/api/v1/members/me/statement"

    def put(self, persona, text):
        return self.client_for(persona).put(
            self.url, data=json.dumps({"text": text}), content_type="application/json"
        )

    def test_it_publishes_and_reports_the_outcome(self):
        response = self.put("member1", CLEAN)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json(),
            {
                "statement": CLEAN,
                "held": "",
                "action": "pass",
                "message": "Your self-introduction has been published.",
            },
        )
        record = self.client_for("secretary1").get(f"/api/v1/members/{self.member.pk}").json()
        self.assertEqual(record["statement"], CLEAN)

    def test_it_reports_a_held_text(self):
        self.add_term(REVIEW_WORD, "political", "review")
        body = self.put("member1", f"简介{REVIEW_WORD}").json()
        self.assertEqual(
            (body["statement"], body["held"], body["action"]), ("", f"简介{REVIEW_WORD}", "review")
        )
        self.assertTrue(body["message"])
        record = self.client_for("secretary1").get(f"/api/v1/members/{self.member.pk}").json()
        self.assertEqual(record["statement"], "")

    def test_it_answers_422_naming_the_field(self):
        self.add_term(BLOCK_WORD, "violence", "block")
        response = self.put("member1", f"简介{BLOCK_WORD}")
        self.assertEqual(response.status_code, 422)
        body = response.json()
        self.assertIn("statement", body["fields"])
        self.assertTrue(body["error"].startswith("statement: "))
        too_long = self.put("member1", "长" * 501)
        self.assertEqual(too_long.status_code, 422)
        self.assertIn("501", too_long.json()["fields"]["statement"])
        self.assertEqual(self.stored(), ("", ""))

    def test_accounts_without_a_member_record_get_404(self):
        self.assertEqual(self.put("editor1", CLEAN).status_code, 404)


class ResubmissionTestCase(StatementTestCase):
    def test_saving_the_same_waiting_text_again_queues_it_once(self):
        self.add_term(REVIEW_WORD, "political", "review")
        self.write(f"稿子{REVIEW_WORD}")
        result = self.write(f"稿子{REVIEW_WORD}")
        self.assertTrue(result.held)
        self.assertEqual(self.screenings().count(), 1)
