"""The QR payload: layout, round trips, tampering, wrong keys, versions, strict decoding (with a Hypothesis fuzz)."""

import base64
import dataclasses
import datetime as dt
import hashlib
import io
import json
import urllib.request
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certificates import payload, signing
from certificates.payload import Claims, Kind, PayloadError
from lms.learning.choices import Occupation, SkillLevel

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
DOC = Path(__file__).resolve().parents[2] / "docs" / "certificates-format.md"
HYPOTHESIS = settings(database=None, deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])

# The worked example of docs/certificates-format.md (RFC 8032 test key 1, so anyone can reproduce it).
EXAMPLE_KEY = Ed25519PrivateKey.from_private_bytes(
    bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
)
EXAMPLE_SNAPSHOT = {
    "kind": "skill",
    "type_name": "职业技能等级证书",
    "number": "Y000153030201263000123",
    "holder_name": "张*华",
    "holder_name_full": "张丽华",
    "id_type": "居民身份证",
    "id_number_masked": "530302********1234",
    "occupation": "childcare_worker",
    "occupation_label": "保育师",
    "direction": "--",
    "level": 3,
    "level_label": "三级/高级工",
    "course_title": "",
    "hours": "",
    "issuer": "曲靖市职业培训学校",
    "issuer_code": "P530",
    "issued_on": "2026-11-22",
    "expires_on": None,
    "photo": True,
}


def make_claims(**overrides) -> Claims:
    fields = {
        "kind": Kind.SKILL,
        "key_id": signing.key_id(signing.public_raw(EXAMPLE_KEY)),
        "status_index": 131077,
        "number": "Y000153030201263000123",
        "holder": "张*华",
        "occupation": "childcare_worker",
        "level": 3,
        "issued_on": dt.date(2026, 11, 22),
        "expires_on": None,
        "digest": payload.snapshot_digest(EXAMPLE_SNAPSHOT),
    }
    return Claims(**(fields | overrides))


def accepted(text: str, public: bytes) -> bool:
    """What a verifier does: decode, then check the signature; False on any refusal."""
    try:
        _claims, body, signature = payload.decode(text)
    except PayloadError:
        return False
    return signing.verify(public, body, signature)


PUBLIC = signing.public_raw(EXAMPLE_KEY)
NOW = dt.datetime(2026, 11, 22, 8, tzinfo=dt.UTC)


def test_example_layout_and_doc():
    claims = make_claims()
    body = payload.to_bytes(claims)
    text = payload.sign_payload(claims, EXAMPLE_KEY)
    assert len(body) == 38 + 22 + len("张*华".encode()) == 67
    assert len(text) == 210
    assert body[0] == payload.VERSION == 1 and body[1] == Kind.SKILL
    assert body[2:10] == hashlib.sha256(PUBLIC).digest()[:8]
    assert int.from_bytes(body[10:14], "big") == 131077
    assert int.from_bytes(body[14:16], "big") == (dt.date(2026, 11, 22) - dt.date(2000, 1, 1)).days == 9822
    assert body[16:18] == b"\0\0"
    assert (body[18], body[19]) == (1, 3)
    assert body[36] == 22 and body[37:59] == b"Y000153030201263000123"
    assert body[59] == 7 and body[60:].decode() == "张*华"
    assert base64.b32decode(text + "======")[:-64] == body
    doc = DOC.read_text(encoding="utf-8")
    assert body.hex() in doc.replace(" ", "").replace("\n", "")
    assert text in doc.replace("\n", "")
    assert payload.snapshot_digest(EXAMPLE_SNAPSHOT).hex() in doc


def test_roundtrip():
    claims = make_claims(kind=Kind.TRAINING, expires_on=dt.date(2029, 11, 21), occupation="", level=0)
    text = payload.sign_payload(claims, EXAMPLE_KEY)
    decoded, body, signature = payload.decode(text)
    assert decoded == claims
    assert body == payload.to_bytes(claims)
    assert signing.verify(PUBLIC, body, signature)
    assert payload.encode(decoded, signature) == text
    assert text == text.upper() and set(text) <= set(ALPHABET)


def test_lowercase_and_surrounding_whitespace_accepted():
    text = payload.sign_payload(make_claims(), EXAMPLE_KEY)
    assert payload.decode(text.lower())[0] == make_claims()
    assert payload.decode(f" \n{text}\t")[0] == make_claims()
    assert accepted(text.lower(), PUBLIC)


def test_tampering_any_character_is_refused():
    text = payload.sign_payload(make_claims(), EXAMPLE_KEY)
    for position, original in enumerate(text):
        for replacement in ALPHABET:
            if replacement != original:
                tampered = text[:position] + replacement + text[position + 1 :]
                assert not accepted(tampered, PUBLIC), (position, replacement)


def test_tampering_any_bit_is_refused():
    raw = bytearray(base64.b32decode(payload.sign_payload(make_claims(), EXAMPLE_KEY) + "======"))
    for position in range(len(raw)):
        for bit in range(8):
            raw[position] ^= 1 << bit
            assert not accepted(base64.b32encode(raw).decode().rstrip("="), PUBLIC), (position, bit)
            raw[position] ^= 1 << bit


def test_truncated_or_extended_is_refused():
    text = payload.sign_payload(make_claims(), EXAMPLE_KEY)
    for end in range(len(text)):
        assert not accepted(text[:end], PUBLIC)
    for extra in ("A", "AA", "AAAA", "AAAAAAAA"):
        assert not accepted(text + extra, PUBLIC)


def test_wrong_key_is_refused():
    text = payload.sign_payload(make_claims(), EXAMPLE_KEY)
    assert accepted(text, PUBLIC)
    assert not accepted(text, signing.public_raw(signing.generate()))
    forged = payload.sign_payload(make_claims(), signing.generate())  # right key id, wrong key
    assert not accepted(forged, PUBLIC)


def test_unknown_version():
    claims = make_claims()
    body = bytearray(payload.to_bytes(claims))
    body[0] = 2
    text = base64.b32encode(bytes(body) + signing.sign(EXAMPLE_KEY, bytes(body))).decode().rstrip("=")
    with pytest.raises(PayloadError, match="version 2"):
        payload.decode(text)


def test_non_canonical_trailing_bits_refused():
    text = payload.sign_payload(make_claims(), EXAMPLE_KEY)  # 131 bytes: the last character carries 2 spare bits
    last = ALPHABET.index(text[-1])
    assert last & 0b11 == 0
    with pytest.raises(PayloadError, match="canonical"):
        payload.decode(text[:-1] + ALPHABET[last | 1])


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "A",
        "AB",
        "1" * 210,
        "0" * 210,
        "=" * 8,
        "A" * 401,
        "Ａ" * 210,
        "A" * 209,
        "ß" * 105,
        "ı" * 210,
        None,
        b"AB",
    ],
)
def test_malformed_text(text):
    with pytest.raises(PayloadError):
        payload.decode(text)


def test_length_cap():
    with pytest.raises(PayloadError, match="too long"):
        payload.decode("A" * 401)
    with pytest.raises(PayloadError, match="too long"):
        payload.decode(" " * 401)


@pytest.mark.parametrize(
    "overrides",
    [
        {"kind": 4},
        {"kind": "training"},
        {"key_id": b"\0" * 7},
        {"key_id": "abcdefgh"},
        {"digest": b"\0" * 15},
        {"status_index": -1},
        {"status_index": 2**32},
        {"status_index": 1.0},
        {"number": ""},
        {"number": "A" * 25},
        {"number": "y0001"},
        {"number": "Y-0001"},
        {"number": "１２３"},
        {"number": 123},
        {"holder": ""},
        {"holder": "张" * 9},
        {"holder": "😀" * 7},  # 7 characters but 28 bytes
        {"holder": "张\n华"},
        {"holder": "张\u200b华"},
        {"occupation": "nurse"},
        {"occupation": None},
        {"level": -1},
        {"level": 6},
        {"level": "3"},
        {"level": True},
        {"issued_on": dt.date(1999, 12, 31)},
        {"issued_on": dt.date(2180, 1, 1)},
        {"issued_on": "2026-11-22"},
        {"expires_on": dt.date(2000, 1, 1)},  # day 0 means "no expiry"
        {"expires_on": dt.date(2200, 1, 1)},
    ],
)
def test_claims_validation(overrides):
    with pytest.raises(PayloadError):
        make_claims(**overrides)


def test_claims_coercion():
    claims = make_claims(
        kind=1, key_id=bytearray(8), issued_on=dt.datetime(2026, 11, 22, 9, 30), digest=memoryview(bytes(16))
    )
    assert claims.kind is Kind.TRAINING
    choices = make_claims(level=SkillLevel.LEVEL_3, occupation=Occupation.INFANT_CARER, status_index=Kind.AWARD)
    assert type(choices.level) is int and type(choices.occupation) is str and type(choices.status_index) is int
    assert (choices.level, choices.occupation, choices.status_index) == (3, "infant_carer", 3)
    assert claims.key_id == bytes(8) and type(claims.key_id) is bytes
    assert claims.issued_on == dt.date(2026, 11, 22) and type(claims.issued_on) is dt.date
    assert make_claims(holder="欧阳小华晓明丽华").holder  # 8 characters, 24 bytes: the maximum


def test_encode_refuses_bad_signature():
    with pytest.raises(PayloadError):
        payload.encode(make_claims(), b"\0" * 63)


def test_snapshot_digest_is_canonical():
    digest = payload.snapshot_digest(EXAMPLE_SNAPSHOT)
    assert len(digest) == 16
    assert payload.snapshot_digest(dict(reversed(EXAMPLE_SNAPSHOT.items()))) == digest
    canonical = json.dumps(EXAMPLE_SNAPSHOT, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert digest == hashlib.sha256(canonical.encode()).digest()[:16]
    assert payload.snapshot_digest(EXAMPLE_SNAPSHOT | {"holder_name": "张*丽"}) != digest


# --- property tests -------------------------------------------------------------------------------------------

holders = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"]), min_size=1, max_size=8
).filter(lambda s: s.isprintable() and len(s.encode()) <= 24)
claims_strategy = st.builds(
    Claims,
    kind=st.sampled_from(Kind),
    key_id=st.binary(min_size=8, max_size=8),
    status_index=st.integers(0, 2**32 - 1),
    number=st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=24),
    holder=holders,
    occupation=st.sampled_from(sorted(payload.OCCUPATION_CODES.values())),
    level=st.integers(0, 5),
    issued_on=st.dates(dt.date(2000, 1, 1), dt.date(2179, 6, 6)),
    expires_on=st.none() | st.dates(dt.date(2000, 1, 2), dt.date(2179, 6, 6)),
    digest=st.binary(min_size=16, max_size=16),
)


def decode_or_payload_error(text):
    """Decoding may fail only with PayloadError; when it succeeds, the text is the canonical encoding."""
    try:
        claims, body, signature = payload.decode(text)
    except PayloadError:
        return None
    assert payload.encode(claims, signature) == text.strip().upper()
    assert body == payload.to_bytes(claims)
    return claims


@HYPOTHESIS
@given(claims_strategy)
def test_property_roundtrip(claims):
    text = payload.sign_payload(claims, EXAMPLE_KEY)
    decoded, body, signature = payload.decode(text)
    assert decoded == claims
    assert signing.verify(PUBLIC, body, signature)
    assert len(text) <= 240  # 150 bytes at most: 38 + 24 + 24 + 64


@HYPOTHESIS
@given(st.text(max_size=450))
def test_fuzz_any_text(text):
    decode_or_payload_error(text)


@HYPOTHESIS
@given(st.text(alphabet=ALPHABET + ALPHABET.lower() + "018= \t\n", max_size=420))
def test_fuzz_base32_like_text(text):
    decode_or_payload_error(text)


@HYPOTHESIS
@given(st.binary(max_size=250))
def test_fuzz_random_bytes(raw):
    decode_or_payload_error(base64.b32encode(raw).decode().rstrip("="))


@HYPOTHESIS
@given(claims_strategy, st.data())
def test_fuzz_mutated_valid_bodies(claims, data):
    raw = bytearray(payload.to_bytes(claims) + bytes(64))
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(raw) - 1))
        raw[position] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        del raw[data.draw(st.integers(0, len(raw) - 1)) :]
    decoded = decode_or_payload_error(base64.b32encode(bytes(raw)).decode().rstrip("="))
    if decoded is not None:
        assert dataclasses.asdict(decoded)  # a fully valid Claims object


def test_documented_python_verifier_works(monkeypatch):
    """The minimal verifier printed in docs/certificates-format.md, run against in-memory key set and status lists."""
    from certificates import jose, statuslist

    source = DOC.read_text(encoding="utf-8").split("```python\n", 1)[1].split("```", 1)[0]
    kid = signing.key_id_text(signing.key_id(PUBLIC))
    revoked = set()

    def urlopen(url):
        if url.endswith("/.well-known/jwks.json"):
            body = json.dumps({"keys": [signing.jwk(signing.public_raw(signing.generate())), signing.jwk(PUBLIC)]})
            return io.BytesIO(body.encode())
        list_no, purpose = url.rsplit("/", 2)[1:]
        purpose = purpose.removesuffix(".jwt")
        bits = statuslist.bitstring(i % statuslist.LIST_SIZE for p, i in revoked if p == purpose)
        credential = statuslist.status_credential(
            list_no=int(list_no), purpose=purpose, bits=bits, issuer="https://h", url=url, valid_from=NOW
        )
        return io.BytesIO(jose.jws_sign(credential, EXAMPLE_KEY, kid=kid, typ="vc+jwt").encode())

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    namespace = {}
    exec(compile(source, str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation
    text = payload.sign_payload(make_claims(), EXAMPLE_KEY)
    assert namespace["verify"]("h", text.lower()).startswith("signature valid")
    revoked.add(("suspension", 131077))
    assert namespace["verify"]("h", text) == "suspension"
    revoked.add(("revocation", 131077))
    assert namespace["verify"]("h", text) == "revocation"
    tampered = payload.sign_payload(make_claims(), signing.generate())
    with pytest.raises(InvalidSignature):
        namespace["verify"]("h", tampered)


def test_occupation_codes_cover_the_learning_choices():
    assert set(payload.OCCUPATION_CODES.values()) == {""} | set(Occupation.values)
    assert max(SkillLevel.values) == payload.MAX_LEVEL
