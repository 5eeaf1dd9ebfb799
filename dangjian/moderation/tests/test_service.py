"""The moderation service: screening outcomes and records, the dictionary kept current,
review decisions (published or withdrawn, author told, audited), and re-scans."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from dangjian.audit.models import AuditEntry
from dangjian.lib import screening as contract
from dangjian.moderation import dictionary, services
from dangjian.moderation.models import Category, Rescan, Screening, Term
from dangjian.notifications.models import Delivery
from dangjian.testing.base import BaseTestCase


class FakeSource:
    """A writer of user text, as the contract sees it: texts kept in a dict."""

    code = "test.notes"
    label = "测试留言"

    def __init__(self) -> None:
        self.shown: dict[str, str] = {}
        self.hidden: dict[str, str] = {}
        self.authors: dict[str, int | None] = {}
        self.path = ""

    def published(self) -> Iterator[contract.StoredText]:
        for key, text in list(self.shown.items()):
            yield contract.StoredText(key, text, self.authors.get(key), self.path)

    def count(self) -> int:
        return len(self.shown)

    def publish(self, object_id: str, text: str, *, replaces: str, actor=None) -> bool:
        if self.hidden.get(object_id) == replaces:
            del self.hidden[object_id]
        elif self.shown.get(object_id) != replaces:
            return False
        self.shown[object_id] = text
        return True

    def withdraw(self, object_id: str, text: str, *, actor=None) -> bool:
        if self.shown.get(object_id) != text:
            return False
        self.hidden[object_id] = self.shown.pop(object_id)
        return True

    def discard(self, object_id: str, text: str, *, actor=None) -> bool:
        if self.hidden.get(object_id) != text:
            return False
        del self.hidden[object_id]
        return True

    def link(self, object_id: str) -> str:
        return f"/notes/{object_id}/"

    def write(self, text: str, *, author, org_path: str, object_id: str) -> contract.Outcome:
        """What a writer does: screen, then store the text shown, held, or not at all."""
        outcome = contract.screen(
            text, source=self.code, author=author, org_path=org_path, object_id=object_id
        )
        if outcome.held:
            self.hidden[object_id] = text
        elif outcome.publishable:
            self.shown[object_id] = outcome.text
        if not outcome.refused:
            contract.supersede(self.code, object_id, keep=outcome.screening_id)
        return outcome


class ModerationTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        dictionary.forget()
        self.source = FakeSource()
        self.source.path = self.uni.b11.path
        contract.register(self.source)
        self.author = self.uni.user("member1")

    def add(self, text: str, category: str = "political", action: str = "review") -> Term:
        with self.captureOnCommitCallbacks(execute=True):  # as when the request commits
            return services.term_save(
                actor=None, text=text, category=Category.objects.get(code=category), action=action
            )

    def screen(self, text: str, object_id: str = "1") -> contract.Outcome:
        return self.source.write(
            text, author=self.author, org_path=self.uni.b11.path, object_id=object_id
        )


class ScreenTests(ModerationTestCase):
    def test_a_clean_text_passes_and_leaves_no_record(self):
        outcome = self.screen("支部召开主题党日活动，全体党员参加。")
        assert outcome.action == "pass" and outcome.publishable
        assert outcome.text == "支部召开主题党日活动，全体党员参加。"
        assert not Screening.objects.exists()

    def test_each_action_gives_its_outcome_and_record(self):
        self.add("测试审核词", action="review")
        self.add("测试拦截词", action="block")
        self.add("测试打码词", category="vulgar", action="mask")
        held = self.screen("这里有测试审核词。", "a")
        refused = self.screen("这里有测试拦截词。", "b")
        masked = self.screen("这里有测试打码词。", "c")
        assert held.held and not held.publishable
        assert refused.refused and "测试拦截词" not in refused.message
        assert masked.publishable and masked.text == "这里有*****。"
        states = dict(Screening.objects.values_list("object_id", "state"))
        assert states == {"a": "held", "b": "refused", "c": "published"}
        hit = Screening.objects.get(object_id="a").hits.get()
        assert (hit.term, hit.category, hit.start, hit.end) == ("测试审核词", "political", 3, 8)

    def test_the_message_never_names_the_term(self):
        self.add("测试敏感词", action="block")
        outcome = self.screen("测 试 敏 感 词")
        assert outcome.refused
        assert "敏感" not in outcome.message and outcome.message

    def test_personal_data_is_masked_by_default(self):
        outcome = self.screen("有事打我电话13812345678")
        assert outcome.action == "mask"
        assert outcome.text == "有事打我电话138****5678"

    def test_a_new_object_can_be_attached_after_screening(self):
        self.add("测试审核词")
        outcome = contract.screen(
            "测试审核词", source=self.source.code, author=self.author, org_path=""
        )
        contract.attach(outcome, "77")
        assert outcome.screening_id is not None
        assert Screening.objects.get(pk=outcome.screening_id).object_id == "77"


class DictionaryTests(ModerationTestCase):
    def test_a_change_is_used_at_once_in_this_process(self):
        assert services.check("新词汇测试").action == "pass"
        self.add("新词汇")
        assert services.check("新词汇测试").action == "review"

    @override_settings(MODERATION_RELOAD_SECONDS=0)
    def test_another_process_change_is_seen_at_the_next_check(self):
        services.check("今天天气")
        engine = dictionary.current_engine()
        # Another process writes the row and bumps the version; this one only polls.
        Term.objects.create(
            text="远程词",
            folded=dictionary.fold("远程词"),
            category=Category.objects.get(code="political"),
            action="block",
        )
        from dangjian.moderation.models import Dictionary

        Dictionary.objects.filter(pk=1).update(version=engine.version + 1)
        assert services.check("远程词").action == "block"

    def test_two_spellings_that_read_alike_are_one_term(self):
        first = self.add("测试词")
        second = self.add("測 試 詞", action="block")
        assert first.pk == second.pk
        assert Term.objects.get(pk=first.pk).action == "block"

    def test_an_empty_term_is_refused_with_the_field_named(self):
        with pytest.raises(ValidationError) as caught:
            self.add(" ！！ ")
        assert "text" in caught.value.message_dict

    def test_an_allowed_phrase_overrides_a_term_inside_it(self):
        self.add("丙丁")
        assert services.check("甲乙丙丁戊").action == "review"
        with self.captureOnCommitCallbacks(execute=True):
            services.phrase_add(actor=None, text="甲乙丙丁戊")
        assert services.check("写下甲乙丙丁戊己").action == "pass"
        assert services.check("只有丙丁").action == "review"

    def test_changes_are_audited(self):
        term = self.add("审计词")
        services.term_delete(actor=self.uni.user("editor1"), term=term)
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        assert {"moderation.term.added", "moderation.term.deleted"} <= actions


class ReviewTests(ModerationTestCase):
    def held(self) -> Screening:
        self.add("测试审核词")
        self.screen("我的留言里有测试审核词", "9")
        return Screening.objects.get(object_id="9")

    def test_approve_publishes_tells_the_author_and_audits(self):
        screening = self.held()
        editor = self.uni.user("editor1")
        services.screening_approve(screening, actor=editor)
        assert self.source.shown["9"] == "我的留言里有测试审核词"
        screening.refresh_from_db()
        assert screening.state == "approved" and screening.decided_by == editor
        delivery = Delivery.objects.get(recipient=self.author)
        assert delivery.notification.kind == "moderation.approved"
        assert delivery.notification.link == "/notes/9/"
        assert AuditEntry.objects.filter(action="moderation.screening.approved").exists()

    def test_reject_needs_a_reason_which_the_author_reads(self):
        screening = self.held()
        editor = self.uni.user("editor1")
        with pytest.raises(ValidationError):
            services.screening_reject(screening, actor=editor, reason="  ")
        services.screening_reject(screening, actor=editor, reason="含不当言论")
        assert "9" not in self.source.shown
        notification = Delivery.objects.get(recipient=self.author).notification
        assert notification.kind == "moderation.rejected"
        assert "含不当言论" in notification.body
        entry = AuditEntry.objects.get(action="moderation.screening.rejected")
        assert entry.detail["reason"] == "含不当言论"

    def test_a_decided_text_cannot_be_decided_again(self):
        screening = self.held()
        editor = self.uni.user("editor1")
        services.screening_approve(screening, actor=editor)
        with pytest.raises(ValidationError):
            services.screening_reject(screening, actor=editor, reason="改主意")


class RescanTests(ModerationTestCase):
    def test_a_rescan_withdraws_what_now_needs_review_and_masks_what_needs_masking(self):
        self.source.shown = {"1": "普通的留言", "2": "提到新敏感词的留言", "3": "有个脏话词在这"}
        self.source.authors = {"2": self.author.pk}
        self.add("新敏感词")
        self.add("脏话词", category="vulgar", action="mask")
        with self.captureOnCommitCallbacks(execute=True):  # the task runs inline on commit
            rescan = services.rescan_start(actor=self.uni.user("editor1"))
        rescan.refresh_from_db()
        assert (rescan.status, rescan.scanned, rescan.flagged, rescan.progress) == (
            "done",
            3,
            2,
            100,
        )
        assert "2" not in self.source.shown and self.source.hidden["2"] == "提到新敏感词的留言"
        assert self.source.shown["3"] == "有个***在这"
        held = Screening.objects.get(object_id="2")
        assert held.state == "held" and held.rescan_id == rescan.pk and held.author == self.author
        # Approving restores the text as written.
        services.screening_approve(held, actor=self.uni.user("editor1"))
        assert self.source.shown["2"] == "提到新敏感词的留言"

    def test_a_second_rescan_does_not_queue_the_same_text_twice(self):
        self.source.shown = {"2": "提到新敏感词的留言"}
        self.add("新敏感词")
        first = Rescan.objects.create(dictionary_version=1)
        services.rescan_run(first)
        self.source.shown = {"2": "提到新敏感词的留言"}  # shown again by some other path
        services.rescan_run(Rescan.objects.create(dictionary_version=1))
        assert Screening.objects.filter(object_id="2", state="held").count() == 1

    def test_only_one_rescan_runs_at_a_time(self):
        Rescan.objects.create(dictionary_version=1, status=Rescan.Status.RUNNING)
        with pytest.raises(ValidationError):
            services.rescan_start(actor=None)


class SafetyTests(ModerationTestCase):
    """What a reviewer of this code found: each would lose, expose or overwrite words."""

    def test_a_rescan_leaves_an_approved_text_alone(self):
        self.add("新敏感词")
        self.screen("提到新敏感词的留言", "2")
        services.screening_approve(
            Screening.objects.get(object_id="2"), actor=self.uni.user("editor1")
        )
        services.rescan_run(Rescan.objects.create(dictionary_version=1))
        assert self.source.shown["2"] == "提到新敏感词的留言"
        assert Screening.objects.filter(object_id="2", state="held").count() == 0

    def test_reviewers_see_personal_data_masked_and_approval_keeps_it_masked(self):
        self.add("测试审核词")
        self.screen("电话13912345678，测试审核词", "5")
        screening = Screening.objects.get(object_id="5")
        assert "13912345678" not in screening.shown_to_reviewers
        assert "139****5678" in screening.shown_to_reviewers
        assert set(screening.hits.values_list("term", flat=True)) == {"测试审核词", "139****5678"}
        services.screening_approve(screening, actor=self.uni.user("editor1"))
        assert self.source.shown["5"] == "电话139****5678，测试审核词"

    def test_a_rescan_does_not_touch_a_text_its_author_changed_meanwhile(self):
        self.add("新敏感词")
        self.source.shown = {"4": "提到新敏感词的旧留言"}
        stale = list(self.source.published())
        self.source.shown["4"] = "作者刚改好的新留言"
        self.source.published = lambda: iter(stale)  # type: ignore[method-assign] # read before the change
        services.rescan_run(Rescan.objects.create(dictionary_version=1))
        assert self.source.shown["4"] == "作者刚改好的新留言"
        assert not Screening.objects.filter(object_id="4").exists()

    def test_no_one_decides_on_their_own_text(self):
        self.add("测试审核词")
        self.author = self.uni.user("committee1")
        self.screen("我自己写的测试审核词", "6")
        with pytest.raises(ValidationError, match="another moderator"):
            services.screening_approve(
                Screening.objects.get(object_id="6"), actor=self.uni.user("committee1")
            )

    def test_a_rescan_with_no_progress_for_ten_minutes_does_not_block_the_next(self):
        import datetime as dt

        from django.utils import timezone

        stuck = Rescan.objects.create(dictionary_version=1, status=Rescan.Status.RUNNING)
        Rescan.objects.filter(pk=stuck.pk).update(
            updated_at=timezone.now() - dt.timedelta(minutes=11)
        )
        services.rescan_start(actor=None)
        stuck.refresh_from_db()
        assert stuck.status == "failed"

    def test_an_import_audits_each_term_it_adds_or_changes(self):
        services.dictionary_import(
            actor=None, content="审计一\tpolitical\treview\n".encode(), filename="a.txt"
        )
        services.dictionary_import(
            actor=None,
            content="审计一\tpolitical\tblock\n审计二\tfraud\n".encode(),
            filename="b.txt",
        )
        changed = AuditEntry.objects.get(action="moderation.term.changed", target_label="审计一")
        assert changed.changes == {"action": ["review", "block"]}
        assert AuditEntry.objects.filter(action="moderation.term.added").count() == 2
