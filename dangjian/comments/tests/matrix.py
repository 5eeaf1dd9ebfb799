"""The comments' rows of the permission matrix (tests/test_permission_matrix.py).

The fixture is an item of B11 shown to B11 only: its readers are secretary1, committee_member
and member1 (member1 wrote the comment); its moderators are orgdept, editor1 (the university)
and committee1 (C1), who do not read it as members but act on its comments from their pages.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from dangjian.comments import services
from dangjian.comments.tests.factories import published_item
from dangjian.testing.matrix import Case, api, page, statuses

READERS = ("secretary1", "committee_member", "member1")
OTHER_READERS = ("secretary1", "committee_member")
MODERATORS = ("orgdept", "committee1", "editor1")


def _api(method: str, path: str, ok: int, who: tuple[str, ...], **kwargs: Any) -> Case:
    """An API row whose name is the operation's path; its URL names this app's own objects
    (other apps' fixtures may use the same parameter names)."""
    case = api(method, path, ok, who, **kwargs)

    def url(f: dict[str, Any]) -> str:
        return "/api/v1" + path.format(
            item_id=f["comments_item"],
            comment_id=f["comments_hidden"] if "unhide" in path else f["comments_comment"],
        )

    return dataclasses.replace(case, url=url)


PAGES = [
    page("comments:thread", lambda f: f"/comments/items/{f['comments_item']}/", who=READERS),
    # No text: the form comes back with the field marked.
    page(
        "comments:comment-post",
        lambda f: f"/comments/items/{f['comments_item']}/post/",
        method="post",
        ok=422,
        who=READERS,
    ),
    page("comments:reported", lambda f: "/comments/reported/", who=MODERATORS),
    # Readers are sent to the comment in the item's page; moderators see it with its reports.
    page(
        "comments:comment-detail",
        lambda f: f"/comments/{f['comments_comment']}/",
        who=MODERATORS,
        **statuses(302, READERS),
    ),
    page(
        "comments:comment-edit",
        lambda f: f"/comments/{f['comments_comment']}/edit/",
        who=("member1",),
        **statuses(403, (*OTHER_READERS, *MODERATORS)),
    ),
    page(
        "comments:comment-delete",
        lambda f: f"/comments/{f['comments_comment']}/delete/",
        method="post",
        ok=302,
        who=("member1",),
        **statuses(403, (*OTHER_READERS, *MODERATORS)),
    ),
    page(
        "comments:comment-like",
        lambda f: f"/comments/{f['comments_comment']}/like/",
        method="post",
        ok=302,
        who=READERS,
        **statuses(403, MODERATORS),
    ),
    # No reason (or, for its author, one's own comment): back to the page with the message.
    page(
        "comments:comment-report",
        lambda f: f"/comments/{f['comments_comment']}/report/",
        method="post",
        ok=302,
        who=READERS,
        **statuses(403, MODERATORS),
    ),
    page(
        "comments:comment-hide",
        lambda f: f"/comments/{f['comments_comment']}/hide/",
        method="post",
        ok=302,
        who=MODERATORS,
        **statuses(403, READERS),
    ),
    # A hidden comment is seen by its author (member1) and the moderators only.
    page(
        "comments:comment-unhide",
        lambda f: f"/comments/{f['comments_hidden']}/unhide/",
        method="post",
        ok=302,
        who=MODERATORS,
        member1=403,
    ),
    page(
        "comments:comment-dismiss",
        lambda f: f"/comments/{f['comments_comment']}/dismiss/",
        method="post",
        ok=302,
        who=MODERATORS,
        **statuses(403, READERS),
    ),
]

API = [
    _api("GET", "/comments/items/{item_id}", 200, READERS),
    _api("POST", "/comments/items/{item_id}", 201, READERS, body={"text": "矩阵测试评论"}),
    _api(
        "PATCH",
        "/comments/{comment_id}",
        200,
        ("member1",),
        body={"text": "改过的评论"},
        **statuses(403, (*OTHER_READERS, *MODERATORS)),
    ),
    _api(
        "DELETE",
        "/comments/{comment_id}",
        204,
        ("member1",),
        **statuses(403, (*OTHER_READERS, *MODERATORS)),
    ),
    _api("POST", "/comments/{comment_id}/like", 200, READERS, **statuses(403, MODERATORS)),
    _api("DELETE", "/comments/{comment_id}/like", 200, READERS, **statuses(403, MODERATORS)),
    _api(
        "POST",
        "/comments/{comment_id}/report",
        201,
        OTHER_READERS,
        body={"reason": "广告"},
        member1=422,  # one's own comment
        **statuses(403, MODERATORS),
    ),
    _api(
        "POST",
        "/comments/{comment_id}/hide",
        200,
        MODERATORS,
        body={"reason": "不文明"},
        **statuses(403, READERS),
    ),
    _api("POST", "/comments/{comment_id}/unhide", 200, MODERATORS, member1=403),
]


def fixture(uni: Any) -> dict[str, Any]:
    item = published_item(uni, title="矩阵测试：支部新闻")
    comment = services.comment_post(
        actor=uni.user("member1"), item=item, text="矩阵测试：支部学习很有收获。"
    ).comment
    hidden = services.comment_post(
        actor=uni.user("member1"), item=item, text="矩阵测试：将被隐藏的评论。"
    ).comment
    services.comment_hide(actor=uni.user("orgdept"), comment=hidden, reason="矩阵测试")
    return {
        "comments_item": item.pk,
        "comments_comment": comment.pk,
        "comments_hidden": hidden.pk,
    }
