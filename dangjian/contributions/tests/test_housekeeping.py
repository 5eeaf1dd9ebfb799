"""A contribution's pictures are in use: the sweep of unused uploads leaves them alone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dangjian.content import services as content_services
from dangjian.content.models import Upload
from dangjian.contributions.tests.base import ContributionTestCase


class HousekeepingTestCase(ContributionTestCase):
    def test_pictures_of_a_contribution_are_kept_loose_ones_go(self):
        kept, loose = self.picture(name="kept.png"), self.picture(name="loose.png")
        self.submit(pictures=[kept])
        Upload.objects.update(created_at=timezone.now() - dt.timedelta(days=30))
        self.assertEqual(content_services.prune_uploads(), 1)
        self.assertEqual(list(Upload.objects.values_list("pk", flat=True)), [kept.pk])
        self.assertFalse(Upload.objects.filter(pk=loose.pk).exists())
