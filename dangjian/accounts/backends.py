"""The account backend: Django's, with the per-request account lookup precompiled."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from dangjian.accounts.models import User
from dangjian.lib.queries import get_by_pk


class AccountBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(User._meta.pk.to_python(user_id))
        except (TypeError, ValueError):
            return None
        user = get_by_pk(User, pk)
        return user if user is not None and self.user_can_authenticate(user) else None
