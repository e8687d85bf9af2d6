"""No input makes the verify page or API fail: any length, alphabet, unicode or percent-encoding (Hypothesis)."""

from __future__ import annotations

import base64
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_verify_service import issue_certificate

pytestmark = pytest.mark.django_db

B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567abcdefghijklmnopqrstuvwxyz"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def loose(settings):
    settings.CERTIFICATES_VERIFY_PAGE_RATE = "100000/m"
    settings.CERTIFICATES_VERIFY_API_RATE = "100000/m"
    return Client(raise_request_exception=True)


def check(client: Client, path_segment: str) -> None:
    page = client.get(f"/V/{path_segment}")
    assert page.status_code in (200, 404), page.status_code
    if page.status_code == 200:
        assert b'data-testid="verify-result"' in page.content
    response = client.get(f"/api/v1/certificates/verify/{path_segment}")
    assert response.status_code in (200, 400, 404), response.status_code
    if response.status_code != 404:
        assert response.json()["status"] in {"valid", "expired", "revoked", "suspended", "invalid"}


@FUZZ
@given(text=st.text(max_size=600))
def test_any_unicode_text(loose, text):
    check(loose, quote(text, safe=""))


@FUZZ
@given(text=st.text(alphabet=B32, max_size=500))
def test_base32_looking_text(loose, text):
    check(loose, text)


@FUZZ
@given(raw=st.binary(max_size=300))
def test_any_bytes_percent_encoded(loose, raw):
    check(loose, "".join(f"%{byte:02X}" for byte in raw))


@FUZZ
@given(raw=st.binary(min_size=1, max_size=250))
def test_any_body_in_canonical_base32(loose, raw):
    check(loose, base64.b32encode(raw).rstrip(b"=").decode())


@pytest.fixture
def genuine():
    return issue_certificate().payload


@FUZZ
@given(data=st.data())
def test_mutations_of_a_genuine_payload(loose, genuine, data):
    """One character changed (the certificate is shared by all examples: the fixture runs once)."""
    position = data.draw(st.integers(0, len(genuine) - 1))
    char = data.draw(st.sampled_from(B32 + "0189=-_ %"))
    mutated = genuine[:position] + char + genuine[position + 1 :]
    response = loose.get(f"/api/v1/certificates/verify/{quote(mutated, safe='')}")
    assert response.status_code in (200, 400)
    expected = "valid" if mutated.upper() == genuine else "invalid"
    assert response.json()["status"] == expected
