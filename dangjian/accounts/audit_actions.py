from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.audit import registry


def register() -> None:
    registry.register(
        {
            "accounts.login.succeeded": _("Signed in"),
            "accounts.login.failed": _("Sign-in failed"),
            "accounts.login.locked": _("Sign-in refused: account locked"),
            "accounts.logout": _("Signed out"),
            "accounts.session.expired": _("Session expired"),
            "accounts.password.changed": _("Password changed"),
            "accounts.password.reset": _("Password reset by an administrator"),
            "accounts.two_factor.enrolled": _("Two-factor authentication set up"),
            "accounts.two_factor.failed": _("Two-factor code refused"),
            "accounts.two_factor.reset": _("Two-factor authentication reset"),
            "accounts.user.created": _("Account created"),
            "accounts.user.updated": _("Account changed"),
            "accounts.user.disabled": _("Account disabled"),
            "accounts.user.enabled": _("Account enabled"),
            "accounts.token.issued": _("API token issued"),
            "accounts.token.revoked": _("API token revoked"),
            "accounts.lockout.cleared": _("Lockout cleared"),
        }
    )
