"""Bulk writes that stay linear on large tables."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models


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
