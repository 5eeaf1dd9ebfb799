from __future__ import annotations

import io
import json

import openpyxl

from dangjian.audit.models import AuditEntry
from dangjian.members.models import Member
from dangjian.testing.base import BaseTestCase


class ScopeTestCase(BaseTestCase):
    """Each persona sees exactly its scope, by page and by API."""

    def test_secretary1_cannot_reach_secretary2s_members(self):
        client = self.client_for("secretary1")
        for member in Member.objects.filter(organization=self.uni.b21):
            self.assertEqual(client.get(f"/members/{member.pk}/").status_code, 404)
            self.assertEqual(client.get(f"/api/v1/members/{member.pk}").status_code, 404)
            self.assertEqual(client.get(f"/api/v1/members/{member.pk}/events").status_code, 404)
        roster = client.get("/members/")
        for member in Member.objects.filter(organization=self.uni.b21):
            self.assertNotContains(roster, member.name)
        found = client.get("/api/v1/members", {"q": "周书记"}).json()
        self.assertEqual(found["count"], 0)
        self.assertEqual(client.get("/members/", {"org": "B21"}).status_code, 404)
        self.assertEqual(client.get("/api/v1/members", {"org": "B21"}).status_code, 404)
        names = {
            m["name"] for m in client.get("/api/v1/members", {"page_size": 200}).json()["results"]
        }
        self.assertEqual(
            names,
            set(Member.objects.filter(organization=self.uni.b11).values_list("name", flat=True)),
        )

    def test_member1_sees_only_their_own_record_and_branch(self):
        client = self.client_for("member1")
        own = self.uni.members["member1"]
        self.assertEqual(client.get(f"/members/{own.pk}/").status_code, 200)
        self.assertEqual(client.get(f"/api/v1/members/{own.pk}").status_code, 200)
        other = self.uni.members["committee_member"]  # same branch
        self.assertEqual(client.get(f"/members/{other.pk}/").status_code, 404)
        self.assertEqual(client.get(f"/api/v1/members/{other.pk}").status_code, 404)
        self.assertEqual(client.get("/members/").status_code, 404)
        self.assertEqual(client.get("/api/v1/members").status_code, 403)
        branch = client.get("/orgs/B11/")
        self.assertEqual(branch.status_code, 200)
        self.assertNotContains(branch, "/members/?org=B11")
        self.assertEqual(client.get("/orgs/B12/").status_code, 404)
        self.assertEqual(client.get("/orgs/C1/").status_code, 404)
        home = client.get("/")
        self.assertContains(home, own.name)
        self.assertContains(home, self.uni.b11.name)

    def test_the_roster_filters_and_counts(self):
        client = self.client_for("committee1")
        page = client.get("/members/", {"org": "C1", "status": "probationary"})
        self.assertContains(page, "钱预备")
        self.assertNotContains(page, "李党员")
        page = client.get("/members/", {"org": "C1", "category": "undergraduate"})
        self.assertContains(page, "孙同学")
        self.assertNotContains(page, "钱预备")
        page = client.get("/members/", {"org": "C1", "q": "李党员"})
        self.assertContains(page, "李党员")
        self.assertContains(page, "/members/count/?")  # the total loads after the page
        count = client.get("/members/count/", {"org": "C1", "q": "李党员"})
        self.assertContains(count, "1 in total")
        unfiltered = client.get("/members/", {"org": "C1"})
        self.assertContains(unfiltered, "6 in total")  # straight from the counters
        page = client.get("/members/", {"org": "C1", "age": "le30"})
        self.assertContains(page, "孙同学")
        self.assertNotContains(page, "王书记")
        fragment = client.get("/members/", {"org": "C1"}, HTTP_HX_REQUEST="true")
        self.assertNotContains(fragment, "<html")
        self.assertContains(fragment, "李党员")

    def test_the_roster_list_takes_a_fixed_number_of_queries(self):
        client = self.client_for("orgdept")
        client.get("/members/", {"org": "U"})
        # Session (through the cache), account, device, organization, grants (one UNION),
        # sub-organizations, one page of members; the total is on the organization row.
        with self.assertNumQueries(6):
            client.get("/members/", {"org": "U"})
        # Below the root: the ancestors for the breadcrumbs too; the rows and the
        # sub-organization chips read only what they show, without a query per row.
        with self.assertNumQueries(7):
            page = client.get("/members/", {"org": "C1"})
        self.assertContains(page, "李党员")

    def test_a_member_page_takes_a_fixed_number_of_queries(self):
        client = self.client_for("orgdept")
        member = self.uni.members["member1"]
        client.get(f"/members/{member.pk}/")
        # Account, device, member with organization and group, grants, events, ancestors,
        # posts: the sanction in force is read from the events already loaded.
        with self.assertNumQueries(7):
            page = client.get(f"/members/{member.pk}/")
        self.assertContains(page, member.name)


class RevealTestCase(BaseTestCase):
    def test_personal_data_is_masked_until_revealed_and_the_reveal_is_audited(self):
        member = self.uni.members["member1"]
        client = self.client_for("secretary1")
        detail = client.get(f"/members/{member.pk}/")
        self.assertNotContains(detail, member.id_number)
        self.assertContains(detail, member.id_number_masked)
        self.assertNotContains(detail, member.phone)
        revealed = client.post(f"/members/{member.pk}/reveal/")
        self.assertContains(revealed, member.id_number)
        self.assertEqual(revealed["Cache-Control"], "no-store")
        entry = AuditEntry.objects.get(action="members.member.revealed")
        self.assertEqual((entry.actor_username, entry.target_id), ("secretary1", str(member.pk)))

    def test_the_api_masks_unless_revealed(self):
        member = self.uni.members["member1"]
        client = self.client_for("orgdept")
        body = client.get(f"/api/v1/members/{member.pk}").json()
        self.assertEqual(body["id_number"], member.id_number_masked)
        self.assertTrue(body["masked"])
        full = client.post(f"/api/v1/members/{member.pk}/reveal").json()
        self.assertEqual(full["id_number"], member.id_number)
        self.assertTrue(AuditEntry.objects.filter(action="members.member.revealed").exists())


class ExportTestCase(BaseTestCase):
    def download(
        self, persona: str, data: dict | None = None, query: str = ""
    ) -> openpyxl.Workbook:
        response = self.client_for(persona).post(f"/members/export/?{query}", data or {})
        self.assertEqual(response.status_code, 200)
        return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))

    def test_the_export_is_scoped_masked_and_audited(self):
        sheet = self.download("secretary1").active
        header = [c.value for c in sheet[1]]
        rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] and r[1]]
        names = {r[0] for r in rows}
        self.assertEqual(
            names,
            set(Member.objects.filter(organization=self.uni.b11).values_list("name", flat=True)),
        )
        ids = {r[header.index("公民身份号码")] for r in rows}
        self.assertTrue(all("*" in str(value) for value in ids))
        entry = AuditEntry.objects.get(action="members.export.completed")
        self.assertEqual(entry.detail["rows"], len(rows))
        self.assertFalse(entry.detail["full_values"])

    def test_full_values_need_a_purpose(self):
        response = self.client_for("secretary1").post("/members/export/", {"full": "on"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Say why")
        sheet = self.download("secretary1", {"full": "on", "reason": "党员信息年度核对"}).active
        header = [c.value for c in sheet[1]]
        member = self.uni.members["member1"]
        ids = {
            r[header.index("公民身份号码")] for r in sheet.iter_rows(min_row=2, values_only=True)
        }
        self.assertIn(member.id_number, ids)
        entry = AuditEntry.objects.get(action="members.export.completed")
        self.assertTrue(entry.detail["full_values"])
        self.assertEqual(entry.detail["reason"], "党员信息年度核对")

    def test_the_export_follows_the_filters(self):
        sheet = self.download("committee1", query="org=C1&status=probationary").active
        names = {r[0] for r in sheet.iter_rows(min_row=2, values_only=True) if r[1]}
        self.assertEqual(names, {"钱预备"})

    def test_an_export_reimports_elsewhere(self):
        from dangjian.members.services.importing import parse_roster

        response = self.client_for("orgdept").post(
            "/members/export/?org=U", {"full": "on", "reason": "迁移"}
        )
        content = io.BytesIO(b"".join(response.streaming_content))
        parsed = parse_roster(content, scope=self.uni.root, default_org=None, max_rows=100)
        self.assertEqual(parsed.file_error, "")
        # Every row is a duplicate of a record here, which is exactly what the check must say.
        self.assertEqual(len(parsed.valid), 0)
        self.assertTrue(all(e.field in ("id_number", "staff_number") for e in parsed.errors))


class ApiWriteTestCase(BaseTestCase):
    def test_errors_name_the_field_in_json(self):
        client = self.client_for("secretary1")
        response = client.post(
            "/api/v1/members", data=json.dumps({"name": "x"}), content_type="application/json"
        )
        self.assertEqual(response.status_code, 422)
        body = response.json()
        self.assertIn("id_number", body["fields"])
        response = client.patch(
            f"/api/v1/members/{self.uni.members['member1'].pk}",
            data=json.dumps({"phone": "12"}),
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("phone", response.json()["fields"])
        self.assertIn("11 digits", response.json()["fields"]["phone"])

    def test_the_api_writes_through_the_same_audited_services(self):
        client = self.client_for("secretary1")
        member = self.uni.members["member1"]
        response = client.patch(
            f"/api/v1/members/{member.pk}",
            data=json.dumps({"native_place": "福建省"}),
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200)
        entry = AuditEntry.objects.filter(action="members.member.updated").latest("id")
        self.assertEqual(entry.channel, "api")
        self.assertEqual(entry.changes["native_place"], ["", "福建省"])


class RosterRowsTestCase(BaseTestCase):
    def test_every_value_in_a_row_is_escaped(self):
        from dangjian.members.templatetags.roster import roster_rows

        member = Member.objects.select_related("organization").get(
            pk=self.uni.members["member1"].pk
        )
        member.name = '<img src=x onerror="alert(1)">'
        member.staff_number = "<b>1</b>"
        member.organization.short_name = "<script>x</script>"
        member.is_floating = True
        html = str(roster_rows([member]))
        self.assertNotIn("<img", html)
        self.assertNotIn("<b>", html)
        self.assertNotIn("<script>", html)
        self.assertIn("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;", html)
        self.assertIn("&lt;script&gt;x&lt;/script&gt;", html)
        self.assertIn("badge-info", html)
        self.assertEqual(html.count("<tr>"), 1)
