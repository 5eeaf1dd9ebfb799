"""Session limits and the gates every signed-in request passes (MLPS 8.1.4.1)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

from dangjian.accounts.policy import requires_two_factor
from dangjian.audit.services import log_action
from dangjian.lib.queries import get_by_pk

LOGIN_AT = "login_at"
SEEN_AT = "seen_at"
OPEN_PREFIXES = ("/static/", "/healthz", "/i18n/", "/accounts/login", "/accounts/logout")


def _loaded(user: Any) -> Any:
    """The account inside the lazy wrappers (django-otp's holds Django's) once they loaded it."""
    while isinstance(user, LazyObject):
        inner = user.__dict__.get("_wrapped", empty)
        if inner is empty:
            break
        user = inner
    return user


class SessionLimitsMiddleware:
    """End sessions idle for 30 minutes or older than the absolute limit.

    The session is written at most once a minute (SESSION_RENEW_SECONDS), which moves its
    expiry in the database: the idle limit holds to within that minute without a write on
    every request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY not in session or not request.user.is_authenticated:
            return self.get_response(request)
        # The account is loaded now: hand the rest of the request the account itself rather
        # than the lazy wrapper, whose every attribute read costs a proxy call (a page reads
        # a few hundred: roles, scope, the menu).
        user = request.user = _loaded(request.user)
        if LOGIN_AT not in session:
            return self.get_response(request)
        now = time.time()
        idle = now - float(session.get(SEEN_AT, session[LOGIN_AT]))
        if now - float(session[LOGIN_AT]) > settings.SESSION_ABSOLUTE_SECONDS or (
            idle > settings.SESSION_COOKIE_AGE
        ):
            log_action(
                user,
                "accounts.session.expired",
                target=user,
                target_label=user.get_username(),
            )
            logout(request)
            messages.info(request, _("Your session has ended. Please sign in again."))
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        if idle > settings.SESSION_RENEW_SECONDS:
            # Writing the session moves its expiry: the idle limit slides, a minute at a time.
            session[SEEN_AT] = now
        return self.get_response(request)


class SecurityGateMiddleware:
    """Force a password change when due, and a second factor where the roles need one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or request.path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        is_api = request.path.startswith("/api/")
        if not getattr(user, "is_verified", lambda: False)() and requires_two_factor(user):
            # A role that needs a second factor was granted during this session.
            logout(request)
            if is_api:
                return JsonResponse(
                    {"error": _("Sign in again with your second factor.")}, status=401
                )
            messages.info(request, _("Your role now requires a second factor. Sign in again."))
            return redirect("accounts:login")
        password_page = reverse("accounts:password-change")
        if user.password_expired() and request.path != password_page:
            if is_api:
                return JsonResponse(
                    {"error": _("Your password has expired; change it first."), "fields": {}},
                    status=403,
                )
            messages.warning(request, _("Your password has expired. Choose a new one to go on."))
            return redirect(password_page)
        return self.get_response(request)


class DeviceMiddleware(OTPMiddleware):
    """django-otp's middleware, loading the session's device through a precompiled lookup."""

    def _device_from_persistent_id(self, persistent_id: str) -> Device | None:
        try:
            label, device_id = self._normalize_persistent_id(persistent_id).rsplit("/", 1)
            model = apps.get_model(label)
            pk = int(device_id)
        except (ValueError, LookupError):
            return None
        if not issubclass(model, Device):
            return None
        return get_by_pk(model, pk)
