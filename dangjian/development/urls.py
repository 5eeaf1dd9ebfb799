"""Pages of member development (issue 5 item 4), one URL module per area of work."""

from __future__ import annotations

from django.urls import include, path

app_name = "development"

urlpatterns = [
    path("", include("dangjian.development.urls_cases")),
    path("committee/", include("dangjian.development.urls_committee")),
    path("me/", include("dangjian.development.urls_applicant")),
    path("reports/", include("dangjian.development.urls_reports")),
    path("print/", include("dangjian.development.urls_printing")),
    path("holidays/", include("dangjian.development.urls_calendar")),
]
