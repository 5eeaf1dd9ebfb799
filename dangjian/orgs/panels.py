"""Panels other apps add to an organization's page (committee posts, meetings, dues ...).

Each provider returns None when it has nothing to show for this viewer and organization.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from dangjian.orgs.models import Organization


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


PanelProvider = Callable[[HttpRequest, Organization], Panel | None]
_providers: list[PanelProvider] = []


def register(provider: PanelProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def panels_for(request: HttpRequest, org: Organization) -> list[Panel]:
    found = [panel for provider in _providers if (panel := provider(request, org)) is not None]
    return sorted(found, key=lambda panel: panel.order)
