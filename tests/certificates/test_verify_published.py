"""What third parties fetch: the JWK set and the signed status lists (checked with PyJWT, not our own code)."""

from __future__ import annotations

import json

import jwt
import pytest

from certificates import payload, statuslist
from certificates.services import keys, status

from .test_verify_service import issue_certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    return issue_certificate()


def jwk_set(client) -> jwt.PyJWKSet:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"].startswith("public")
    return jwt.PyJWKSet.from_dict(response.json())


def status_list(client, list_no: int = 0, purpose: str = "revocation") -> tuple[dict, bytes]:
    """(verified claims, bits) of a published status list, verified against the published JWK set."""
    response = client.get(f"/certificates/status/{list_no}/{purpose}.jwt")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    token = response.content.decode()
    header = jwt.get_unverified_header(token)
    assert header["typ"] == "vc+jwt" and header["alg"] == "EdDSA"
    key = jwk_set(client)[header["kid"]]
    claims = jwt.decode(token, key=key, algorithms=["EdDSA"], options={"verify_aud": False})
    return claims, statuslist.decode_list(claims["credentialSubject"]["encodedList"])


def test_jwks_lists_active_and_rotated_keys_not_withdrawn(client, certificate, django_capture_on_commit_callbacks):
    first = certificate.signing_key.kid
    assert [key.key_id for key in jwk_set(client).keys] == [first]
    with django_capture_on_commit_callbacks(execute=True):
        second = keys.key_rotate().kid
    assert {key.key_id for key in jwk_set(client).keys} == {first, second}
    with django_capture_on_commit_callbacks(execute=True):
        keys.key_withdraw(kid=first)
    assert [key.key_id for key in jwk_set(client).keys] == [second]


def test_jwks_fields(client, certificate):
    (key,) = json.loads(client.get("/.well-known/jwks.json").content)["keys"]
    assert key == {**key, "kty": "OKP", "crv": "Ed25519", "kid": certificate.signing_key.kid, "alg": "EdDSA"}
    assert "d" not in key  # never the private part


def test_status_list_verifies_with_pyjwt_and_flips_on_revoke(client, certificate, django_capture_on_commit_callbacks):
    list_no, bit = statuslist.position(certificate.status_index)
    claims, bits = status_list(client, list_no)
    assert len(bits) * 8 == statuslist.LIST_SIZE
    assert claims["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert claims["credentialSubject"]["statusPurpose"] == "revocation"
    assert claims["id"].endswith(f"/certificates/status/{list_no}/revocation.jwt")
    assert not statuslist.is_set(bits, bit)
    with django_capture_on_commit_callbacks(execute=True):
        status.certificate_revoke(certificate=certificate, reason="fraud")
    _claims, bits = status_list(client, list_no)
    assert statuslist.is_set(bits, bit)
    _claims, suspended = status_list(client, list_no, "suspension")
    assert not statuslist.is_set(suspended, bit)


def test_suspension_list_flips_and_back(client, certificate, django_capture_on_commit_callbacks):
    list_no, bit = statuslist.position(certificate.status_index)
    with django_capture_on_commit_callbacks(execute=True):
        status.certificate_suspend(certificate=certificate, reason="fraud")
    assert statuslist.is_set(status_list(client, list_no, "suspension")[1], bit)
    with django_capture_on_commit_callbacks(execute=True):
        status.certificate_reinstate(certificate=certificate)
    assert not statuslist.is_set(status_list(client, list_no, "suspension")[1], bit)


def test_the_payload_index_is_the_status_list_index(certificate):
    claims, _body, _signature = payload.decode(certificate.payload)
    assert claims.status_index == certificate.status_index


@pytest.mark.parametrize(
    "path",
    [
        "/certificates/status/0/other.jwt",
        "/certificates/status/0/Revocation.jwt",
        f"/certificates/status/{2**32 // statuslist.LIST_SIZE}/revocation.jwt",
        "/certificates/status/-1/revocation.jwt",
    ],
)
def test_status_list_unknown_is_404(client, certificate, path):
    assert client.get(path).status_code == 404


def test_status_list_without_any_key_is_404(client):
    assert client.get("/certificates/status/0/revocation.jwt").status_code == 404
