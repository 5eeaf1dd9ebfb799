"""The thread fragment's context, shared by the template tag (inside the item page) and the
views that answer htmx requests with the re-rendered thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from dangjian.comments import selectors
from dangjian.content.models import Item

PAGE_PARAM = "cpage"


@dataclass
class Failed:
    """A form that came back with errors: which one, what was typed, and what is wrong."""

    kind: str  # "post", "reply", "edit", "report" or "hide"
    pk: int | None = None  # the comment replied to, changed, reported or hidden
    value: str = ""
    errors: list[str] = field(default_factory=list)


def item_url(item_id: int) -> str:
    return reverse("content:item-detail", args=[item_id])


def safe_path(candidate: str) -> str:
    """A path on this site ("/content/3/?cpage=2"), or "" for anything else."""
    if (
        not candidate
        or not candidate.startswith("/")
        or candidate.startswith("//")
        or "\\" in candidate
        or any(ch.isspace() or ord(ch) < 32 for ch in candidate)
        or not url_has_allowed_host_and_scheme(candidate, allowed_hosts=None)
    ):
        return ""
    return candidate.split("#", 1)[0]


def here(request: HttpRequest, item_id: int) -> str:
    """The page the thread sits in: where a form without JavaScript returns to."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if not candidate:
        htmx = getattr(request, "htmx", None)
        if htmx and htmx.current_url_abs_path:
            candidate = htmx.current_url_abs_path
    return safe_path(candidate) or item_url(item_id)


def with_param(path: str, name: str, value: Any) -> str:
    parts = urlsplit(path)
    query = QueryDict(parts.query, mutable=True)
    query[name] = str(value)
    return urlunsplit(("", "", parts.path, query.urlencode(), ""))


def page_limit(request: HttpRequest) -> int:
    """How many top comments to show: PAGE_SIZE per page asked for (?cpage=2 shows 40)."""
    try:
        pages = int(request.GET.get(PAGE_PARAM, "1"))
    except ValueError:
        pages = 1
    return selectors.PAGE_SIZE * max(1, min(pages, selectors.MAX_PAGES))


def thread_context(
    request: HttpRequest,
    item: Item,
    *,
    readable: bool,
    moderator: bool | None = None,
    limit: int | None = None,
    return_to: str | None = None,
    notice: str = "",
    notice_level: str = "success",
    failed: Failed | None = None,
) -> dict[str, Any]:
    user = request.user
    thread = selectors.thread(
        item,
        user,
        limit=limit or page_limit(request),
        readable=readable,
        moderator=moderator,
    )
    back = return_to or here(request, item.pk)
    more = thread.next_page
    return {
        "thread": thread,
        "item": item,
        "here": back,
        "request": request,
        "notice": notice,
        "notice_level": notice_level,
        "failed": failed,
        "more_href": with_param(back, PAGE_PARAM, more) + "#comments",
        "more_hx": reverse("comments:thread", args=[item.pk])
        + "?"
        + urlencode({PAGE_PARAM: more, "next": back}),
    }
