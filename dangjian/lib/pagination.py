from __future__ import annotations

from typing import Any, TypeVar

from django.core.paginator import Paginator
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)
MAX_PAGE_SIZE = 200


def paginate(qs: QuerySet[M], page: int, page_size: int) -> tuple[dict[str, Any], list[M]]:
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    paginator = Paginator(qs, page_size)
    current = paginator.get_page(page)
    meta = {"count": paginator.count, "page": current.number, "pages": paginator.num_pages}
    return meta, list(current.object_list)
