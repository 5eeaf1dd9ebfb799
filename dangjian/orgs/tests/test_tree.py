from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from dangjian.members.models import Member
from dangjian.orgs import services
from dangjian.orgs.models import Organization, ancestor_paths, subtree_q, subtree_range
from dangjian.testing.base import BaseTestCase

K = Organization.Kind


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("00001", ("00001", "00002")),
        ("00019", ("00019", "0002")),
        ("0000100099", ("0000100099", "00001001")),
        ("99999", ("99999", None)),
    ],
)
def test_the_subtree_range_carries_like_a_number(path, expected):
    assert subtree_range(path) == expected


def test_every_descendant_and_nothing_else_falls_in_the_range():
    paths = [f"{a:05d}{b:05d}" for a in (8, 9, 10, 19, 20) for b in (1, 9, 99999)]
    paths += [f"{a:05d}" for a in (8, 9, 10, 19, 20)]
    for root in [p for p in paths if len(p) == 5]:
        low, high = subtree_range(root)
        inside = {p for p in paths if p >= low and (high is None or p < high)}
        assert inside == {p for p in paths if p.startswith(root)}


def test_ancestor_paths_list_root_first():
    assert ancestor_paths("000010000200003") == ["00001", "0000100002", "000010000200003"]


class TreeTestCase(BaseTestCase):
    def test_children_get_the_next_path_segment_and_depth(self):
        uni = self.uni
        self.assertEqual(uni.root.path, "00001")
        self.assertEqual(uni.c1.path, "0000100001")
        self.assertEqual(uni.c2.path, "0000100002")
        self.assertEqual(uni.g111.depth, 3)
        new = services.org_create(
            actor=self.uni.user("orgdept"),
            parent=uni.c1,
            name="新支部",
            code="B13",
            kind=K.BRANCH,
            branch_type="postgraduate",
        )
        self.assertEqual(new.path, "000010000100003")

    def test_breadcrumbs_list_every_ancestor_at_any_depth(self):
        from dangjian.orgs.selectors import org_ancestors, org_breadcrumbs

        actor = self.uni.user("orgdept")
        node = self.uni.c1
        for level in range(12):  # committees may nest: deeper than one lookup's eight slots
            node = services.org_create(
                actor=actor,
                parent=node,
                name=f"第{level}层党委",
                code=f"N{level}",
                kind=K.COMMITTEE,
            )
        ancestors = org_ancestors(node)
        self.assertEqual(
            [a.code for a in ancestors], ["U", "C1", *(f"N{level}" for level in range(11))]
        )
        self.assertEqual(len(org_breadcrumbs(actor, node)), 14)
        self.assertEqual(org_ancestors(self.uni.root), [])
        self.assertEqual([a.code for a in org_ancestors(self.uni.g111)], ["U", "C1", "B11"])

    def test_a_subtree_is_one_range_query(self):
        codes = set(
            Organization.objects.filter(subtree_q(self.uni.c1.path)).values_list("code", flat=True)
        )
        self.assertEqual(codes, {"C1", "B11", "B12", "G111"})

    def test_kinds_only_sit_under_allowed_parents(self):
        actor = self.uni.user("orgdept")
        with self.assertRaises(ValidationError) as caught:
            services.org_create(
                actor=actor,
                parent=self.uni.b11,
                name="错误支部",
                code="X1",
                kind=K.BRANCH,
                branch_type="teacher",
            )
        self.assertIn("parent", caught.exception.message_dict)
        with self.assertRaises(ValidationError):
            services.org_create(
                actor=actor,
                parent=self.uni.c1,
                name="小组",
                code="X2",
                kind=K.GROUP,
                branch_type="teacher",
            )

    def test_codes_are_unique_whatever_the_case(self):
        with self.assertRaises(ValidationError) as caught:
            services.org_create(
                actor=None,
                parent=self.uni.c1,
                name="重复",
                code="b11",
                kind=K.BRANCH,
                branch_type="teacher",
            )
        self.assertIn("code", caught.exception.message_dict)

    def test_only_committees_may_approve_admissions(self):
        with self.assertRaises(ValidationError) as caught:
            services.org_create(
                actor=None,
                parent=self.uni.c1,
                name="支部",
                code="B19",
                kind=K.BRANCH,
                branch_type="teacher",
                approval_authority=True,
            )
        self.assertIn("approval_authority", caught.exception.message_dict)

    def test_moving_a_subtree_rewrites_every_path_and_member_path(self):
        actor = self.uni.user("orgdept")
        services.org_move(actor=actor, org=self.uni.b11, new_parent=self.uni.c2)
        b11 = Organization.objects.get(code="B11")
        g111 = Organization.objects.get(code="G111")
        self.assertEqual(b11.parent_id, self.uni.c2.pk)
        self.assertTrue(b11.path.startswith(self.uni.c2.path))
        self.assertTrue(g111.path.startswith(b11.path))
        self.assertEqual(g111.depth, 3)
        for member in Member.objects.filter(organization=b11):
            self.assertEqual(member.org_path, b11.path)
        self.assertEqual(
            set(
                Organization.objects.filter(subtree_q(self.uni.c2.path)).values_list(
                    "code", flat=True
                )
            ),
            {"C2", "B21", "B11", "G111"},
        )

    def test_an_organization_cannot_move_under_itself(self):
        with self.assertRaises(ValidationError):
            services.org_move(
                actor=self.uni.user("orgdept"), org=self.uni.c1, new_parent=self.uni.b11
            )

    def test_an_organization_with_members_cannot_be_dissolved(self):
        import datetime as dt

        with self.assertRaises(ValidationError):
            services.org_dissolve(
                actor=self.uni.user("orgdept"), org=self.uni.b21, on=dt.date(2026, 1, 1)
            )

    def test_terms_must_end_after_they_start_and_not_repeat(self):
        import datetime as dt

        actor = self.uni.user("secretary1")
        services.term_save(
            actor=actor,
            org=self.uni.b11,
            ordinal=1,
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2027, 1, 1),
        )
        with self.assertRaises(ValidationError):
            services.term_save(
                actor=actor,
                org=self.uni.b11,
                ordinal=1,
                start_date=dt.date(2024, 1, 1),
                end_date=dt.date(2027, 1, 1),
            )
        with self.assertRaises(ValidationError):
            services.term_save(
                actor=actor,
                org=self.uni.b11,
                ordinal=2,
                start_date=dt.date(2024, 1, 1),
                end_date=dt.date(2023, 1, 1),
            )


class CountersTestCase(BaseTestCase):
    def test_the_counters_stay_exact_through_creates_moves_and_dissolutions(self):
        import datetime as dt

        from dangjian.members.services.counts import recount

        actor = self.uni.user("orgdept")
        self.assertEqual(recount(), 0)
        new = services.org_create(actor=actor, parent=self.uni.c2, name="新支部", code="B22",
                                  kind=K.BRANCH, branch_type="teacher")  # fmt: skip
        services.org_create(actor=actor, parent=new, name="小组", code="G221", kind=K.GROUP,
                            branch_type="teacher")  # fmt: skip
        services.org_move(actor=actor, org=self.uni.b12, new_parent=self.uni.c2)
        services.org_dissolve(actor=actor, org=Organization.objects.get(code="G111"),
                              on=dt.date(2026, 1, 1))  # fmt: skip
        self.assertEqual(recount(), 0)
        root = Organization.objects.get(code="U")
        self.assertEqual(root.subtree_orgs, Organization.objects.filter(is_active=True).count())
        self.assertEqual(root.subtree_branches, 4)
        self.assertEqual(root.subtree_groups, 1)
        c2 = Organization.objects.get(code="C2")
        from dangjian.members.models import Member

        self.assertEqual(
            c2.subtree_full + c2.subtree_probationary,
            Member.objects.filter(org_path__startswith=c2.path, standing="active").count(),
        )
