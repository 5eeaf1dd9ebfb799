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
    sections = [
        {
            "label": section.label,
            "items": [{"item": item, "active": _active(path, item.url)} for item in section.items],
        }
        for section in sections_for(user)
    ]
    tabs = [
        {
            "item": tab,
            "active": any(_active(path, url) for url in (tab.url, *tab.also)),
        }
        for tab in tabs_for(user)
    ]
    return {"nav_sections": sections, "nav_tabs": tabs}
