"""Ed25519 keys: ids, signatures (RFC 8032 vector), sealing under rotating KEKs, JWK export readable by PyJWT."""

import base64
import hashlib

import jwt
import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from certificates import signing

# RFC 8032 §7.1, TEST 1 (empty message)
RFC_SECRET = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
RFC_SIGNATURE = bytes.fromhex(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
)


def kek() -> str:
    return Fernet.generate_key().decode()


def test_rfc8032_vector():
    key = Ed25519PrivateKey.from_private_bytes(RFC_SECRET)
    assert signing.public_raw(key) == RFC_PUBLIC
    assert signing.public_raw(key.public_key()) == RFC_PUBLIC
    assert signing.sign(key, b"") == RFC_SIGNATURE
    assert signing.verify(RFC_PUBLIC, b"", RFC_SIGNATURE)


def test_key_id():
    key = signing.generate()
    public = signing.public_raw(key)
    kid = signing.key_id(public)
    assert len(public) == 32
    assert kid == hashlib.sha256(public).digest()[:8] == signing.key_id(memoryview(public))
    text = signing.key_id_text(kid)
    assert len(text) == 11 and "=" not in text
    assert base64.urlsafe_b64decode(text + "=") == kid
    assert signing.key_id_text(signing.key_id(RFC_PUBLIC)) == "If4x36FUomE"  # the documented example key


def test_verify_rejects_and_never_raises():
    key, other = signing.generate(), signing.generate()
    public = signing.public_raw(key)
    signature = signing.sign(key, b"body")
    assert len(signature) == 64
    assert signing.verify(public, b"body", signature)
    assert signing.verify(memoryview(public), b"body", memoryview(signature))  # PostgreSQL BinaryField values
    assert not signing.verify(public, b"bodY", signature)
    assert not signing.verify(signing.public_raw(other), b"body", signature)
    assert not signing.verify(public, b"body", signature[:-1] + bytes([signature[-1] ^ 1]))
    for bad_public, bad_signature in [
        (b"", signature),
        (public[:31], signature),
        (public + b"\0", signature),
        (public, b""),
        (public, signature[:63]),
        (public, signature + b"\0"),
        (b"\xff" * 32, signature),  # not a curve point
        (None, signature),
        (public, None),
        ("text", "text"),
    ]:
        assert signing.verify(bad_public, b"body", bad_signature) is False


def test_seal_roundtrip_and_no_clear_key():
    key, keks = signing.generate(), [kek()]
    sealed = signing.seal(key, keks)
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    assert raw not in sealed and base64.b64encode(raw) not in sealed
    opened = signing.unseal(sealed, keks)
    assert signing.public_raw(opened) == signing.public_raw(key)
    assert (
        signing.unseal(memoryview(sealed), keks).private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()) == raw
    )


def test_unseal_wrong_or_missing_kek():
    sealed = signing.seal(signing.generate(), [kek()])
    for keks in ([kek()], [], ["not a fernet key"]):
        with pytest.raises(signing.SealError):
            signing.unseal(sealed, keks)
    with pytest.raises(signing.SealError):
        signing.unseal(b"garbage", [kek()])
    with pytest.raises(signing.SealError):
        signing.seal(signing.generate(), [])


def test_kek_rotation():
    key, old, new = signing.generate(), kek(), kek()
    sealed = signing.seal(key, [old])
    assert signing.public_raw(signing.unseal(sealed, [new, old])) == signing.public_raw(key)  # any KEK opens
    resealed = signing.reseal(sealed, [new, old])  # first KEK seals
    assert signing.public_raw(signing.unseal(resealed, [new])) == signing.public_raw(key)
    with pytest.raises(signing.SealError):
        signing.unseal(resealed, [old])
    with pytest.raises(signing.SealError):
        signing.reseal(sealed, [new])


def test_jwk_is_standard():
    key = signing.generate()
    public = signing.public_raw(key)
    jwk = signing.jwk(memoryview(public))
    assert jwk == {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": base64.urlsafe_b64encode(public).rstrip(b"=").decode(),
        "kid": signing.key_id_text(signing.key_id(public)),
        "use": "sig",
        "alg": "EdDSA",
    }
    parsed = jwt.PyJWK(jwk)
    assert parsed.key_id == jwk["kid"]
    assert signing.public_raw(parsed.key) == public
