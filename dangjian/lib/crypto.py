"""Field encryption (AES-256-GCM) and keyed blind indexes for personal data.

Ciphertexts carry the id of the key that made them ("v1:<kid>:<base64 nonce+ciphertext>"), so
keys can be rotated: add a new key in front of FIELD_ENCRYPTION_KEYS, run
`manage.py rotate_field_keys`, then drop the old key. Keys come from their own settings and are
never derived from SECRET_KEY.
"""

from __future__ import annotations

import base64
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_PREFIX = "v1"


class DecryptionError(RuntimeError):
    """A stored value cannot be decrypted with any configured key."""


@lru_cache(maxsize=8)
def _parse_keys(spec: str) -> tuple[tuple[str, AESGCM], ...]:
    keys = []
    for entry in spec.split(","):
        entry = entry.strip()
        if not entry:
            continue
        kid, _, b64 = entry.partition(":")
        raw = base64.b64decode(b64)
        if len(raw) not in (16, 24, 32) or not kid:
            raise ValueError(
                "FIELD_ENCRYPTION_KEYS entries must be 'kid:base64key' with a 16, 24 or 32-byte key"
            )
        keys.append((kid, AESGCM(raw)))
    if not keys:
        raise ValueError("FIELD_ENCRYPTION_KEYS is empty")
    return tuple(keys)


def _keys() -> tuple[tuple[str, AESGCM], ...]:
    return _parse_keys(settings.FIELD_ENCRYPTION_KEYS)


def current_key_id() -> str:
    return _keys()[0][0]


def encrypt(plaintext: str) -> str:
    kid, cipher = _keys()[0]
    nonce = os.urandom(12)
    sealed = cipher.encrypt(nonce, plaintext.encode("utf-8"), kid.encode("ascii"))
    return f"{_PREFIX}:{kid}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def decrypt(token: str) -> str:
    try:
        prefix, kid, b64 = token.split(":", 2)
    except ValueError:
        raise DecryptionError("not an encrypted value") from None
    if prefix != _PREFIX:
        raise DecryptionError(f"unknown ciphertext version {prefix!r}")
    for key_id, cipher in _keys():
        if key_id == kid:
            blob = base64.b64decode(b64)
            try:
                plain = cipher.decrypt(blob[:12], blob[12:], kid.encode("ascii"))
            except Exception as exc:  # InvalidTag: tampered data or a wrong key
                raise DecryptionError(
                    f"value sealed with key {kid!r} fails authentication"
                ) from exc
            return plain.decode("utf-8")
    raise DecryptionError(f"no configured key has id {kid!r}")


def key_id_of(token: str) -> str:
    return token.split(":", 2)[1]


def blind_index(value: str, *, purpose: str) -> str:
    """Return a keyed hash of a normalized value, for lookups and uniqueness.

    HMAC-SHA256 cut to 128 bits (32 hex digits): collisions stay out of reach for any
    population, and the indexes on these columns are half the size.
    """
    key = settings.FIELD_HASH_KEY.encode("utf-8")
    return hmac.digest(key, f"{purpose}:{value}".encode(), "sha256").hex()[:32]


def generate_key_spec(kid: str = "k1") -> str:
    return f"{kid}:{base64.b64encode(os.urandom(32)).decode('ascii')}"


def encrypt_bytes(data: bytes) -> bytes:
    """Seal bytes with the current key: kid length, kid, nonce, ciphertext."""
    kid, cipher = _keys()[0]
    nonce = os.urandom(12)
    kid_bytes = kid.encode("ascii")
    return bytes([len(kid_bytes)]) + kid_bytes + nonce + cipher.encrypt(nonce, data, kid_bytes)


def decrypt_bytes(blob: bytes) -> bytes:
    size = blob[0]
    kid_bytes = blob[1 : 1 + size]
    rest = blob[1 + size :]
    for key_id, cipher in _keys():
        if key_id.encode("ascii") == kid_bytes:
            try:
                return cipher.decrypt(rest[:12], rest[12:], kid_bytes)
            except Exception as exc:
                raise DecryptionError("sealed bytes fail authentication") from exc
    raise DecryptionError(f"no configured key has id {kid_bytes!r}")
