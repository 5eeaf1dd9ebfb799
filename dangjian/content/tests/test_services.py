"""Content services: targeting, the second-person review, going live once, reading records."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from dangjian.audit.models import AuditEntry
from dangjian.content import selectors, services
from dangjian.content.models import Item, Read, Section, State, Upload
from dangjian.content.services import ItemInput
from dangjian.notifications.models import Delivery
from dangjian.orgs.models import Organization
from dangjian.orgs.services import org_create
from dangjian.testing.base import BaseTestCase
from dangjian.testing.personas import make_member, make_user


class ContentTestCase(BaseTestCase):
    def data(self, **overrides: Any) -> ItemInput:
        fields: dict[str, Any] = {
            "section": Section.NEWS,
            "title": "支部开展主题党日活动",
            "owner": self.uni.root,
            "body": "<p>全体党员参加。</p>",
        }
        fields.update(overrides)
        return ItemInput(**fields)

    def published(self, **overrides: Any) -> Item:
        editor = self.uni.user("editor1")
        with self.captureOnCommitCallbacks(execute=True):
            item = services.item_save(actor=editor, data=self.data(**overrides))
            return services.item_publish(actor=editor, item=item)

    def visible_to(self, persona: str) -> set[int]:
        return set(selectors.visible_items(self.uni.user(persona)).values_list("pk", flat=True))


class TargetingTestCase(ContentTestCase):
    def test_a_member_sees_what_targets_their_organizations_and_nothing_else(self):
        everyone = self.published(title="全校")
        b11 = self.published(title="B11", target_all=False, targets=[self.uni.b11])
        c1 = self.published(title="C1", target_all=False, targets=[self.uni.c1])
        b21 = self.published(title="B21", target_all=False, targets=[self.uni.b21])
        self.assertEqual(self.visible_to("member1"), {everyone.pk, b11.pk, c1.pk})
        self.assertEqual(self.visible_to("secretary2"), {everyone.pk, b21.pk})
        # The organizer of C1 serves C1, and is a member of B12: not B11's targeted news.
        self.assertEqual(self.visible_to("committee1"), {everyone.pk, c1.pk})
        self.assertEqual(self.visible_to("outsider"), {everyone.pk})
        member1 = self.uni.user("member1")
        self.assertEqual(list(selectors.search(member1, "B21").values_list("pk", flat=True)), [])
        self.assertEqual(
            list(selectors.search(member1, "b11").values_list("pk", flat=True)), [b11.pk]
        )

    def test_a_notice_reaches_only_the_targeted_members_inboxes(self):
        notice = self.published(
            section=Section.NOTICE, title="通知", target_all=False, targets=[self.uni.b21]
        )
        self.assertTrue(notice.send_notification)
        notice.refresh_from_db()
        recipients = set(
            Delivery.objects.filter(notification=notice.notification).values_list(
                "recipient__username", flat=True
            )
        )
        self.assertEqual(recipients, {"secretary2"})

    def test_a_writer_targets_only_inside_their_own_organization(self):
        secretary = self.uni.user("secretary1")
        with self.assertRaises(ValidationError) as raised:
            services.item_save(
                actor=secretary,
                data=self.data(owner=self.uni.b11, target_all=False, targets=[self.uni.b21]),
            )
        self.assertIn("targets", raised.exception.message_dict)
        with self.assertRaises(ValidationError) as raised:
            services.item_save(actor=secretary, data=self.data(owner=self.uni.b11))
        self.assertIn("targets", raised.exception.message_dict)
        with self.assertRaises(PermissionDenied):
            services.item_save(actor=secretary, data=self.data(owner=self.uni.b21))
        with self.assertRaises(PermissionDenied):
            services.item_save(actor=self.uni.user("member1"), data=self.data(owner=self.uni.b11))


class ReviewTestCase(ContentTestCase):
    def draft_by_secretary(self) -> Item:
        return services.item_save(
            actor=self.uni.user("secretary1"),
            data=self.data(owner=self.uni.b11, target_all=False, targets=[self.uni.b11]),
        )

    def test_a_secretary_submits_and_a_second_person_approves(self):
        secretary, organizer = self.uni.user("secretary1"), self.uni.user("committee1")
        item = self.draft_by_secretary()
        with self.assertRaises(PermissionDenied):
            services.item_publish(actor=secretary, item=item)
        item = services.item_submit(actor=secretary, item=item)
        self.assertEqual(item.state, State.PENDING)
        self.assertNotIn(item.pk, self.visible_to("member1"))
        self.assertEqual(list(selectors.review_queue(organizer)), [item])
        self.assertEqual(list(selectors.review_queue(secretary)), [])
        with self.captureOnCommitCallbacks(execute=True):
            item = services.item_approve(actor=organizer, item=item)
        self.assertEqual(item.state, State.PUBLISHED)
        self.assertEqual(item.reviewed_by, organizer)
        self.assertIn(item.pk, self.visible_to("member1"))
        self.assertTrue(
            Delivery.objects.filter(
                recipient=secretary, notification__kind="content.approved"
            ).exists()
        )
        actions = list(
            AuditEntry.objects.filter(target_id=str(item.pk)).values_list("action", flat=True)
        )
        self.assertIn("content.item.submitted", actions)
        self.assertIn("content.item.approved", actions)

    def test_no_one_approves_what_they_wrote(self):
        organizer = self.uni.user("committee1")
        item = services.item_save(
            actor=organizer,
            data=self.data(owner=self.uni.c1, target_all=False, targets=[self.uni.c1]),
        )
        services.item_submit(actor=organizer, item=item)
        self.assertEqual(list(selectors.review_queue(organizer)), [])
        with self.assertRaises(ValidationError):
            services.item_approve(actor=organizer, item=item)
        editor = self.uni.user("editor1")
        self.assertEqual(list(selectors.review_queue(editor)), [item])

    def test_returned_with_a_note_then_resubmitted(self):
        secretary, organizer = self.uni.user("secretary1"), self.uni.user("committee1")
        item = services.item_submit(actor=secretary, item=self.draft_by_secretary())
        with self.assertRaises(ValidationError) as raised:
            services.item_return(actor=organizer, item=item, note="  ")
        self.assertIn("note", raised.exception.message_dict)
        item = services.item_return(actor=organizer, item=item, note="请补充活动照片")
        self.assertEqual((item.state, item.review_note), (State.RETURNED, "请补充活动照片"))
        self.assertTrue(
            Delivery.objects.filter(recipient=secretary, notification__body="请补充活动照片")
        )
        item = services.item_submit(actor=secretary, item=item)
        self.assertEqual(item.state, State.PENDING)

    def test_a_writer_cannot_change_what_is_published(self):
        secretary, organizer = self.uni.user("secretary1"), self.uni.user("committee1")
        item = services.item_submit(actor=secretary, item=self.draft_by_secretary())
        services.item_approve(actor=organizer, item=item)
        data = self.data(owner=self.uni.b11, target_all=False, targets=[self.uni.b11], title="改")
        with self.assertRaises(ValidationError):
            services.item_save(actor=secretary, item=item, data=data)
        item = services.item_withdraw(actor=secretary, item=item)
        self.assertEqual(item.state, State.WITHDRAWN)
        item = services.item_save(actor=secretary, item=item, data=data)
        self.assertEqual(item.title, "改")


class GoingLiveTestCase(ContentTestCase):
    def test_a_scheduled_notice_goes_out_when_its_time_comes_and_only_once(self):
        start = timezone.now()
        later = start + dt.timedelta(hours=2)
        notice = self.published(section=Section.NOTICE, title="预告", publish_at=later)
        self.assertTrue(notice.is_scheduled)
        self.assertNotIn(notice.pk, self.visible_to("member1"))
        self.assertEqual(services.publish_due(), 0)
        with time_machine.travel(later + dt.timedelta(minutes=1)):
            self.assertIn(notice.pk, self.visible_to("member1"))
            self.assertEqual(services.publish_due(), 1)
            self.assertEqual(services.publish_due(), 0)
            self.assertFalse(services.announce(notice.pk))
        notice.refresh_from_db()
        members = Delivery.objects.filter(notification=notice.notification)
        self.assertEqual(members.count(), members.values("recipient").distinct().count())
        self.assertTrue(members.filter(recipient=self.uni.user("member1")).exists())

    def test_read_receipts_are_exact_after_40_of_50_open_the_notice(self):
        branch = org_create(
            actor=None,
            parent=self.uni.c2,
            name="材料学院研究生党支部",
            code="B22",
            kind=Organization.Kind.BRANCH,
            branch_type="postgraduate",
        )
        readers = []
        for i in range(50):
            member = make_member(
                branch,
                name="读者" + "甲乙丙丁戊己庚辛壬癸"[i // 10] + "一二三四五六七八九十"[i % 10],
            )
            user = make_user(f"reader{i:02d}")
            member.user = user
            member.save(update_fields=["user"])
            readers.append(user)
        notice = self.published(
            section=Section.NOTICE, title="回执", target_all=False, targets=[branch]
        )
        notice.refresh_from_db()
        deliveries = Delivery.objects.filter(notification=notice.notification)
        self.assertEqual(deliveries.count(), 50)
        for user in readers[:40]:
            services.record_read(user=user, item=notice)
        services.record_read(user=readers[0], item=notice)  # a second look changes nothing
        unread = set(
            deliveries.filter(read_at__isnull=True).values_list("recipient__username", flat=True)
        )
        self.assertEqual(unread, {f"reader{i:02d}" for i in range(40, 50)})
        stats = selectors.reading_statistics(Item.objects.get(pk=notice.pk))
        self.assertEqual((stats["views"], stats["readers"]), (41, 40))
        self.assertEqual([(org.code, n) for org, n in stats["by_organization"]], [("B22", 40)])
        self.assertEqual(Read.objects.get(item=notice, user=readers[0]).count, 2)


class SanitizingTestCase(ContentTestCase):
    def test_the_body_is_sanitized_and_the_title_is_plain_text(self):
        item = services.item_save(
            actor=self.uni.user("editor1"),
            data=self.data(
                title="标题<script>alert(1)</script>\u200b",
                body='<p onclick="x()">正文<img src=x onerror=alert(1)></p><script>y()</script>',
            ),
        )
        self.assertNotIn("onclick", item.body)
        self.assertNotIn("onerror", item.body)
        self.assertNotIn("<script", item.body)
        self.assertEqual(item.title, "标题<script>alert(1)</script>")  # escaped when shown
        self.assertIn("正文", item.search_text)

    def test_an_empty_title_names_the_field(self):
        with self.assertRaises(ValidationError) as raised:
            services.item_save(actor=self.uni.user("editor1"), data=self.data(title=" \u200b "))
        self.assertIn("title", raised.exception.message_dict)


def _jpeg_with_gps() -> bytes:
    picture = Image.new("RGB", (64, 48), (200, 20, 30))
    exif = Image.Exif()
    exif[0x010E] = "Taken at 39.9N 116.4E"  # ImageDescription
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif)
    return out.getvalue()


class UploadTestCase(ContentTestCase):
    def test_a_picture_is_written_again_without_its_metadata(self):
        raw = _jpeg_with_gps()
        self.assertIn(b"PhoneMaker", raw)
        upload = services.upload_create(
            actor=self.uni.user("editor1"),
            file=SimpleUploadedFile("photo.JPG", raw, content_type="image/jpeg"),
            kind=Upload.Kind.IMAGE,
        )
        stored = upload.file.read()
        self.assertNotIn(b"PhoneMaker", stored)
        self.assertEqual((upload.content_type, upload.width, upload.height), ("image/jpeg", 64, 48))
        self.assertTrue(upload.file.name.endswith(".jpg"))
        upload.file.delete(save=False)

    def test_a_file_that_only_claims_to_be_a_picture_is_refused(self):
        with self.assertRaises(ValidationError) as raised:
            services.upload_create(
                actor=self.uni.user("editor1"),
                file=SimpleUploadedFile(
                    "x.png", b"<svg onload=alert(1)>", content_type="image/png"
                ),
                kind=Upload.Kind.IMAGE,
            )
        self.assertIn("x.png", raised.exception.message_dict["file"][0])

    def test_attachments_must_be_documents(self):
        with self.assertRaises(ValidationError):
            services.upload_create(
                actor=self.uni.user("editor1"),
                file=SimpleUploadedFile("run.html", b"<script>x</script>"),
                kind=Upload.Kind.FILE,
            )

    def test_an_item_uses_only_its_writers_uploads(self):
        upload = services.upload_create(
            actor=self.uni.user("editor1"),
            file=SimpleUploadedFile("a.jpg", _jpeg_with_gps()),
            kind=Upload.Kind.IMAGE,
        )
        with self.assertRaises(ValidationError):
            services.item_save(actor=self.uni.user("orgdept"), data=self.data(cover=upload))
        item = services.item_save(
            actor=self.uni.user("editor1"),
            data=self.data(body=f'<p><img src="{upload.url}"></p>', cover=upload),
        )
        upload.refresh_from_db()
        self.assertEqual(upload.item, item)
        self.assertFalse(selectors.may_see_upload(self.uni.user("member1"), upload))
        with self.captureOnCommitCallbacks(execute=True):
            services.item_publish(actor=self.uni.user("editor1"), item=item)
        self.assertTrue(selectors.may_see_upload(self.uni.user("member1"), upload))
        upload.file.delete(save=False)


class ReceiptsForEditorsTestCase(ContentTestCase):
    def test_the_reviewer_who_approved_a_notice_sees_its_receipts_and_reminds(self):
        secretary, organizer = self.uni.user("secretary1"), self.uni.user("committee1")
        item = services.item_save(
            actor=secretary,
            data=self.data(
                section=Section.NOTICE, owner=self.uni.b11, target_all=False, targets=[self.uni.b11]
            ),
        )
        services.item_submit(actor=secretary, item=item)
        with self.captureOnCommitCallbacks(execute=True):
            services.item_approve(actor=organizer, item=item)
        item.refresh_from_db()
        url = f"/notifications/sent/{item.notification_id}/"
        self.assertEqual(self.client_for("secretary1").get(url).status_code, 200)
        page = self.client_for("committee1").get(url)
        self.assertContains(page, "secretary1")  # not read yet
        self.assertEqual(self.client_for("secretary2").get(url).status_code, 404)
        self.assertEqual(self.client_for("member1").get(url).status_code, 404)
        remind = self.client_for("committee1").post(
            f"/notifications/sent/{item.notification_id}/remind/"
        )
        self.assertEqual(remind.status_code, 302)


class AnimationTestCase(ContentTestCase):
    def test_an_animation_keeps_its_frames_and_loses_its_comment(self):
        frames = [Image.new("RGB", (8, 8), (80 * i, 0, 0)) for i in (1, 2, 3)]
        raw = io.BytesIO()
        frames[0].save(
            raw, format="GIF", save_all=True, append_images=frames[1:], comment=b"GPS 39.9N"
        )
        self.assertIn(b"GPS 39.9N", raw.getvalue())
        upload = services.upload_create(
            actor=self.uni.user("editor1"),
            file=SimpleUploadedFile("a.gif", raw.getvalue()),
            kind=Upload.Kind.IMAGE,
        )
        stored = upload.file.read()
        self.assertNotIn(b"GPS 39.9N", stored)
        with Image.open(io.BytesIO(stored)) as again:
            self.assertEqual(again.n_frames, 3)
        upload.file.delete(save=False)


class SecondPersonTestCase(ContentTestCase):
    def test_whoever_changed_or_submitted_it_cannot_approve_it(self):
        secretary, organizer = self.uni.user("secretary1"), self.uni.user("committee1")
        data = self.data(owner=self.uni.b11, target_all=False, targets=[self.uni.b11])
        item = services.item_save(actor=secretary, data=data)
        data.title = "组织员改写的标题"
        item = services.item_save(actor=organizer, item=item, data=data)
        item = services.item_submit(actor=organizer, item=item)
        self.assertEqual((item.submitted_by, item.edited_by), (organizer, organizer))
        self.assertEqual(list(selectors.review_queue(organizer)), [])
        with self.assertRaises(ValidationError):
            services.item_approve(actor=organizer, item=item)
        with self.assertRaises(ValidationError):
            services.item_return(actor=organizer, item=item, note="自己退回")
        editor = self.uni.user("editor1")
        self.assertEqual(list(selectors.review_queue(editor)), [item])
        self.assertEqual(services.item_approve(actor=editor, item=item).state, State.PUBLISHED)


class UploadLinkTestCase(ContentTestCase):
    def upload(self, name: str = "a.pdf") -> Upload:
        return services.upload_create(
            actor=self.uni.user("editor1"),
            file=SimpleUploadedFile(name, b"%PDF-1.4 test"),
            kind=Upload.Kind.FILE,
        )

    def test_a_removed_attachment_is_no_longer_shown_with_the_item(self):
        roster = self.upload("名单.pdf")
        item = self.published(attachments=[roster])
        roster.refresh_from_db()
        self.assertTrue(selectors.may_see_upload(self.uni.user("member1"), roster))
        services.item_save(actor=self.uni.user("editor1"), item=item, data=self.data())
        roster.refresh_from_db()
        self.assertIsNone(roster.item)
        self.assertFalse(selectors.may_see_upload(self.uni.user("member1"), roster))
        self.assertTrue(selectors.may_see_upload(self.uni.user("editor1"), roster))
        roster.file.delete(save=False)

    def test_an_upload_of_one_item_is_not_taken_by_another(self):
        file = self.upload()
        self.published(attachments=[file])
        with self.assertRaises(ValidationError):
            services.item_save(actor=self.uni.user("editor1"), data=self.data(attachments=[file]))
        file.refresh_from_db()
        file.file.delete(save=False)

    def test_a_change_is_audited_with_old_and_new_targets_and_tags(self):
        item = services.item_save(
            actor=self.uni.user("editor1"),
            data=self.data(target_all=False, targets=[self.uni.b11], tags=["学习"]),
        )
        services.item_save(
            actor=self.uni.user("editor1"),
            item=item,
            data=self.data(target_all=False, targets=[self.uni.b21], tags=["学习", "党课"]),
        )
        entry = AuditEntry.objects.filter(action="content.item.changed").latest("pk")
        self.assertEqual(entry.changes["targets"], ["B11", "B21"])
        self.assertEqual(entry.changes["tags"], ["学习", "党课、学习"])


class LiveBroadcastTestCase(ContentTestCase):
    def test_going_live_is_broadcast_to_its_targets_and_a_withdrawn_item_to_no_one(self):
        from dangjian.content import live
        from dangjian.notifications.models import Broadcast

        item = self.published(title="支部新闻", target_all=False, targets=[self.uni.b11])
        row = Broadcast.objects.get(kind=live.KIND, object_id=item.pk)
        rendered = live.render(row.object_id)
        assert rendered is not None
        self.assertEqual(rendered.paths, frozenset({self.uni.b11.path}))
        self.assertEqual(rendered.data["link"], f"/content/{item.pk}/")
        services.item_withdraw(actor=self.uni.user("editor1"), item=item)
        self.assertIsNone(live.render(item.pk))
        everyone = self.published(title="全校新闻")
        rendered = live.render(everyone.pk)
        assert rendered is not None
        self.assertIsNone(rendered.paths)


class UploadHousekeepingTestCase(UploadLinkTestCase):
    def test_unused_uploads_go_after_a_week_and_used_ones_stay(self):
        used, loose, fresh = self.upload("a.pdf"), self.upload("b.pdf"), self.upload("c.pdf")
        self.published(attachments=[used])
        week_ago = timezone.now() - dt.timedelta(days=8)
        Upload.objects.filter(pk__in=[used.pk, loose.pk]).update(created_at=week_ago)
        self.assertEqual(services.prune_uploads(), 1)
        self.assertEqual(set(Upload.objects.values_list("pk", flat=True)), {used.pk, fresh.pk})
        for upload in Upload.objects.all():
            upload.file.delete(save=False)

    @override_settings(CONTENT_UPLOADS_PER_HOUR=2)
    def test_a_writer_uploads_at_most_so_many_files_an_hour(self):
        self.upload()
        self.upload()
        with self.assertRaises(ValidationError) as raised:
            self.upload()
        self.assertIn("file", raised.exception.message_dict)
        for upload in Upload.objects.all():
            upload.file.delete(save=False)
