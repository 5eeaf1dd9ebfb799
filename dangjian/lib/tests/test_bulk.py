from __future__ import annotations

from django.test import TestCase

from dangjian.audit.models import AuditEntry
from dangjian.lib import bulk
from dangjian.orgs.models import Organization
from dangjian.orgs.services import org_create


class UpdateIntegersTestCase(TestCase):
    def test_each_row_gets_its_own_values_and_others_are_untouched(self):
        root = org_create(actor=None, parent=None, name="党委", code="U", kind="committee")
        orgs = [
            org_create(actor=None, parent=root, name=f"支部{i}", code=f"B{i}", kind="branch")
            for i in range(5)
        ]
        rows = [(org.pk, 10 + i, 20 + i) for i, org in enumerate(orgs[:4])]
        bulk.update_integers(Organization, ["full_count", "probationary_count"], rows)
        counted = dict(Organization.objects.values_list("code", "full_count").order_by("code"))
        self.assertEqual(counted, {"B0": 10, "B1": 11, "B2": 12, "B3": 13, "B4": 0, "U": 0})
        self.assertEqual(Organization.objects.get(code="B3").probationary_count, 23)

    def test_nothing_to_update_runs_no_query(self):
        with self.assertNumQueries(0):
            bulk.update_integers(Organization, ["full_count"], [])


class CreateTestCase(TestCase):
    def test_rows_get_keys_and_values_and_later_inserts_do_not_collide(self):
        entries = [
            AuditEntry(action="test.bulk", target_label=f"第{i}条", changes={"n": [None, i]})
            for i in range(3)
        ]
        bulk.create(AuditEntry, entries)
        self.assertTrue(all(e.pk for e in entries))
        self.assertEqual(len({e.pk for e in entries}), 3)
        stored = AuditEntry.objects.get(pk=entries[2].pk)
        self.assertEqual((stored.target_label, stored.changes), ("第2条", {"n": [None, 2]}))
        later = AuditEntry.objects.create(action="test.after")
        self.assertNotIn(later.pk, {e.pk for e in entries})
        self.assertFalse(entries[0]._state.adding)
