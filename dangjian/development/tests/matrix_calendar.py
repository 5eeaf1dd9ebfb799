"""The working-day calendar in the permission matrix: the organization department edits it,
everyone with development.view reads it (a write answers them 403), the rest get 404. An empty
form answers the editor 422; a day of the calendar ({holiday_pk}) is deleted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dangjian.development.models import Holiday
from dangjian.testing.matrix import page

EDITORS = ("orgdept",)
READERS = ("committee1", "secretary1", "secretary2", "committee_member")


def fixture(uni: Any) -> dict[str, Any]:
    day, _created = Holiday.objects.get_or_create(
        date=dt.date(2098, 10, 1), defaults={"kind": Holiday.Kind.HOLIDAY, "name": "矩阵假日"}
    )
    return {"holiday_pk": day.pk}


PAGES = [
    page("development:holidays", lambda f: "/development/holidays/", who=(*EDITORS, *READERS)),
    page(
        "development:holidays",
        lambda f: "/development/holidays/",
        method="post",
        ok=422,
        who=EDITORS,
        **dict.fromkeys(READERS, 403),
    ),
    page(
        "development:holiday-delete",
        lambda f: f"/development/holidays/{f['holiday_pk']}/delete/",
        method="post",
        ok=302,
        who=EDITORS,
        **dict.fromkeys(READERS, 403),
    ),
]
