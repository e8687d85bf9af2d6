"""Signing keys: creation, rotation, withdrawal, and the unsealed active key for signing.

Private keys are generated here, sealed at once (``signing.seal`` under ``CERTIFICATE_KEY_ENCRYPTION_KEYS``)
and only the sealed form is stored. Unsealed keys live in this process's memory only (a small cache by key
id) and are never logged, rendered or exported. The first issuance with no active key creates one
(:func:`active_signer`), so a fresh installation works without a manual step; ``manage.py rotate_signing_key``
rotates (new active key, the old one keeps verifying) and ``--withdraw <kid>`` withdraws a compromised key.
"""

from __future__ import annotations

import logging

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.registry import audit

from .. import selectors, signing
from ..models import SigningKey

logger = logging.getLogger(__name__)

_unsealed: dict[str, Ed25519PrivateKey] = {}


def _keks() -> list[str]:
    return list(settings.CERTIFICATE_KEY_ENCRYPTION_KEYS)


def private_key(key: SigningKey) -> Ed25519PrivateKey:
    """The unsealed private key of ``key`` (cached in this process). Raises ``signing.SealError``."""
    cached = _unsealed.get(key.kid)
    if cached is None:
        cached = signing.unseal(bytes(key.sealed_private_key), _keks())
        if signing.public_raw(cached) != bytes(key.public_key):
            raise signing.SealError("The sealed private key does not match its public key")
        _unsealed[key.kid] = cached
    return cached


def _new_key(now) -> SigningKey:
    private = signing.generate()
    public = signing.public_raw(private)
    key = SigningKey.objects.create(
        kid=signing.key_id_text(signing.key_id(public)),
        public_key=public,
        sealed_private_key=signing.seal(private, _keks()),
        status=SigningKey.Status.ACTIVE,
        activated_at=now,
    )
    _unsealed[key.kid] = private
    return key


@transaction.atomic
def key_rotate(*, actor=None) -> SigningKey:
    """Create a new active key; the previous active key becomes ``rotated`` (verifies, no longer signs)."""
    now = timezone.now()
    old = SigningKey.objects.select_for_update().filter(status=SigningKey.Status.ACTIVE).first()
    if old is not None:
        old.status = SigningKey.Status.ROTATED
        old.rotated_at = now
        old.save(update_fields=["status", "rotated_at"])
    key = _new_key(now)
    if old is not None:
        audit.record(old, "certificates.key.rotate", actor=actor, successor=key.kid)
    audit.record(key, "certificates.key.create", actor=actor, kid=key.kid)
    logger.info("signing key %s created%s", key.kid, f", {old.kid} rotated" if old else "")
    transaction.on_commit(selectors.keys_cache_drop)
    return key


@transaction.atomic
def key_withdraw(*, kid: str, actor=None, note: str = "") -> SigningKey:
    """Withdraw a (compromised) key: it leaves the published key set and its certificates verify as invalid.

    Withdrawing the active key leaves no active key: the next issuance creates a new one. Certificates signed
    with a withdrawn key must be re-issued (re-signed) by an administrator.
    """
    key = SigningKey.objects.select_for_update().filter(kid=kid).first()
    if key is None:
        raise ValidationError(_("There is no signing key with the id %(kid)s.") % {"kid": kid})
    if key.status != SigningKey.Status.WITHDRAWN:
        was = key.status
        key.status = SigningKey.Status.WITHDRAWN
        key.withdrawn_at = timezone.now()
        key.save(update_fields=["status", "withdrawn_at"])
        audit.record(key, "certificates.key.withdraw", actor=actor, previous_status=was, note=note[:300])
        logger.warning("signing key %s withdrawn", key.kid)
    _unsealed.pop(key.kid, None)
    transaction.on_commit(selectors.keys_cache_drop)
    return key


def active_signer() -> tuple[SigningKey, Ed25519PrivateKey]:
    """The active key and its private key, creating the first key if there is none (also for status lists and
    Open Badges credentials). Call inside the transaction that uses the signature."""
    key = selectors.active_key()
    if key is None:
        try:
            with transaction.atomic():
                key = key_rotate()
        except IntegrityError:  # another worker created the first key at the same moment
            key = SigningKey.objects.get(status=SigningKey.Status.ACTIVE)
    return key, private_key(key)
