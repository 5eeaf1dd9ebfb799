from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from dangjian.members.choices import Standing, Status
from dangjian.members.models import EventKind, Member
from dangjian.members.selectors import changes_between, roster_on
from dangjian.members.services.events import member_record_event
from dangjian.orgs.models import subtree_q
from dangjian.testing.base import BaseTestCase
from dangjian.testing.personas import make_member


class HistoryTestCase(BaseTestCase):
    """The roster on any date and a year's increases and decreases come back exactly."""

    def build_random_histories(self, seed: int) -> None:
        rng = random.Random(seed)
        actor = self.uni.user("orgdept")
        branches = [self.uni.b11, self.uni.b12, self.uni.b21]
        today = timezone.localdate()
        for n in range(30):
            joined = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
            member = make_member(
                rng.choice(branches),
                joined_on=joined,
                birth_date=dt.date(1985, 1, 1) + dt.timedelta(days=n * 11),
            )
            assert member.full_member_on is not None
            day = member.full_member_on + dt.timedelta(days=rng.randint(1, 200))
            for _step in range(rng.randint(0, 4)):
                if day >= today:
                    break
                member.refresh_from_db()
                options: list[EventKind] = {
                    Standing.ACTIVE: [
                        EventKind.TRANSFER_INTERNAL,
                        EventKind.TRANSFER_OUT,
                        EventKind.SUSPENSION,
                        EventKind.DEATH,
                        EventKind.EXIT_WITHDRAWAL,
                    ],
                    Standing.SUSPENDED: [EventKind.RESTORATION, EventKind.EXIT_LAPSED],
                    Standing.TRANSFERRED_OUT: [EventKind.TRANSFER_IN],
                }.get(Standing(member.standing), [])
                if not options:
                    break
                kind = rng.choice(options)
                target = None
                if kind in (EventKind.TRANSFER_INTERNAL, EventKind.TRANSFER_IN):
                    target = rng.choice([b for b in branches if b.pk != member.organization_id])
                member_record_event(
                    actor=actor,
                    member=member,
                    kind=kind,
                    effective_date=day,
                    organization=target,
                    reason="测试",
                    detail={"destination": "外单位"},
                )
                day += dt.timedelta(days=rng.randint(30, 400))

    def test_the_roster_today_matches_the_records(self):
        self.build_random_histories(seed=1)
        today = timezone.localdate()
        for scope in (self.uni.root, self.uni.c1, self.uni.b11, self.uni.b21):
            expected = set(
                Member.objects.filter(
                    subtree_q(scope.path, "org_path"), standing=Standing.ACTIVE
                ).values_list("pk", flat=True)
            )
            snapshot = roster_on(scope, today)
            self.assertEqual(set(snapshot.member_ids), expected, scope.code)
            full = Member.objects.filter(pk__in=expected, status=Status.FULL).count()
            self.assertEqual(snapshot.full, full)

    def test_each_year_balances_for_every_scope(self):
        self.build_random_histories(seed=2)
        for scope in (self.uni.root, self.uni.c1, self.uni.c2, self.uni.b11, self.uni.b12):
            for year in range(2019, timezone.localdate().year + 1):
                changes = changes_between(scope, dt.date(year - 1, 12, 31), dt.date(year, 12, 31))
                self.assertTrue(changes.balanced, (scope.code, year))
                self.assertEqual(
                    changes.start.total + changes.increase_total - changes.decrease_total,
                    changes.end.total,
                )

    def test_a_move_inside_a_committee_is_a_transfer_for_the_branches_only(self):
        member = self.uni.members["member1"]
        day = timezone.localdate()
        member_record_event(
            actor=self.uni.user("orgdept"),
            member=member,
            kind=EventKind.TRANSFER_INTERNAL,
            effective_date=day,
            organization=self.uni.b12,
            reason="调整",
        )
        start = day - dt.timedelta(days=1)
        self.assertEqual(changes_between(self.uni.b11, start, day).decreases["transfer_out"], 1)
        self.assertEqual(changes_between(self.uni.b12, start, day).increases["transfer_in"], 1)
        c1 = changes_between(self.uni.c1, start, day)
        self.assertEqual((c1.increase_total, c1.decrease_total), (0, 0))

    def test_a_past_date_shows_who_was_there_then(self):
        member = self.uni.members["b21_member"]
        day = timezone.localdate()
        member_record_event(
            actor=self.uni.user("orgdept"),
            member=member,
            kind=EventKind.DEATH,
            effective_date=day,
            reason="病故",
        )
        yesterday = day - dt.timedelta(days=1)
        self.assertIn(member.pk, roster_on(self.uni.b21, yesterday).member_ids)
        self.assertNotIn(member.pk, roster_on(self.uni.b21, day).member_ids)
        before_joining = member.joined_on - dt.timedelta(days=1)
        self.assertNotIn(member.pk, roster_on(self.uni.b21, before_joining).member_ids)
