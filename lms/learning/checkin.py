"""Rotating classroom check-in tokens (pure: no database, ``now`` always passed in).

A token proves "this code was on the instructor's screen for session S, kind K, during the
30-second step T". Layout (URL-safe, 20-odd characters)::

    <T in lowercase hex> "." <base64url, unpadded, of the first 12 bytes of
                               HMAC-SHA256(key, "<S>:<K>:<T>")>

``key`` = HMAC-SHA256(SECRET_KEY, "lms.learning.checkin:" + session secret), so a token cannot be
made without both the server's secret key and the session's own secret, and rotating either
invalidates every code. Verification accepts the current step and the previous one (a code
scanned just before it rotated still works for up to another 30 s) and tells an expired code
apart from a forged one so that the learner can be told to scan again.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import re
from datetime import datetime

STEP_SECONDS = 30
KINDS = ("in", "out")
MAC_BYTES = 12
_TOKEN_RE = re.compile(r"^([0-9a-f]{1,12})\.([A-Za-z0-9_-]{16})$")


class Verdict(enum.Enum):
    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"  # forged, malformed, another session's, the other kind's, or from the future


def step_of(now: datetime) -> int:
    """The 30-second step ``now`` falls in (``now`` must be timezone-aware)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return int(now.timestamp()) // STEP_SECONDS


def seconds_left(now: datetime) -> float:
    """Seconds until the code shown at ``now`` rotates."""
    return STEP_SECONDS - (now.timestamp() % STEP_SECONDS)


def derive_key(*, secret_key: str, session_secret: str) -> bytes:
    return hmac.new(secret_key.encode(), b"lms.learning.checkin:" + session_secret.encode(), hashlib.sha256).digest()


def _mac(key: bytes, session_id: int, kind: str, step: int) -> str:
    digest = hmac.new(key, f"{session_id}:{kind}:{step}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:MAC_BYTES]).rstrip(b"=").decode()


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")


def make_token(*, key: bytes, session_id: int, kind: str, now: datetime) -> str:
    """The code to show at ``now``."""
    _check_kind(kind)
    step = step_of(now)
    return f"{step:x}.{_mac(key, session_id, kind, step)}"


def verify_token(token: str, *, key: bytes, session_id: int, kind: str, now: datetime) -> Verdict:
    """Whether ``token`` is a valid code of this session and kind at ``now``."""
    _check_kind(kind)
    match = _TOKEN_RE.match(token or "")
    if not match:
        return Verdict.INVALID
    step = int(match.group(1), 16)
    if not hmac.compare_digest(match.group(2), _mac(key, session_id, kind, step)):
        return Verdict.INVALID
    current = step_of(now)
    if step > current:  # never issued yet: the server's clock is the only clock
        return Verdict.INVALID
    if step < current - 1:
        return Verdict.EXPIRED
    return Verdict.VALID


def qr_svg(text: str) -> str:
    """``text`` as a QR code in inline SVG (error correction M), sized by CSS rather than in mm."""
    import qrcode
    import qrcode.constants
    import qrcode.image.svg

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(text)
    svg = code.make_image(image_factory=qrcode.image.svg.SvgPathImage).to_string(encoding="unicode")
    return re.sub(r'^<svg width="[^"]*" height="[^"]*"', '<svg role="img" shape-rendering="crispEdges"', svg)
