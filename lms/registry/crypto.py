"""Encryption at rest and keyed lookup hashes for personal data (no database access).

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under ``FIELD_ENCRYPTION_KEYS``:
the first key encrypts, every listed key decrypts, so keys rotate by prepending a new key and
re-encrypting (``manage.py rotate_field_keys``). Equality lookups and uniqueness use an
HMAC-SHA256 of the normalized value under ``PERSONAL_ID_HASH_KEY``, so the database never needs
the clear value to find a person.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is not set")
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return _current().encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode("ascii")).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured("Cannot decrypt a personal-data field: no configured key fits") from exc


def encrypt_bytes(data: bytes) -> bytes:
    return _current().encrypt(data)


def decrypt_bytes(token: bytes, *, ttl: int | None = None) -> bytes:
    """Decrypt; with ``ttl`` (seconds) a token older than that raises ``InvalidToken``."""
    return _current().decrypt(bytes(token), ttl=ttl)


def rotate(token: str) -> str:
    """Re-encrypt a token under the primary key (no-op in meaning, new ciphertext)."""
    return _current().rotate(token.encode("ascii")).decode("ascii")


def lookup_hash(value: str) -> str:
    key = settings.PERSONAL_ID_HASH_KEY
    if not key:
        raise ImproperlyConfigured("PERSONAL_ID_HASH_KEY is not set")
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()
