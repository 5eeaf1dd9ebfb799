"""Who sees what: the author their own, the editors the desk of the organizations they edit
for, and nobody decides on their own contribution."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.contributions import selectors, services
from dangjian.contributions.models import Contribution
from dangjian.contributions.tests.base import ContributionTestCase


class ScopeTestCase(ContributionTestCase):
    def test_a_contribution_goes_to_the_authors_committee_or_the_university(self):
        self.assertEqual(self.submit().target, self.uni.c1)
        self.assertEqual(self.submit(desk="university").target, self.uni.root)
        # committee1 belongs to B12, also under C1; secretary2 to B21 under C2.
        self.assertEqual(self.submit("secretary2").target, self.uni.c2)

    def test_other_committees_and_branch_secretaries_do_not_see_a_c1_contribution(self):
        contribution = self.submit()
        for persona in ("secretary2", "secretary1", "committee_member", "outsider", "auditor"):
            client = self.client_for(persona)
            with self.subTest(persona=persona):
                self.assertEqual(
                    client.get(f"/contributions/desk/{contribution.pk}/").status_code, 404
                )
                self.assertEqual(client.get(f"/contributions/{contribution.pk}/").status_code, 404)
                response = client.post(
                    f"/api/v1/contributions/{contribution.pk}/accept",
                    {},
                    content_type="application/json",
                )
                self.assertEqual(response.status_code, 404)
                picture_key = self.picture().key
                self.assertEqual(
                    client.get(f"/contributions/pictures/{picture_key}/").status_code, 404
                )

    def test_an_organizer_sees_their_committee_but_not_the_universitys_desk(self):
        to_c1 = self.submit()
        to_university = self.submit(title="致学校党委的稿件", desk="university")
        to_c2 = self.submit("secretary2", title="材料学院的稿件")
        organizer = self.user("committee1")
        self.assertEqual(list(selectors.desk_queue(organizer, "submitted")), [to_c1])
        editor = self.user("editor1")
        self.assertEqual(
            set(selectors.desk_queue(editor, "submitted")), {to_c1, to_university, to_c2}
        )
        self.assertEqual(selectors.desk_counts(editor)["submitted"], 3)
        client = self.client_for("committee1")
        self.assertEqual(client.get(f"/contributions/desk/{to_c2.pk}/").status_code, 404)
        self.assertEqual(client.get(f"/contributions/desk/{to_university.pk}/").status_code, 404)
        with self.assertRaises(PermissionDenied):
            services.contribution_accept(actor=organizer, contribution=to_c2)

    def test_self_review_is_refused(self):
        # committee1 is a member (of B12, under C1) and the organizer of C1.
        own = self.submit("committee1")
        self.assertEqual(own.target, self.uni.c1)
        organizer = self.user("committee1")
        self.assertNotIn(own, selectors.desk_queue(organizer, "submitted"))
        with self.assertRaisesMessage(ValidationError, "another editor must decide"):
            services.contribution_accept(actor=organizer, contribution=own)
        with self.assertRaisesMessage(ValidationError, "another editor must decide"):
            services.contribution_return(actor=organizer, contribution=own, comment="改")
        client = self.client_for("committee1")
        page = client.get(f"/contributions/desk/{own.pk}/")
        self.assertContains(page, "You wrote this contribution; another editor decides on it.")
        self.assertNotContains(page, f"/contributions/desk/{own.pk}/accept/")
        response = client.post(f"/contributions/desk/{own.pk}/accept/", {})
        self.assertContains(response, "another editor must decide", status_code=422)
        response = client.post(
            f"/api/v1/contributions/{own.pk}/reject",
            {"reason": "不行"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(self.fresh(own).state, Contribution.State.SUBMITTED)
        # Another editor decides.
        services.contribution_accept(actor=self.user("editor1"), contribution=own)
        self.assertEqual(self.fresh(own).state, Contribution.State.ACCEPTED)

    def test_only_the_author_changes_withdraws_or_resends(self):
        contribution = self.submit()
        services.contribution_return(
            actor=self.user("editor1"), contribution=contribution, comment="请修改。"
        )
        for action in (services.contribution_resubmit, services.contribution_withdraw):
            with self.subTest(action=action.__name__), self.assertRaises(PermissionDenied):
                action(actor=self.user("editor1"), contribution=contribution)
        editor = self.client_for("editor1")
        self.assertEqual(editor.get(f"/contributions/{contribution.pk}/edit/").status_code, 404)
        response = editor.patch(
            f"/api/v1/contributions/{contribution.pk}",
            {"title": "别人改的"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 404)

    def test_accounts_without_a_member_record_cannot_contribute(self):
        for persona in ("editor1", "outsider", "sysadmin"):
            client = self.client_for(persona)
            with self.subTest(persona=persona):
                self.assertEqual(client.get("/contributions/new/").status_code, 404)
                response = client.post(
                    "/api/v1/contributions",
                    {"title": "标题", "text": "正文"},
                    content_type="application/json",
                )
                self.assertEqual(response.status_code, 404)
        with self.assertRaises(PermissionDenied):
            self.submit("editor1")

    def test_an_editor_without_publishing_rights_above_cannot_publish(self):
        contribution = self.submit()
        services.contribution_accept(actor=self.user("committee1"), contribution=contribution)
        self.assertIsNone(selectors.publishing_org(self.user("committee1"), contribution))
        self.assertEqual(
            selectors.publishing_org(self.user("editor1"), contribution), self.uni.root
        )
        with self.assertRaises(PermissionDenied):
            services.contribution_publish(
                actor=self.user("committee1"),
                contribution=contribution,
                data=services.PublishInput(title="t", body="<p>b</p>", section="news"),
            )

    def test_a_contribution_must_be_accepted_before_it_is_published(self):
        contribution = self.submit()
        with self.assertRaisesMessage(ValidationError, "it cannot be published now"):
            services.contribution_publish(
                actor=self.user("editor1"),
                contribution=contribution,
                data=services.PublishInput(title="t", body="<p>b</p>", section="news"),
            )
        response = self.client_for("editor1").get(
            f"/contributions/desk/{contribution.pk}/publish/", follow=True
        )
        self.assertContains(response, "Accept the contribution before publishing it.")
