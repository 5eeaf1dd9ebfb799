"""Human labels for audit action codes; each app registers its own in AppConfig.ready()."""

from __future__ import annotations

from django.utils.functional import Promise

_labels: dict[str, str | Promise] = {}


def register(labels: dict[str, str | Promise]) -> None:
    _labels.update(labels)


def label(action: str) -> str:
    return str(_labels.get(action, action))


def choices() -> list[tuple[str, str]]:
    return sorted(((code, str(text)) for code, text in _labels.items()), key=lambda c: c[0])
