"""The whole path through the pages: a member sends, an editor returns, the member revises
and sends again, the editor accepts and publishes; the author hears of each step."""

from __future__ import annotations

from dangjian.audit.models import AuditEntry
from dangjian.content import selectors as content
from dangjian.content.models import Item, Upload
from dangjian.contributions.models import Contribution, Event
from dangjian.contributions.tests.base import ContributionTestCase, png
from dangjian.notifications.models import Delivery


class FullFlowTestCase(ContributionTestCase):
    def inbox(self, persona: str = "member1") -> list[str]:
        return list(
            Delivery.objects.filter(recipient=self.user(persona))
            .order_by("id")
            .values_list("notification__kind", flat=True)
        )

    def test_it_goes_from_a_member_to_a_published_article(self):
        member = self.client_for("member1")
        editor = self.client_for("editor1")

        # 1. The member writes, with a picture.
        self.assertEqual(member.get("/contributions/new/").status_code, 200)
        response = member.post(
            "/contributions/new/",
            {
                "title": "信息学院教工第一党支部开展主题党日",
                "section": "news",
                "desk": "committee",
                "text": "支部组织党员参观纪念馆。\n\n大家重温入党誓词。",
                "note": "照片由宣传委员拍摄。",
                "new_pictures": [png("a.png"), png("b.png", (37, 99, 235))],
            },
        )
        contribution = Contribution.objects.get()
        self.assertRedirects(response, f"/contributions/{contribution.pk}/")
        self.assertEqual(contribution.target, self.uni.c1)
        self.assertEqual(contribution.author_name, "李党员")
        self.assertEqual(
            contribution.body, "<p>支部组织党员参观纪念馆。</p><p>大家重温入党誓词。</p>"
        )
        self.assertEqual(contribution.pictures.count(), 2)
        page = member.get(f"/contributions/{contribution.pk}/")
        self.assertContains(page, "With the editors.")
        self.assertContains(member.get("/contributions/"), contribution.title)

        # 2. The editor finds it on the desk and returns it.
        desk = editor.get("/contributions/desk/")
        self.assertContains(desk, contribution.title)
        detail = editor.get(f"/contributions/desk/{contribution.pk}/")
        self.assertContains(detail, "/contributions/pictures/")
        self.assertContains(detail, "照片由宣传委员拍摄。")
        picture = contribution.pictures.first().upload
        self.assertEqual(editor.get(f"/contributions/pictures/{picture.key}/").status_code, 200)
        response = editor.post(
            f"/contributions/desk/{contribution.pk}/return/",
            {"return-comment": "请补充活动时间和参加人数。"},
        )
        self.assertRedirects(response, f"/contributions/desk/{contribution.pk}/")
        self.assertEqual(self.fresh(contribution).state, Contribution.State.RETURNED)
        self.assertEqual(self.inbox(), ["contributions.returned"])
        self.assertContains(
            member.get(f"/contributions/{contribution.pk}/"), "请补充活动时间和参加人数。"
        )

        # 3. The member revises it (keeping one picture) and sends it again.
        self.assertEqual(member.get(f"/contributions/{contribution.pk}/edit/").status_code, 200)
        response = member.post(
            f"/contributions/{contribution.pk}/edit/",
            {
                "title": "信息学院教工第一党支部开展主题党日",
                "section": "news",
                "desk": "committee",
                "text": "5月20日，支部30名党员参观纪念馆。\n大家重温入党誓词。",
                "picture": [str(picture.key)],
                "send": "1",
            },
        )
        self.assertRedirects(response, f"/contributions/{contribution.pk}/")
        contribution = self.fresh(contribution)
        self.assertEqual(contribution.state, Contribution.State.SUBMITTED)
        self.assertEqual(contribution.revision, 2)
        self.assertEqual(contribution.pictures.count(), 1)

        # 4. The editor accepts it ...
        response = editor.post(f"/contributions/desk/{contribution.pk}/accept/", {})
        self.assertRedirects(response, f"/contributions/desk/{contribution.pk}/")
        self.assertEqual(self.fresh(contribution).state, Contribution.State.ACCEPTED)
        self.assertEqual(self.inbox(), ["contributions.returned", "contributions.accepted"])

        # 5. ... edits it and publishes it.
        form = editor.get(f"/contributions/desk/{contribution.pk}/publish/")
        self.assertContains(form, "5月20日，支部30名党员参观纪念馆。")
        self.assertContains(form, "vendor/quill/quill.js")
        response = editor.post(
            f"/contributions/desk/{contribution.pk}/publish/",
            {
                "title": "教工第一党支部：重温入党誓词",
                "section": "news",
                "summary": "",
                "body": "<p>5月20日，支部30名党员参观纪念馆。</p><p>大家重温入党誓词。</p>",
                "pictures": [str(picture.pk)],
                "cover": "on",
                "whole_university": "on",
            },
        )
        item = Item.objects.get()
        self.assertRedirects(response, f"/content/manage/{item.pk}/", fetch_redirect_response=False)
        self.assertEqual(item.byline, "李党员")
        self.assertEqual(item.owner, self.uni.root)
        self.assertEqual(item.title, "教工第一党支部：重温入党誓词")
        self.assertTrue(item.target_all)
        self.assertTrue(item.is_live)
        self.assertEqual(item.cover_id, picture.pk)
        self.assertIn(f'<img src="{picture.url}"', item.body)
        self.assertEqual(Upload.objects.get(pk=picture.pk).item, item)
        contribution = self.fresh(contribution)
        self.assertEqual(contribution.state, Contribution.State.PUBLISHED)
        self.assertEqual(contribution.item, item)
        for reader in ("member1", "secretary2", "committee_member"):
            self.assertTrue(content.visible_items(self.user(reader)).filter(pk=item.pk).exists())
        self.assertEqual(
            self.inbox(),
            ["contributions.returned", "contributions.accepted", "contributions.published"],
        )
        self.assertContains(
            member.get(f"/contributions/{contribution.pk}/"), f"/content/{item.pk}/"
        )

        # The timeline and the audit log tell the same story.
        kinds = list(Event.objects.filter(contribution=contribution).values_list("kind", flat=True))
        self.assertEqual(
            kinds,
            ["submitted", "returned", "edited", "resubmitted", "accepted", "published"],
        )
        actions = list(
            AuditEntry.objects.filter(target_type="contributions.contribution")
            .order_by("id")
            .values_list("action", "actor_username")
        )
        self.assertEqual(
            actions,
            [
                ("contributions.contribution.submitted", "member1"),
                ("contributions.contribution.returned", "editor1"),
                ("contributions.contribution.changed", "member1"),
                ("contributions.contribution.resubmitted", "member1"),
                ("contributions.contribution.accepted", "editor1"),
                ("contributions.contribution.published", "editor1"),
            ],
        )
        returned = AuditEntry.objects.get(action="contributions.contribution.returned")
        self.assertEqual(returned.org_code, "C1")
        self.assertEqual(returned.changes, {"state": ["submitted", "returned"]})
        self.assertEqual(returned.detail, {"comment": "请补充活动时间和参加人数。"})
        self.assertTrue(AuditEntry.objects.filter(action="content.item.published").exists())

    def test_a_rejection_tells_the_author_the_reason(self):
        contribution = self.submit()
        response = self.client_for("committee1").post(
            f"/contributions/desk/{contribution.pk}/reject/",
            {"reject-reason": "与近期报道重复。"},
        )
        self.assertEqual(response.status_code, 302)
        contribution = self.fresh(contribution)
        self.assertEqual(contribution.state, Contribution.State.REJECTED)
        self.assertEqual(contribution.comment, "与近期报道重复。")
        self.assertEqual(self.inbox(), ["contributions.rejected"])
        self.assertContains(
            self.client_for("member1").get(f"/contributions/{contribution.pk}/"), "与近期报道重复。"
        )

    def test_a_return_needs_a_comment_and_a_rejection_a_reason(self):
        contribution = self.submit()
        editor = self.client_for("editor1")
        response = editor.post(f"/contributions/desk/{contribution.pk}/return/", {})
        self.assertContains(
            response, "Say what should change, so the author can revise it.", status_code=422
        )
        response = editor.post(f"/contributions/desk/{contribution.pk}/reject/", {})
        self.assertContains(response, "Give the reason; the author reads it.", status_code=422)
        self.assertEqual(self.fresh(contribution).state, Contribution.State.SUBMITTED)

    def test_the_author_withdraws_while_it_waits(self):
        contribution = self.submit()
        member = self.client_for("member1")
        response = member.post(f"/contributions/{contribution.pk}/withdraw/")
        self.assertRedirects(response, f"/contributions/{contribution.pk}/")
        self.assertEqual(self.fresh(contribution).state, Contribution.State.WITHDRAWN)
        # Withdrawn is final: it cannot be withdrawn again or changed.
        response = member.post(f"/contributions/{contribution.pk}/withdraw/", follow=True)
        self.assertContains(response, "it cannot be withdrawn now")
        response = member.get(f"/contributions/{contribution.pk}/edit/", follow=True)
        self.assertContains(response, "can be changed only when it is returned")

    def test_an_accepted_contribution_cannot_be_withdrawn(self):
        contribution = self.submit()
        self.client_for("editor1").post(f"/contributions/desk/{contribution.pk}/accept/", {})
        response = self.client_for("member1").post(
            f"/contributions/{contribution.pk}/withdraw/", follow=True
        )
        self.assertContains(response, "it cannot be withdrawn now")
        self.assertEqual(self.fresh(contribution).state, Contribution.State.ACCEPTED)

    def test_a_bad_form_keeps_the_pictures_already_sent(self):
        response = self.client_for("member1").post(
            "/contributions/new/",
            {
                "title": "",
                "section": "news",
                "desk": "committee",
                "text": "正文",
                "new_pictures": [png()],
            },
        )
        self.assertEqual(response.status_code, 422)
        upload = Upload.objects.get()
        self.assertContains(response, f'value="{upload.key}"', status_code=422)
        self.assertFalse(Contribution.objects.exists())
        response = self.client_for("member1").post(
            "/contributions/new/",
            {
                "title": "标题",
                "section": "news",
                "desk": "university",
                "text": "正文",
                "picture": [str(upload.key)],
            },
        )
        contribution = Contribution.objects.get()
        self.assertEqual(response.status_code, 302)
        self.assertEqual(contribution.target, self.uni.root)
        self.assertEqual([p.upload for p in contribution.pictures.all()], [upload])

    def test_a_file_that_is_not_a_picture_is_refused_beside_the_field(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        fake = SimpleUploadedFile("x.png", b"not a picture", content_type="image/png")
        response = self.client_for("member1").post(
            "/contributions/new/",
            {
                "title": "标题",
                "section": "news",
                "desk": "committee",
                "text": "正文",
                "new_pictures": [fake],
            },
        )
        self.assertContains(
            response, "x.png is not a JPEG, PNG, GIF or WebP picture.", status_code=422
        )
        self.assertFalse(Contribution.objects.exists())

    def test_someone_elses_picture_cannot_be_attached(self):
        other = self.picture("secretary1")
        response = self.client_for("member1").post(
            "/contributions/new/",
            {
                "title": "标题",
                "section": "news",
                "desk": "committee",
                "text": "正文",
                "picture": [str(other.key)],
            },
        )
        self.assertContains(response, "was not uploaded for this contribution", status_code=422)
        self.assertFalse(Contribution.objects.exists())

    def test_an_organizer_who_may_not_publish_accepts_and_leaves_it_to_the_editors(self):
        contribution = self.submit()
        organizer = self.client_for("committee1")
        organizer.post(f"/contributions/desk/{contribution.pk}/accept/", {})
        self.assertEqual(self.fresh(contribution).state, Contribution.State.ACCEPTED)
        page = organizer.get(f"/contributions/desk/{contribution.pk}/")
        self.assertContains(page, "An editor who may publish")
        self.assertNotContains(page, f"/contributions/desk/{contribution.pk}/publish/")
        self.assertEqual(
            organizer.get(f"/contributions/desk/{contribution.pk}/publish/").status_code, 403
        )
        # The university's editor sees it among those to publish.
        desk = self.client_for("editor1").get("/contributions/desk/?state=accepted")
        self.assertContains(desk, contribution.title)

    def test_it_can_be_published_to_the_committee_it_was_sent_to_only(self):
        contribution = self.submit(pictures=[self.picture()])
        self.client_for("editor1").post(f"/contributions/desk/{contribution.pk}/accept/", {})
        self.client_for("editor1").post(
            f"/contributions/desk/{contribution.pk}/publish/",
            {"title": contribution.title, "section": "showcase", "body": contribution.body},
        )
        item = Item.objects.get()
        self.assertEqual(item.section, "showcase")
        self.assertFalse(item.target_all)
        self.assertEqual(
            list(item.target_rows.values_list("organization__code", flat=True)), ["C1"]
        )
        self.assertIsNone(item.cover_id)
        self.assertNotIn("<img", item.body)  # no picture chosen
        self.assertTrue(content.visible_items(self.user("member1")).filter(pk=item.pk).exists())
        self.assertFalse(content.visible_items(self.user("secretary2")).filter(pk=item.pk).exists())
