from __future__ import annotations

from django.urls import path

from dangjian.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.entry_list, name="entry-list"),
    path("export/", views.entry_export, name="entry-export"),
    path("<int:pk>/", views.entry_detail, name="entry-detail"),
]
