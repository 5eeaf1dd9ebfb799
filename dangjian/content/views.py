from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from dangjian.content import selectors, services


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(selectors.visible_items(request.user), pk=pk)
    services.record_read(user=request.user, item=item)  # type: ignore[arg-type]
    return HttpResponse(item.title)


def item_manage(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(selectors.writer_items(request.user), pk=pk)
    return HttpResponse(item.title)
