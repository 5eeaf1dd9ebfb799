from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase, override_settings
from django.utils import translation

from dangjian.notifications.templatetags.notifications import relative_time

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 25, 15, 0, tzinfo=SHANGHAI)


@override_settings(TIME_ZONE="Asia/Shanghai")
class RelativeTimeTestCase(SimpleTestCase):
    def at(self, **delta: float) -> str:
        return relative_time(NOW - dt.timedelta(**delta), now=NOW)

    def test_it_reads_as_people_say_it(self):
        self.assertEqual(self.at(seconds=5), "just now")
        self.assertEqual(self.at(seconds=-30), "just now")  # a clock a little ahead
        self.assertEqual(self.at(minutes=3), "3 min ago")
        self.assertEqual(self.at(minutes=59, seconds=59), "59 min ago")
        self.assertEqual(self.at(hours=5), "5 h ago")
        self.assertEqual(self.at(hours=15), "15 h ago")  # 00:00 today
        self.assertEqual(self.at(hours=15, minutes=30), "yesterday 23:30")
        self.assertEqual(self.at(days=2), "11-23")
        self.assertEqual(self.at(days=400), "2025-10-21")

    def test_it_speaks_chinese(self):
        with translation.override("zh-hans"):
            # The catalog may not hold these yet; the numbers and times must survive either way.
            self.assertIn("3", self.at(minutes=3))
            self.assertIn("23:30", self.at(hours=15, minutes=30))

    def test_the_day_is_shanghais(self):
        # 2026-11-24 16:30 UTC is 2026-11-25 00:30 in Shanghai: today, not yesterday.
        now = dt.datetime(2026, 11, 24, 18, 0, tzinfo=dt.UTC)
        value = dt.datetime(2026, 11, 24, 16, 30, tzinfo=dt.UTC)
        self.assertEqual(relative_time(value, now=now), "1 h ago")
