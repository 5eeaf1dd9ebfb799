"""The columns every university starts with (each can rename, add and remove its own)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from dangjian.content.models import Category, Section

COLUMNS = {
    Section.NEWS: [_("University news"), _("College news"), _("Branch work"), _("Media reports")],
    Section.NOTICE: [_("Notices"), _("Announcements"), _("Public notices")],
    Section.ACTIVITY: [_("Theme Party days"), _("Study sessions"), _("Volunteer service")],
    Section.SHOWCASE: [_("Model members"), _("Advanced branches")],
    Section.GUIDE: [_("Organization"), _("Member development"), _("Dues"), _("Transfers")],
    Section.COMMITTEE: [_("Leadership"), _("Departments"), _("Rules and regulations")],
    Section.RESEARCH: [_("Research topics"), _("Projects"), _("Papers and reports")],
}


def install_columns(**kwargs: Any) -> None:
    """Create the starting columns once, in the installation's language."""
    if Category.objects.exists():
        return
    from django.conf import settings

    with translation.override(settings.LANGUAGE_CODE):
        Category.objects.bulk_create(
            Category(section=section, name=str(name), position=i)
            for section, names in COLUMNS.items()
            for i, name in enumerate(names)
        )
