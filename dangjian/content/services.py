"""Writes to content: save, submit, review, publish, withdraw, pin, record a reading.

The path of an item: a writer saves a draft; one who may publish directly publishes it (now
or at a time to come); one who may not submits it, and a second person who may review it
approves (it is published) or returns it with a note. When an item goes live, and it asks for
it (notices do by default), every targeted member gets it in their inbox (`announce`), once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from dangjian.accounts.models import User
from dangjian.audit.services import log_action
from dangjian.content import live, selectors
from dangjian.content.models import (
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Category,
    Item,
    Read,
    ResearchKind,
    ResearchStatus,
    Section,
    State,
    Tag,
    Target,
    Upload,
)
from dangjian.lib import richtext
from dangjian.lib.tasks import enqueue_on_commit
from dangjian.members.models import Member
from dangjian.notifications import broadcasts
from dangjian.notifications import selectors as inbox
from dangjian.notifications.models import Delivery
from dangjian.notifications.services import notify
from dangjian.orgs import permissions as perms
from dangjian.orgs.models import Organization, subtree_q

MAX_TAGS = 8
TAG_MAX_LENGTH = 20
UPLOAD_REF = re.compile(r"/content/[0-9a-f]{2}/([0-9a-f]{32})\.")
# Sections that go to the members' inboxes unless the writer says otherwise.
NOTIFIED_BY_DEFAULT = frozenset({Section.NOTICE})


@dataclass
class ItemInput:
    """What a writer fills in; `item_save` checks it against the rules and their scope."""

    section: str
    title: str
    owner: Organization
    body: str = ""
    summary: str = ""
    category: Category | None = None
    tags: list[str] = field(default_factory=list)
    cover: Upload | None = None
    attachments: list[Upload] = field(default_factory=list)
    byline: str = ""
    target_all: bool = True
    targets: list[Organization] = field(default_factory=list)
    publish_at: dt.datetime | None = None
    comments_enabled: bool = False
    send_notification: bool | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    location: str = ""
    procedure: str = ""
    research_kind: str = ""
    research_status: str = ""
    research_members: str = ""
    # Uploads someone else made that the caller vouches for (a contribution's pictures, which
    # its author uploaded): the item may use them like the writer's own.
    handed_over: list[Upload] = field(default_factory=list)


def _plain_field(value: str, name: str, label: str, limit: int, *, required: bool) -> str:
    text = richtext.plain(value or "")
    if required and not text:
        raise ValidationError({name: _("%(field)s is required.") % {"field": label}})
    if len(text) > limit:
        message = _("%(field)s can be at most %(max)d characters; this one has %(length)d.")
        raise ValidationError({name: message % {"field": label, "max": limit, "length": len(text)}})
    return text


def _tags(names: Iterable[str]) -> list[Tag]:
    cleaned: dict[str, None] = {}
    for name in names:
        text = richtext.plain(name).strip("#＃ ")
        if text:
            if len(text) > TAG_MAX_LENGTH:
                message = _("A tag can be at most %(max)d characters: %(tag)s")
                raise ValidationError({"tags": message % {"max": TAG_MAX_LENGTH, "tag": text}})
            cleaned.setdefault(text, None)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({"tags": _("At most %(max)d tags.") % {"max": MAX_TAGS}})
    tags = []
    for name in cleaned:
        try:
            with transaction.atomic():
                tag, _created = Tag.objects.get_or_create(name=name)
        except IntegrityError:  # written at the same moment by another writer
            tag = Tag.objects.get(name=name)
        tags.append(tag)
    return tags


def _check_scope(actor: User, data: ItemInput) -> None:
    if not selectors.may_write(actor, data.owner):
        raise PermissionDenied
    if data.target_all:
        if data.owner.parent_id is not None:
            message = _(
                "Only the university's own organization can publish to the whole university; "
                "choose the organizations to show it to."
            )
            raise ValidationError({"targets": message})
        return
    if not data.targets:
        raise ValidationError(
            {
                "targets": _(
                    "Choose at least one organization to show it to, or the whole university."
                )
            }
        )
    for org in data.targets:
        if not org.path.startswith(data.owner.path):
            message = _(
                "%(org)s is not within %(owner)s: an organization publishes to its own subtree."
            )
            raise ValidationError({"targets": message % {"org": org, "owner": data.owner}})


def _check_section_fields(data: ItemInput) -> None:
    if data.section not in Section.values:
        raise ValidationError({"section": _("Not a section: %(value)s") % {"value": data.section}})
    if data.category is not None and data.category.section != data.section:
        message = _("The column %(column)s belongs to another section.")
        raise ValidationError({"category": message % {"column": data.category}})
    if data.starts_at and data.ends_at and data.ends_at < data.starts_at:
        raise ValidationError({"ends_at": _("An activity cannot end before it starts.")})
    if data.research_kind and data.research_kind not in ResearchKind.values:
        raise ValidationError({"research_kind": _("Not a research type.")})
    if data.research_status and data.research_status not in ResearchStatus.values:
        raise ValidationError({"research_status": _("Not a research status.")})
    if data.procedure and not re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*", data.procedure):
        message = _("A procedure code is lower-case letters, digits and dots: %(value)s")
        raise ValidationError({"procedure": message % {"value": data.procedure}})


def _check_upload(
    actor: User, upload: Upload | None, item: Item | None, name: str, data: ItemInput
) -> None:
    if upload is None:
        return
    # As stored now, not as the caller loaded it.
    upload.item_id, upload.uploaded_by_id = (
        Upload.objects.filter(pk=upload.pk).values_list("item_id", "uploaded_by_id").get()
    )
    here = item is not None and upload.item_id == item.pk
    mine = upload.uploaded_by_id == actor.pk and (upload.item_id is None or here)
    handed = upload.item_id is None and upload.pk in {u.pk for u in data.handed_over}
    if not (mine or here or handed):
        raise ValidationError({name: _("That file was not uploaded for this item.")})


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def _snapshot(item: Item) -> dict[str, Any]:
    return {
        "section": item.section,
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "owner": item.owner_id,
        "category": item.category_id,
        "target_all": item.target_all,
        "publish_at": item.publish_at.isoformat() if item.publish_at else None,
        "comments_enabled": item.comments_enabled,
        "send_notification": item.send_notification,
        "byline": item.byline,
        "cover": item.cover_id,
    }


def item_save(*, actor: User, data: ItemInput, item: Item | None = None) -> Item:
    """Create an item (a draft) or change one; a published item keeps its state and may be
    changed only by one who may publish it."""
    title = _plain_field(
        data.title, "title", pgettext("content", "Title"), TITLE_MAX_LENGTH, required=True
    )
    summary = _plain_field(
        data.summary, "summary", _("Summary"), SUMMARY_MAX_LENGTH, required=False
    )
    byline = _plain_field(data.byline, "byline", _("Author credit"), 60, required=False)
    try:
        body = richtext.sanitize(data.body or "")
    except ValueError:
        raise ValidationError({"body": _("The text is too long.")}) from None
    _check_scope(actor, data)
    _check_section_fields(data)
    _check_upload(actor, data.cover, item, "cover", data)
    for upload in data.attachments:
        _check_upload(actor, upload, item, "attachments", data)
    tags = _tags(data.tags)
    notify_members = (
        data.section in NOTIFIED_BY_DEFAULT
        if data.send_notification is None
        else data.send_notification
    )
    with transaction.atomic():
        created = item is None
        if item is None:
            item = Item(author=actor)
        else:
            # Decided on the locked row: another request may have submitted or published it.
            item = Item.objects.select_for_update().select_related("owner").get(pk=item.pk)
            _check_change_allowed(actor, item, data)
        before = {} if created else _snapshot(item)
        targets_before = None if created else _targets_label(item)
        tags_before = None if created else _tags_label(item.tags.values_list("name", flat=True))
        item.section = data.section
        item.title, item.summary, item.body, item.byline = title, summary, body, byline
        item.owner, item.owner_path = data.owner, data.owner.path
        item.category = data.category
        item.cover = data.cover
        item.target_all = data.target_all
        item.comments_enabled = data.comments_enabled
        item.send_notification = notify_members
        item.starts_at, item.ends_at, item.location = data.starts_at, data.ends_at, data.location
        item.procedure = data.procedure
        item.research_kind, item.research_status = data.research_kind, data.research_status
        item.research_members = richtext.plain(data.research_members)[:200]
        # Once an item has gone out, its publication time is history.
        if item.announced_at is None and (data.publish_at or item.state != State.PUBLISHED):
            item.publish_at = data.publish_at
        item.search_text = selectors.fold(" ".join((title, summary, richtext.to_text(body))))
        item.edited_by = actor
        item.save()
        item.tags.set(tags)
        Target.objects.filter(item=item).delete()
        if not data.target_all:
            Target.objects.bulk_create(
                Target(item=item, organization=org, path=org.path) for org in data.targets
            )
        _link_uploads(actor, item, data)
        changes = _changes(before, _snapshot(item))
        targets_after = _targets_label(item)
        if targets_after != targets_before:
            changes["targets"] = [targets_before, targets_after]
        tags_after = _tags_label(t.name for t in tags)
        if tags_after != tags_before:
            changes["tags"] = [tags_before, tags_after]
        log_action(
            actor,
            "content.item.created" if created else "content.item.changed",
            target=item,
            target_label=item.title,
            org_code=item.owner.code,
            changes=changes,
        )
        if item.state == State.PUBLISHED:
            _schedule_announce(item)
    return item


def _targets_label(item: Item) -> str:
    """The audience as the audit records it: "*" for the whole university, else the codes."""
    if item.target_all:
        return "*"
    return ", ".join(sorted(item.target_rows.values_list("organization__code", flat=True)))


def _tags_label(names: Iterable[str]) -> str:
    return "、".join(sorted(names))


def _check_change_allowed(actor: User, item: Item, data: ItemInput) -> None:
    if not selectors.may_write(actor, item.owner):
        raise PermissionDenied
    if item.state in (State.PUBLISHED, State.PENDING) and not (
        selectors.may_publish(actor, item.owner) and selectors.may_publish(actor, data.owner)
    ):
        message = _(
            "This item is published or awaiting review; ask an editor who may publish it "
            "to change it, or withdraw it first."
        )
        raise ValidationError({"__all__": message})


def _link_uploads(actor: User, item: Item, data: ItemInput) -> None:
    """Tie the writer's uploads that the item uses (in its body, as cover, as attachments)."""
    keys = set(UPLOAD_REF.findall(item.body))
    used = Q(key__in=keys) | Q(pk__in=[u.pk for u in data.attachments])
    used |= Q(pk__in=[u.pk for u in data.handed_over])
    if data.cover is not None:
        used |= Q(pk=data.cover.pk)
    handed = Q(pk__in=[u.pk for u in data.handed_over], item__isnull=True)
    allowed = Q(uploaded_by=actor, item__isnull=True) | Q(item=item) | handed
    Upload.objects.filter(used & allowed).update(item=item)
    # What the item no longer uses is no longer shown with it: only its uploader sees it now.
    Upload.objects.filter(item=item).exclude(used).update(item=None, is_attachment=False)
    attached = [u.pk for u in data.attachments]
    Upload.objects.filter(item=item).update(is_attachment=False)
    Upload.objects.filter(item=item, pk__in=attached).update(is_attachment=True)


def item_submit(*, actor: User, item: Item) -> Item:
    """A writer asks for a second person's review."""
    return _transition(
        actor,
        item,
        allowed=(State.DRAFT, State.RETURNED, State.WITHDRAWN),
        to=State.PENDING,
        action="content.item.submitted",
        check=lambda: selectors.may_write(actor, item.owner),
        extra={"submitted_at": timezone.now(), "submitted_by": actor},
    )


def item_publish(*, actor: User, item: Item, publish_at: dt.datetime | None = None) -> Item:
    """Publish directly (now, or at `publish_at`): for those who may publish without review."""
    item = _transition(
        actor,
        item,
        allowed=(State.DRAFT, State.RETURNED, State.WITHDRAWN, State.PENDING),
        to=State.PUBLISHED,
        action="content.item.published",
        check=lambda: selectors.may_publish(actor, item.owner),
        extra={"publish_at": publish_at or item.publish_at or timezone.now()},
    )
    return item


def item_approve(*, actor: User, item: Item) -> Item:
    """A second person approves a submitted item: it is published (at its time, if set)."""
    _check_reviewer(actor, item)
    item = _transition(
        actor,
        item,
        allowed=(State.PENDING,),
        to=State.PUBLISHED,
        action="content.item.approved",
        check=lambda: True,
        extra={
            "publish_at": item.publish_at if item.publish_at else timezone.now(),
            "reviewed_by": actor,
            "reviewed_at": timezone.now(),
            "review_note": "",
        },
    )
    _tell_author(item, actor, "content.approved", _("Published: %(title)s"))
    return item


SECOND_PERSON = gettext_lazy("A second person reviews what you wrote or changed; you cannot.")


def _check_reviewer(actor: User, item: Item) -> None:
    if not perms.has_capability(actor, item.owner, perms.CONTENT_REVIEW):
        raise PermissionDenied
    if item.wrote(actor.pk):
        raise ValidationError({"__all__": str(SECOND_PERSON)})


def item_return(*, actor: User, item: Item, note: str) -> Item:
    """A reviewer sends a submitted item back to its writer with what to change."""
    note = richtext.plain(note)
    if not note:
        raise ValidationError({"note": _("Say what should change, so the writer can fix it.")})
    _check_reviewer(actor, item)
    item = _transition(
        actor,
        item,
        allowed=(State.PENDING,),
        to=State.RETURNED,
        action="content.item.returned",
        check=lambda: True,
        extra={"reviewed_by": actor, "reviewed_at": timezone.now(), "review_note": note[:500]},
    )
    _tell_author(item, actor, "content.returned", _("Returned for changes: %(title)s"), body=note)
    return item


def item_withdraw(*, actor: User, item: Item) -> Item:
    """Take a published item down (it stays, withdrawn, for the record)."""
    return _transition(
        actor,
        item,
        allowed=(State.PUBLISHED, State.PENDING),
        to=State.WITHDRAWN,
        action="content.item.withdrawn",
        check=lambda: (
            selectors.may_publish(actor, item.owner)
            or selectors.may_review(actor, item)
            or (item.author_id == actor.pk and selectors.may_write(actor, item.owner))
        ),
        extra={},
    )


def item_pin(*, actor: User, item: Item, pinned: bool) -> Item:
    if not selectors.may_publish(actor, item.owner):
        raise PermissionDenied
    with transaction.atomic():
        changed = Item.objects.filter(pk=item.pk).exclude(pinned=pinned).update(pinned=pinned)
        if changed:
            log_action(
                actor,
                "content.item.pinned" if pinned else "content.item.unpinned",
                target=item,
                target_label=item.title,
                org_code=item.owner.code,
                changes={"pinned": [not pinned, pinned]},
            )
    item.pinned = pinned
    return item


def _transition(
    actor: User,
    item: Item,
    *,
    allowed: tuple[str, ...],
    to: str,
    action: str,
    check: Any,
    extra: dict[str, Any],
) -> Item:
    if not check():
        raise PermissionDenied
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        if locked.state not in allowed:
            message = _("This item is %(state)s; it cannot be %(action)s now.")
            raise ValidationError(
                {
                    "__all__": message
                    % {"state": locked.get_state_display(), "action": _action_word(action)}
                }
            )
        if action in ("content.item.approved", "content.item.returned") and locked.wrote(actor.pk):
            raise ValidationError({"__all__": str(SECOND_PERSON)})  # changed since it was read
        before = locked.state
        locked.state = to
        for name, value in extra.items():
            setattr(locked, name, value)
        locked.save()
        log_action(
            actor,
            action,
            target=locked,
            target_label=locked.title,
            org_code=item.owner.code,
            changes={"state": [before, to]},
            detail={"publish_at": locked.publish_at.isoformat()} if locked.publish_at else None,
        )
        if to == State.PUBLISHED:
            _schedule_announce(locked)
    return locked


def _action_word(action: str) -> str:
    return {
        "content.item.submitted": pgettext("content action", "submitted"),
        "content.item.published": pgettext("content action", "published"),
        "content.item.approved": pgettext("content action", "approved"),
        "content.item.returned": pgettext("content action", "returned"),
        "content.item.withdrawn": pgettext("content action", "withdrawn"),
    }.get(action, action)


def _tell_author(item: Item, actor: User, kind: str, title: str, body: str = "") -> None:
    if item.author is None or item.author_id == actor.pk:
        return
    notify(
        [item.author],
        kind=kind,
        title=(title % {"title": item.title})[:200],
        body=body,
        link=reverse("content:item-manage", args=[item.pk]),
        actor=actor,
    )


# -- Going live ---------------------------------------------------------------------------


def _schedule_announce(item: Item) -> None:
    """Announce after commit if the item is live now; a scheduled one waits for publish_due."""
    if item.publish_at is not None and item.publish_at <= timezone.now():
        from dangjian.content.tasks import announce_task

        enqueue_on_commit(announce_task, item.pk)


def audience(item: Item) -> Any:
    """The accounts an item reaches: active members (with an account) of its targets."""
    members = Member.objects.filter(user__isnull=False, user__is_active=True, standing="active")
    if not item.target_all:
        q = Q(pk__in=[])
        for path in item.target_rows.values_list("path", flat=True):
            q |= subtree_q(path, "org_path")
        members = members.filter(q)
    return User.objects.filter(pk__in=members.values("user_id"))


def announce(item_id: int) -> bool:
    """The moment an item goes live: send it to the targeted members' inboxes if it asks for
    it. Runs once per publication, whoever calls it first (the claim is a conditional UPDATE);
    False when there was nothing to do."""
    now = timezone.now()
    with transaction.atomic():
        claimed = Item.objects.filter(
            pk=item_id, state=State.PUBLISHED, publish_at__lte=now, announced_at__isnull=True
        ).update(announced_at=now)
        if not claimed:
            return False
        item = Item.objects.select_related("owner", "author").get(pk=item_id)
        broadcasts.broadcast(live.KIND, item.pk)  # the open pages of those it targets
        if item.send_notification:
            notification = notify(
                audience(item),
                kind=f"content.{item.section}",
                title=item.title,
                body=item.summary or richtext.to_text(item.body, limit=120),
                link=reverse("content:item-detail", args=[item.pk]),
                actor=item.author,
            )
            Item.objects.filter(pk=item.pk).update(notification=notification)
    return True


def publish_due(now: dt.datetime | None = None) -> int:
    """Announce every published item whose time has come (the periodic job); how many."""
    now = now or timezone.now()
    due = Item.objects.filter(
        state=State.PUBLISHED, announced_at__isnull=True, publish_at__lte=now
    ).values_list("pk", flat=True)
    return sum(1 for pk in list(due) if announce(pk))


# -- Reading --------------------------------------------------------------------------------


def record_read(*, user: User, item: Item) -> None:
    """The user opened the item: count the view, remember the reader, and mark the item's
    inbox message read (the sender's read receipts)."""
    now = timezone.now()
    with transaction.atomic():
        Item.objects.filter(pk=item.pk).update(views=F("views") + 1)
        updated = Read.objects.filter(item=item, user=user).update(
            last_at=now, count=F("count") + 1
        )
        if not updated:
            org_path = (
                Member.objects.filter(user=user).values_list("org_path", flat=True).first() or ""
            )
            try:
                with transaction.atomic():
                    Read.objects.create(item=item, user=user, org_path=org_path)
            except IntegrityError:  # the same reader in two tabs at once
                Read.objects.filter(item=item, user=user).update(last_at=now, count=F("count") + 1)
        if item.notification_id is not None:
            read = Delivery.objects.filter(
                notification_id=item.notification_id, recipient=user, read_at__isnull=True
            ).update(read_at=now)
            if read:
                inbox.forget_unread_counts([user.pk])


# -- Uploads --------------------------------------------------------------------------------

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
FILE_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".txt": "text/plain",
    ".zip": "application/zip",
    ".wps": "application/vnd.ms-works",
}


def upload_limit(kind: str) -> int:
    key = "CONTENT_IMAGE_MAX_BYTES" if kind == Upload.Kind.IMAGE else "CONTENT_FILE_MAX_BYTES"
    default = 10 * 1024 * 1024 if kind == Upload.Kind.IMAGE else 30 * 1024 * 1024
    return int(getattr(settings, key, default))


def upload_create(*, actor: User, file: Any, kind: str) -> Upload:
    """Store a picture or an attachment a writer uploaded. Pictures are opened and written
    again (which drops what they carry besides the picture, such as the place it was taken);
    attachments must be of a known document type."""
    from dangjian.content import images

    if kind not in Upload.Kind.values:
        raise ValidationError({"kind": _("Not a kind of upload.")})
    name = richtext.plain(getattr(file, "name", "") or "file")[-200:]
    size = int(getattr(file, "size", 0) or 0)
    limit = upload_limit(kind)
    if size > limit:
        message = _("%(name)s is %(size)s MB; at most %(max)s MB can be uploaded.")
        raise ValidationError(
            {
                "file": message
                % {"name": name, "size": f"{size / 1048576:.1f}", "max": limit // 1048576}
            }
        )
    if size == 0:
        raise ValidationError({"file": _("%(name)s is empty.") % {"name": name}})
    per_hour = int(getattr(settings, "CONTENT_UPLOADS_PER_HOUR", 100))
    recent = Upload.objects.filter(
        uploaded_by=actor, created_at__gte=timezone.now() - dt.timedelta(hours=1)
    )
    if recent.count() >= per_hour:
        message = _("You have uploaded %(count)d files in the last hour; try again later.")
        raise ValidationError({"file": message % {"count": per_hour}})
    upload = Upload(kind=kind, name=name, uploaded_by=actor)
    if kind == Upload.Kind.IMAGE:
        picture = images.clean_image(file, name)
        upload.content_type = IMAGE_FORMATS[picture.format]
        upload.width, upload.height = picture.width, picture.height
        upload.size = len(picture.data)
        upload.file.save(f"x{picture.suffix}", picture.as_file(), save=False)
    else:
        suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if suffix not in FILE_TYPES:
            message = _("%(name)s: only these kinds of file can be attached: %(types)s")
            types = " ".join(sorted(FILE_TYPES))
            raise ValidationError({"file": message % {"name": name, "types": types}})
        upload.content_type = FILE_TYPES[suffix]
        upload.size = size
        upload.file.save(f"x{suffix}", file, save=False)
    upload.save()
    return upload


def prune_uploads(*, older_than: dt.timedelta = dt.timedelta(days=7)) -> int:
    """Delete uploads that nothing uses: no item, nothing else pointing at them (a
    contribution's pictures do), and older than `older_than` (a writer may still be writing).
    Returns how many files went."""
    loose = Upload.objects.filter(item__isnull=True, created_at__lt=timezone.now() - older_than)
    # Whatever points at an upload keeps it: items' covers, contributions' pictures, and any
    # model added later (found from the relations, so content need not know them).
    for relation in Upload._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete and relation.is_relation:
            model = relation.related_model
            column = relation.field.attname  # type: ignore[union-attr]
            # NOT IN over a column with NULLs matches nothing: leave the NULLs out.
            users = model._default_manager.filter(**{f"{column}__isnull": False})  # type: ignore[union-attr]
            loose = loose.exclude(pk__in=users.values(column))
    count = 0
    for upload in loose.iterator(chunk_size=500):
        upload.file.delete(save=False)
        upload.delete()
        count += 1
    return count
