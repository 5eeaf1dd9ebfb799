"""API: tokens and the signed-in account."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import match_token
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from dangjian.accounts import services
from dangjian.accounts.models import User
from dangjian.accounts.policy import requires_two_factor
from dangjian.audit.services import log_action

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str
    otp: str = ""


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


@router.post("/token", response={201: TokenOut}, auth=None, summary="Issue an API token")
def token_create(request: HttpRequest, payload: TokenIn) -> Status[TokenOut]:
    username = payload.username.strip()
    user = authenticate(request, username=username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        log_action(None, "accounts.login.locked", username=username, result="denied")
        raise HttpError(429, _("Too many failed sign-ins; try again later."))
    if user is None or not isinstance(user, User):
        log_action(None, "accounts.login.failed", username=username, result="failure")
        raise HttpError(401, _("The account name or the password is wrong."))
    if requires_two_factor(user) and (
        not payload.otp or match_token(user, payload.otp.strip()) is None
    ):
        log_action(user, "accounts.two_factor.failed", target=user, result="failure")
        raise HttpError(401, _("This account needs a valid two-factor code in “otp”."))
    if user.password_expired():
        raise HttpError(403, _("Your password has expired; change it first."))
    token, key = services.token_issue(user=user)
    log_action(user, "accounts.login.succeeded", target=user, detail={"via": "api-token"})
    return Status(201, TokenOut(token=key, expires_at=token.expires_at))


@router.delete("/token", response={204: None}, summary="Revoke the token used")
def token_delete(request: HttpRequest) -> Status[None]:
    header = request.headers.get("Authorization", "")
    key = header.split(" ", 1)[1] if " " in header else ""
    if not key or not services.token_revoke(key=key, user=request.user):  # type: ignore[arg-type]
        raise HttpError(400, _("Send the token to revoke in the Authorization header."))
    return Status(204, None)
