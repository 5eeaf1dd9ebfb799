"""Pagination that never counts more rows than it needs to.

An exact COUNT(*) over a large subtree costs about a microsecond per row even as an
index-only scan; the roster shows at most 10,000 as an exact total and "10,000+" beyond,
unless the caller already knows the exact total (from the organization counters).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.utils.functional import cached_property

M = TypeVar("M", bound=Model)
MAX_PAGE_SIZE = 200
COUNT_CAP = 100_000


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    def __init__(
        self, object_list: QuerySet[Any], per_page: int, *, known_count: int | None = None
    ) -> None:
        super().__init__(object_list, per_page)
        self.known_count = known_count

    @cached_property
    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        queryset: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        return int(queryset[: COUNT_CAP + 1].count())

    @property
    def capped(self) -> bool:
        return self.known_count is None and self.count > COUNT_CAP


def paginate(
    qs: QuerySet[M], page: int, page_size: int, *, known_count: int | None = None
) -> tuple[dict[str, Any], list[M]]:
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    paginator = CappedPaginator(qs, page_size, known_count=known_count)
    current = paginator.get_page(page)
    meta = {
        "count": min(paginator.count, COUNT_CAP) if paginator.capped else paginator.count,
        "count_capped": paginator.capped,
        "page": current.number,
        "pages": paginator.num_pages,
    }
    return meta, list(current.object_list)


class SeekPage:
    """A page that knows whether another follows without counting the rows.

    It reads one row more than it shows; the total, when wanted, is counted separately
    (the roster loads it after the page, so the first page never waits for a COUNT).
    """

    def __init__(
        self, rows_of: Callable[[int, int], list[Any]], number: object, per_page: int
    ) -> None:
        """`rows_of(start, stop)` reads rows [start, stop) of the listing."""
        try:
            self.number = max(1, int(str(number)))
        except ValueError:
            self.number = 1
        start = (self.number - 1) * per_page
        stop = start + per_page + 1
        rows = rows_of(start, stop)
        self.object_list = rows[:per_page]
        self._has_next = len(rows) > per_page

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def capped_count(queryset: QuerySet[Any], cap: int) -> tuple[int, bool]:
    """The number of rows, counting no further than `cap`; and whether it stopped there."""
    found = int(queryset[: cap + 1].count())
    return min(found, cap), found > cap
