"""Small query helpers for hot paths."""

from __future__ import annotations

import functools
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db import connection
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


_PK_PLACEHOLDER = -1_987_654_321  # within every integer column's range


@functools.cache
def _pk_statement(model: type[Model], vendor: str) -> str:
    sql, params = model._default_manager.filter(pk=_PK_PLACEHOLDER).query.sql_with_params()
    if list(params) != [_PK_PLACEHOLDER]:
        raise ImproperlyConfigured(f"{model.__name__}: its default manager filters by more.")
    return sql


def get_by_pk(model: type[M], pk: int) -> M | None:
    """The row with this primary key through SQL compiled once per model.

    For the lookups every request makes (the signed-in account, its second-factor device),
    where compiling the statement costs several times more than running it.
    """
    statement = _pk_statement(model, connection.vendor)
    rows = list(model._default_manager.raw(statement, [pk]))
    return rows[0] if rows else None
