"""The verification decision (certificates.services.verification) and its log."""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile

from certificates import payload, signing
from certificates.models import Certificate, VerificationLog
from certificates.services import keys, status
from certificates.services import verification as svc
from certificates.verification import Reason, Status, certificate_status, client_hash, looks_like_payload
from tests import factories as f
from tests.certificates import factories

pytestmark = pytest.mark.django_db


def issue_certificate(*, name: str = "张丽华", photo: bytes = b"", **kwargs):
    """A certificate issued through the service (``factories.issue_certificate``) for a new holder."""
    holder = f.PersonFactory(name=name)
    if photo:
        holder.photo.save("photo.jpg", ContentFile(photo))
    return factories.issue_certificate(holder=holder, **kwargs)


def flip(text: str, position: int) -> str:
    """The payload with one bit of byte ``position`` (of body + signature) flipped."""
    raw = bytearray(base64.b32decode(text + "=" * (-len(text) % 8)))
    raw[position] ^= 0x01
    return base64.b32encode(bytes(raw)).rstrip(b"=").decode()


@pytest.fixture
def certificate():
    return issue_certificate()


# --- pure parts ------------------------------------------------------------------------------------


def test_certificate_status_order():
    today = date(2026, 6, 1)
    past = today - timedelta(days=1)
    assert certificate_status(status="valid", expires_on=None, today=today) == Status.VALID
    assert certificate_status(status="valid", expires_on=today, today=today) == Status.VALID  # last valid day
    assert certificate_status(status="valid", expires_on=past, today=today) == Status.EXPIRED
    # revoked and suspended win over expired
    assert certificate_status(status="revoked", expires_on=past, today=today) == Status.REVOKED
    assert certificate_status(status="suspended", expires_on=past, today=today) == Status.SUSPENDED


def test_client_hash_is_keyed_and_not_the_address():
    one = client_hash("203.0.113.7", "secret-a")
    assert len(one) == 64 and "203.0.113.7" not in one
    assert one == client_hash("203.0.113.7", "secret-a")
    assert one != client_hash("203.0.113.7", "secret-b")
    assert one != client_hash("203.0.113.8", "secret-a")


@pytest.mark.parametrize("text", ["", "A" * 401, "ÄBC", "ABC-DEF", "ABC DEF", "abc/def", None, 12])
def test_prefilter_refuses(text):
    assert not looks_like_payload(text)


# --- decisions -------------------------------------------------------------------------------------


def test_valid(certificate):
    result = svc.decide(certificate.payload)
    assert result.status == Status.VALID
    assert result.certificate == certificate
    assert result.reason == ""


def test_lowercase_payload_is_accepted(certificate):
    assert svc.decide(certificate.payload.lower()).status == Status.VALID


def test_expired_uses_the_current_expiry_which_renewal_extends(certificate):
    from certificates import selectors

    Certificate.objects.filter(pk=certificate.pk).update(expires_on=date.today() - timedelta(days=1))
    assert svc.decide(certificate.payload).status == Status.EXPIRED
    # the payload still carries the old expiry; the record (renewed) decides online. Services that change a
    # certificate drop the cached rows (status_cache_drop); this test edits the row directly.
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=date.today() + timedelta(days=365))
    selectors.status_cache_drop()
    assert svc.decide(certificate.payload).status == Status.VALID


def test_revoked_with_reason(certificate):
    status.certificate_revoke(certificate=certificate, reason="fraud", note="伪造学时")
    result = svc.decide(certificate.payload)
    assert result.status == Status.REVOKED
    assert result.reason == "fraud"


def test_suspended(certificate):
    status.certificate_suspend(certificate=certificate, reason="fraud")
    assert svc.decide(certificate.payload).status == Status.SUSPENDED
    status.certificate_reinstate(certificate=certificate)
    assert svc.decide(certificate.payload).status == Status.VALID


def test_tampering_any_byte_is_invalid(certificate):
    raw_length = len(base64.b32decode(certificate.payload + "=" * (-len(certificate.payload) % 8)))
    for position in range(raw_length):
        result = svc.decide(flip(certificate.payload, position))
        assert result.status == Status.INVALID, position
        assert result.certificate is None
        assert result.reason in {Reason.MALFORMED, Reason.UNKNOWN_KEY, Reason.BAD_SIGNATURE}, position


def test_unknown_key_is_invalid(certificate):
    claims, _body, _signature = payload.decode(certificate.payload)
    stranger = signing.generate()
    forged = payload.sign_payload(replace(claims, key_id=signing.key_id(signing.public_raw(stranger))), stranger)
    result = svc.decide(forged)
    assert (result.status, result.reason) == (Status.INVALID, Reason.UNKNOWN_KEY)


def test_signature_by_another_key_under_our_key_id_is_invalid(certificate):
    claims, body, _signature = payload.decode(certificate.payload)
    forged = payload.encode(claims, signing.sign(signing.generate(), body))
    result = svc.decide(forged)
    assert (result.status, result.reason) == (Status.INVALID, Reason.BAD_SIGNATURE)


def test_rotated_key_still_verifies_withdrawn_key_does_not(certificate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        keys.key_rotate()
    assert svc.decide(certificate.payload).status == Status.VALID
    with django_capture_on_commit_callbacks(execute=True):
        keys.key_withdraw(kid=certificate.signing_key.kid)
    result = svc.decide(certificate.payload)
    assert (result.status, result.reason) == (Status.INVALID, Reason.UNKNOWN_KEY)


def test_genuine_signature_of_an_unknown_certificate_is_invalid(certificate):
    claims, _body, _signature = payload.decode(certificate.payload)
    _key, private = keys.active_signer()
    ghost = replace(claims, status_index=claims.status_index + 1000, number="PX0000000000000001")
    result = svc.decide(payload.sign_payload(ghost, private))
    assert (result.status, result.reason) == (Status.INVALID, Reason.UNKNOWN_CERTIFICATE)


def test_digest_must_match_the_record(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(digest="00" * 16)
    result = svc.decide(certificate.payload)
    assert (result.status, result.reason) == (Status.INVALID, Reason.UNKNOWN_CERTIFICATE)


@pytest.mark.parametrize("text", ["", "garbage", "0" * 50, "A" * 1000, "证书", "%00", "AB CD"])
def test_garbage_is_malformed(text):
    result = svc.decide(text)
    assert (result.status, result.reason) == (Status.INVALID, Reason.MALFORMED)


# --- the log ---------------------------------------------------------------------------------------


def test_verify_logs_each_check(certificate):
    user = f.UserFactory()
    svc.certificate_verify(payload=certificate.payload, channel="page", user=user, client="c" * 64)
    svc.certificate_verify(payload="garbage", channel="api", client="d" * 64)
    valid, invalid = VerificationLog.objects.order_by("id")
    assert (valid.certificate, valid.status, valid.channel, valid.user, valid.client) == (
        certificate,
        "valid",
        "page",
        user,
        "c" * 64,
    )
    assert (invalid.certificate, invalid.status, invalid.channel, invalid.user) == (None, "invalid", "api", None)


def test_verify_refuses_an_unknown_channel(certificate):
    with pytest.raises(ValueError):
        svc.certificate_verify(payload=certificate.payload, channel="fax")
