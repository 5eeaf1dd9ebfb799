from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login account. Members are linked from their member record (Member.user).

    The three separated administrators (三员分立) are held on the account itself, in one field,
    so no account can hold two of them. Administrator accounts are dedicated: they hold no
    organization role and are linked to no member record.
    """

    class AdminRole(models.TextChoices):
        NONE = "", _("None")
        SYSTEM = "system_admin", _("System administrator")
        SECURITY = "security_admin", _("Security administrator")
        AUDIT = "audit_admin", _("Audit administrator")

    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    admin_role = models.CharField(
        _("administrator role"), max_length=20, choices=AdminRole.choices, blank=True, default=""
    )
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def label(self) -> str:
        if self.display_name:
            return f"{self.display_name}（{self.username}）"
        return self.username

    def password_expired(self, now: dt.datetime | None = None) -> bool:
        days = settings.PASSWORD_EXPIRY_DAYS
        if days <= 0 or self.password_changed_at is None:
            return self.must_change_password
        now = now or timezone.now()
        return self.must_change_password or now - self.password_changed_at > dt.timedelta(days)


class PasswordHistory(models.Model):
    """Hashes of earlier passwords, so a recent one cannot be reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"


class ApiToken(models.Model):
    """A bearer token for API clients. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"

    def is_usable(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
