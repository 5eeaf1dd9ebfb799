from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dangjian.dashboard.navigation import sections_for, tabs_for


def _active(path: str, url: str) -> bool:
    return path == url if url == "/" else path.startswith(url)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    path = request.path
    found = sections_for(user)
    # The entry whose address matches the most of the path is the active one (/development/
    # and /development/committee/ are both entries).
    best = max(
        (
            len(url)
            for s in found
            for i in s.items
            for url in (i.url, *i.also)
            if _active(path, url)
        ),
        default=0,
    )
    sections = [
        {
            "label": section.label,
            "items": [
                {
                    "item": item,
                    "active": best > 0
                    and any(len(u) == best and _active(path, u) for u in (item.url, *item.also)),
                }
                for item in section.items
            ],
        }
        for section in found
    ]
    tabs = [
        {
            "item": tab,
            "active": any(_active(path, url) for url in (tab.url, *tab.also)),
        }
        for tab in tabs_for(user)
    ]
    return {"nav_sections": sections, "nav_tabs": tabs}
