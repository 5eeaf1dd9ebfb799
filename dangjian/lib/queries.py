"""Small query helpers for hot paths."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Manager, Model, QuerySet

M = TypeVar("M", bound=Model)


def get_or_none(queryset: QuerySet[M] | Manager[M], **lookups: Any) -> M | None:
    """The single row matching unique lookups, or None.

    Unlike `.filter(...).first()`, it adds no ORDER BY: compiling one over a wide model's
    columns costs more than the query itself.
    """
    try:
        return queryset.get(**lookups)
    except ObjectDoesNotExist:
        return None
