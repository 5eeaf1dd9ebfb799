"""URLs of member development: the branch's board, due list, cases, documents and batches."""

from __future__ import annotations

from django.urls import path

from dangjian.development.views import cases

urlpatterns = [
    path("", cases.board, name="board"),
    path("due/", cases.due, name="due"),
    path("new/", cases.case_new, name="case-new"),
    path("batch/", cases.batch, name="batch"),
    path("cases/<int:pk>/", cases.case_detail, name="case"),
    path("cases/<int:pk>/record/", cases.step_record, name="step-record"),
    path("cases/<int:pk>/edit/", cases.case_edit, name="case-edit"),
    path("cases/<int:pk>/documents/", cases.document_add, name="document-add"),
    path("documents/<int:pk>/", cases.document_file, name="document-file"),
    path("documents/<int:pk>/remove/", cases.document_remove, name="document-remove"),
]
