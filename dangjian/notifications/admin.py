"""What went out on the outside channels, for the system administrator (read-only)."""

from __future__ import annotations

from django.contrib import admin

from dangjian.accounts.admin import ReadOnlyAdmin, site
from dangjian.notifications.models import ChannelDelivery


@admin.register(ChannelDelivery, site=site)
class ChannelDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("notification", "recipient", "channel", "status", "attempts", "sent_at")
    list_filter = ("channel", "status")
    search_fields = ("notification__kind", "notification__title", "recipient__username")
    list_select_related = ("notification", "recipient")
    fields = ("notification", "recipient", "channel", "status", "attempts", "error", "sent_at")
