"""Which accounts must present a second factor."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings

from dangjian.accounts.models import User

RoleResolver = Callable[[User], Iterable[str]]
_resolvers: list[RoleResolver] = []


def register_role_resolver(resolver: RoleResolver) -> None:
    """The organization tree tells which roles a user holds (it sits above this app)."""
    if resolver not in _resolvers:
        _resolvers.append(resolver)


def requires_two_factor(user: User) -> bool:
    roles = set(settings.TWO_FACTOR_ROLES)
    if user.admin_role:
        return user.admin_role in roles
    return any(role in roles for resolver in _resolvers for role in resolver(user))
