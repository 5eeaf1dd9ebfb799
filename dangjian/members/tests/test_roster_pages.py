"""The roster's prepared page query returns exactly what the queryset returns."""

from __future__ import annotations

import itertools

from dangjian.members import selectors
from dangjian.members.choices import Category, Gender, Standing, Status
from dangjian.members.models import Member
from dangjian.members.selectors import RosterFilters, roster_page_qs, roster_page_rows
from dangjian.testing.base import BaseTestCase
from dangjian.testing.personas import make_member


class PreparedRosterPageTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        uni = cls.uni
        for n in range(12):
            make_member(
                uni.b11 if n % 2 else uni.b12,
                name="测试" + "甲乙丙丁戊己庚辛壬癸子丑"[n],
                male=n % 3 == 0,
                category=Category.UNDERGRADUATE if n % 4 else Category.TEACHER,
                ethnicity="03" if n % 5 == 0 else "01",
            )
        Member.objects.filter(pk=make_member(uni.b11, name="组员").pk).update(
            party_group=uni.g111, is_floating=True
        )

    def _same(self, persona: str, **given: object) -> list[str]:
        user = self.uni.user(persona)
        filters = RosterFilters(**given)  # type: ignore[arg-type]
        for start, stop in ((0, 6), (5, 11), (0, 100)):
            expected = list(roster_page_qs(user, filters)[start:stop])
            found = roster_page_rows(user, filters, start, stop)
            self.assertEqual([m.pk for m in found], [m.pk for m in expected], (given, start))
            for a, b in zip(found, expected, strict=True):
                self.assertEqual(a.organization.display_name, b.organization.display_name)
        return [m.name for m in roster_page_rows(user, filters, 0, 100)]

    def test_every_combination_of_filters_matches_the_queryset(self):
        uni = self.uni
        orgs = [uni.root, uni.c1, uni.b11, uni.b21]
        options = itertools.product(
            orgs,
            ["", Status.FULL, Status.PROBATIONARY],
            ["", Category.UNDERGRADUATE],
            ["", Gender.FEMALE],
            ["", "minority", "03"],
        )
        for org, status, category, gender, ethnicity in options:
            self._same(
                "orgdept",
                org=org,
                status=status,
                category=category,
                gender=gender,
                ethnicity=ethnicity,
            )
        self.assertGreater(len(selectors._roster_shapes), 50)  # the prepared path ran

    def test_groups_flags_searches_and_past_members(self):
        uni = self.uni
        self.assertIn("组员", self._same("secretary1", org=uni.b11, party_group=uni.g111))
        self.assertEqual(self._same("secretary1", org=uni.b11, flag="floating"), ["组员"])
        self._same("secretary1", org=uni.b11, q="测试")
        self._same("secretary1", org=uni.b11, age_band="le30")
        self._same("orgdept", org=uni.root, standing=Standing.TRANSFERRED_OUT)

    def test_an_organization_outside_the_scope_shows_nothing(self):
        self.assertEqual(self._same("secretary1", org=self.uni.b21), [])
