"""Receivers for signals from the organization tree."""

from __future__ import annotations

from typing import Any

from django.db.models import Value
from django.db.models.functions import Concat, Substr

from dangjian.members.models import Member
from dangjian.orgs.models import subtree_q


def rewrite_member_paths(sender: Any, *, old_path: str, new_path: str, **kwargs: Any) -> None:
    """Keep Member.org_path in step when a subtree moves in the tree."""
    Member.objects.filter(subtree_q(old_path, "org_path")).update(
        org_path=Concat(Value(new_path), Substr("org_path", len(old_path) + 1))
    )
