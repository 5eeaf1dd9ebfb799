from __future__ import annotations

from django.test import TestCase

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
