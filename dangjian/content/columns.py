"""Writes to the columns (栏目) of the sections: add, rename, reorder and delete.

Columns are the whole university's; those who may publish for a top-level organization manage
them (statistics.may_manage_columns). A column that still holds items is not deleted on its
own: its items move to another column of the same section first, in the same transaction, each
move audited on the item, so no item silently loses its column.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from dangjian.accounts.models import User
from dangjian.audit.services import log_action, log_actions_bulk
from dangjian.content.models import Category, Item, Section
from dangjian.content.statistics import may_manage_columns
from dangjian.lib import richtext

NAME_MAX_LENGTH = Category._meta.get_field("name").max_length or 40
DIRECTIONS = ("up", "down")


def _check(actor: User) -> None:
    if not may_manage_columns(actor):
        raise PermissionDenied


def _section_label(section: str) -> str:
    return str(dict(Section.choices).get(section, section))


def _taken(section: str, name: str) -> ValidationError:
    message = _("%(section)s already has a column named “%(name)s”; choose another name.")
    return ValidationError({"name": message % {"section": _section_label(section), "name": name}})


def _clean_name(section: str, name: str, *, exclude: int | None = None) -> str:
    text = " ".join(richtext.plain(name or "").split())
    if not text:
        raise ValidationError({"name": _("Give the column a name.")})
    if len(text) > NAME_MAX_LENGTH:
        message = _("A column's name can be at most %(max)d characters; this one has %(length)d.")
        raise ValidationError({"name": message % {"max": NAME_MAX_LENGTH, "length": len(text)}})
    others = Category.objects.filter(section=section, name__iexact=text)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise _taken(section, text)
    return text


def column_create(*, actor: User, section: str, name: str) -> Category:
    """Add a column at the end of its section."""
    _check(actor)
    if section not in Section.values:
        raise ValidationError({"section": _("Not a section: %(value)s") % {"value": section}})
    text = _clean_name(section, name)
    with transaction.atomic():
        last = Category.objects.filter(section=section).aggregate(m=Max("position"))["m"]
        position = 0 if last is None else last + 1
        try:
            with transaction.atomic():
                column = Category.objects.create(section=section, name=text, position=position)
        except IntegrityError:  # the same name, added at the same moment
            raise _taken(section, text) from None
        log_action(
            actor,
            "content.column.created",
            target=column,
            target_label=column.name,
            changes={
                "section": [None, section],
                "name": [None, text],
                "position": [None, position],
            },
        )
    return column


def column_rename(*, actor: User, column: Category, name: str) -> Category:
    """Rename a column; its items keep it, so readers see the new name at once."""
    _check(actor)
    with transaction.atomic():
        locked = Category.objects.select_for_update().get(pk=column.pk)
        text = _clean_name(locked.section, name, exclude=locked.pk)
        if text == locked.name:
            return locked
        before = locked.name
        locked.name = text
        try:
            with transaction.atomic():
                locked.save(update_fields=["name"])
        except IntegrityError:
            raise _taken(locked.section, text) from None
        log_action(
            actor,
            "content.column.renamed",
            target=locked,
            target_label=text,
            changes={"name": [before, text]},
        )
    return locked


def column_move(*, actor: User, column: Category, direction: str) -> bool:
    """Move a column one place up or down among its section's columns; False when it is at
    that end already. The section's positions are numbered again from 0."""
    _check(actor)
    if direction not in DIRECTIONS:
        raise ValidationError({"direction": _("Move a column up or down.")})
    with transaction.atomic():
        columns = list(
            Category.objects.select_for_update()
            .filter(section=column.section)
            .order_by("position", "name", "pk")
        )
        index = next((i for i, c in enumerate(columns) if c.pk == column.pk), None)
        if index is None:
            raise Category.DoesNotExist
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(columns):
            return False
        before = {c.pk: c.position for c in columns}
        columns[index], columns[other] = columns[other], columns[index]
        changed = []
        for position, each in enumerate(columns):
            if each.position != position:
                each.position = position
                changed.append(each)
        Category.objects.bulk_update(changed, ["position"])
        moved = columns[other]
        log_action(
            actor,
            "content.column.moved",
            target=moved,
            target_label=moved.name,
            changes={"position": [before[moved.pk], moved.position]},
            detail={"section": moved.section, "order": [c.name for c in columns]},
        )
    return True


def column_delete(*, actor: User, column: Category, move_to: Category | None = None) -> int:
    """Delete a column. One that holds items is refused unless `move_to`, another column of
    the same section, is given: its items move there first. Returns how many moved."""
    _check(actor)
    with transaction.atomic():
        locked = Category.objects.select_for_update().get(pk=column.pk)
        section = _section_label(locked.section)
        if move_to is not None and (move_to.pk == locked.pk or move_to.section != locked.section):
            message = _("Move the items to another column of %(section)s.")
            raise ValidationError({"move_to": message % {"section": section}})
        items = list(
            Item.objects.select_for_update().filter(category=locked).values_list("pk", "title")
        )
        if items and move_to is None:
            message = _(
                "The column “%(name)s” still holds items (%(count)d); choose another column of "
                "%(section)s to move them to, then delete it."
            )
            raise ValidationError(
                {
                    "move_to": message
                    % {"name": locked.name, "count": len(items), "section": section}
                }
            )
        if items and move_to is not None:
            Item.objects.filter(category=locked).update(category=move_to)
            log_actions_bulk(
                actor,
                "content.item.changed",
                [
                    (Item(pk=pk), title, {"category": [locked.pk, move_to.pk]})
                    for pk, title in items
                ],
                detail={"reason": "column deleted", "column": locked.name},
            )
        log_action(
            actor,
            "content.column.deleted",
            target=locked,
            target_label=locked.name,
            changes={"name": [locked.name, None], "position": [locked.position, None]},
            detail={
                "section": locked.section,
                "moved_items": len(items),
                "moved_to": move_to.name if move_to is not None and items else None,
            },
        )
        locked.delete()
    return len(items)
