"""Reads of contributions that depend on who is asking: the author's own, and the desk.

An editor's desk shows the contributions addressed to an organization within their
`content.review` scope, once moderation has cleared them (see services.py for the rule).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from dangjian.content import selectors as content
from dangjian.content.models import Upload
from dangjian.contributions.models import Contribution
from dangjian.lib.queries import get_or_none
from dangjian.members.models import Member
from dangjian.orgs import permissions as perms
from dangjian.orgs.models import Organization, ancestor_paths


def author_record(user: Any) -> Member | None:
    """The member record of one who may contribute: every member with an account."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "admin_role", None):
        return None
    return get_or_none(Member.objects.select_related("organization"), user=user)


def mine(user: Any) -> QuerySet[Contribution]:
    return (
        Contribution.objects.filter(author=user)
        .select_related("target", "item")
        .order_by("-submitted_at", "-id")
    )


def mine_get(user: Any, pk: int) -> Contribution:
    contribution = get_or_none(mine(user), pk=pk)
    if contribution is None:
        raise Http404
    return contribution


def may_edit_desk(user: Any) -> bool:
    return perms.has_any_scope(user, perms.CONTENT_REVIEW)


def desk(user: Any) -> QuerySet[Contribution]:
    """Every contribution on the user's desk, their own included (they cannot decide on it)."""
    return (
        Contribution.objects.filter(perms.scope_q(user, perms.CONTENT_REVIEW, "target_path"))
        .filter(moderation=Contribution.Moderation.CLEAR)
        .select_related("target", "author_org", "author", "item")
    )


def desk_queue(user: Any, state: str) -> QuerySet[Contribution]:
    """What waits in one state, oldest first for work to do, newest first for the record."""
    rows = desk(user).filter(state=state).exclude(author=user)
    if state in (Contribution.State.SUBMITTED, Contribution.State.ACCEPTED):
        return rows.order_by("submitted_at", "id")
    return rows.order_by("-updated_at", "-id")


def desk_counts(user: Any) -> dict[str, int]:
    rows = desk(user).exclude(author=user).values_list("state").annotate(n=Count("id")).order_by()
    counts = dict.fromkeys(Contribution.State.values, 0)
    counts.update(dict(rows))
    return counts


def desk_get(user: Any, pk: int) -> Contribution:
    contribution = get_or_none(desk(user), pk=pk)
    if contribution is None:
        raise Http404
    return contribution


def may_decide(user: Any, contribution: Contribution) -> bool:
    """An editor of the desk decides on what others wrote, never on their own."""
    return contribution.author_id != user.pk and perms.has_capability(
        user, contribution.target, perms.CONTENT_REVIEW
    )


def publishing_org(user: Any, contribution: Contribution) -> Organization | None:
    """The organization an editor publishes the article as: the highest one above (or at)
    the organization it was addressed to where they may publish, which is the organization
    of their own role. None when they may publish nowhere above it."""
    paths = ancestor_paths(contribution.target_path)
    orgs = {o.path: o for o in Organization.objects.filter(path__in=paths, is_active=True)}
    for path in paths:
        org = orgs.get(path)
        if org is not None and content.may_publish(user, org):
            return org
    return None


def may_publish(user: Any, contribution: Contribution) -> bool:
    return contribution.author_id != user.pk and publishing_org(user, contribution) is not None


def pictures(contribution: Contribution) -> list[Upload]:
    return [p.upload for p in contribution.pictures.select_related("upload").order_by("position")]


def picture_get(user: Any, key: Any) -> Upload:
    """A contribution's picture for its author and the editors whose desk it is on."""
    upload = get_or_none(Upload.objects.select_related("item"), key=key)
    if upload is None:
        raise Http404
    if upload.uploaded_by_id == user.pk:
        return upload
    visible = desk(user).filter(pictures__upload=upload).exists()
    if not visible:
        raise Http404
    return upload
