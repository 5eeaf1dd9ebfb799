from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.contributions.tests.base import ContributionTestCase


class QueryCountTestCase(ContributionTestCase):
    def count(self, persona: str, url: str) -> int:
        client = self.client_for(persona)
        client.get(url)  # sessions and caches warm
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(client.get(url).status_code, 200)
        return len(queries)

    def test_the_lists_cost_the_same_however_many_rows_they_show(self):
        self.submit(pictures=[self.picture()])
        desk, mine = (
            self.count("editor1", "/contributions/desk/"),
            self.count("member1", "/contributions/"),
        )
        for index in range(4):
            self.submit(title=f"稿件{index}", pictures=[self.picture(name=f"{index}.png")])
        self.assertEqual(self.count("editor1", "/contributions/desk/"), desk)
        self.assertEqual(self.count("member1", "/contributions/"), mine)
