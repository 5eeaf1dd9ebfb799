"""The content API in the permission matrix."""

from __future__ import annotations

import dataclasses
from typing import Any

from dangjian.content import services
from dangjian.content.models import Section
from dangjian.testing.matrix import LOGGED_IN, Case, statuses
from dangjian.testing.matrix import api as _api

# Who writes what: secretary1 for B11; committee1 for C1 (reviews too); orgdept and editor1
# for the whole university (publish without review).
B11_WRITERS = ("orgdept", "committee1", "secretary1", "editor1")
B11_PUBLISHERS = ("orgdept", "editor1")
B11_READERS = ("secretary1", "committee_member", "member1")


def fixture(uni: Any) -> dict[str, Any]:
    secretary = uni.user("secretary1")
    data = services.ItemInput(
        section=Section.NEWS,
        title="矩阵：教工第一党支部新闻",
        owner=uni.b11,
        target_all=False,
        targets=[uni.b11],
        body="<p>正文</p>",
    )
    b11_item = services.item_publish(
        actor=uni.user("editor1"), item=services.item_save(actor=secretary, data=data)
    )
    pending = services.item_submit(
        actor=secretary, item=services.item_save(actor=secretary, data=data)
    )
    return {"b11_item": b11_item.pk, "pending_item": pending.pk}


def api(method: str, path: str, *args: Any, **kwargs: Any) -> Case:
    """A row whose URL names one of the fixture's items ({b11_item}, {pending_item}), listed
    under the operation's own path ({item_id})."""
    case = _api(method, path, *args, **kwargs)
    name = case.name.replace("{b11_item}", "{item_id}").replace("{pending_item}", "{item_id}")
    return dataclasses.replace(case, name=name)


def new_item(f: dict[str, Any]) -> dict[str, Any]:
    return {
        "section": "news",
        "title": "接口新闻",
        "owner": "B11",
        "targets": ["B11"],
        "body": "<p>正文</p>",
    }


API = [
    api("GET", "/content/items", 200, LOGGED_IN),
    api("GET", "/content/items/{b11_item}", 200, B11_READERS),
    api("GET", "/content/manage", 200, LOGGED_IN),
    api(
        "POST",
        "/content/manage",
        201,
        B11_WRITERS,
        body=new_item,
        default=422,  # no organization B11 that they may write for
    ),
    api("GET", "/content/manage/{pending_item}", 200, B11_WRITERS),
    api(
        "PUT",
        "/content/manage/{pending_item}",
        200,
        B11_PUBLISHERS,
        body=new_item,
        # Pending: only one who may publish changes it.
        **statuses(422, ("committee1", "secretary1")),
    ),
    api(
        "POST",
        "/content/manage/{pending_item}/submit",
        422,  # already pending
        B11_WRITERS,
    ),
    api(
        "POST",
        "/content/manage/{pending_item}/publish",
        200,
        B11_PUBLISHERS,
        committee1=403,
        secretary1=403,
    ),
    api(
        "POST",
        "/content/manage/{pending_item}/approve",
        200,
        ("orgdept", "committee1", "editor1"),
        secretary1=403,
    ),
    api(
        "POST",
        "/content/manage/{pending_item}/return",
        200,
        ("orgdept", "committee1", "editor1"),
        body={"note": "请修改"},
        secretary1=403,
    ),
    api("POST", "/content/manage/{pending_item}/withdraw", 200, B11_WRITERS),
    api(
        "POST",
        "/content/manage/{b11_item}/pin",
        200,
        B11_PUBLISHERS,
        body={"pinned": True},
        **statuses(403, ("committee1", "secretary1")),
    ),
    api("GET", "/content/manage/{b11_item}/statistics", 200, B11_WRITERS),
    api("GET", "/content/review", 200, LOGGED_IN),
    # Reviewers and publishers, for the items of their scope; others find nothing.
    api("GET", "/content/statistics", 200, ("orgdept", "committee1", "editor1")),
]
