"""The branch's development pages in the permission matrix: the board, the deadlines, a new
applicant, a case of B11 ({dev_case}) with its step form and documents, batches."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.development import services
from dangjian.lib import idnumber
from dangjian.testing.matrix import page

MANAGERS = ("orgdept", "committee1", "secretary1")
VIEWERS = (*MANAGERS, "committee_member")
# secretary2 manages a branch of the second committee: the pages of the whole pipeline open
# (on their own cases), B11's case does not.
ANY_MANAGER = (*MANAGERS, "secretary2")


def fixture(uni: Any) -> dict[str, Any]:
    secretary = uni.user("secretary1")
    case = services.case_create(
        actor=secretary,
        person=services.Person(
            name="页面申请人", id_number=idnumber.make("110101", dt.date(2001, 5, 6), 3)
        ),
        org=uni.b11,
        application_date=timezone.localdate() - dt.timedelta(days=10),
    )
    document = services.document_add(
        actor=secretary,
        case=case,
        step=1,
        form="application",
        file=SimpleUploadedFile("申请书.pdf", b"%PDF-1.4 application"),
    )
    return {"dev_case": case.pk, "dev_document": document.pk}


PAGES = [
    page("development:board", lambda f: "/development/", who=(*VIEWERS, "secretary2")),
    page("development:due", lambda f: "/development/due/", who=(*VIEWERS, "secretary2")),
    page("development:case-new", lambda f: "/development/new/", who=ANY_MANAGER),
    page("development:batch", lambda f: "/development/batch/", who=ANY_MANAGER),
    page("development:case", lambda f: f"/development/cases/{f['dev_case']}/", who=VIEWERS),
    page(
        "development:step-record",
        lambda f: f"/development/cases/{f['dev_case']}/record/",
        method="post",
        ok=422,  # no date given: the form answers with the field named
        who=MANAGERS,
        committee_member=403,
    ),
    page(
        "development:case-edit",
        lambda f: f"/development/cases/{f['dev_case']}/edit/",
        who=MANAGERS,
        committee_member=403,
    ),
    page(
        "development:document-add",
        lambda f: f"/development/cases/{f['dev_case']}/documents/",
        method="post",
        ok=302,
        who=MANAGERS,
        committee_member=403,
    ),
    page(
        "development:document-file",
        lambda f: f"/development/documents/{f['dev_document']}/",
        who=VIEWERS,
    ),
    page(
        "development:document-remove",
        lambda f: f"/development/documents/{f['dev_document']}/remove/",
        method="post",
        ok=302,
        who=MANAGERS,
        committee_member=403,
    ),
]
