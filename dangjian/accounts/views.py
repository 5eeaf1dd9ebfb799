"""Sign-in with a second factor, sign-out, password changes and the account pages."""

from __future__ import annotations

import base64
import time
from typing import Any

import segno
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from dangjian.accounts import services
from dangjian.accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    TokenForm,
    UserCreateForm,
    UserEditForm,
)
from dangjian.accounts.models import User
from dangjian.accounts.policy import requires_two_factor
from dangjian.accounts.typing import AuthedRequest
from dangjian.audit.services import log_action
from dangjian.lib.forms import apply_errors

PENDING_USER = "pending_user_id"
PENDING_SINCE = "pending_since"
PENDING_NEXT = "pending_next"
PENDING_SECONDS = 300
LOGIN_AT = "login_at"


def _safe_next(request: HttpRequest, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


def _pending_user(request: HttpRequest) -> User | None:
    user_id = request.session.get(PENDING_USER)
    since = request.session.get(PENDING_SINCE, 0)
    if not user_id or time.time() - since > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def _complete_login(request: HttpRequest, user: User, device: Any = None) -> HttpResponse:
    target = request.session.get(PENDING_NEXT)
    login(request, user, backend="dangjian.accounts.backends.AccountBackend")
    if device is not None:
        otp_login(request, device)
    request.session[LOGIN_AT] = time.time()
    log_action(user, "accounts.login.succeeded", target=user, target_label=user.username)
    return redirect(_safe_next(request, target))


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            log_action(None, "accounts.login.locked", username=username, result="denied")
            return lockout_response(request)
        if user is None or not isinstance(user, User):
            log_action(None, "accounts.login.failed", username=username, result="failure")
            # One message whether or not the account exists (ASVS 6.3.8).
            form.add_error(None, _("The account name or the password is wrong."))
        else:
            request.session.cycle_key()
            request.session[PENDING_NEXT] = _safe_next(request, request.GET.get("next"))
            if not requires_two_factor(user):
                return _complete_login(request, user)
            request.session[PENDING_USER] = user.pk
            request.session[PENDING_SINCE] = time.time()
            if user_has_device(user):
                return redirect("accounts:login-verify")
            return redirect("accounts:login-setup")
    return render(request, "accounts/login.html", {"form": form})


@require_http_methods(["GET", "POST"])
def login_verify(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Sign in again: the sign-in took too long."))
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"].strip())
        if device is not None:
            for key in (PENDING_USER, PENDING_SINCE):
                request.session.pop(key, None)
            return _complete_login(request, user, device)
        log_action(
            user,
            "accounts.two_factor.failed",
            target=user,
            target_label=user.username,
            result="failure",
        )
        form.add_error(
            "token",
            _("The code is wrong or has expired. After a wrong code, wait a few seconds."),
        )
    return render(request, "accounts/login_verify.html", {"form": form, "pending": user})


@require_http_methods(["GET", "POST"])
def login_setup(request: HttpRequest) -> HttpResponse:
    """First sign-in of an account that needs a second factor: enrol an authenticator app."""
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Sign in again: the sign-in took too long."))
        return redirect("accounts:login")
    if user_has_device(user):
        return redirect("accounts:login-verify")
    device = services.totp_device_pending(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_confirm(
                user=user, device=device, token=form.cleaned_data["token"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            for key in (PENDING_USER, PENDING_SINCE):
                request.session.pop(key, None)
            _complete_login(request, user, device)
            request.session["backup_codes"] = codes
            return redirect("accounts:backup-codes")
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)
    return render(
        request,
        "accounts/login_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": _base32(device.bin_key)},
    )


def _base32(key: bytes) -> str:
    return base64.b32encode(key).decode("ascii").rstrip("=")


@login_required
def backup_codes(request: AuthedRequest) -> HttpResponse:
    codes = request.session.pop("backup_codes", None)
    if not codes:
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/backup_codes.html", {"codes": codes})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        log_action(
            request.user,
            "accounts.logout",
            target=request.user,
            target_label=request.user.get_username(),
        )
    logout(request)
    response = redirect("accounts:login")
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: AuthedRequest) -> HttpResponse:
    user: User = request.user
    form = PasswordChangeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(user=user, password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            # Changing the password signs out every other session (session auth hash).
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password has been changed."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "expired": user.password_expired(), "policy": _policy_text()},
    )


def _policy_text() -> list[str]:
    return list(password_validators_help_texts())


@login_required
def profile(request: AuthedRequest) -> HttpResponse:
    user: User = request.user
    return render(
        request,
        "accounts/profile.html",
        {"account": user, "has_two_factor": user_has_device(user)},
    )


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "Too many failed sign-ins: this account is locked from your address for %(m)d minutes."
    ) % {"m": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"error": message, "fields": {}}, status=429)
    return render(request, "accounts/locked.html", {"message": message}, status=429)


# The system administrator's account pages.


def _require_admin(request: HttpRequest, role: str) -> User:
    user = request.user
    if not user.is_authenticated or getattr(user, "admin_role", "") != role:
        raise Http404
    return user


@login_required
def user_list(request: AuthedRequest) -> HttpResponse:
    _require_admin(request, User.AdminRole.SYSTEM)
    query = request.GET.get("q", "").strip()
    users = User.objects.order_by("username")
    if query:
        users = users.filter(username__icontains=query) | users.filter(
            display_name__icontains=query
        )
    page = Paginator(users, 30).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "q": query})


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: AuthedRequest) -> HttpResponse:
    actor = _require_admin(request, User.AdminRole.SYSTEM)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.user_create(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return render(
                request, "accounts/user_password.html", {"account": user, "password": password}
            )
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    actor = _require_admin(request, User.AdminRole.SYSTEM)
    account = get_object_or_404(User, pk=pk)
    form = UserEditForm(
        request.POST or None,
        initial={"display_name": account.display_name, "email": account.email},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(user=account, actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The account has been saved."))
            return redirect("accounts:user-detail", pk=account.pk)
    roles = account.role_assignments.filter(revoked_at__isnull=True).select_related("organization")
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "form": form,
            "roles": roles,
            "has_two_factor": user_has_device(account),
        },
    )


@login_required
@require_POST
def user_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    actor = _require_admin(request, User.AdminRole.SYSTEM)
    account = get_object_or_404(User, pk=pk)
    try:
        if action == "disable":
            services.user_set_active(user=account, active=False, actor=actor)
            messages.success(request, _("The account has been disabled."))
        elif action == "enable":
            services.user_set_active(user=account, active=True, actor=actor)
            messages.success(request, _("The account has been enabled."))
        elif action == "reset-password":
            password = services.user_reset_password(user=account, actor=actor)
            return render(
                request, "accounts/user_password.html", {"account": account, "password": password}
            )
        elif action == "reset-two-factor":
            services.two_factor_reset(user=account, actor=actor)
            messages.success(
                request, _("The second factor has been removed; it is set up again at sign-in.")
            )
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("accounts:user-detail", pk=account.pk)


# The security administrator clears lockouts.


@login_required
def lockout_list(request: AuthedRequest) -> HttpResponse:
    _require_admin(request, User.AdminRole.SECURITY)
    attempts = AccessAttempt.objects.order_by("-attempt_time")[:200]
    return render(request, "accounts/lockout_list.html", {"attempts": attempts})


@login_required
@require_POST
def lockout_clear(request: AuthedRequest, pk: int) -> HttpResponse:
    actor = _require_admin(request, User.AdminRole.SECURITY)
    attempt = get_object_or_404(AccessAttempt, pk=pk)
    if attempt.username == actor.username:
        raise PermissionDenied
    axes_reset(ip=attempt.ip_address, username=attempt.username)
    log_action(
        actor,
        "accounts.lockout.cleared",
        target_label=attempt.username or "",
        detail={"ip": attempt.ip_address},
    )
    messages.success(request, _("The lockout has been cleared."))
    return redirect("accounts:lockout-list")
