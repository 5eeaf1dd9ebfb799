"""Who answers for a development case: the branch secretaries of its organization, and the
organizers of the nearest committee above it (its own organization included). Read in one
query for many cases (the daily warnings) or for one (a return, an approval)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone

from dangjian.development.models import Case
from dangjian.orgs.models import Organization, Role, RoleAssignment, ancestor_paths

# The committee's steps: pre-review, approval, filing, conversion approval.
COMMITTEE_STEPS = frozenset({13, 17, 18, 24})


class Officers:
    """The branch secretaries and committee organizers of a set of cases, read in one query."""

    def __init__(self, cases: Iterable[Case], today: dt.date):
        paths: set[str] = set()
        for case in cases:
            paths.update(ancestor_paths(case.org_path))
        self.secretaries: dict[str, set[int]] = defaultdict(set)
        self.organizers: dict[str, set[int]] = defaultdict(set)
        rows = (
            RoleAssignment.objects.active(today)
            .filter(
                role__in=[Role.BRANCH_SECRETARY, Role.COMMITTEE_ORGANIZER],
                organization__path__in=paths,
                organization__is_active=True,
                user__is_active=True,
            )
            .values_list("user_id", "role", "organization__path", "organization__kind")
        )
        for user_id, role, path, kind in rows:
            if role == Role.BRANCH_SECRETARY:
                self.secretaries[path].add(user_id)
            elif kind == Organization.Kind.COMMITTEE:
                self.organizers[path].add(user_id)

    def organizers_for(self, case: Case) -> set[int]:
        for path in reversed(ancestor_paths(case.org_path)):
            if self.organizers.get(path):
                return self.organizers[path]
        return set()

    def branch(self, case: Case) -> set[int]:
        """The secretaries of the case's branch, or where it has none, its organizers."""
        return self.secretaries.get(case.org_path) or self.organizers_for(case)

    def responsible(self, case: Case, step: int) -> set[int]:
        return self.organizers_for(case) if step in COMMITTEE_STEPS else self.branch(case)


def committee_organizers(case: Case, today: dt.date | None = None) -> set[int]:
    """The organizers of the nearest committee above the case that has any."""
    return Officers([case], today or timezone.localdate()).organizers_for(case)


def branch_secretaries(case: Case, today: dt.date | None = None) -> set[int]:
    """The secretaries of the case's branch, or where it has none, the committee organizers."""
    return Officers([case], today or timezone.localdate()).branch(case)
