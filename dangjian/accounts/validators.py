"""Password rules beyond Django's own (MLPS level 3: complexity, no reuse)."""

from __future__ import annotations

import string
from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def character_classes(password: str) -> int:
    classes = [
        any(c in string.ascii_lowercase for c in password),
        any(c in string.ascii_uppercase for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ]
    return sum(classes)


class CharacterClassesValidator:
    """At least N of the four classes: lower case, upper case, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must mix at least %(n)d of these: lower-case letters, "
                    "upper-case letters, digits and symbols."
                )
                % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _(
            "Use at least %(n)d of: lower-case letters, upper-case letters, digits, symbols."
        ) % {"n": self.min_classes}


class NotUsernameValidator:
    """The password may not be the account name, forwards, backwards or in other case."""

    def validate(self, password: str, user: Any = None) -> None:
        username = getattr(user, "username", "") or ""
        if not username:
            return
        lowered = password.lower()
        name = username.lower()
        if name and (name in lowered or name[::-1] in lowered):
            raise ValidationError(
                _("The password may not contain the account name."), code="password_is_username"
            )

    def get_help_text(self) -> str:
        return _("The password may not contain the account name.")


class PasswordHistoryValidator:
    """The password may not repeat the current one or any of the last N."""

    def __init__(self, history: int = 5) -> None:
        self.history = history

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        earlier = [user.password] if user.password else []
        earlier += list(user.password_history.values_list("password", flat=True)[: self.history])
        if any(check_password(password, encoded) for encoded in earlier):
            raise ValidationError(
                _("The password may not repeat any of your last %(n)d passwords.")
                % {"n": self.history},
                code="password_reused",
            )

    def get_help_text(self) -> str:
        return _("Do not reuse any of your last %(n)d passwords.") % {"n": self.history}
