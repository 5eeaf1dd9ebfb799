from __future__ import annotations

import datetime as dt
import hashlib
import io
from unittest import mock

from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import TestCase

from dangjian.accounts.models import User
from dangjian.lib import demo
from dangjian.members import selectors
from dangjian.members.choices import Category, Standing, Status
from dangjian.members.models import Member
from dangjian.members.services import counts
from dangjian.orgs import permissions as perms
from dangjian.orgs.models import Organization

TODAY = dt.date(2026, 11, 25)


def seed(seed: int = 5, *, other_apps: bool = False) -> str:
    """Load the demo university; the other apps' demo steps only when asked (they take most of
    the time, and the roster tests do not need them)."""
    out = io.StringIO()
    steps = demo.steps() if other_apps else []
    with mock.patch("dangjian.lib.demo.steps", return_value=steps):
        call_command(
            "seed_demo", "--members", "400", "--branches", "40", "--seed", str(seed),
            "--today", TODAY.isoformat(), stdout=out,
        )  # fmt: skip
    return out.getvalue()


def fingerprint() -> str:
    rows = Member.objects.order_by("staff_number").values_list(
        "name", "staff_number", "id_number_hash", "status", "standing", "org_path", "joined_on"
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


class DemoTestCase(TestCase):
    def test_the_demo_university_is_realistic_and_its_personas_see_their_scope(self):
        output = seed(other_apps=True)  # and every app's demo step runs on top of it
        self.assertIn("orgdept", output)
        root = Organization.objects.get(depth=0)
        committees = Organization.objects.filter(depth=1)
        self.assertGreaterEqual(committees.count(), 10)
        self.assertEqual(Organization.objects.filter(kind=Organization.Kind.BRANCH).count(), 40)
        self.assertTrue(Organization.objects.filter(kind=Organization.Kind.GROUP).exists())

        active = Member.objects.filter(standing=Standing.ACTIVE)
        self.assertGreaterEqual(active.count(), 380)
        students = active.filter(
            category__in=[Category.UNDERGRADUATE, Category.MASTER, Category.DOCTORAL]
        ).count()
        teachers = active.filter(category__in=[Category.TEACHER, Category.STAFF]).count()
        self.assertGreater(students, 0.3 * active.count())
        self.assertGreater(teachers, 0.1 * active.count())
        probationary = active.filter(status=Status.PROBATIONARY).count()
        self.assertTrue(0 < probationary < 0.4 * active.count())

        # The counters agree with the records, and the history reproduces today's roster.
        self.assertEqual(counts.recount(), 0)
        root.refresh_from_db()
        self.assertEqual(root.subtree_full + root.subtree_probationary, active.count())
        self.assertEqual(selectors.roster_on(root, TODAY).total, active.count())

        orgdept = User.objects.get(username="orgdept")
        self.assertTrue(perms.has_capability(orgdept, root, perms.MEMBERS_VIEW_SENSITIVE))
        secretary1 = User.objects.get(username="secretary1")
        secretary2 = User.objects.get(username="secretary2")
        (branch1,) = perms.scope_paths(secretary1, perms.MEMBERS_MANAGE)
        (branch2,) = perms.scope_paths(secretary2, perms.MEMBERS_MANAGE)
        self.assertNotEqual(branch1[:10], branch2[:10])  # under different committees
        member1 = User.objects.get(username="member1")
        self.assertEqual(member1.member_record.org_path[: len(branch1)], branch1)
        self.assertEqual(member1.member_record.status, Status.FULL)
        self.assertFalse(perms.has_any_scope(member1, perms.MEMBERS_VIEW))
        for admin, role in (
            ("sysadmin", "system_admin"),
            ("secadmin", "security_admin"),
            ("auditor", "audit_admin"),
        ):
            self.assertEqual(User.objects.get(username=admin).admin_role, role)

    def test_the_same_seed_builds_the_same_university(self):
        first, again, other = (seeded_fingerprint(5), seeded_fingerprint(5), seeded_fingerprint(6))
        self.assertEqual(first, again)
        self.assertNotEqual(first, other)

    def test_too_few_members_for_the_branches_is_refused_before_anything_is_written(self):
        with self.assertRaisesMessage(CommandError, "at least 750 members"):
            call_command("seed_demo", "--members", "200", stdout=io.StringIO())
        self.assertFalse(Organization.objects.exists())

    def test_a_second_load_is_refused_unless_asked_to_skip(self):
        seed()
        with self.assertRaisesMessage(CommandError, "already has organizations"):
            seed()
        out = io.StringIO()
        call_command("seed_demo", "--if-empty", stdout=out)
        self.assertIn("not loaded", out.getvalue())


class _RollbackError(Exception):
    pass


def seeded_fingerprint(value: int) -> str:
    """Seed inside a transaction, fingerprint the members, and roll it all back."""
    result = ""
    try:
        with transaction.atomic():
            seed(value)
            result = fingerprint()
            raise _RollbackError
    except _RollbackError:
        return result
