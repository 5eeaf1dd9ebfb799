"""API authentication: the browser's session (with CSRF) or a bearer token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from dangjian.accounts.models import User
from dangjian.accounts.services import token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(token)
        if user is None:
            return None
        if user.password_expired():
            raise HttpError(403, _("Your password has expired; change it first."))
        request.user = user
        return user


class Session(SessionAuth):
    """The signed-in browser session; the security middleware has already applied its gates."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


AUTH = [TokenAuth(), Session()]
