"""The rules' local choices come from the DEVELOPMENT_RULES setting, checked at start."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase, override_settings

from dangjian.development.config import rules_config
from dangjian.development.rules.model import RulesConfig


class RulesConfigTests(SimpleTestCase):
    def test_no_setting_gives_the_defaults(self):
        with override_settings(DEVELOPMENT_RULES={}):
            self.assertEqual(rules_config(), RulesConfig())

    def test_json_values_become_the_engines_types(self):
        config = rules_config(
            {
                "activist_start_step": 4,
                "probation_end_next_day": True,
                "effective": {"2026.05": "2026-06-01"},
                "notice_working_days": {"2014.06": {"7": 5}},
                "prereview_to_branch_months": {"2026.05": None},
                "exceptable": ["DEV-TALK"],
            }
        )
        self.assertEqual(config.activist_start_step, 4)
        self.assertTrue(config.probation_end_next_day)
        self.assertEqual(config.effective, {"2026.05": dt.date(2026, 6, 1)})
        self.assertEqual(config.notice_working_days, {"2014.06": {7: 5}})
        self.assertEqual(config.prereview_to_branch_months, {"2026.05": None})
        self.assertEqual(config.exceptable, frozenset({"DEV-TALK"}))

    def test_a_wrong_key_or_value_is_named(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "activist_start"):
            rules_config({"activist_start": 4})
        with self.assertRaisesMessage(ImproperlyConfigured, "activist_start_step"):
            rules_config({"activist_start_step": 5})
        with self.assertRaisesMessage(ImproperlyConfigured, "effective"):
            rules_config({"effective": {"2026.05": "June"}})
