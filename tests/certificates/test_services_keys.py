"""Signing keys: rotation keeps old certificates verifiable, withdrawal does not; keys stay sealed."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import ValidationError

from certificates import payload, selectors, signing
from certificates.models import SigningKey
from certificates.services import certificate_resign, key_rotate, key_withdraw
from certificates.services import keys as key_services

from .factories import issue_certificate

pytestmark = pytest.mark.django_db


def verifies(certificate) -> bool:
    claims, body, signature = payload.decode(certificate.payload)
    public = selectors.verification_keys().get(signing.key_id_text(claims.key_id))
    return public is not None and signing.verify(public, body, signature)


def test_rotation_keeps_old_certificates_verifiable(django_capture_on_commit_callbacks, caplog):
    caplog.set_level(logging.DEBUG)
    old_certificate = issue_certificate()
    old_key = old_certificate.signing_key
    with django_capture_on_commit_callbacks(execute=True):
        new_key = key_rotate()
    old_key.refresh_from_db()
    assert old_key.status == SigningKey.Status.ROTATED and old_key.rotated_at
    assert new_key.status == SigningKey.Status.ACTIVE and new_key.kid != old_key.kid
    assert selectors.active_key() == new_key
    assert set(selectors.verification_keys()) == {old_key.kid, new_key.kid}
    new_certificate = issue_certificate()
    assert new_certificate.signing_key == new_key
    assert selectors.verification_key(old_key.kid) == bytes(old_key.public_key)
    assert selectors.verification_key("unknown") is None
    assert payload.decode(new_certificate.payload)[0].key_id == signing.key_id(bytes(new_key.public_key))
    assert verifies(old_certificate) and verifies(new_certificate)
    # no key material in the log
    sealed = [bytes(k.sealed_private_key) for k in SigningKey.objects.all()]
    assert all(s.decode() not in caplog.text for s in sealed)


def test_withdrawn_key_no_longer_verifies(django_capture_on_commit_callbacks):
    certificate = issue_certificate()
    kid = certificate.signing_key.kid
    assert verifies(certificate)
    with django_capture_on_commit_callbacks(execute=True):
        key = key_withdraw(kid=kid, note="leaked")
    assert key.status == SigningKey.Status.WITHDRAWN and key.withdrawn_at
    assert kid not in selectors.verification_keys()
    assert not verifies(certificate)
    assert selectors.active_key() is None
    # the next issuance creates a fresh key; re-signing brings the old certificate back
    with django_capture_on_commit_callbacks(execute=True):
        fresh = issue_certificate()
    assert fresh.signing_key.kid != kid and verifies(fresh)
    with django_capture_on_commit_callbacks(execute=True):
        resigned = certificate_resign(certificate=certificate)
    assert resigned.signing_key == fresh.signing_key and verifies(resigned)
    assert resigned.number == certificate.number and resigned.digest == certificate.digest


def test_withdrawing_an_unknown_key_is_refused():
    with pytest.raises(ValidationError):
        key_withdraw(kid="nope")


def test_withdrawing_twice_changes_nothing():
    key = key_rotate()
    first = key_withdraw(kid=key.kid)
    assert key_withdraw(kid=key.kid).withdrawn_at == first.withdrawn_at


def test_sealed_keys_open_after_a_kek_rotation(settings):
    key = key_rotate()
    key_services._unsealed.clear()
    new_kek = "Jc7gk2rV3t3Ht0wqKxZ4m1E9yq3l8p0m3nM5x0r2Y1A="
    settings.CERTIFICATE_KEY_ENCRYPTION_KEYS = [new_kek, *settings.CERTIFICATE_KEY_ENCRYPTION_KEYS]
    private = key_services.private_key(key)  # sealed under the old first KEK, still listed
    assert signing.public_raw(private) == bytes(key.public_key)
    key_services._unsealed.clear()
    settings.CERTIFICATE_KEY_ENCRYPTION_KEYS = [new_kek]
    with pytest.raises(signing.SealError):
        key_services.private_key(key)


def test_a_sealed_key_that_does_not_match_its_public_key_is_refused(settings):
    key = key_rotate()
    other = signing.generate()
    key.sealed_private_key = signing.seal(other, settings.CERTIFICATE_KEY_ENCRYPTION_KEYS)
    key.save()
    key_services._unsealed.clear()
    with pytest.raises(signing.SealError):
        key_services.private_key(key)


def test_a_key_missing_from_a_stale_cached_set_is_found():
    first = key_rotate()
    assert set(selectors.verification_keys()) == {first.kid}  # cached now
    second = key_rotate()  # its cache drop waits for a commit that the test never makes
    assert second.kid not in selectors.verification_keys()
    assert selectors.verification_key(second.kid) == bytes(second.public_key)
    assert selectors.verification_key(first.kid) == bytes(first.public_key)
