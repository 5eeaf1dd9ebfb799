from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from dangjian.lib import idnumber
from dangjian.members.choices import Status
from dangjian.members.validation import clean_member_data
from dangjian.testing.base import BaseTestCase
from dangjian.testing.personas import member_data

TODAY = dt.date(2026, 11, 25)


class MemberValidationTestCase(BaseTestCase):
    def errors(self, **overrides) -> dict[str, list[str]]:
        try:
            clean_member_data(member_data(self.uni.b11, **overrides), today=TODAY)
        except ValidationError as exc:
            return exc.message_dict
        return {}

    def test_birth_date_and_gender_come_from_the_id_number(self):
        data = clean_member_data(
            member_data(self.uni.b11, birth_date=dt.date(1985, 3, 4), male=False), today=TODAY
        )
        self.assertEqual(data["birth_date"], dt.date(1985, 3, 4))
        self.assertEqual(data["gender"], "F")

    def test_a_mismatch_with_the_id_number_is_an_error_naming_both_values(self):
        number = idnumber.make("110101", dt.date(1985, 3, 4), 11)
        data = member_data(self.uni.b11, id_number=number, gender="F")
        data["birth_date"] = dt.date(1985, 3, 5)
        with self.assertRaises(ValidationError) as caught:
            clean_member_data(data, today=TODAY)
        errors = caught.exception.message_dict
        self.assertIn("1985-03-05", errors["birth_date"][0])
        self.assertIn("1985-03-04", errors["birth_date"][0])
        self.assertIn("gender", errors)

    def test_a_bad_checksum_is_refused(self):
        number = idnumber.make("110101", dt.date(1985, 3, 4), 11)
        bad = number[:-1] + ("0" if number[-1] != "0" else "1")
        self.assertIn("check character", self.errors(id_number=bad)["id_number"][0])

    def test_a_member_must_be_eighteen_on_the_day_of_joining(self):
        birth = dt.date(2000, 6, 15)
        self.assertEqual(
            self.errors(
                birth_date=birth,
                joined_on=dt.date(2018, 6, 15),
                full_member_on=dt.date(2019, 6, 15),
            ),
            {},
        )
        errors = self.errors(
            birth_date=birth, joined_on=dt.date(2018, 6, 14), full_member_on=dt.date(2019, 6, 14)
        )
        self.assertIn("at least 18", errors["joined_on"][0])
        self.assertIn("Party Constitution, Art. 1", errors["joined_on"][0])
        self.assertIn("2018-06-14", errors["joined_on"][0])

    def test_probation_lasts_a_full_year_to_the_day(self):
        joined = dt.date(2020, 2, 29)
        self.assertEqual(self.errors(joined_on=joined, full_member_on=dt.date(2021, 2, 28)), {})
        errors = self.errors(joined_on=joined, full_member_on=dt.date(2021, 2, 27))
        self.assertIn("2021-02-28", errors["full_member_on"][0])

    def test_a_full_member_needs_a_conversion_date_and_a_probationary_one_has_none(self):
        self.assertIn("full_member_on", self.errors(status=Status.FULL, full_member_on=None))
        self.assertIn(
            "full_member_on",
            self.errors(
                status=Status.PROBATIONARY,
                joined_on=dt.date(2026, 1, 1),
                full_member_on=dt.date(2026, 6, 1),
            ),
        )

    def test_phones_and_emails_are_checked_and_normalized(self):
        self.assertIn("11 digits", self.errors(phone="1234567")["phone"][0])
        data = clean_member_data(member_data(self.uni.b11, phone="+86 138-0013-8000"), today=TODAY)
        self.assertEqual(data["phone"], "13800138000")
        self.assertIn("email", self.errors(email="not-an-email"))

    def test_members_belong_to_branches(self):
        self.assertIn("organization", self.errors(organization=self.uni.c1))
        self.assertIn("organization", self.errors(organization=self.uni.g111))

    def test_a_known_id_number_is_refused(self):
        existing = self.uni.members["member1"]
        self.assertIn(
            "already on record", self.errors(id_number=existing.id_number)["id_number"][0]
        )
