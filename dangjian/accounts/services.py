"""Writes to accounts: creation, passwords, activation, API tokens, second factors."""

from __future__ import annotations

import hashlib
import secrets
import string
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangjian.accounts.models import ApiToken, PasswordHistory, User
from dangjian.audit.services import log_action

USERNAME_ALPHABET = frozenset(string.ascii_letters + string.digits + "._-@")


def generate_temporary_password() -> str:
    """A random password that satisfies the policy; the user must change it at first login."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(12))
        candidate = f"{body}#{secrets.randbelow(10)}"
        if any(c.islower() for c in body) and any(c.isupper() for c in body):
            return candidate


def _validate_username(username: str) -> str:
    username = username.strip()
    if not 3 <= len(username) <= 64:
        raise ValidationError({"username": _("The account name must have 3 to 64 characters.")})
    if not set(username) <= USERNAME_ALPHABET:
        raise ValidationError(
            {"username": _("The account name may contain letters, digits and . _ - @ only.")}
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("An account with this name already exists.")})
    return username


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    display_name: str = "",
    email: str = "",
    password: str | None = None,
    must_change_password: bool = True,
) -> tuple[User, str]:
    """Create an account; return it with the initial password (generated when not given)."""
    username = _validate_username(username)
    initial = password or generate_temporary_password()
    user = User(username=username, display_name=display_name.strip(), email=email.strip())
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
    user.set_password(initial)
    user.password_changed_at = timezone.now()
    user.must_change_password = must_change_password
    user.full_clean(exclude=["password"])
    user.save()
    log_action(
        actor,
        "accounts.user.created",
        target=user,
        target_label=user.username,
        changes={"username": [None, user.username], "display_name": [None, user.display_name]},
    )
    return user, initial


@transaction.atomic
def user_set_password(*, user: User, password: str, actor: User | None = None) -> None:
    """Change a password after validating it against the whole policy, keeping history."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from exc
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = user.password_history.values_list("id", flat=True)[
            settings.PASSWORD_HISTORY_COUNT :
        ]
        PasswordHistory.objects.filter(id__in=list(stale)).delete()
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    log_action(actor or user, "accounts.password.changed", target=user, target_label=user.username)


@transaction.atomic
def user_reset_password(*, user: User, actor: User) -> str:
    """Give the account a temporary password that must be changed at the next sign-in."""
    temporary = generate_temporary_password()
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
    user.set_password(temporary)
    user.password_changed_at = timezone.now()
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    log_action(actor, "accounts.password.reset", target=user, target_label=user.username)
    return temporary


@transaction.atomic
def user_set_active(*, user: User, active: bool, actor: User) -> None:
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot disable your own account."))
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        # Sessions die with the account: the authentication middleware no longer loads an
        # inactive user; API tokens are revoked here.
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    log_action(
        actor,
        "accounts.user.enabled" if active else "accounts.user.disabled",
        target=user,
        target_label=user.username,
        changes={"is_active": [not active, active]},
    )


@transaction.atomic
def user_update(*, user: User, actor: User, display_name: str, email: str) -> User:
    before = {"display_name": user.display_name, "email": user.email}
    user.display_name = display_name.strip()
    user.email = email.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "email"])
    after = {"display_name": user.display_name, "email": user.email}
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        log_action(
            actor, "accounts.user.updated", target=user, target_label=user.username, changes=changes
        )
    return user


def _token_hash(key: str) -> str:
    return hashlib.sha256(key.encode("ascii")).hexdigest()


@transaction.atomic
def token_issue(*, user: User) -> tuple[ApiToken, str]:
    key = "dj_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=_token_hash(key),
        prefix=key[3:9],
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
    )
    log_action(user, "accounts.token.issued", target=token, target_label=f"{token.prefix}…")
    return token, key


def token_authenticate(key: str) -> User | None:
    """The active user a bearer token belongs to, or None."""
    if not key.startswith("dj_") or len(key) > 100:
        return None
    try:
        token = ApiToken.objects.select_related("user").get(key_hash=_token_hash(key))
    except ApiToken.DoesNotExist:
        return None
    now = timezone.now()
    if not token.is_usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def token_revoke(*, key: str, user: User) -> bool:
    count = ApiToken.objects.filter(
        key_hash=_token_hash(key), user=user, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if count:
        log_action(user, "accounts.token.revoked", target=user, target_label=user.username)
    return bool(count)


def totp_device_pending(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled, created on first call with a fresh secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm enrolment with a first code; return new single-use backup codes."""
    if not device.verify_token(token.strip()):
        log_action(
            user,
            "accounts.two_factor.failed",
            target=user,
            target_label=user.username,
            result="failure",
        )
        raise ValidationError({"token": _("The code is wrong or has expired. Try the next one.")})
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name="backup")
    codes = [secrets.token_hex(4) for _ in range(8)]
    for code in codes:
        StaticToken.objects.create(device=backup, token=code)
    log_action(user, "accounts.two_factor.enrolled", target=user, target_label=user.username)
    return codes


@transaction.atomic
def two_factor_reset(*, user: User, actor: User) -> None:
    """Remove a user's second factor after identity proofing; they enrol again at sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    log_action(actor, "accounts.two_factor.reset", target=user, target_label=user.username)
