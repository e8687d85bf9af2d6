"""Pure check-in tokens: rotation, expiry, forgery, replay across sessions and kinds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lms.learning import checkin
from lms.learning.checkin import Verdict

KEY = checkin.derive_key(secret_key="server-secret", session_secret="session-secret")
# the start of a 30 s step
T0 = datetime.fromtimestamp(checkin.STEP_SECONDS * 57_000_000, tz=UTC)


def token(at=T0, *, key=KEY, session_id=7, kind="in"):
    return checkin.make_token(key=key, session_id=session_id, kind=kind, now=at)


def verify(tok, at=T0, *, key=KEY, session_id=7, kind="in"):
    return checkin.verify_token(tok, key=key, session_id=session_id, kind=kind, now=at)


def test_token_is_compact_and_url_safe():
    tok = token()
    assert len(tok) <= 30
    assert all(c.isalnum() or c in "-_." for c in tok)


def test_valid_in_its_step_and_the_next_one_then_expired():
    tok = token(T0 + timedelta(seconds=5))
    assert verify(tok, T0) is Verdict.VALID
    assert verify(tok, T0 + timedelta(seconds=29.9)) is Verdict.VALID
    assert verify(tok, T0 + timedelta(seconds=30)) is Verdict.VALID  # grace: scanned at the boundary
    assert verify(tok, T0 + timedelta(seconds=59.9)) is Verdict.VALID
    assert verify(tok, T0 + timedelta(seconds=60)) is Verdict.EXPIRED
    assert verify(tok, T0 + timedelta(hours=3)) is Verdict.EXPIRED


def test_code_rotates_every_step():
    assert token(T0) == token(T0 + timedelta(seconds=29))
    assert token(T0) != token(T0 + timedelta(seconds=30))


def test_a_future_step_is_not_accepted():
    assert verify(token(T0 + timedelta(seconds=30)), T0) is Verdict.INVALID


def test_forged_and_malformed_tokens_are_invalid():
    tok = token()
    step, mac = tok.split(".")
    flipped = mac[:-1] + ("A" if mac[-1] != "A" else "B")
    assert verify(f"{step}.{flipped}") is Verdict.INVALID
    assert verify("") is Verdict.INVALID
    assert verify("zz.zz") is Verdict.INVALID
    assert verify(tok + "x") is Verdict.INVALID
    # a later step with the old signature (trying to extend its life)
    assert verify(f"{int(step, 16) + 1:x}.{mac}", T0 + timedelta(seconds=30)) is Verdict.INVALID


def test_other_session_kind_or_keys_are_refused():
    tok = token()
    assert verify(tok, session_id=8) is Verdict.INVALID  # replayed at another session
    assert verify(tok, kind="out") is Verdict.INVALID
    other_session_secret = checkin.derive_key(secret_key="server-secret", session_secret="another")
    other_server = checkin.derive_key(secret_key="another-server", session_secret="session-secret")
    assert verify(tok, key=other_session_secret) is Verdict.INVALID
    assert verify(tok, key=other_server) is Verdict.INVALID


def test_naive_time_and_unknown_kind_are_programming_errors():
    with pytest.raises(ValueError):
        checkin.step_of(datetime(2025, 1, 1, 8, 0))
    with pytest.raises(ValueError):
        token(kind="maybe")


def test_seconds_left_until_rotation():
    assert checkin.seconds_left(T0) == 30
    assert checkin.seconds_left(T0 + timedelta(seconds=20)) == pytest.approx(10)


def test_qr_svg_is_inline_svg_without_fixed_size():
    svg = checkin.qr_svg("http://testserver/learn/class/7/in/abc.def/")
    assert svg.startswith("<svg")
    assert "mm" not in svg.split(">", 1)[0]
    assert "viewBox" in svg
