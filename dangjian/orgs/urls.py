from __future__ import annotations

from django.urls import path

from dangjian.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.org_tree, name="org-tree"),
    path("<str:code>/", views.org_detail, name="org-detail"),
    path("<str:code>/new/", views.org_create, name="org-create"),
    path("<str:code>/edit/", views.org_edit, name="org-edit"),
    path("<str:code>/move/", views.org_move, name="org-move"),
    path("<str:code>/dissolve/", views.org_dissolve, name="org-dissolve"),
    path("<str:code>/terms/new/", views.term_create, name="term-create"),
]
