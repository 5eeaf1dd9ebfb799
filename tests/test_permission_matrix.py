"""Every URL and API operation, for every persona (DESIGN.md section 4.1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from asgiref.sync import async_to_sync
from axes.models import AccessAttempt
from django.db import transaction
from django.test import Client
from django.utils import timezone

from dangjian.audit.services import log_action
from dangjian.lib import crypto
from dangjian.members.models import ImportJob, PostHolding
from dangjian.notifications.services import notify
from dangjian.orgs.models import RoleAssignment
from dangjian.testing.base import BaseTestCase, sign_in
from dangjian.testing.matrix import (
    ALL_PERSONAS,
    LOGGED_IN,
    Case,
    admin_page,
    api,
    api_operations,
    app_matrices,
    page,
    statuses,
    url_names,
)
from dangjian.testing.personas import make_user

# Who holds what (see dangjian/testing/personas.py).
B11_VIEW = ("orgdept", "committee1", "secretary1", "committee_member")
B11_MANAGE = ("orgdept", "committee1", "secretary1")
B11_ORG_VIEW = (*B11_VIEW, "member1", "editor1")
B11_ORG_READ_ONLY = ("committee_member", "member1", "editor1")
B21_VIEW = ("orgdept", "secretary2")
ANY_MEMBER_VIEW = ("orgdept", "committee1", "secretary1", "secretary2", "committee_member")
ANY_MEMBER_MANAGE = ("orgdept", "committee1", "secretary1", "secretary2")
# Moderation: reviewers and monitors in their subtree; the dictionary is the university's.
REVIEWERS = ("orgdept", "committee1", "editor1")
DICTIONARY = ("orgdept", "editor1")
WITH_RECORD = ("committee1", "secretary1", "secretary2", "committee_member", "member1")


async def _drain(response: Any) -> None:
    async for _chunk in response.streaming_content:
        pass


PAGES = [
    page("dashboard:home", lambda f: "/", who=LOGGED_IN),
    page("healthz", lambda f: "/healthz", who=ALL_PERSONAS, anonymous=200),
    page("accounts:login", lambda f: "/accounts/login/", default=302, anonymous=200),
    page("accounts:login-verify", lambda f: "/accounts/login/verify/", default=302),
    page("accounts:login-setup", lambda f: "/accounts/login/setup/", default=302),
    page("accounts:logout", lambda f: "/accounts/logout/", default=405, anonymous=405),
    page("accounts:backup-codes", lambda f: "/accounts/backup-codes/", default=302),
    page("accounts:password-change", lambda f: "/accounts/password/", who=LOGGED_IN),
    page("accounts:profile", lambda f: "/accounts/me/", who=LOGGED_IN),
    admin_page("accounts:user-list", lambda f: "/accounts/users/", "sysadmin"),
    admin_page("accounts:user-create", lambda f: "/accounts/users/new/", "sysadmin"),
    admin_page("accounts:user-detail", lambda f: f"/accounts/users/{f['spare_user']}/", "sysadmin"),
    admin_page(
        "accounts:user-action",
        lambda f: f"/accounts/users/{f['spare_user']}/enable/",
        "sysadmin",
        method="post",
        ok=302,
    ),
    admin_page("accounts:lockout-list", lambda f: "/accounts/lockouts/", "secadmin"),
    admin_page(
        "accounts:lockout-clear",
        lambda f: f"/accounts/lockouts/{f['attempt']}/clear/",
        "secadmin",
        method="post",
        ok=302,
    ),
    page(
        "orgs:org-tree",
        lambda f: "/orgs/",
        ok=302,
        who=(
            "orgdept",
            "committee1",
            "secretary1",
            "secretary2",
            "committee_member",
            "member1",
            "editor1",
        ),
        default=200,
    ),
    page("orgs:org-detail", lambda f: "/orgs/B11/", who=B11_ORG_VIEW),
    page("orgs:org-detail", lambda f: "/orgs/B21/", who=(*B21_VIEW, "editor1")),
    page(
        "orgs:org-create",
        lambda f: "/orgs/B11/new/",
        who=B11_MANAGE,
        **statuses(403, B11_ORG_READ_ONLY),
    ),
    page(
        "orgs:org-edit",
        lambda f: "/orgs/B11/edit/",
        who=("orgdept", "committee1"),
        **statuses(403, ("secretary1", *B11_ORG_READ_ONLY)),
    ),
    page(
        "orgs:org-move",
        lambda f: "/orgs/B11/move/",
        who=("orgdept", "committee1"),
        **statuses(403, ("secretary1", *B11_ORG_READ_ONLY)),
    ),
    page(
        "orgs:org-dissolve",
        lambda f: "/orgs/B12/dissolve/",
        who=("orgdept", "committee1"),
        **statuses(403, ("editor1",)),
    ),
    page(
        "orgs:term-create",
        lambda f: "/orgs/B11/terms/new/",
        who=B11_MANAGE,
        **statuses(403, B11_ORG_READ_ONLY),
    ),
    admin_page("security:role-list", lambda f: "/security/roles/", "secadmin"),
    admin_page(
        "security:role-revoke",
        lambda f: f"/security/roles/{f['assignment']}/revoke/",
        "secadmin",
        method="post",
        ok=302,
    ),
    admin_page(
        "security:admin-role-set",
        lambda f: "/security/roles/admins/",
        "secadmin",
        method="post",
        ok=302,
    ),
    page("members:roster", lambda f: "/members/", who=ANY_MEMBER_VIEW),
    page("members:roster", lambda f: "/members/?org=B21", who=B21_VIEW),
    page("members:roster-count", lambda f: "/members/count/?gender=F", who=ANY_MEMBER_VIEW),
    page("members:roster-count", lambda f: "/members/count/?org=B21&gender=F", who=B21_VIEW),
    page("members:member-create", lambda f: "/members/new/", who=ANY_MEMBER_MANAGE),
    page("members:roster-export", lambda f: "/members/export/", who=ANY_MEMBER_MANAGE),
    page("members:roster-export", lambda f: "/members/export/?org=B21", who=B21_VIEW),
    page("members:history", lambda f: "/members/history/", who=ANY_MEMBER_VIEW),
    page("members:history", lambda f: "/members/history/?org=B21", who=B21_VIEW),
    # Only the member writes their self-introduction; accounts without a record have none.
    page("members:statement-edit", lambda f: "/members/me/statement/", who=WITH_RECORD),
    page("members:import-start", lambda f: "/members/import/", who=ANY_MEMBER_MANAGE),
    page(
        "members:import-template", lambda f: "/members/import/template.xlsx", who=ANY_MEMBER_MANAGE
    ),
    page("members:import-detail", lambda f: f"/members/import/{f['job']}/", who=("secretary1",)),
    page(
        "members:import-confirm",
        lambda f: f"/members/import/{f['job']}/confirm/",
        method="post",
        ok=302,
        who=("secretary1",),
    ),
    page(
        "members:import-errors",
        lambda f: f"/members/import/{f['job']}/report.xlsx",
        who=("secretary1",),
    ),
    page(
        "members:post-assign",
        lambda f: "/members/posts/B11/new/",
        who=B11_MANAGE,
        **statuses(403, B11_ORG_READ_ONLY),
    ),
    page(
        "members:post-end",
        lambda f: f"/members/posts/{f['post']}/end/",
        who=B11_MANAGE,
        **statuses(403, B11_ORG_READ_ONLY),
    ),
    page("members:member-detail", lambda f: f"/members/{f['m_b11']}/", who=(*B11_VIEW, "member1")),
    page("members:member-detail", lambda f: f"/members/{f['m_b21']}/", who=B21_VIEW),
    page(
        "members:member-edit",
        lambda f: f"/members/{f['m_b11']}/edit/",
        who=B11_MANAGE,
        **statuses(403, ("committee_member", "member1")),
    ),
    page("members:member-edit", lambda f: f"/members/{f['m_b21']}/edit/", who=B21_VIEW),
    page(
        "members:member-reveal",
        lambda f: f"/members/{f['m_b11']}/reveal/",
        method="post",
        who=(*B11_MANAGE, "member1"),
        committee_member=403,
    ),
    page(
        "members:member-reveal",
        lambda f: f"/members/{f['m_b21']}/reveal/",
        method="post",
        who=B21_VIEW,
    ),
    page(
        "members:event-create",
        lambda f: f"/members/{f['m_b11']}/events/new/",
        who=B11_MANAGE,
        **statuses(403, ("committee_member", "member1")),
    ),
    page(
        "members:flags-edit",
        lambda f: f"/members/{f['m_b11']}/marks/",
        who=B11_MANAGE,
        **statuses(403, ("committee_member", "member1")),
    ),
    page(
        "members:account-create",
        lambda f: f"/members/{f['m_b11_no_account']}/account/",
        method="post",
        who=B11_MANAGE,
        committee_member=403,
    ),
    page("notifications:inbox", lambda f: "/notifications/", who=LOGGED_IN),
    page(
        "notifications:mark-all-read",
        lambda f: "/notifications/read-all/",
        method="post",
        ok=302,
        who=LOGGED_IN,
    ),
    # The event stream, asked for its replay only (?once=1) so that it ends.
    page(
        "notifications:stream",
        lambda f: "/notifications/stream?once=1",
        who=LOGGED_IN,
        anonymous=401,
    ),
    page("notifications:sent", lambda f: "/notifications/sent/", who=LOGGED_IN),
    # Only the sender sees the read receipts of what they sent, and reminds the rest.
    page("notifications:receipts", lambda f: f"/notifications/sent/{f['sent']}/", who=("editor1",)),
    page(
        "notifications:remind",
        lambda f: f"/notifications/sent/{f['sent']}/remind/",
        method="post",
        ok=302,
        who=("editor1",),
    ),
    # Only the recipient opens a message; to anyone else it does not exist.
    page(
        "notifications:open",
        lambda f: f"/notifications/{f['delivery']}/open/",
        ok=302,
        who=("member1",),
    ),
    page("moderation:queue", lambda f: "/moderation/", who=REVIEWERS),
    page("moderation:screening-detail", lambda f: f"/moderation/{f['held']}/", who=REVIEWERS),
    page(
        "moderation:screening-approve",
        lambda f: f"/moderation/{f['held']}/approve/",
        method="post",
        ok=302,
        who=REVIEWERS,
    ),
    page(
        "moderation:screening-reject",
        lambda f: f"/moderation/{f['held']}/reject/",
        method="post",
        ok=422,  # no reason given: the form comes back with the field marked
        who=REVIEWERS,
    ),
    page("moderation:dictionary", lambda f: "/moderation/dictionary/", who=DICTIONARY),
    page(
        "moderation:term-add",
        lambda f: "/moderation/dictionary/terms/new/",
        method="post",
        ok=302,
        who=DICTIONARY,
    ),
    page(
        "moderation:term-edit",
        lambda f: f"/moderation/dictionary/terms/{f['term']}/",
        who=DICTIONARY,
    ),
    page(
        "moderation:term-delete",
        lambda f: f"/moderation/dictionary/terms/{f['term']}/delete/",
        method="post",
        ok=302,
        who=DICTIONARY,
    ),
    page(
        "moderation:phrase-add",
        lambda f: "/moderation/dictionary/phrases/new/",
        method="post",
        ok=302,
        who=DICTIONARY,
    ),
    page(
        "moderation:phrase-delete",
        lambda f: f"/moderation/dictionary/phrases/{f['phrase']}/delete/",
        method="post",
        ok=302,
        who=DICTIONARY,
    ),
    page(
        "moderation:category-edit",
        lambda f: "/moderation/dictionary/categories/political/",
        method="post",
        ok=302,
        who=DICTIONARY,
    ),
    page(
        "moderation:options-edit",
        lambda f: "/moderation/dictionary/options/",
        method="post",
        ok=302,
        who=DICTIONARY,
    ),
    page("moderation:try", lambda f: "/moderation/dictionary/try/", method="post", who=DICTIONARY),
    page(
        "moderation:dictionary-import", lambda f: "/moderation/dictionary/import/", who=DICTIONARY
    ),
    page(
        "moderation:dictionary-export",
        lambda f: "/moderation/dictionary/export/?kind=terms",
        who=DICTIONARY,
    ),
    page(
        "moderation:rescan-start",
        lambda f: "/moderation/rescans/new/",
        method="post",
        ok=302,
        who=DICTIONARY,
    ),
    page(
        "moderation:rescan-detail",
        lambda f: f"/moderation/rescans/{f['rescan']}/",
        who=DICTIONARY,
    ),
    page("moderation:monitoring", lambda f: "/moderation/monitoring/", who=REVIEWERS),
    page("moderation:monitoring-export", lambda f: "/moderation/monitoring/export/", who=REVIEWERS),
    admin_page("audit:entry-list", lambda f: "/audit/", "auditor"),
    admin_page("audit:entry-export", lambda f: "/audit/export/", "auditor"),
    admin_page("audit:entry-detail", lambda f: f"/audit/{f['audit_entry']}/", "auditor"),
    page("set-language", lambda f: "/i18n/setlang/", method="post", default=302),
    page("admin:index", lambda f: "/sysadmin/django/", who=("sysadmin",), default=302),
    page("api:openapi-json", lambda f: "/api/v1/openapi.json", who=LOGGED_IN, anonymous=401),
    page("api:api-root", lambda f: "/api/v1/", default=404, anonymous=404),
]
# The Django admin's own pages sit behind SystemAdminSite.has_permission, tested at admin:index.
EXEMPT_NAMES = {"admin:index"}


NEW_GROUP = {
    "parent": "B11",
    "name": "新党小组",
    "code": "G999",
    "kind": "group",
    "branch_type": "teacher",
}


def new_member_body(f):
    return {
        "name": "接口党员",
        "id_number": f["fresh_id"],
        "ethnicity": "01",
        "education": "master",
        "category": "teacher",
        "joined_on": "2015-07-01",
        "full_member_on": "2016-07-01",
        "status": "full",
        "organization": "B11",
    }


API = [
    api("POST", "/auth/token", 422, ALL_PERSONAS, anonymous=422),
    api("DELETE", "/auth/token", 400, LOGGED_IN),
    api("GET", "/me", 200, LOGGED_IN),
    api("GET", "/orgs", 200, LOGGED_IN),
    api("GET", "/orgs/{code}", 200, B11_ORG_VIEW),
    api("POST", "/orgs", 201, B11_MANAGE, body=NEW_GROUP, **statuses(403, B11_ORG_READ_ONLY)),
    api(
        "PATCH",
        "/orgs/{code}",
        200,
        ("orgdept", "committee1"),
        body={"contact_name": "联系人"},
        **statuses(403, ("secretary1", *B11_ORG_READ_ONLY)),
    ),
    api("GET", "/members", 200, ANY_MEMBER_VIEW, default=403),
    api("POST", "/members", 201, B11_MANAGE, body=new_member_body, secretary2=422, default=403),
    api("GET", "/members/{member_id}", 200, (*B11_VIEW, "member1")),
    api("PUT", "/members/me/statement", 200, WITH_RECORD, body={"text": "我的个人简介"}),
    api("POST", "/members/{member_id}/reveal", 200, (*B11_MANAGE, "member1"), committee_member=403),
    api(
        "PATCH",
        "/members/{member_id}",
        200,
        B11_MANAGE,
        body={"native_place": "江苏省"},
        **statuses(403, ("committee_member", "member1")),
    ),
    api("GET", "/members/{member_id}/events", 200, (*B11_VIEW, "member1")),
    api(
        "POST",
        "/members/{member_id}/events",
        201,
        B11_MANAGE,
        body=lambda f: {
            "kind": "transfer_out",
            "effective_date": f["today"],
            "detail": {"destination": "外校党委"},
        },
        **statuses(403, ("committee_member", "member1")),
    ),
    api(
        "POST",
        "/moderation/check",
        200,
        (*REVIEWERS, "sysadmin"),
        body={"text": "支部学习会"},
    ),
    api("GET", "/moderation/queue", 200, REVIEWERS),
    api("GET", "/moderation/screenings/{screening_id}", 200, REVIEWERS),
    api("POST", "/moderation/screenings/{screening_id}/approve", 200, REVIEWERS, body={}),
    api(
        "POST",
        "/moderation/screenings/{screening_id}/reject",
        200,
        REVIEWERS,
        body={"reason": "不宜发布"},
    ),
    api("GET", "/notifications", 200, LOGGED_IN),
    api("POST", "/notifications/read", 200, LOGGED_IN, body={"all": True}),
]


def _moderation_fixtures(uni: Any) -> tuple[int, int, int, int]:
    from dangjian.moderation import services as moderation
    from dangjian.moderation.models import Category, Rescan

    term = moderation.term_save(
        actor=None,
        text="矩阵测试词",
        category=Category.objects.get(code="political"),
        action="review",
    )
    phrase = moderation.phrase_add(actor=None, text="矩阵测试白名单")
    outcome = moderation.moderate(
        "一段含矩阵测试词的文字",
        context=moderation.Context(
            source="matrix", author=uni.user("member1"), org_path=uni.b11.path, object_id="1"
        ),
    )
    rescan = Rescan.objects.create(dictionary_version=1, status=Rescan.Status.DONE)
    assert outcome.screening_id is not None
    return outcome.screening_id, term.pk, phrase.pk, rescan.pk


class PermissionMatrixTestCase(BaseTestCase):
    fixture: dict[str, Any]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        uni = cls.uni
        spare = make_user("spare")
        job = ImportJob.objects.create(
            created_by=uni.user("secretary1"),
            scope=uni.b11,
            filename="x.xlsx",
            content=crypto.encrypt_bytes(b"not a workbook"),
            status=ImportJob.Status.VALID,
        )
        attempt = AccessAttempt.objects.create(
            username="someone",
            ip_address="10.9.9.9",
            user_agent="",
            get_data="",
            post_data="",
            http_accept="",
            path_info="/accounts/login/",
            failures_since_start=5,
        )
        from dangjian.lib import idnumber

        held, term, phrase, rescan = _moderation_fixtures(uni)
        cls.fixture = {
            "held": held,
            "screening_id": held,
            "term": term,
            "phrase": phrase,
            "rescan": rescan,
            "spare_user": spare.pk,
            "job": job.pk,
            "attempt": attempt.pk,
            "assignment": RoleAssignment.objects.get(user=uni.user("committee_member")).pk,
            "post": PostHolding.objects.get(member=uni.members["secretary1"]).pk,
            "m_b11": uni.members["member1"].pk,
            "m_b21": uni.members["b21_member"].pk,
            "m_b11_no_account": uni.members["b11_probationary"].pk,
            "member_id": uni.members["member1"].pk,
            "code": "B11",
            "audit_entry": log_action(None, "test.matrix", username="x").pk,
            "today": timezone.localdate().isoformat(),
            "fresh_id": idnumber.make("110101", dt.date(1988, 8, 8), 777),
            "sent": notify(
                [uni.user("member1")],
                kind="test.matrix",
                title="x",
                actor=uni.user("editor1"),
            ).pk,
            "delivery": notify([uni.user("member1")], kind="test.matrix", title="x", link="/")
            .deliveries.get()
            .pk,
        }
        for matrix in app_matrices():
            cls.fixture.update(matrix.fixture(uni))

    def client_as(self, persona: str) -> Client:
        client = Client()
        return client if persona == "anonymous" else sign_in(client, self.uni.user(persona))

    def run_case(self, case: Case) -> None:
        for persona in ALL_PERSONAS:
            client = self.client_as(persona)
            url = case.url(self.fixture)
            kwargs = {}
            if case.data is not None and case.method != "get":
                kwargs = {"data": case.data(self.fixture), "content_type": "application/json"}
            with self.subTest(case=case.name, url=url, persona=persona), transaction.atomic():
                response = getattr(client, case.method)(url, **kwargs)
                if getattr(response, "streaming", False):
                    # Drain it: the test client closes the response, and the DB, its own way.
                    if response.is_async:  # the event stream
                        async_to_sync(_drain)(response)
                    else:
                        b"".join(response.streaming_content)
                transaction.set_rollback(True)
                self.assertEqual(
                    response.status_code,
                    case.status_for(persona),
                    f"{case.method.upper()} {url} as {persona}: "
                    f"{getattr(response, 'content', b'')[:300]!r}",
                )

    def test_every_page_answers_each_persona_as_the_matrix_says(self):
        for case in PAGES + [c for matrix in app_matrices() for c in matrix.pages]:
            self.run_case(case)

    def test_every_api_operation_answers_each_persona_as_the_matrix_says(self):
        for case in API + [c for matrix in app_matrices() for c in matrix.api]:
            self.run_case(case)


def test_every_url_is_in_the_matrix():
    app_pages = {case.name for matrix in app_matrices() for case in matrix.pages}
    covered = {case.name for case in PAGES} | app_pages | EXEMPT_NAMES
    api_names = {name for name in url_names() if name.startswith("api:")} - {
        "api:openapi-json",
        "api:api-root",
    }
    missing = url_names() - covered - api_names - {n for n in url_names() if n.startswith("admin:")}
    assert not missing, f"add these URLs to the permission matrix: {sorted(missing)}"


def test_every_api_operation_is_in_the_matrix():
    covered = {case.name for case in API} | {
        case.name for matrix in app_matrices() for case in matrix.api
    }
    missing = {f"{method} {path}" for method, path in api_operations()} - covered
    assert not missing, f"add these API operations to the permission matrix: {sorted(missing)}"
