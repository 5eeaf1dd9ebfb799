"""URLs of member development: reports."""

from __future__ import annotations

from django.urls import path

from dangjian.development.views import reports

urlpatterns = [
    path("", reports.report_page, name="reports"),
    path("export.xlsx", reports.report_export, name="reports-export"),
    path("plans/", reports.plan_set, name="plan-set"),
]
