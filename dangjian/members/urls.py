from __future__ import annotations

from django.urls import path

from dangjian.members import views

app_name = "members"

urlpatterns = [
    path("", views.roster, name="roster"),
    path("count/", views.roster_count, name="roster-count"),
    path("new/", views.member_create, name="member-create"),
    path("export/", views.roster_export, name="roster-export"),
    path("history/", views.history, name="history"),
    path("me/statement/", views.statement_edit, name="statement-edit"),
    path("import/", views.import_start, name="import-start"),
    path("import/template.xlsx", views.import_template, name="import-template"),
    path("import/<int:pk>/", views.import_detail, name="import-detail"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path("import/<int:pk>/report.xlsx", views.import_errors, name="import-errors"),
    path("posts/<str:code>/new/", views.post_assign, name="post-assign"),
    path("posts/<int:pk>/end/", views.post_end, name="post-end"),
    path("<int:pk>/", views.member_detail, name="member-detail"),
    path("<int:pk>/edit/", views.member_edit, name="member-edit"),
    path("<int:pk>/reveal/", views.member_reveal, name="member-reveal"),
    path("<int:pk>/events/new/", views.event_create, name="event-create"),
    path("<int:pk>/marks/", views.flags_edit, name="flags-edit"),
    path("<int:pk>/account/", views.account_create, name="account-create"),
]
