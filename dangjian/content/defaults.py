"""The columns every university starts with (each can rename, add and remove its own)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import pgettext_lazy

from dangjian.content.models import Category, Section

COLUMNS = {
    Section.NEWS: [
        pgettext_lazy("column", "University news"),
        pgettext_lazy("column", "College news"),
        pgettext_lazy("column", "Branch work"),
        pgettext_lazy("column", "Media reports"),
    ],
    Section.NOTICE: [
        pgettext_lazy("column", "Notices"),
        pgettext_lazy("column", "Announcements"),
        pgettext_lazy("column", "Public notices"),
    ],
    Section.ACTIVITY: [
        pgettext_lazy("column", "Theme Party days"),
        pgettext_lazy("column", "Study sessions"),
        pgettext_lazy("column", "Volunteer service"),
    ],
    Section.SHOWCASE: [
        pgettext_lazy("column", "Model members"),
        pgettext_lazy("column", "Advanced branches"),
    ],
    Section.GUIDE: [
        pgettext_lazy("column", "Organization"),
        pgettext_lazy("column", "Member development"),
        pgettext_lazy("column", "Dues"),
        pgettext_lazy("column", "Transfers"),
    ],
    Section.COMMITTEE: [
        pgettext_lazy("column", "Leadership"),
        pgettext_lazy("column", "Departments"),
        pgettext_lazy("column", "Rules and regulations"),
    ],
    Section.RESEARCH: [
        pgettext_lazy("column", "Research topics"),
        pgettext_lazy("column", "Projects"),
        pgettext_lazy("column", "Papers and reports"),
    ],
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
