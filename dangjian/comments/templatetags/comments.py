"""The comment thread inside an item's page:

{% load comments %}{% comment_thread item %}
"""

from __future__ import annotations

from typing import Any

from django import template

from dangjian.comments import fragments, selectors
from dangjian.content.models import Item

register = template.Library()


@register.inclusion_tag("comments/thread_tag.html", takes_context=True)
def comment_thread(context: template.Context, item: Item) -> dict[str, Any]:
    """The thread with its forms, for the signed-in reader of the item (nothing otherwise;
    nothing either when comments are off and none were written)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {"show": False}
    readable = selectors.readable(request.user, item.pk)
    if not readable:
        return {"show": False}
    result = fragments.thread_context(
        request, item, readable=True, return_to=fragments.safe_path(request.get_full_path())
    )
    result["show"] = item.comments_enabled or bool(result["thread"].entries)
    return result


@register.filter
def failed_on(failed: fragments.Failed | None, pk: int) -> str:
    """The kind of the form on this comment that came back with errors ("" for none)."""
    if failed is None or failed.pk != pk:
        return ""
    return failed.kind
