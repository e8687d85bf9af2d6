"""Compact JWS (EdDSA): interoperates with PyJWT both ways, refuses tampering, other algorithms and unknown keys."""

import base64
import datetime as dt
import json

import jwt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certificates import jose, signing, statuslist
from certificates.jose import JoseError

KEY = signing.generate()
PUBLIC = signing.public_raw(KEY)
KID = signing.key_id_text(signing.key_id(PUBLIC))
KEYS = {KID: PUBLIC}
CLAIMS = {"iss": "https://cert.example.org", "name": "张*华", "n": 1}


def b64(data) -> str:
    if isinstance(data, dict):
        data = json.dumps(data).encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_roundtrip_and_header():
    token = jose.jws_sign(CLAIMS, KEY, kid=KID, typ="vc+jwt")
    assert jose.jws_verify(token, KEYS) == CLAIMS
    assert jwt.get_unverified_header(token) == {"alg": "EdDSA", "kid": KID, "typ": "vc+jwt"}
    assert "=" not in token and token.count(".") == 2


def test_bytes_payload():
    body = json.dumps(CLAIMS).encode()
    token = jose.jws_sign(body, KEY, kid=KID, typ="JWT")
    assert token.split(".")[1] == b64(body)
    assert jose.jws_verify(token, KEYS) == CLAIMS


def test_pyjwt_verifies_our_tokens():
    token = jose.jws_sign(CLAIMS, KEY, kid=KID, typ="vc+jwt")
    jwks = jwt.PyJWKSet.from_dict({"keys": [signing.jwk(signing.public_raw(signing.generate())), signing.jwk(PUBLIC)]})
    key = jwks[jwt.get_unverified_header(token)["kid"]]
    assert jwt.decode(token, key, algorithms=["EdDSA"]) == CLAIMS
    assert jwt.decode(token, jwt.PyJWK(signing.jwk(PUBLIC)), algorithms=["EdDSA"]) == CLAIMS
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, jwt.PyJWK(signing.jwk(signing.public_raw(signing.generate()))), algorithms=["EdDSA"])


def test_we_verify_pyjwt_tokens():
    token = jwt.encode(CLAIMS, KEY, algorithm="EdDSA", headers={"kid": KID})
    assert jose.jws_verify(token, KEYS) == CLAIMS


def test_signed_status_list_readable_with_pyjwt():
    bits = statuslist.bitstring([2, 99])
    url = "https://cert.example.org/certificates/status/0/suspension.jwt"
    credential = statuslist.status_credential(
        list_no=0,
        purpose="suspension",
        bits=bits,
        issuer="https://cert.example.org",
        url=url,
        valid_from=dt.datetime(2026, 11, 22, tzinfo=dt.UTC),
    )
    token = jose.jws_sign(credential, KEY, kid=KID, typ="vc+jwt")
    decoded = jwt.decode(token, jwt.PyJWK(signing.jwk(PUBLIC)), algorithms=["EdDSA"])
    assert statuslist.decode_list(decoded["credentialSubject"]["encodedList"]) == bits
    assert jose.jws_verify(token, KEYS) == credential


def test_tampering_any_character_is_refused():
    token = jose.jws_sign(CLAIMS, KEY, kid=KID, typ="vc+jwt")
    for position, original in enumerate(token):
        if original == ".":
            continue
        for replacement in {"A", "B", "_", "-"} - {original}:
            tampered = token[:position] + replacement + token[position + 1 :]
            with pytest.raises(JoseError):
                jose.jws_verify(tampered, KEYS)


def test_unknown_or_wrong_key():
    token = jose.jws_sign(CLAIMS, KEY, kid=KID, typ="vc+jwt")
    with pytest.raises(JoseError, match="key id"):
        jose.jws_verify(token, {})
    with pytest.raises(JoseError, match="signature"):
        jose.jws_verify(token, {KID: signing.public_raw(signing.generate())})
    with pytest.raises(JoseError, match="key id"):
        jose.jws_verify(jose.jws_sign(CLAIMS, KEY, kid="other", typ="JWT"), KEYS)


@pytest.mark.parametrize(
    "header",
    [
        {"alg": "none", "kid": KID},
        {"alg": "HS256", "kid": KID},
        {"alg": "ES256", "kid": KID},
        {"kid": KID},
        {"alg": "EdDSA", "kid": KID, "crit": ["exp"], "exp": 1},
        {"alg": "EdDSA"},
        {"alg": "EdDSA", "kid": 5},
        {"alg": "EdDSA", "kid": [KID]},
    ],
)
def test_refused_headers(header):
    signing_input = f"{b64(header)}.{b64(CLAIMS)}"
    signature = b64(signing.sign(KEY, signing_input.encode()))
    with pytest.raises(JoseError):
        jose.jws_verify(f"{signing_input}.{signature}", KEYS)
    with pytest.raises(JoseError):
        jose.jws_verify(f"{signing_input}.", KEYS)


@pytest.mark.parametrize("payload", [b"[1, 2]", b"not json", b"\xff\xfe", b'"text"', b"[" * 100000 + b"]" * 100000])
def test_payload_must_be_a_json_object(payload):
    with pytest.raises(JoseError):
        jose.jws_verify(jose.jws_sign(payload, KEY, kid=KID, typ="JWT"), KEYS)


@pytest.mark.parametrize("token", ["", "a.b", "a.b.c.d", "...", "证.书.书", None, b"a.b.c", "a==.b.c"])
def test_malformed_tokens(token):
    with pytest.raises(JoseError):
        jose.jws_verify(token, KEYS)


@settings(database=None, deadline=None, max_examples=200)
@given(st.text(max_size=300) | st.lists(st.text(alphabet="AZaz09-_=+/.", max_size=60), max_size=4).map(".".join))
def test_fuzz_only_jose_errors(token):
    with pytest.raises(JoseError):
        jose.jws_verify(token, KEYS)
