"""Verifying a certificate payload (the public check) and logging it.

``certificate_verify`` decides (see :mod:`certificates.verification` for the order of the steps)
and writes one :class:`~certificates.models.VerificationLog` row: time, certificate (if genuine),
result, channel, the user if logged in, and the client as an HMAC of its IP address (never the
address itself). It never raises on any input: whatever the text, the answer is a decision.

The log write is a single INSERT, or a place in a batch written in the background (see
:mod:`.verification_log`); the check runs without an explicit transaction and, for a certificate scanned
before, from one cache round trip that also counts the client's rate limit, so the verify endpoint (a hot path
under inspection campaigns) costs one cache round trip and, with batched logging, no database round trip.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .. import payload as payload_codec
from .. import ratelimit, selectors, signing
from ..verification import Reason, Status, Verification, certificate_status, client_hash, invalid, looks_like_payload
from . import verification_log

logger = logging.getLogger(__name__)

CHANNELS = ("page", "api", "offline-sync")
# Checks made offline are synchronised later with the time they were made, if it is plausible.
OFFLINE_SYNC_MAX_AGE = timedelta(days=30)


def client_ip(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or the request header named by ``RATELIMIT_IP_META_KEY``
    (a setting, e.g. ``"HTTP_X_REAL_IP"``) when a reverse proxy sets it; for a list such as
    X-Forwarded-For, the last entry (the one our own proxy appended)."""
    meta_key = getattr(settings, "RATELIMIT_IP_META_KEY", None)
    value = request.META.get(meta_key, "") if isinstance(meta_key, str) and "." not in meta_key else ""
    if value:
        return value.rsplit(",", 1)[-1].strip()
    return request.META.get("REMOTE_ADDR") or ""


def client_of(request) -> str:
    """The hashed client address of a request (what the log keeps and the rate limits count)."""
    return client_hash(client_ip(request), settings.SECRET_KEY or "")


class RateLimited(Exception):
    """The client has made more checks than its rate limit allows (nothing was decided or logged)."""


def decide(text: str, limit: ratelimit.Limit | None = None) -> Verification:
    """The decision alone, without logging (also used by tests and by the offline-sync check).

    With ``limit``, the check is first counted against it (:class:`RateLimited` when over): for a payload that
    decodes, in the same cache round trip as the lookup of its key and certificate."""
    now = timezone.now()
    try:
        claims, body, signature = payload_codec.decode(text) if looks_like_payload(text) else (None, b"", b"")
    except payload_codec.PayloadError:
        claims = None
    except Exception:  # a decoder bug must not turn a scan into a 500
        logger.exception("payload decoder failed on a %d-character input", len(text))
        claims = None
    if claims is None:
        if limit is not None and ratelimit.over(limit):
            raise RateLimited
        return invalid(Reason.MALFORMED, checked_at=now)
    found = None
    if limit is not None:
        limited, found = ratelimit.over_and_get_many(limit, selectors.verification_state_keys(claims))
        if limited:
            raise RateLimited
    public, version, cached = selectors.verification_state(signing.key_id_text(claims.key_id), claims, found)
    if public is None:
        return invalid(Reason.UNKNOWN_KEY, checked_at=now)
    if not signing.verify(bytes(public), body, signature):
        return invalid(Reason.BAD_SIGNATURE, checked_at=now)
    certificate = selectors.certificate_for_claims(claims, version, cached)
    if certificate is None or not _same_digest(certificate.digest, claims.digest):
        return invalid(Reason.UNKNOWN_CERTIFICATE, checked_at=now)
    status = certificate_status(
        status=certificate.status, expires_on=certificate.expires_on, today=timezone.localdate(now)
    )
    reason = (certificate.revocation_reason or "") if status == Status.REVOKED else ""
    return Verification(status=status, certificate=certificate, reason=reason, checked_at=now)


def _same_digest(stored, signed: bytes) -> bool:
    """The certificate's stored digest (hex text, or bytes) equals the digest the payload signs."""
    if isinstance(stored, memoryview | bytearray):
        stored = bytes(stored)
    if isinstance(stored, bytes):
        return stored == signed
    return isinstance(stored, str) and stored.lower() == signed.hex()


def certificate_verify(
    *,
    payload: str,
    channel: str,
    user=None,
    client: str = "",
    at: datetime | None = None,
    limit: ratelimit.Limit | None = None,
) -> Verification:
    """Decide ``payload`` and log the check. ``client`` is :func:`client_of` (already hashed).

    ``at`` is when an offline verifier made the check (channel ``offline-sync``); a time in the future or
    more than 30 days ago is replaced by now. The logged result is the server's decision now. ``limit``: the
    client's rate limit, counted with the check (:class:`RateLimited` when over; nothing is logged then)."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown verification channel {channel!r}")
    result = decide(payload, limit)
    when = result.checked_at
    if at is not None and timezone.is_aware(at) and when - OFFLINE_SYNC_MAX_AGE <= at <= when:
        when = at
    verification_log.log_row(
        {
            "at": when,
            "certificate_id": result.certificate.pk if result.certificate is not None else None,
            "status": result.status.value,
            "channel": channel,
            "user_id": user.pk if user is not None and user.is_authenticated else None,
            "client": client,
        }
    )
    return result
