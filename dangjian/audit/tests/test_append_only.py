from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from dangjian.audit.models import AppendOnlyError, AuditEntry
from dangjian.audit.services import log_action
from dangjian.testing.base import BaseTestCase


class AppendOnlyTestCase(BaseTestCase):
    def test_the_application_cannot_change_or_delete_an_entry(self):
        entry = log_action(None, "test.thing.done", username="x")
        entry.action = "tampered"
        with self.assertRaises(AppendOnlyError):
            entry.save()
        with self.assertRaises(AppendOnlyError):
            entry.delete()
        with self.assertRaises(AppendOnlyError):
            AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
        with self.assertRaises(AppendOnlyError):
            AuditEntry.objects.filter(pk=entry.pk).delete()

    def test_the_database_refuses_raw_updates_and_deletes(self):
        entry = log_action(None, "test.thing.done", username="x")
        table = AuditEntry._meta.db_table
        for sql in (
            f"UPDATE {table} SET action = 'tampered' WHERE id = %s",
            f"DELETE FROM {table} WHERE id = %s",
        ):
            with self.assertRaises(DatabaseError), transaction.atomic(), connection.cursor() as c:
                c.execute(sql, [entry.pk])
        self.assertEqual(AuditEntry.objects.get(pk=entry.pk).action, "test.thing.done")

    def test_only_entries_past_the_retention_period_can_be_purged(self):
        old = log_action(None, "test.old", username="x")
        young = log_action(None, "test.young", username="x")
        # Back-date one entry with the triggers out of the way, as restoring an old dump would.
        table = AuditEntry._meta.db_table
        past = timezone.now() - dt.timedelta(days=400)
        with connection.cursor() as c:
            if connection.vendor == "postgresql":
                # Only a superuser can do this; the application's role cannot.
                c.execute("SET LOCAL session_replication_role = replica")
                c.execute(f"UPDATE {table} SET at = %s WHERE id = %s", [past, old.pk])
                c.execute("SET LOCAL session_replication_role = DEFAULT")
            else:
                c.execute("DROP TRIGGER audit_entry_no_update")
                c.execute(
                    f"UPDATE {table} SET at = %s WHERE id = %s",
                    [past.isoformat(" "), old.pk],
                )
                c.execute(
                    f"CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only (UPDATE)'); END;"
                )
        call_command("prune_audit", stdout=open("/dev/null", "w"))
        self.assertFalse(AuditEntry.objects.filter(pk=old.pk).exists())
        self.assertTrue(AuditEntry.objects.filter(pk=young.pk).exists())
        self.assertTrue(AuditEntry.objects.filter(action="audit.log.pruned").exists())


class AuditViewerTestCase(BaseTestCase):
    def test_only_the_audit_administrator_reads_the_log(self):
        log_action(self.uni.user("secretary1"), "members.member.updated", target_label="张三")
        for name in ("orgdept", "secadmin", "sysadmin", "secretary1", "member1"):
            self.assertEqual(self.client_for(name).get("/audit/").status_code, 404, name)
        response = self.client_for("auditor").get("/audit/")
        self.assertContains(response, "secretary1")

    def test_the_log_filters_by_account_action_and_result(self):
        log_action(self.uni.user("secretary1"), "members.member.updated", target_label="甲")
        log_action(None, "accounts.login.failed", username="mallory", result="failure")
        client = self.client_for("auditor")
        page = client.get("/audit/", {"actor": "mallory"})
        self.assertContains(page, "mallory")
        self.assertNotContains(page, "甲")
        page = client.get("/audit/", {"result": "failure", "action": "accounts.login"})
        self.assertContains(page, "mallory")

    def test_the_auditor_exports_and_the_export_is_audited(self):
        log_action(None, "accounts.login.failed", username="mallory", result="failure")
        response = self.client_for("auditor").get("/audit/export/")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))
        self.assertTrue(AuditEntry.objects.filter(action="audit.log.exported").exists())
