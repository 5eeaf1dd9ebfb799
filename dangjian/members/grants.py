"""The implicit member role: a member sees their own branch (and their own record)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet, Value
from django.utils.translation import gettext_lazy as _

from dangjian.members.choices import Standing
from dangjian.members.models import Member
from dangjian.orgs import permissions as perms

MEMBER_ROLE = "member"
MEMBER_ROLE_LABEL = _("Member")
MEMBER_CAPABILITIES = frozenset({perms.ORGS_VIEW})
SOURCES = {MEMBER_ROLE: MEMBER_CAPABILITIES}


def member_grants(user: Any) -> QuerySet[Any]:
    return Member.objects.filter(user=user, standing=Standing.ACTIVE).values_list(
        "org_path", Value(MEMBER_ROLE)
    )
