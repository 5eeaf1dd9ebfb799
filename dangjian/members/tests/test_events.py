from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.lib.dates import add_months
from dangjian.members.choices import SanctionKind, Standing, Status
from dangjian.members.models import EventKind, Member
from dangjian.members.selectors import active_sanction
from dangjian.members.services.counts import recount
from dangjian.members.services.events import member_record_event, member_set_flags
from dangjian.orgs.models import Organization
from dangjian.testing.base import BaseTestCase
from dangjian.testing.personas import make_member


class EventTestCase(BaseTestCase):
    def record(self, member: Member, kind: str, day: dt.date, **kwargs):
        return member_record_event(
            actor=self.uni.user("orgdept"), member=member, kind=kind, effective_date=day, **kwargs
        )

    def counts(self, org: Organization) -> tuple[int, int]:
        org.refresh_from_db()
        return org.full_count, org.probationary_count

    def test_a_move_between_branches_updates_both_counters_and_the_path(self):
        member = self.uni.members["member1"]
        b11, b12 = self.counts(self.uni.b11), self.counts(self.uni.b12)
        self.record(
            member,
            EventKind.TRANSFER_INTERNAL,
            timezone.localdate(),
            organization=self.uni.b12,
            reason="调整",
        )
        member.refresh_from_db()
        self.assertEqual(member.org_path, self.uni.b12.path)
        self.assertEqual(self.counts(self.uni.b11), (b11[0] - 1, b11[1]))
        self.assertEqual(self.counts(self.uni.b12), (b12[0] + 1, b12[1]))
        self.assertEqual(recount(), 0)

    def test_conversion_is_refused_before_a_year_and_accepted_on_the_day(self):
        joined = timezone.localdate() - dt.timedelta(days=400)
        member = make_member(self.uni.b11, status=Status.PROBATIONARY, joined_on=joined)
        due = add_months(joined, 12)
        with self.assertRaises(ValidationError) as caught:
            self.record(member, EventKind.CONVERSION, due - dt.timedelta(days=1))
        self.assertIn(due.isoformat(), caught.exception.message_dict["effective_date"][0])
        self.record(member, EventKind.CONVERSION, due)
        member.refresh_from_db()
        self.assertEqual(member.status, Status.FULL)
        self.assertEqual(member.full_member_on, due)

    def test_an_extension_is_granted_once_and_for_six_to_twelve_months(self):
        member = self.uni.members["b11_probationary"]
        today = timezone.localdate()
        with self.assertRaises(ValidationError):
            self.record(
                member, EventKind.PROBATION_EXTENDED, today, reason="r", detail={"months": 5}
            )
        self.record(member, EventKind.PROBATION_EXTENDED, today, reason="r", detail={"months": 6})
        with self.assertRaises(ValidationError):
            self.record(
                member, EventKind.PROBATION_EXTENDED, today, reason="r", detail={"months": 6}
            )

    def test_probationary_members_are_not_persuaded_to_leave(self):
        member = self.uni.members["b11_probationary"]
        with self.assertRaises(ValidationError) as caught:
            self.record(member, EventKind.EXIT_PERSUADED, timezone.localdate(), reason="r")
        self.assertIn("Art. 9", caught.exception.message_dict["kind"][0])
        self.record(member, EventKind.EXIT_PROBATION_CANCELLED, timezone.localdate(), reason="r")
        member.refresh_from_db()
        self.assertEqual(member.standing, Standing.EXITED)

    def test_changes_are_recorded_in_date_order(self):
        member = self.uni.members["member1"]
        self.record(member, EventKind.SUSPENSION, timezone.localdate(), reason="失联超过6个月")
        with self.assertRaises(ValidationError) as caught:
            self.record(
                member,
                EventKind.RESTORATION,
                timezone.localdate() - dt.timedelta(days=30),
                reason="r",
            )
        self.assertIn("effective_date", caught.exception.message_dict)

    def test_suspension_and_restoration_leave_and_rejoin_the_roster(self):
        member = self.uni.members["member1"]
        full, _ = self.counts(self.uni.b11)
        self.record(member, EventKind.SUSPENSION, timezone.localdate(), reason="失联")
        self.assertEqual(self.counts(self.uni.b11)[0], full - 1)
        self.record(member, EventKind.RESTORATION, timezone.localdate(), reason="恢复联系")
        self.assertEqual(self.counts(self.uni.b11)[0], full)

    def test_an_exit_ends_the_posts_held(self):
        member = self.uni.members["secretary1"]
        self.record(
            member, EventKind.TRANSFER_OUT, timezone.localdate(), detail={"destination": "外校"}
        )
        self.assertFalse(member.posts.filter(end_date__isnull=True).exists())

    def test_a_sanction_runs_for_its_period(self):
        member = self.uni.members["member1"]
        day = timezone.localdate() - dt.timedelta(days=30)
        self.record(
            member, EventKind.SANCTION, day, reason="r", detail={"sanction": SanctionKind.WARNING}
        )
        sanction = active_sanction(member)
        self.assertEqual(sanction.kind, SanctionKind.WARNING)
        self.assertIsNone(active_sanction(member, day + dt.timedelta(days=366)))
        with self.assertRaises(ValidationError):
            self.record(
                member,
                EventKind.SANCTION,
                day,
                reason="r",
                detail={"sanction": SanctionKind.PROBATION_IN_PARTY, "years": 3},
            )

    def test_flags_are_events_and_need_their_details(self):
        member = self.uni.members["member1"]
        with self.assertRaises(ValidationError):
            member_set_flags(
                actor=self.uni.user("secretary1"),
                member=member,
                effective_date=timezone.localdate(),
                is_floating=True,
                floating_to="",
                is_lost_contact=False,
                lost_contact_since=None,
                is_abroad=False,
            )
        member_set_flags(
            actor=self.uni.user("secretary1"),
            member=member,
            effective_date=timezone.localdate(),
            is_floating=True,
            floating_to="深圳",
            is_lost_contact=False,
            lost_contact_since=None,
            is_abroad=False,
        )
        self.assertTrue(member.events.filter(kind=EventKind.FLAGS_CHANGED).exists())
