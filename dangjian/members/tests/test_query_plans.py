"""Query plans that only PostgreSQL makes, checked on PostgreSQL (CI's second run)."""

from __future__ import annotations

import unittest
from typing import Any

from django.db import connection
from django.test import TestCase

from dangjian.members.services.importing import existing_staff_numbers

on_postgresql = unittest.skipUnless(connection.vendor == "postgresql", "PostgreSQL only")


@on_postgresql
class QueryPlanTestCase(TestCase):
    def _plan(self, sql: str, params: list[Any]) -> str:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())

    def test_each_execution_is_planned_for_its_own_values(self):
        # A generic plan for a subtree count scans the whole member table.
        with connection.cursor() as cursor:
            cursor.execute("SHOW plan_cache_mode")
            self.assertEqual(cursor.fetchone()[0], "force_custom_plan")

    def test_an_import_finds_known_staff_numbers_through_the_partial_unique_index(self):
        values = [f"T{n:07d}" for n in range(500)]  # past PostgreSQL's 100-value proof limit
        sql, params = existing_staff_numbers(values).query.sql_with_params()
        self.assertIn("member_staff_unique", self._plan(sql, list(params)))
