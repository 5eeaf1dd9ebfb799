from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model

from dangjian.accounts.models import User
from dangjian.lib.queries import PreparedQuery, get_by_pk, get_or_none
from dangjian.members.models import Member, MemberEvent
from dangjian.orgs.models import Organization
from dangjian.testing.base import BaseTestCase


def values(instance: Model) -> dict[str, object]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


class PreparedQueryTestCase(BaseTestCase):
    def test_rows_become_the_instances_the_orm_makes(self):
        query = PreparedQuery(
            lambda pk: (
                Member.objects.select_related("organization", "party_group")
                .defer("party_group__address")
                .filter(pk=pk)
            )
        )
        for member in Member.objects.all():
            prepared = query.first(member.pk)
            assert prepared is not None
            expected = Member.objects.select_related("organization", "party_group").get(
                pk=member.pk
            )
            self.assertEqual(values(prepared), values(expected))
            self.assertEqual(values(prepared.organization), values(expected.organization))
            if expected.party_group_id is None:
                self.assertIsNone(prepared.party_group)
            else:
                self.assertEqual(prepared.party_group.name, expected.party_group.name)
                # A deferred field still loads on access, as with the ORM.
                self.assertEqual(prepared.party_group.address, expected.party_group.address)
            self.assertEqual(prepared.id_number, expected.id_number)  # decrypted alike
        self.assertIsNone(query.first(10**9))

    def test_order_and_several_rows_follow_the_queryset(self):
        query = PreparedQuery(
            lambda member_id: MemberEvent.objects.filter(member_id=member_id).order_by(
                "-effective_date", "-id"
            )
        )
        for member in Member.objects.all()[:5]:
            expected = list(
                MemberEvent.objects.filter(member=member).order_by("-effective_date", "-id")
            )
            self.assertEqual([e.pk for e in query.all(member.pk)], [e.pk for e in expected])
            self.assertEqual([e.detail for e in query.all(member.pk)], [e.detail for e in expected])

    def test_string_placeholders_and_several_values(self):
        query = PreparedQuery(
            lambda code, kind: Organization.objects.filter(code=code, kind=kind),
            "\x00code\x00",
            "\x00kind\x00",
        )
        self.assertEqual(query.first("B11", Organization.Kind.BRANCH), self.uni.b11)
        self.assertIsNone(query.first("B11", Organization.Kind.GROUP))

    def test_a_placeholder_missing_from_the_query_is_refused(self):
        query = PreparedQuery(lambda pk: Organization.objects.all())
        with self.assertRaises(ImproperlyConfigured):
            query.first(1)

    def test_lookup_helpers(self):
        self.assertEqual(get_by_pk(User, self.uni.user("member1").pk).username, "member1")
        self.assertIsNone(get_by_pk(User, 10**9))
        self.assertEqual(get_or_none(Organization.objects, code="B11"), self.uni.b11)
        self.assertIsNone(get_or_none(Organization.objects, code="nope"))
