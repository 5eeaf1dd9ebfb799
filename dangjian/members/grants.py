"""The implicit member role: a member sees their own branch (and their own record)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from dangjian.members.choices import Standing
from dangjian.members.models import Member
from dangjian.orgs import permissions as perms

MEMBER_ROLE = "member"
MEMBER_ROLE_LABEL = _("Member")
MEMBER_CAPABILITIES = frozenset({perms.ORGS_VIEW})


def member_grants(user: Any) -> Iterable[perms.Grant]:
    path = (
        Member.objects.filter(user=user, standing=Standing.ACTIVE)
        .values_list("org_path", flat=True)
        .first()
    )
    if path:
        yield perms.Grant(path=path, capabilities=MEMBER_CAPABILITIES, source=MEMBER_ROLE)
