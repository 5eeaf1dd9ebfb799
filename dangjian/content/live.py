"""New content on the open pages: when an item goes live, the connected readers it targets
are told on the notification stream (notifications.broadcasts), and the reading pages offer
to show it."""

from __future__ import annotations

from django.urls import reverse

from dangjian.content.models import Item, Target
from dangjian.content.selectors import live_q
from dangjian.notifications import broadcasts

KIND = "content.published"


def render(item_id: int) -> broadcasts.Rendered | None:
    item = Item.objects.filter(live_q(), pk=item_id).values("section", "title", "target_all")
    row = item.first()
    if row is None:  # withdrawn or changed back since
        return None
    paths = None
    if not row["target_all"]:
        paths = frozenset(Target.objects.filter(item_id=item_id).values_list("path", flat=True))
    data = {
        "id": item_id,
        "section": row["section"],
        "title": row["title"],
        "link": reverse("content:item-detail", args=[item_id]),
    }
    return broadcasts.Rendered("content", data, paths)


def register() -> None:
    broadcasts.register(KIND, render)
