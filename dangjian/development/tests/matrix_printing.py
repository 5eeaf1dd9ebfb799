"""Printing in member development in the permission matrix: a case of B11 ({print_case_id})
and B11's filing list. Whoever sees B11's development cases may print them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from dangjian.development import services
from dangjian.lib import idnumber
from dangjian.testing.matrix import page

VIEWERS = ("orgdept", "committee1", "secretary1", "committee_member")


def fixture(uni: Any) -> dict[str, Any]:
    case = services.case_create(
        actor=uni.user("secretary1"),
        person=services.Person(
            name="打印申请人", id_number=idnumber.make("110101", dt.date(2001, 6, 7), 11)
        ),
        org=uni.b11,
        application_date=timezone.localdate() - dt.timedelta(days=10),
    )
    return {"print_case_id": case.pk, "print_org": uni.b11.code}


def _case(suffix: str) -> Any:
    return lambda f: f"/development/print/cases/{f['print_case_id']}/{suffix}"


PAGES = [
    page("development:dossier-pdf", _case("dossier.pdf"), who=VIEWERS),
    page("development:print-notice-object", _case("notice-object/"), who=VIEWERS),
    page("development:print-notice-conversion", _case("notice-conversion/"), who=VIEWERS),
    page(
        "development:print-filing",
        lambda f: f"/development/print/orgs/{f['print_org']}/filing/?stage=2",
        who=VIEWERS,
    ),
    page(
        "development:print-filing",
        lambda f: f"/development/print/orgs/{f['print_org']}/filing/?stage=3",
        who=VIEWERS,
    ),
]
