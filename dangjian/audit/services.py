"""Writing audit entries. Every service that writes member or organization data calls these."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from django.db import models

from dangjian.audit import context
from dangjian.audit.models import AuditEntry
from dangjian.lib import bulk


class _Actor(Protocol):
    pk: Any

    def get_username(self) -> str: ...


Changes = dict[str, list[Any]]


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def diff(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    *,
    masked: Mapping[str, Any] | None = None,
) -> Changes:
    """Old and new values of the fields that changed; masked fields go through their masker."""
    masked = masked or {}
    changes: Changes = {}
    for field, new in after.items():
        old = before.get(field)
        if old == new:
            continue
        mask = masked.get(field)
        if mask is not None:
            changes[field] = [mask(old or ""), mask(new or "")]
        else:
            changes[field] = [_jsonable(old), _jsonable(new)]
    return changes


def created(values: Mapping[str, Any], *, masked: Mapping[str, Any] | None = None) -> Changes:
    """The changes of a new record: every non-empty field from nothing to its value."""
    masked = masked or {}
    changes: Changes = {}
    for field, value in values.items():
        if value is None or value == "":
            continue
        mask = masked.get(field)
        changes[field] = [None, mask(value) if mask is not None else _jsonable(value)]
    return changes


def _entry(
    actor: _Actor | None,
    action: str,
    *,
    target: models.Model | None,
    target_label: str,
    org_code: str,
    changes: Changes | None,
    detail: Mapping[str, Any] | None,
    result: str,
    username: str,
) -> AuditEntry:
    request = context.current()
    return AuditEntry(
        actor=actor if actor is not None and actor.pk else None,  # type: ignore[misc]
        actor_username=username or (actor.get_username() if actor is not None else ""),
        action=action,
        result=result,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=target_label[:200],
        org_code=org_code,
        changes={k: [_jsonable(v) for v in pair] for k, pair in (changes or {}).items()},
        detail={k: _jsonable(v) for k, v in (detail or {}).items()},
        ip=request.ip,
        user_agent=request.user_agent,
        channel=request.channel,
    )


def log_action(
    actor: _Actor | None,
    action: str,
    *,
    target: models.Model | None = None,
    target_label: str = "",
    org_code: str = "",
    changes: Changes | None = None,
    detail: Mapping[str, Any] | None = None,
    result: str = AuditEntry.Result.SUCCESS,
    username: str = "",
) -> AuditEntry:
    entry = _entry(
        actor,
        action,
        target=target,
        target_label=target_label or (str(target) if target is not None else ""),
        org_code=org_code,
        changes=changes,
        detail=detail,
        result=result,
        username=username,
    )
    entry.save()
    return entry


def log_actions_bulk(
    actor: _Actor | None,
    action: str,
    targets: Iterable[tuple[models.Model, str, Changes]],
    *,
    detail: Mapping[str, Any] | None = None,
) -> int:
    """One entry per target in a single round trip (imports write thousands)."""
    request = context.current()
    shared_detail = {k: _jsonable(v) for k, v in (detail or {}).items()}
    actor_id = actor.pk if actor is not None else None
    username = actor.get_username() if actor is not None else ""
    entries = [
        AuditEntry(
            actor_id=actor_id,
            actor_username=username,
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            target_label=label[:200],
            org_code=org_code_of(target),
            changes=changes,
            detail=shared_detail,
            ip=request.ip,
            user_agent=request.user_agent,
            channel=request.channel,
        )
        for target, label, changes in targets
    ]
    bulk.create(AuditEntry, entries)
    return len(entries)


def org_code_of(target: models.Model) -> str:
    code = getattr(target, "audit_org_code", "")
    return str(code() if callable(code) else code)
