"""The contribution pages and API in the permission matrix.

member1 (of B11, under C1) has sent three contributions to C1's desk: one waiting, one
returned to them, one accepted. Only they see them as their own; the editors of C1's desk
(C1's organizer, and the university's organization department and propaganda editor) see
them there; only the last two may publish. Accounts without a member record write none.
"""

from __future__ import annotations

import io
import json
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from dangjian.content.models import Upload
from dangjian.contributions import services
from dangjian.contributions.models import Picture
from dangjian.testing.matrix import LOGGED_IN, Case, page, statuses

WITH_RECORD = ("committee1", "secretary1", "secretary2", "committee_member", "member1")
DESK = ("orgdept", "committee1", "editor1")
PUBLISHERS = ("orgdept", "editor1")
PICTURE_KEY = uuid.UUID("5e1f00d0-0000-4000-8000-0000000c0b11")


def _picture(uni: Any) -> Upload:
    """A picture of member1's, at a fixed name so that runs do not pile up files."""
    name = f"content/{PICTURE_KEY.hex[:2]}/{PICTURE_KEY.hex}.png"
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 22, 29)).save(out, format="PNG")
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(out.getvalue()))
    upload = Upload(
        key=PICTURE_KEY,
        kind=Upload.Kind.IMAGE,
        name="矩阵照片.png",
        content_type="image/png",
        size=len(out.getvalue()),
        width=8,
        height=8,
        uploaded_by=uni.user("member1"),
    )
    upload.file.name = name
    upload.save()
    return upload


def fixture(uni: Any) -> dict[str, Any]:
    member, editor = uni.user("member1"), uni.user("editor1")

    def send(title: str) -> Any:
        data = services.ArticleInput(title=title, text="矩阵稿件正文。")
        return services.contribution_submit(actor=member, data=data).contribution

    waiting = send("矩阵：待处理稿件")
    Picture.objects.create(contribution=waiting, upload=_picture(uni))
    returned = send("矩阵：退回的稿件")
    services.contribution_return(actor=editor, contribution=returned, comment="请修改。")
    accepted = send("矩阵：已采用稿件")
    services.contribution_accept(actor=editor, contribution=accepted)
    return {
        "contribution_waiting": waiting.pk,
        "contribution_returned": returned.pk,
        "contribution_accepted": accepted.pk,
        "contribution_picture": str(PICTURE_KEY),
    }


def _api(
    method: str,
    path: str,
    ok: int,
    who: tuple[str, ...],
    *,
    key: str = "",
    body: Any = None,
    **others: int,
) -> Case:
    """An API row whose {contribution_id} is the fixture's contribution named by `key`."""

    def url(fixture: dict[str, Any]) -> str:
        return "/api/v1" + path.replace("{contribution_id}", str(fixture.get(key, "")))

    return Case(
        name=f"{method} {path}",
        url=url,
        method=method.lower(),
        data=lambda f: json.dumps(body or {}),
        expect=statuses(ok, who, anonymous=401, **others),
        default=404,
        json=True,
    )


def _c(key: str, suffix: str = "") -> Any:
    return lambda f: f"/contributions/{f[key]}/{suffix}"


def _desk(key: str, suffix: str = "") -> Any:
    return lambda f: f"/contributions/desk/{f[key]}/{suffix}"


PAGES = [
    page("contributions:mine", lambda f: "/contributions/", who=WITH_RECORD),
    page("contributions:submit", lambda f: "/contributions/new/", who=WITH_RECORD),
    page("contributions:mine-detail", _c("contribution_waiting"), who=("member1",)),
    page("contributions:edit", _c("contribution_returned", "edit/"), who=("member1",)),
    # Not returned: the author is sent back to the contribution with a word why.
    page("contributions:edit", _c("contribution_waiting", "edit/"), ok=302, who=("member1",)),
    page(
        "contributions:resubmit",
        _c("contribution_returned", "resubmit/"),
        method="post",
        ok=302,
        who=("member1",),
    ),
    page(
        "contributions:withdraw",
        _c("contribution_waiting", "withdraw/"),
        method="post",
        ok=302,
        who=("member1",),
    ),
    page(
        "contributions:picture",
        lambda f: f"/contributions/pictures/{f['contribution_picture']}/",
        who=("member1", *DESK),
    ),
    page("contributions:desk", lambda f: "/contributions/desk/", who=DESK),
    page("contributions:desk-detail", _desk("contribution_waiting"), who=DESK),
    page("contributions:desk-detail", _desk("contribution_returned"), who=DESK),
    page(
        "contributions:accept",
        _desk("contribution_waiting", "accept/"),
        method="post",
        ok=302,
        who=DESK,
    ),
    # No comment or reason given: the form comes back with the field marked.
    page(
        "contributions:return",
        _desk("contribution_waiting", "return/"),
        method="post",
        ok=422,
        who=DESK,
    ),
    page(
        "contributions:reject",
        _desk("contribution_waiting", "reject/"),
        method="post",
        ok=422,
        who=DESK,
    ),
    # C1's organizer reviews but may not publish.
    page(
        "contributions:publish",
        _desk("contribution_accepted", "publish/"),
        who=PUBLISHERS,
        committee1=403,
    ),
]

API = [
    _api("GET", "/contributions", 200, LOGGED_IN),
    _api(
        "POST",
        "/contributions",
        201,
        WITH_RECORD,
        body={"title": "矩阵：接口投稿", "text": "正文。", "section": "news"},
    ),
    # No file sent: refused before anything else is asked.
    _api("POST", "/contributions/pictures", 422, LOGGED_IN),
    _api("GET", "/contributions/desk", 200, DESK),
    _api(
        "GET",
        "/contributions/{contribution_id}",
        200,
        ("member1", *DESK),
        key="contribution_waiting",
    ),
    _api(
        "PATCH",
        "/contributions/{contribution_id}",
        200,
        ("member1",),
        key="contribution_returned",
        body={"text": "改过的正文。"},
    ),
    _api(
        "POST",
        "/contributions/{contribution_id}/resubmit",
        200,
        ("member1",),
        key="contribution_returned",
    ),
    _api(
        "POST",
        "/contributions/{contribution_id}/withdraw",
        200,
        ("member1",),
        key="contribution_waiting",
    ),
    _api("POST", "/contributions/{contribution_id}/accept", 200, DESK, key="contribution_waiting"),
    _api(
        "POST",
        "/contributions/{contribution_id}/return",
        200,
        DESK,
        key="contribution_waiting",
        body={"comment": "请补充细节。"},
    ),
    _api(
        "POST",
        "/contributions/{contribution_id}/reject",
        200,
        DESK,
        key="contribution_waiting",
        body={"reason": "与已发稿件重复。"},
    ),
]
