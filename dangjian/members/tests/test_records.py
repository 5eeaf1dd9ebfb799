from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import connection

from dangjian.audit.models import AuditEntry
from dangjian.members.choices import Status
from dangjian.members.models import EventKind, Member
from dangjian.members.services.records import member_account_create, member_create, member_update
from dangjian.orgs.models import Organization
from dangjian.testing.base import BaseTestCase
from dangjian.testing.personas import member_data


class MemberRecordTestCase(BaseTestCase):
    def test_personal_data_is_encrypted_at_rest(self):
        member = self.uni.members["member1"]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id_number, phone, address FROM members_member WHERE id = %s", [member.pk]
            )
            raw = cursor.fetchone()
        self.assertNotIn(member.id_number, raw[0])
        self.assertNotIn(member.phone, raw[1])
        self.assertNotIn("学院路", raw[2])
        self.assertTrue(all(value.startswith("v1:") for value in raw))
        self.assertEqual(Member.objects.get(pk=member.pk).id_number, member.id_number)

    def test_creating_a_member_records_the_events_counts_and_audit(self):
        actor = self.uni.user("secretary1")
        before = Organization.objects.get(pk=self.uni.b11.pk).full_count
        member = member_create(actor=actor, data=member_data(self.uni.b11, name="新党员"))
        kinds = list(member.events.order_by("effective_date").values_list("kind", flat=True))
        self.assertEqual(kinds, [EventKind.REGISTERED, EventKind.CONVERSION])
        self.assertEqual(Organization.objects.get(pk=self.uni.b11.pk).full_count, before + 1)
        entry = AuditEntry.objects.filter(
            action="members.member.created", target_id=str(member.pk)
        ).get()
        self.assertEqual(entry.actor_username, "secretary1")
        self.assertEqual(entry.changes["name"], [None, "新党员"])
        # Sensitive values are masked in the audit log too.
        self.assertEqual(entry.changes["id_number"][1], member.id_number_masked)
        self.assertNotIn(member.id_number, str(entry.changes))

    def test_an_admission_is_probationary(self):
        with self.assertRaises(ValidationError):
            member_create(actor=None, data=member_data(self.uni.b11), origin=EventKind.ADMISSION)
        member = member_create(
            actor=None,
            data=member_data(
                self.uni.b11, status=Status.PROBATIONARY, joined_on=dt.date(2026, 6, 1)
            ),
            origin=EventKind.ADMISSION,
        )
        self.assertEqual([e.kind for e in member.events.all()], [EventKind.ADMISSION])

    def test_an_edit_audits_old_and_new_values_of_the_changed_fields_only(self):
        member = self.uni.members["member1"]
        old_phone = member.phone
        member_update(
            actor=self.uni.user("secretary1"),
            member=member,
            data={"native_place": "湖南省", "phone": "13700000000"},
        )
        entry = AuditEntry.objects.filter(action="members.member.updated").latest("id")
        self.assertEqual(set(entry.changes), {"native_place", "phone"})
        self.assertEqual(entry.changes["native_place"], ["", "湖南省"])
        self.assertEqual(
            entry.changes["phone"], [old_phone[:3] + "****" + old_phone[-4:], "137****0000"]
        )

    def test_an_edit_cannot_change_status_or_organization(self):
        member = self.uni.members["member1"]
        with self.assertRaises(ValidationError):
            member_update(
                actor=self.uni.user("secretary1"),
                member=member,
                data={"organization": self.uni.b12},
            )
        with self.assertRaises(ValidationError):
            member_update(
                actor=self.uni.user("secretary1"), member=member, data={"status": "probationary"}
            )

    def test_correcting_the_join_date_moves_the_matching_event(self):
        member = self.uni.members["b21_member"]
        member_update(
            actor=self.uni.user("secretary2"),
            member=member,
            data={"joined_on": member.joined_on - dt.timedelta(days=10)},
        )
        member.refresh_from_db()
        first = member.events.order_by("effective_date").first()
        self.assertEqual(first.effective_date, member.joined_on)

    def test_an_account_is_opened_with_the_staff_number(self):
        member = self.uni.members["b21_member"]
        user, password = member_account_create(actor=self.uni.user("secretary2"), member=member)
        self.assertEqual(user.username, member.staff_number)
        self.assertTrue(user.must_change_password)
        self.assertTrue(user.check_password(password))
        with self.assertRaises(ValidationError):
            member_account_create(
                actor=self.uni.user("secretary2"), member=Member.objects.get(pk=member.pk)
            )
