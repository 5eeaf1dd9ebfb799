"""The security administrator's pages: role grants (mounted at /security/)."""

from __future__ import annotations

from django.urls import path

from dangjian.orgs import views

app_name = "security"

urlpatterns = [
    path("roles/", views.role_list, name="role-list"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role-revoke"),
    path("roles/admins/", views.admin_role_set, name="admin-role-set"),
]
