"""The Django admin, for the system administrator only, behind the second factor."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.models import User


class SystemAdminSite(admin.AdminSite):
    site_header = _("dangjian system data")
    site_title = _("System data")
    index_title = _("System data")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active
            and getattr(user, "admin_role", "") == User.AdminRole.SYSTEM
            and getattr(user, "is_verified", lambda: False)()
        )


site = SystemAdminSite(name="admin")


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """System data is shown, never edited here: changes go through the audited pages."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return site.has_permission(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return site.has_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User, site=site)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("username", "display_name", "admin_role", "is_active", "last_login")
    list_filter = ("admin_role", "is_active")
    search_fields = ("username", "display_name")
    fields = ("username", "display_name", "email", "admin_role", "is_active", "last_login")
