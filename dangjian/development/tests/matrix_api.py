"""The development API in the permission matrix: a case of B11 ({case_id})."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from dangjian.development import services
from dangjian.lib import idnumber
from dangjian.testing.matrix import api

# secretary1 manages B11; committee1 (C1) and orgdept (U) manage and approve; the branch
# committee member sees B11's cases.
MANAGERS = ("orgdept", "committee1", "secretary1")
VIEWERS = (*MANAGERS, "committee_member")


def _application_date() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=10)


def fixture(uni: Any) -> dict[str, Any]:
    case = services.case_create(
        actor=uni.user("secretary1"),
        person=services.Person(
            name="矩阵申请人", id_number=idnumber.make("110101", dt.date(2001, 1, 2), 7)
        ),
        org=uni.b11,
        application_date=_application_date(),
    )
    return {"case_id": case.pk, "dev_talker": uni.members["secretary1"].pk}


def new_case(f: dict[str, Any]) -> dict[str, Any]:
    return {
        "person": {
            "name": "接口申请人",
            "id_number": idnumber.make("110101", dt.date(2002, 3, 4), 9),
        },
        "org": "B11",
        "application_date": _application_date().isoformat(),
    }


def talk(f: dict[str, Any]) -> dict[str, Any]:
    return {"step": 2, "date": timezone.localdate().isoformat(), "talker": f["dev_talker"]}


API = [
    api(
        "POST",
        "/development/cases",
        201,
        MANAGERS,
        body=new_case,
        committee_member=403,
        default=422,  # no organization B11 they may see
    ),
    api("GET", "/development/cases/{case_id}", 200, VIEWERS),
    api(
        "POST",
        "/development/cases/{case_id}/steps",
        201,
        MANAGERS,
        body=talk,
        committee_member=403,
    ),
    api(
        "POST",
        "/development/steps/batch",
        201,
        MANAGERS,
        body=lambda f: {**talk(f), "cases": [f["case_id"]]},
        committee_member=403,
    ),
]
