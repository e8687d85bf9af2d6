"""The verification decision and what a public verifier may show (pure: no database, no request).

A payload is decided in a fixed order; the first failing step decides:

1. it decodes (``payload.decode``)                         — else ``invalid`` / ``malformed``
2. its key id is a verification key (active or rotated)     — else ``invalid`` / ``unknown_key``
3. the Ed25519 signature over the body verifies             — else ``invalid`` / ``bad_signature``
4. a certificate has its status index and number, and the
   snapshot digest it signs                                 — else ``invalid`` / ``unknown_certificate``
5. the certificate's current status: revoked, suspended, then expired (the row's current expiry,
   which renewal may extend), else valid.

``services.verification`` runs the steps that need the database and writes the verification log;
this module holds the parts that do not, so the offline verifier's rules can be read next to it.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

# Longer inputs are refused before decoding (payload.decode refuses them too; this keeps garbage
# of any size away from the decoder and out of the log).
MAX_PAYLOAD_CHARS = 400


class Status(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    INVALID = "invalid"


class Reason(StrEnum):
    """Why a payload is ``invalid`` (machine-readable, in the API's ``reason``)."""

    MALFORMED = "malformed"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"
    UNKNOWN_CERTIFICATE = "unknown_certificate"


@dataclass(frozen=True)
class Verification:
    """One decision. ``certificate`` is the matched row (None when invalid); ``reason`` is a
    :class:`Reason` for invalid, the revocation reason category ("ban", "fraud", "error") for
    revoked, else ""."""

    status: Status
    certificate: Any = None
    reason: str = ""
    checked_at: datetime | None = None

    @property
    def decided(self) -> bool:
        """True when a genuine certificate was found (everything but invalid)."""
        return self.status != Status.INVALID


def invalid(reason: Reason, *, checked_at: datetime | None = None) -> Verification:
    return Verification(status=Status.INVALID, reason=reason.value, checked_at=checked_at)


def certificate_status(*, status: str, expires_on: date | None, today: date) -> Status:
    """The public status of a genuine certificate from its row's status and current expiry."""
    if status == "revoked":
        return Status.REVOKED
    if status == "suspended":
        return Status.SUSPENDED
    if expires_on is not None and expires_on < today:
        return Status.EXPIRED
    return Status.VALID


def looks_like_payload(text: object) -> bool:
    """A cheap pre-filter: a str of at most MAX_PAYLOAD_CHARS ASCII letters and digits."""
    return isinstance(text, str) and 0 < len(text) <= MAX_PAYLOAD_CHARS and text.isascii() and text.isalnum()


def client_hash(ip: str, secret: str) -> str:
    """The verification log's client: HMAC-SHA256 of the IP keyed by the site secret (hex, 64).

    The raw address is never stored; equal addresses give equal hashes, so abuse stays visible."""
    return hmac.new(secret.encode(), (ip or "").encode(), hashlib.sha256).hexdigest()


# Snapshot keys a public verifier shows. Everything here is already masked in the snapshot
# (``holder_name`` "张*华", ``id_number_masked``); ``holder_name_full`` is deliberately absent.
PUBLIC_SNAPSHOT_FIELDS = (
    "kind",
    "type_name",
    "number",
    "holder_name",
    "id_type",
    "id_number_masked",
    "occupation",
    "occupation_label",
    "direction",
    "level",
    "level_label",
    "course_title",
    "hours",
    "issuer",
    "issuer_code",
    "issued_on",
)


def public_fields(snapshot: dict) -> dict:
    """The public part of a frozen snapshot (missing keys are left out, never invented)."""
    snapshot = snapshot if isinstance(snapshot, dict) else {}
    return {key: snapshot[key] for key in PUBLIC_SNAPSHOT_FIELDS if key in snapshot}
