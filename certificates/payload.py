"""The signed certificate payload carried in the QR code: byte layout, base32 text form, strict decoding.

Pure functions, no database. The layout is specified in ``docs/certificates-format.md`` (keep both in step);
version 1, all integers big-endian::

    off  size  field
      0     1  version            = 1
      1     1  kind               1 training, 2 skill, 3 award
      2     8  key id             sha256(Ed25519 public key)[:8]
     10     4  status index       uint32; list = index // 131072, bit = index % 131072
     14     2  issued on          uint16 days since 2000-01-01
     16     2  expires on         uint16 days since 2000-01-01, 0 = does not expire
     18     1  occupation code    0 none, 1..4 (OCCUPATION_CODES)
     19     1  level              0 none, 1..5
     20    16  snapshot digest    sha256(canonical snapshot JSON)[:16]
     36     1  n = number length  1..24
     37     n  number             ASCII [0-9A-Z]
   37+n     1  m = holder length  1..24 (bytes)
   38+n     m  holder             UTF-8, masked name as displayed, 1..8 characters

The *body* is those ``38 + n + m`` bytes; the payload text is RFC 4648 base32 (uppercase, no padding) of
``body + Ed25519 signature of body (64 bytes)``. :func:`decode` accepts lowercase, refuses anything else
(other alphabets, non-canonical trailing bits, bad lengths, out-of-range fields) with :class:`PayloadError`
only, so callers can feed it untrusted input of any shape.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import struct
from dataclasses import dataclass
from enum import IntEnum

from certificates import signing

VERSION = 1
EPOCH = dt.date(2000, 1, 1)
MAX_TEXT_LENGTH = 400
NUMBER_MAX = 24
HOLDER_MAX_CHARS = 8
HOLDER_MAX_BYTES = 24
DIGEST_BYTES = 16
MAX_LEVEL = 5

OCCUPATION_CODES = {0: "", 1: "childcare_worker", 2: "infant_carer", 3: "health_care", 4: "director"}
_OCCUPATION_IDS = {value: code for code, value in OCCUPATION_CODES.items()}

_FIXED = struct.Struct(">BB8sIHHBB16s")  # version .. digest: 36 bytes
_MIN_BODY = _FIXED.size + 1 + 1 + 1 + 1  # one-character number and holder
_NUMBER_RE = re.compile(rf"[0-9A-Z]{{1,{NUMBER_MAX}}}")
_BASE32_RE = re.compile(r"[A-Z2-7]+")
_VALID_TAIL = frozenset({0, 2, 4, 5, 7})  # unpadded base32 length modulo 8
_BASE32_TO_DIGITS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789abcdefghijklmnopqrstuv")


class PayloadError(ValueError):
    """The payload or the claims are malformed (alphabet, length, version, field values)."""


class Kind(IntEnum):
    TRAINING = 1
    SKILL = 2
    AWARD = 3


def _day(value: dt.date, field: str, minimum: int) -> int:
    if not isinstance(value, dt.date):
        raise PayloadError(f"{field} must be a date")
    days = value.toordinal() - EPOCH.toordinal()
    if not minimum <= days <= 0xFFFF:
        raise PayloadError(f"{field} is outside 2000-01-01 + {minimum}..65535 days")
    return days


def _integer(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True, slots=True)
class Claims:
    """What a certificate QR asserts; validated on construction (:class:`PayloadError`)."""

    kind: Kind
    key_id: bytes
    status_index: int
    number: str
    holder: str
    occupation: str
    level: int
    issued_on: dt.date
    expires_on: dt.date | None
    digest: bytes

    def __post_init__(self):
        try:
            object.__setattr__(self, "kind", Kind(self.kind))
        except (ValueError, TypeError) as exc:
            raise PayloadError(f"Unknown certificate kind {self.kind!r}") from exc
        for field, size in (("key_id", signing.KEY_ID_BYTES), ("digest", DIGEST_BYTES)):
            value = getattr(self, field)
            if not isinstance(value, bytes | bytearray | memoryview) or len(value) != size:
                raise PayloadError(f"{field} must be {size} bytes")
            object.__setattr__(self, field, bytes(value))
        if not _integer(self.status_index) or not 0 <= self.status_index < 2**32:
            raise PayloadError("status_index must be an integer in 0..2**32-1")
        object.__setattr__(self, "status_index", int(self.status_index))  # plain int, even from an IntEnum
        if not isinstance(self.number, str) or not _NUMBER_RE.fullmatch(self.number):
            raise PayloadError(f"number must be 1..{NUMBER_MAX} characters of [0-9A-Z]")
        holder = self.holder
        if (
            not isinstance(holder, str)
            or not 1 <= len(holder) <= HOLDER_MAX_CHARS
            or not holder.isprintable()
            or len(holder.encode("utf-8")) > HOLDER_MAX_BYTES
        ):
            raise PayloadError(f"holder must be 1..{HOLDER_MAX_CHARS} printable characters, ≤ {HOLDER_MAX_BYTES} bytes")
        if not isinstance(self.occupation, str) or self.occupation not in _OCCUPATION_IDS:
            raise PayloadError(f"Unknown occupation {self.occupation!r}")
        object.__setattr__(self, "occupation", OCCUPATION_CODES[_OCCUPATION_IDS[self.occupation]])  # plain str
        if not _integer(self.level) or not 0 <= self.level <= MAX_LEVEL:
            raise PayloadError(f"level must be 0..{MAX_LEVEL}")
        object.__setattr__(self, "level", int(self.level))
        for field in ("issued_on", "expires_on"):
            value = getattr(self, field)
            if isinstance(value, dt.datetime):
                object.__setattr__(self, field, value.date())
        _day(self.issued_on, "issued_on", 0)
        if self.expires_on is not None:
            _day(self.expires_on, "expires_on", 1)


def snapshot_digest(snapshot: dict) -> bytes:
    """First 16 bytes of SHA-256 over the canonical JSON of the frozen snapshot (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).digest()[:DIGEST_BYTES]


def to_bytes(claims: Claims) -> bytes:
    """The signed body (layout in the module docstring)."""
    number = claims.number.encode("ascii")
    holder = claims.holder.encode("utf-8")
    expires = 0 if claims.expires_on is None else claims.expires_on.toordinal() - EPOCH.toordinal()
    fixed = _FIXED.pack(
        VERSION,
        claims.kind,
        claims.key_id,
        claims.status_index,
        claims.issued_on.toordinal() - EPOCH.toordinal(),
        expires,
        _OCCUPATION_IDS[claims.occupation],
        claims.level,
        claims.digest,
    )
    return b"".join((fixed, bytes((len(number),)), number, bytes((len(holder),)), holder))


def _text(body: bytes, signature: bytes) -> str:
    if len(signature) != signing.SIGNATURE_BYTES:
        raise PayloadError("The signature must be 64 bytes")
    return base64.b32encode(body + signature).rstrip(b"=").decode("ascii")


def encode(claims: Claims, signature: bytes) -> str:
    """Base32 (RFC 4648, uppercase, unpadded) of body + 64-byte signature."""
    return _text(to_bytes(claims), signature)


def sign_payload(claims: Claims, key: signing.Ed25519PrivateKey) -> str:
    """The payload text of ``claims`` signed with ``key`` (whose id should be ``claims.key_id``)."""
    body = to_bytes(claims)
    return _text(body, signing.sign(key, body))


def decode(text: str) -> tuple[Claims, bytes, bytes]:
    """Parse a payload text into ``(claims, body, signature)`` without checking the signature.

    Case-insensitive; surrounding whitespace is ignored. Raises :class:`PayloadError` (only) on anything malformed.
    The caller verifies ``signature`` over ``body`` with the public key whose id is ``claims.key_id``.
    """
    if not isinstance(text, str):
        raise PayloadError("The payload must be text")
    if len(text) > MAX_TEXT_LENGTH:
        raise PayloadError("The payload is too long")
    text = text.strip()
    if not text.isascii():
        raise PayloadError("The payload is not base32")
    text = text.upper()
    if not _BASE32_RE.fullmatch(text) or len(text) % 8 not in _VALID_TAIL:
        raise PayloadError("The payload is not base32")
    # base32 -> integer in one C call (int() reads base-32 digits 0-9a-v), ~10x faster than base64.b32decode.
    size, spare = divmod(len(text) * 5, 8)
    number = int(text.translate(_BASE32_TO_DIGITS), 32)
    if number & ((1 << spare) - 1):
        raise PayloadError("The payload is not canonical base32")  # stray bits after the last byte
    raw = (number >> spare).to_bytes(size, "big")
    if raw[0] != VERSION:
        raise PayloadError(f"Unsupported payload version {raw[0]}")
    if len(raw) < _MIN_BODY + signing.SIGNATURE_BYTES:
        raise PayloadError("The payload is too short")
    body, signature = raw[: -signing.SIGNATURE_BYTES], raw[-signing.SIGNATURE_BYTES :]
    return _parse(body), body, signature


def _parse(body: bytes) -> Claims:
    _version, kind, kid, index, issued, expires, occupation, level, digest = _FIXED.unpack_from(body)
    offset = _FIXED.size
    n = body[offset]
    number = body[offset + 1 : offset + 1 + n]
    offset += 1 + n
    if len(number) != n or offset >= len(body):
        raise PayloadError("The payload is truncated")
    m = body[offset]
    holder = body[offset + 1 :]
    if len(holder) != m:
        raise PayloadError("The holder field does not match its length")
    if occupation not in OCCUPATION_CODES:
        raise PayloadError(f"Unknown occupation code {occupation}")
    try:
        number_text = number.decode("ascii")
        holder_text = holder.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PayloadError("A text field is not valid ASCII/UTF-8") from exc
    return Claims(
        kind=kind,
        key_id=kid,
        status_index=index,
        number=number_text,
        holder=holder_text,
        occupation=OCCUPATION_CODES[occupation],
        level=level,
        issued_on=EPOCH + dt.timedelta(days=issued),
        expires_on=EPOCH + dt.timedelta(days=expires) if expires else None,
        digest=digest,
    )
