"""The content pages (and, from matrix_api, the content API) in the permission matrix.

Readers see what targets their organizations: an item for B11 is read by B11's people only
(an organizer of C1 is not in B11's subtree); writers and reviewers of the owner's subtree
manage it; a reviewer who may not publish gets 403 on pinning.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from dangjian.content import columns, services
from dangjian.content.models import Section, Upload
from dangjian.content.tests import matrix_api
from dangjian.testing.matrix import LOGGED_IN, page, statuses

B11_WRITERS = ("orgdept", "committee1", "secretary1", "editor1")
B11_PUBLISHERS = ("orgdept", "editor1")
B11_READERS = ("secretary1", "committee_member", "member1")
WRITERS = ("orgdept", "committee1", "secretary1", "secretary2", "editor1")
REVIEWERS = ("orgdept", "committee1", "editor1")
# Columns are the whole university's: those who publish for the root organization manage them;
# everyone else finds no such page (an organizer of C1 included).
COLUMN_MANAGERS = ("orgdept", "editor1")
# Reading statistics: reviewers and publishers, each for the items of their scope.
STATISTICS = ("orgdept", "committee1", "editor1")
UPLOAD_KEY = uuid.UUID("5e1f00d0-0000-4000-8000-00000000c0de")
UPLOAD_TEXT = "矩阵附件".encode()


def fixture(uni: Any) -> dict[str, Any]:
    found = matrix_api.fixture(uni)
    editor, secretary1, secretary2 = (
        uni.user("editor1"),
        uni.user("secretary1"),
        uni.user("secretary2"),
    )
    b11 = services.item_save(
        actor=secretary1,
        data=services.ItemInput(
            section=Section.NOTICE,
            title="矩阵：教工第一党支部通知",
            owner=uni.b11,
            target_all=False,
            targets=[uni.b11],
            body="<p>通知正文</p>",
        ),
    )
    b11 = services.item_publish(actor=editor, item=b11)
    b21 = services.item_save(
        actor=secretary2,
        data=services.ItemInput(
            section=Section.NEWS,
            title="矩阵：材料学院教工党支部新闻",
            owner=uni.b21,
            target_all=False,
            targets=[uni.b21],
        ),
    )
    b21 = services.item_publish(actor=editor, item=b21)
    pending = services.item_save(
        actor=secretary1,
        data=services.ItemInput(
            section=Section.NEWS,
            title="矩阵：待审稿件",
            owner=uni.b11,
            target_all=False,
            targets=[uni.b11],
        ),
    )
    pending = services.item_submit(actor=secretary1, item=pending)
    # An attachment of the B11 notice, at a fixed name so that runs do not pile up files.
    name = f"content/{UPLOAD_KEY.hex[:2]}/{UPLOAD_KEY.hex}.txt"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(UPLOAD_TEXT))
    upload = Upload(
        key=UPLOAD_KEY,
        kind=Upload.Kind.FILE,
        name="矩阵附件.txt",
        content_type="text/plain",
        size=len(UPLOAD_TEXT),
        item=b11,
        is_attachment=True,
        uploaded_by=secretary1,
    )
    upload.file.name = name
    upload.save()
    column = columns.column_create(actor=editor, section=Section.NEWS, name="矩阵栏目")
    found.update(
        {
            "content_column": column.pk,
            "content_b11": b11.pk,
            "content_b21": b21.pk,
            "content_pending": pending.pk,
            "content_upload": name,
        }
    )
    return found


PAGES = [
    page("content:feed", lambda f: "/content/all/", who=LOGGED_IN),
    page("content:section", lambda f: "/content/notice/", who=LOGGED_IN),
    page("content:search", lambda f: "/content/search/?q=矩阵", who=LOGGED_IN),
    page("content:item-detail", lambda f: f"/content/{f['content_b11']}/", who=B11_READERS),
    page("content:item-detail", lambda f: f"/content/{f['content_b21']}/", who=("secretary2",)),
    page("content:manage", lambda f: "/content/manage/", who=WRITERS),
    page("content:item-create", lambda f: "/content/manage/new/", who=WRITERS),
    page(
        "content:item-manage",
        lambda f: f"/content/manage/{f['content_pending']}/",
        who=B11_WRITERS,
    ),
    page(
        "content:item-edit",
        lambda f: f"/content/manage/{f['content_pending']}/edit/",
        who=B11_WRITERS,
    ),
    page(
        "content:item-action",
        lambda f: f"/content/manage/{f['content_b11']}/pin/",
        method="post",
        ok=302,
        who=B11_PUBLISHERS,
        **statuses(403, ("committee1", "secretary1")),
    ),
    page(
        "content:item-action",
        lambda f: f"/content/manage/{f['content_pending']}/approve/",
        method="post",
        ok=302,
        who=REVIEWERS,
        secretary1=403,  # the writer: a second person reviews
    ),
    page(
        "content:item-action",
        lambda f: f"/content/manage/{f['content_pending']}/withdraw/",
        method="post",
        ok=302,
        who=B11_WRITERS,
    ),
    page("content:review", lambda f: "/content/review/", who=REVIEWERS),
    # Without a file the upload is refused with a message (400); non-writers find nothing.
    page("content:upload", lambda f: "/content/upload/", method="post", ok=400, who=WRITERS),
    page("content:columns", lambda f: "/content/columns/", who=COLUMN_MANAGERS),
    # Without a name the column is refused with the field's message (422).
    page(
        "content:column-create",
        lambda f: "/content/columns/new/",
        method="post",
        ok=422,
        who=COLUMN_MANAGERS,
    ),
    page(
        "content:column-edit",
        lambda f: f"/content/columns/{f['content_column']}/",
        who=COLUMN_MANAGERS,
    ),
    page(
        "content:column-move",
        lambda f: f"/content/columns/{f['content_column']}/up/",
        method="post",
        ok=302,
        who=COLUMN_MANAGERS,
    ),
    page(
        "content:column-delete",
        lambda f: f"/content/columns/{f['content_column']}/delete/",
        method="post",
        ok=302,  # it holds no items
        who=COLUMN_MANAGERS,
    ),
    page("content:statistics", lambda f: "/content/statistics/?days=365", who=STATISTICS),
    page(
        "content:statistics-export",
        lambda f: "/content/statistics/export/?days=365&organization=B11",
        who=STATISTICS,
    ),
    page(
        "media:file",
        lambda f: f"/media/{f['content_upload']}",
        who=(*B11_WRITERS, "committee_member", "member1"),
    ),
]

API = matrix_api.API
