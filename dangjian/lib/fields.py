"""Model fields for personal data encrypted at rest."""

from __future__ import annotations

from typing import Any

from django.db import models

from dangjian.lib import crypto


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text column stored as AES-GCM ciphertext and read back as plaintext.

    The column cannot be searched or compared; pair it with a blind-index column.
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str:
        if not value:
            return ""
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return ""
        return crypto.encrypt(str(value))
