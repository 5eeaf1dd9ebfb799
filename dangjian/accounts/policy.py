"""Which accounts must present a second factor."""

from __future__ import annotations

from django.conf import settings

from dangjian.accounts.models import User


def requires_two_factor(user: User) -> bool:
    roles = set(settings.TWO_FACTOR_ROLES)
    if user.admin_role:
        return user.admin_role in roles
    org_roles = roles - set(User.AdminRole.values)
    if not org_roles:
        return False
    # role_assignments is the reverse side of orgs.RoleAssignment.user.
    return bool(user.role_assignments.filter(revoked_at__isnull=True, role__in=org_roles).exists())
