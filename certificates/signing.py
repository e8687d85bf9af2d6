"""Ed25519 signing keys: generation, key ids, signatures, sealing at rest and JWK export (no database access).

A key id is the first ``KEY_ID_BYTES`` bytes of SHA-256 over the 32-byte raw public key; its text form (the JWK
``kid``) is that id in unpadded base64url (11 characters). Private keys are stored only *sealed*: the 32-byte raw
private key encrypted with ``MultiFernet`` over a list of key-encryption keys (KEKs, Fernet keys from the
environment). The first KEK seals, every KEK unseals, so KEKs rotate by prepending a new one and re-sealing
(:func:`reseal`).

Public keys are accepted as any bytes-like object (PostgreSQL ``BinaryField`` values arrive as ``memoryview``).
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

KEY_ID_BYTES = 8
PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64


class SealError(Exception):
    """No configured key-encryption key opens a sealed private key (or the KEK list is unusable)."""


def generate() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def public_raw(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    """The 32 raw bytes of the public key (RFC 8032 encoding)."""
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(public: bytes) -> bytes:
    """``sha256(public raw)[:8]`` — the id carried in every payload."""
    return hashlib.sha256(bytes(public)).digest()[:KEY_ID_BYTES]


def key_id_text(kid: bytes) -> str:
    """The key id as unpadded base64url (11 characters): the JWK ``kid`` and ``SigningKey.kid``."""
    return b64url(bytes(kid))


def sign(key: Ed25519PrivateKey, message: bytes) -> bytes:
    """Ed25519 signature (64 bytes; deterministic, RFC 8032)."""
    return key.sign(message)


@lru_cache(maxsize=64)
def _public_key(public: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(public)


def verify(public: bytes, message: bytes, signature: bytes) -> bool:
    """True when ``signature`` is a valid Ed25519 signature of ``message`` by ``public``; never raises."""
    try:
        public = bytes(public)
        if len(public) != PUBLIC_KEY_BYTES or len(signature) != SIGNATURE_BYTES:
            return False
        _public_key(public).verify(bytes(signature), bytes(message))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _fernet(keks: list[str]) -> MultiFernet:
    try:
        fernets = [Fernet(k.encode() if isinstance(k, str) else k) for k in keks]
        return MultiFernet(fernets)
    except (ValueError, TypeError) as exc:  # empty list, malformed key
        raise SealError("The key-encryption keys are missing or malformed") from exc


def seal(key: Ed25519PrivateKey, keks: list[str]) -> bytes:
    """The raw private key encrypted under the first KEK (Fernet token, ASCII bytes)."""
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return _fernet(keks).encrypt(raw)


def unseal(sealed: bytes, keks: list[str]) -> Ed25519PrivateKey:
    """Open a sealed private key with any of ``keks``; :class:`SealError` when none fits."""
    try:
        raw = _fernet(keks).decrypt(bytes(sealed))
        return Ed25519PrivateKey.from_private_bytes(raw)
    except (InvalidToken, ValueError, TypeError) as exc:
        raise SealError("No key-encryption key opens this signing key") from exc


def reseal(sealed: bytes, keks: list[str]) -> bytes:
    """Re-encrypt a sealed key under the first KEK (KEK rotation); :class:`SealError` when no KEK opens it."""
    try:
        return _fernet(keks).rotate(bytes(sealed))
    except (InvalidToken, ValueError, TypeError) as exc:
        raise SealError("No key-encryption key opens this signing key") from exc


def jwk(public: bytes) -> dict:
    """The public key as a JWK (RFC 8037 ``OKP``/``Ed25519``), as published in ``/.well-known/jwks.json``."""
    public = bytes(public)
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url(public),
        "kid": key_id_text(key_id(public)),
        "use": "sig",
        "alg": "EdDSA",
    }


def b64url(data: bytes) -> str:
    """Unpadded base64url (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
