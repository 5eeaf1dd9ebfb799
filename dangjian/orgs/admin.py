from __future__ import annotations

from django.contrib import admin

from dangjian.accounts.admin import ReadOnlyAdmin, site
from dangjian.orgs.models import Organization, Term


@admin.register(Organization, site=site)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "branch_type", "is_active", "full_count")
    list_filter = ("kind", "branch_type", "is_active")
    search_fields = ("code", "name")
    fields = ("code", "name", "short_name", "kind", "branch_type", "founded_on", "is_active")


@admin.register(Term, site=site)
class TermAdmin(ReadOnlyAdmin):
    list_display = ("organization", "ordinal", "start_date", "end_date")
    search_fields = ("organization__code", "organization__name")
