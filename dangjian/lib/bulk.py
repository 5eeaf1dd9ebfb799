"""Bulk writes that stay linear on large tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)


def create(model: type[M], objs: list[M]) -> list[M]:
    """Insert new rows, with their primary keys set on the objects, like bulk_create.

    On PostgreSQL the keys are drawn from the table's sequence in one query and the rows sent
    with COPY: bulk_create's arrays are built value by value in Python, which costs more than
    the insert itself for the thousands of rows of an import. Elsewhere, bulk_create.
    """
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        return model._default_manager.bulk_create(objs, batch_size=1000)
    meta = model._meta
    quote = connection.ops.quote_name
    pk_column = _column(model, meta.pk.name)
    missing = [obj for obj in objs if obj.pk is None]
    fields = [f for f in meta.concrete_fields if f.column]
    with connection.cursor() as cursor:
        if missing:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk_column, len(missing)],
            )
            for obj, (key,) in zip(missing, cursor.fetchall(), strict=True):
                obj.pk = key
        columns = ", ".join(quote(f.column) for f in fields)
        statement = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for obj in objs:
                copy.write_row(
                    [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def update_integers(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[int]]
) -> None:
    """Set integer `fields` on many rows: each row is (pk, value, value, ...).

    Django's bulk_update writes one CASE per field with a branch per row, which PostgreSQL
    evaluates branch by branch: quadratic in the batch (minutes for the 60,000 organizations of
    a large university). On PostgreSQL this joins the new values from arrays instead.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        objects = []
        for pk, *values in rows:
            obj = model(pk=pk)
            for field, value in zip(fields, values, strict=True):
                setattr(obj, field, value)
            objects.append(obj)
        model._default_manager.bulk_update(objects, list(fields), batch_size=500)
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key = quote(model._meta.pk.column)
    columns = [quote(_column(model, f)) for f in fields]
    names = ", ".join(f"v{i}" for i in range(len(fields)))
    assignments = ", ".join(f"{column} = v.v{i}" for i, column in enumerate(columns))
    arrays = ", ".join(["%s::bigint[]"] * (len(fields) + 1))
    sql = (
        f"UPDATE {table} AS t SET {assignments} "  # noqa: S608 - identifiers from the model
        f"FROM unnest({arrays}) AS v(pk, {names}) WHERE t.{key} = v.pk"
    )
    params = [list(column) for column in zip(*rows, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column
    return field.column
