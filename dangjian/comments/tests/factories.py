"""Items that take comments, made through the content services as a writer and an editor
would make them."""

from __future__ import annotations

from typing import Any

from dangjian.content import selectors as content
from dangjian.content.models import Item
from dangjian.content.services import ItemInput, item_publish, item_save
from dangjian.testing.personas import University


def published_item(
    uni: University, *, title: str = "支部开展主题党日活动", comments: bool = True, **fields: Any
) -> Item:
    """A news item of B11, shown to B11 only, written by its secretary and published by the
    organization department."""
    data = ItemInput(
        section="news",
        title=title,
        owner=uni.b11,
        body="<p>本周支部组织党员参观红色教育基地。</p>",
        target_all=False,
        targets=[uni.b11],
        comments_enabled=comments,
        **fields,
    )
    item = item_save(actor=uni.user("secretary1"), data=data)
    publisher = uni.user("orgdept")
    assert content.may_publish(publisher, item.owner)
    return item_publish(actor=publisher, item=item)
