"""Compact JWS with EdDSA/Ed25519 (RFC 7515, RFC 8037): sign and strictly verify (no database access).

Used for the published status lists (``typ: "vc+jwt"``) and the Open Badges credential; tokens are plain JWS
that standard libraries (PyJWT, jose, ...) verify with the JWK set from ``/.well-known/jwks.json``. The header
is ``{"alg": "EdDSA", "kid": <key id text>, "typ": <typ>}``; a dict payload is serialized as compact UTF-8 JSON.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping

from certificates import signing
from certificates.signing import b64url

_B64URL_RE = re.compile(r"[A-Za-z0-9_-]*")


class JoseError(ValueError):
    """A token is malformed, uses an unsupported algorithm or unknown key, or its signature does not verify."""


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def jws_sign(payload: dict | bytes, key: signing.Ed25519PrivateKey, *, kid: str, typ: str) -> str:
    """``header.payload.signature``, each part unpadded base64url."""
    body = payload if isinstance(payload, bytes) else _json(payload)
    signing_input = f"{b64url(_json({'alg': 'EdDSA', 'kid': kid, 'typ': typ}))}.{b64url(body)}".encode("ascii")
    return f"{signing_input.decode('ascii')}.{b64url(signing.sign(key, signing_input))}"


def _b64decode(part: str) -> bytes:
    """Strict unpadded base64url: alphabet checked and the encoding must be canonical (no stray trailing bits)."""
    if not _B64URL_RE.fullmatch(part) or len(part) % 4 == 1:
        raise JoseError("Invalid base64url")
    try:
        data = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as exc:
        raise JoseError("Invalid base64url") from exc
    if b64url(data) != part:
        raise JoseError("Non-canonical base64url")
    return data


def _object(data: bytes, what: str) -> dict:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise JoseError(f"The {what} is not JSON") from exc
    if not isinstance(value, dict):
        raise JoseError(f"The {what} is not a JSON object")
    return value


def jws_verify(token: str, keys: Mapping[str, bytes]) -> dict:
    """Verify a compact JWS against ``keys`` (kid text -> 32-byte raw public key); return the JSON payload.

    Only ``alg: EdDSA`` is accepted, the ``kid`` must be in ``keys`` and ``crit`` is refused (no extensions are
    understood). Raises :class:`JoseError` on any failure, never anything else.
    """
    if not isinstance(token, str) or not token.isascii():
        raise JoseError("The token must be ASCII text")
    parts = token.split(".")
    if len(parts) != 3:
        raise JoseError("A compact JWS has three parts")
    header = _object(_b64decode(parts[0]), "header")
    if header.get("alg") != "EdDSA":
        raise JoseError("Unsupported algorithm")
    if "crit" in header:
        raise JoseError("Critical header extensions are not supported")
    kid = header.get("kid")
    public = keys.get(kid) if isinstance(kid, str) else None
    if public is None:
        raise JoseError("Unknown key id")
    signature = _b64decode(parts[2])
    if not signing.verify(public, f"{parts[0]}.{parts[1]}".encode("ascii"), signature):
        raise JoseError("The signature does not verify")
    return _object(_b64decode(parts[1]), "payload")
