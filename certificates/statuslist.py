"""W3C Bitstring Status List v1.0: bitstrings, their gzip + multibase encoding, and the status list credential.

Pure functions, no database. Each list holds ``LIST_SIZE`` = 131,072 one-bit entries (the spec's minimum, 16 KiB
uncompressed), so a certificate's global ``status_index`` maps to list ``index // LIST_SIZE`` and bit
``index % LIST_SIZE`` (:func:`position`). Bit 0 is the most significant (left-most) bit of the first byte, as the
spec requires. A set bit means revoked (purpose ``revocation``) or suspended (purpose ``suspension``).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import gzip
import zlib
from collections.abc import Iterable

LIST_SIZE = 131072
PURPOSES = ("revocation", "suspension")
MAX_DECODED_BYTES = 16 * 1024 * 1024  # refuse gzip bombs when decoding someone else's list
CONTEXT = "https://www.w3.org/ns/credentials/v2"


def position(status_index: int) -> tuple[int, int]:
    """``(list_no, bit)`` of a certificate's global status index."""
    return divmod(status_index, LIST_SIZE)


def bitstring(indexes: Iterable[int], size: int = LIST_SIZE) -> bytes:
    """``size`` bits (a multiple of 8), all clear except ``indexes`` (bits within this list, not global indexes)."""
    if size <= 0 or size % 8:
        raise ValueError("size must be a positive multiple of 8")
    bits = bytearray(size // 8)
    for index in indexes:
        if not 0 <= index < size:
            raise ValueError(f"Status index {index} is outside the list (0..{size - 1})")
        bits[index >> 3] |= 0x80 >> (index & 7)
    return bytes(bits)


def is_set(bits: bytes, index: int) -> bool:
    """Whether bit ``index`` (within the list) is set; ``IndexError`` outside the list."""
    if index < 0:
        raise IndexError(index)
    return bool(bits[index >> 3] & (0x80 >> (index & 7)))


def encode_list(bits: bytes) -> str:
    """The spec's ``encodedList``: ``"u"`` (multibase base64url, no padding) + base64url(gzip(bits))."""
    compressed = gzip.compress(bits, compresslevel=9, mtime=0)  # mtime 0: same bits, same text
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode_list(encoded: str) -> bytes:
    """Inverse of :func:`encode_list`; ``ValueError`` on anything malformed (or larger than 16 MiB unpacked)."""
    if not isinstance(encoded, str) or not encoded.startswith("u") or not encoded.isascii():
        raise ValueError("encodedList must be multibase base64url ('u' prefix)")
    body = encoded[1:]
    try:
        compressed = base64.b64decode(body + "=" * (-len(body) % 4), altchars=b"-_", validate=True)
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        bits = inflater.decompress(compressed, MAX_DECODED_BYTES)
    except (binascii.Error, zlib.error) as exc:
        raise ValueError("encodedList is not base64url-encoded gzip") from exc
    if inflater.unconsumed_tail or not inflater.eof:
        raise ValueError("encodedList is truncated or too large")
    return bits


def status_credential(
    *, list_no: int, purpose: str, bits: bytes, issuer: str, url: str, valid_from: dt.datetime
) -> dict:
    """An unsigned ``BitstringStatusListCredential`` (VC Data Model 2.0) for list ``list_no`` published at ``url``.

    ``valid_from`` must be timezone-aware; it is written in UTC (``2026-11-22T08:00:00Z``).
    """
    if purpose not in PURPOSES:
        raise ValueError(f"Unknown status purpose {purpose!r}")
    if list_no < 0:
        raise ValueError("list_no must not be negative")
    if valid_from.tzinfo is None:
        raise ValueError("valid_from must be timezone-aware")
    stamp = valid_from.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "@context": [CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": stamp,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode_list(bits),
        },
    }
