"""The development reports in the permission matrix.

Everyone with development.view somewhere (the organization department, C1's organizer, the
secretaries and B11's committee member) sees the reports of their scope and exports them; only
those who approve admissions (orgdept, committee1) set plans: an empty form answers 422.
"""

from __future__ import annotations

from typing import Any

from dangjian.testing.matrix import page

APPROVERS = ("orgdept", "committee1")
VIEWERS = (*APPROVERS, "secretary1", "secretary2", "committee_member")


def fixture(uni: Any) -> dict[str, Any]:
    return {}


PAGES = [
    page("development:reports", lambda f: "/development/reports/", who=VIEWERS),
    page("development:reports", lambda f: "/development/reports/?org=B11&year=2025", who=VIEWERS),
    page("development:reports-export", lambda f: "/development/reports/export.xlsx", who=VIEWERS),
    page(
        "development:plan-set",
        lambda f: "/development/reports/plans/",
        method="post",
        ok=422,
        who=APPROVERS,
    ),
]
