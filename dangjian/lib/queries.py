"""Small query helpers for hot paths."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db import connection
from django.db.models import Manager, Model, QuerySet
from django.db.models import query as django_query

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


class PreparedQuery(Generic[M]):
    """A queryset shape compiled to SQL once, then run with new values.

    Build it from a function of the values and placeholders for them (ints or strings that
    appear nowhere else in the query):

        member_page = PreparedQuery(lambda pk: Member.objects.select_related(...).filter(pk=pk))
        member = member_page.first(42)

    The ORM's compiler costs about a millisecond per statement, more than running a simple
    prepared statement; on the queries a hot page runs every time that cost is paid once per
    process. Rows become instances exactly as `QuerySet` iteration makes them (the same
    compiler, converters and select_related population).
    """

    def __init__(self, build: Callable[..., QuerySet[M]], *placeholders: int | str) -> None:
        self._build = build
        self._placeholders = placeholders or (_PK_PLACEHOLDER,)
        # Per thread: a compiler belongs to the thread's database connection.
        self._local = threading.local()

    def _compile(self) -> tuple[Any, str, list[Any], list[tuple[int, int]]]:
        compiled = getattr(self._local, "compiled", None)
        if compiled is None:
            queryset = self._build(*self._placeholders)
            compiler = queryset.query.get_compiler(using=queryset.db)
            sql, params = compiler.as_sql()
            slots = [
                (index, self._placeholders.index(value))
                for index, value in enumerate(params)
                if value in self._placeholders
            ]
            if sorted({n for _, n in slots}) != list(range(len(self._placeholders))):
                raise ImproperlyConfigured("Each placeholder must appear in the query.")
            compiled = self._local.compiled = (compiler, sql, list(params), slots)
        return compiled

    def all(self, *values: Any) -> list[M]:
        compiler, sql, params, slots = self._compile()
        params = params.copy()
        for index, n in slots:
            params[index] = values[n]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        return list(_instances(compiler, rows))

    def first(self, *values: Any) -> M | None:
        found = self.all(*values)
        return found[0] if found else None


def _instances(compiler: Any, rows: list[Any]) -> Iterator[Any]:
    """Model instances from rows, as django.db.models.query.ModelIterable builds them."""
    db = compiler.using
    select, klass_info = compiler.select, compiler.klass_info
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    init_list = [column[0].target.attname for column in select[start:end]]
    populators = django_query.get_related_populators(klass_info, select, db)  # type: ignore[attr-defined]
    model = klass_info["model"]
    for row in compiler.results_iter(results=[rows]):
        instance = model.from_db(db, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, instance)
        yield instance
