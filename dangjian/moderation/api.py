"""API: check a text, and the review queue's operations, under the same scope and audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from dangjian.lib.pagination import MAX_PAGE_SIZE
from dangjian.moderation import selectors, services
from dangjian.moderation.models import Screening
from dangjian.orgs import permissions as perms

router = Router(tags=["moderation"])
MAX_TEXT = 20_000


class CheckIn(Schema):
    text: str = Field(..., max_length=MAX_TEXT)


class HitOut(Schema):
    term: str
    category: str
    action: str
    start: int
    end: int


class CheckOut(Schema):
    action: str
    hits: list[HitOut]


class ScreeningOut(Schema):
    id: int
    source: str
    object_id: str
    author: str | None
    text: str
    action: str
    state: str
    hits: list[HitOut]
    created_at: dt.datetime
    decided_at: dt.datetime | None
    decided_by: str | None
    reason: str

    @staticmethod
    def build(s: Screening) -> ScreeningOut:
        return ScreeningOut(
            id=s.pk,
            source=s.source,
            object_id=s.object_id,
            author=s.author.username if s.author else None,
            text=s.shown_to_reviewers,
            action=s.action,
            state=s.state,
            hits=[
                HitOut(term=h.term, category=h.category, action=h.action, start=h.start, end=h.end)
                for h in s.hits.all()
            ],
            created_at=s.created_at,
            decided_at=s.decided_at,
            decided_by=s.decided_by.username if s.decided_by else None,
            reason=s.reason,
        )


class QueuePage(Schema):
    count: int
    results: list[ScreeningOut]


class DecisionIn(Schema):
    reason: str = Field("", max_length=500)


def _may_check(user: Any) -> bool:
    return (
        getattr(user, "admin_role", "") == "system_admin"
        or perms.has_any_scope(user, perms.MODERATION_REVIEW)
        or perms.has_any_scope(user, perms.MODERATION_MANAGE)
    )


def _reviewer(request: HttpRequest) -> Any:
    if not perms.has_any_scope(request.user, perms.MODERATION_REVIEW):
        raise Http404
    return request.user


@router.post("/check", response=CheckOut, summary="Check a text against the dictionary")
def check(request: HttpRequest, payload: CheckIn) -> dict[str, Any]:
    """The verdict the moderation service would give, with spans in the original text (code
    points). Nothing is recorded."""
    if not _may_check(request.user):
        raise Http404
    return services.check(payload.text).as_dict()


@router.get("/queue", response=QueuePage, summary="Held texts (or decided ones) in your scope")
def queue(
    request: HttpRequest, state: str = Screening.State.HELD, offset: int = 0, limit: int = 50
) -> QueuePage:
    user = _reviewer(request)
    if state not in Screening.State.values:
        raise ValidationError(
            {
                "state": _("There is no state “%(given)s”; use one of: %(states)s.")
                % {"given": state, "states": ", ".join(Screening.State.values)}
            }
        )
    rows = selectors.queue(user, state=state)
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    offset = max(0, offset)
    return QueuePage(
        count=rows.count(),
        results=[ScreeningOut.build(s) for s in rows[offset : offset + limit]],
    )


@router.get("/screenings/{screening_id}", response=ScreeningOut, summary="One screened text")
def screening_detail(request: HttpRequest, screening_id: int) -> ScreeningOut:
    return ScreeningOut.build(selectors.screening_get(_reviewer(request), screening_id))


@router.post(
    "/screenings/{screening_id}/approve", response=ScreeningOut, summary="Approve a held text"
)
def screening_approve(request: HttpRequest, screening_id: int, payload: DecisionIn) -> ScreeningOut:
    user = _reviewer(request)
    screening = services.screening_approve(
        selectors.screening_get(user, screening_id), actor=user, reason=payload.reason
    )
    return ScreeningOut.build(selectors.screening_get(user, screening.pk))


@router.post(
    "/screenings/{screening_id}/reject", response=ScreeningOut, summary="Reject a held text"
)
def screening_reject(request: HttpRequest, screening_id: int, payload: DecisionIn) -> ScreeningOut:
    user = _reviewer(request)
    screening = services.screening_reject(
        selectors.screening_get(user, screening_id), actor=user, reason=payload.reason
    )
    return ScreeningOut.build(selectors.screening_get(user, screening.pk))
