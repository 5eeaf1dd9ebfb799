from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from dangjian.contributions import demo
from dangjian.contributions.models import Contribution
from dangjian.contributions.tests.base import ContributionTestCase
from dangjian.lib.demo import DemoContext, steps


class DemoTestCase(ContributionTestCase):
    def test_it_is_registered_after_the_content_demo(self):
        names = [name for name, _step in steps()]
        self.assertIn("contributions", names)
        if "content" in names:
            self.assertLess(names.index("content"), names.index("contributions"))

    def test_it_makes_a_year_of_contributions_in_every_state(self):
        logged: list[str] = []
        demo.seed(DemoContext(timezone.localdate(), random.Random(3), logged.append))
        self.assertIn("contributions:", logged[-1])
        states = set(Contribution.objects.values_list("state", flat=True))
        self.assertEqual(
            states - {"held"},
            {"submitted", "returned", "accepted", "rejected", "published", "withdrawn"},
        )
        self.assertTrue(Contribution.objects.filter(moderation="held").exists())
        oldest = Contribution.objects.order_by("submitted_at").first()
        self.assertLess(oldest.submitted_at, timezone.now() - dt.timedelta(days=250))
        published = Contribution.objects.filter(state="published")
        for contribution in published:
            item = contribution.item
            self.assertEqual(item.byline, contribution.author_name)
            self.assertEqual(item.state, "published")
        mine = Contribution.objects.filter(author=self.user("member1"))
        self.assertTrue(
            {"published", "returned", "rejected"} <= set(mine.values_list("state", flat=True))
        )
