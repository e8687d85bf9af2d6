"""Revocation, suspension and reinstatement: audited, authorized, effective at once in the status lists.

Only platform admins and health or HR officers whose region covers the certificate (``selectors.can_manage``)
may change a certificate's status; ``actor=None`` is the system itself (a ban, a management command).
Each change drops the cached status lists after commit, so the verify page and the published lists show it
on the next request.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.registry import audit
from lms.registry.selectors import is_banned

from .. import selectors
from ..models import Certificate

NOTE_MAX = 300


def _authorize(actor, certificate: Certificate) -> None:
    if actor is not None and not selectors.can_manage(actor, certificate):
        raise PermissionDenied(_("You may not change the status of this certificate."))


def _reason(reason: str) -> str:
    if reason not in Certificate.Reason.values:
        raise ValidationError({"reason": _("Choose a reason: lifetime ban, fraud or issued in error.")})
    return reason


def _locked(certificate: Certificate) -> Certificate:
    return Certificate.objects.select_for_update().select_related("type").get(pk=certificate.pk)


def _changed(certificate: Certificate, action: str, actor, **data) -> None:
    audit.record(certificate, action, actor=actor, number=certificate.number, **data)
    _cache_drop()


def _cache_drop() -> None:
    """Status lists and cached certificate rows go stale now and again after commit (a concurrent verification
    between the two could have cached the old row again)."""
    selectors.status_cache_drop()
    transaction.on_commit(selectors.status_cache_drop)


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, note: str = "", actor=None) -> Certificate:
    """Revoke for good (from valid or suspended). Revoking a revoked certificate changes nothing."""
    _authorize(actor, certificate)
    reason = _reason(reason)
    certificate = _locked(certificate)
    if certificate.status == Certificate.Status.REVOKED:
        return certificate
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revocation_reason = reason
    certificate.revocation_note = note.strip()[:NOTE_MAX]
    certificate.save(update_fields=["status", "revoked_at", "revocation_reason", "revocation_note"])
    _changed(certificate, "certificates.certificate.revoke", actor, reason=reason, note=certificate.revocation_note)
    return certificate


@transaction.atomic
def certificate_suspend(*, certificate: Certificate, reason: str, note: str = "", actor=None) -> Certificate:
    """Suspend a valid certificate (e.g. while fraud is investigated); reinstating makes it valid again."""
    _authorize(actor, certificate)
    reason = _reason(reason)
    certificate = _locked(certificate)
    if certificate.status == Certificate.Status.SUSPENDED:
        return certificate
    if certificate.status == Certificate.Status.REVOKED:
        raise ValidationError(_("A revoked certificate cannot be suspended."))
    certificate.status = Certificate.Status.SUSPENDED
    certificate.suspended_at = timezone.now()
    certificate.suspension_reason = reason
    certificate.suspension_note = note.strip()[:NOTE_MAX]
    certificate.save(update_fields=["status", "suspended_at", "suspension_reason", "suspension_note"])
    _changed(certificate, "certificates.certificate.suspend", actor, reason=reason, note=certificate.suspension_note)
    return certificate


@transaction.atomic
def certificate_reinstate(*, certificate: Certificate, note: str = "", actor=None) -> Certificate:
    """Make a suspended certificate valid again (never a revoked one, nor one of a banned holder)."""
    _authorize(actor, certificate)
    certificate = _locked(certificate)
    if certificate.status == Certificate.Status.VALID:
        return certificate
    if certificate.status == Certificate.Status.REVOKED:
        raise ValidationError(_("A revoked certificate cannot be reinstated."))
    if is_banned(certificate.holder_id):
        raise ValidationError(_("The holder is under a lifetime ban: the certificate cannot be reinstated."))
    certificate.status = Certificate.Status.VALID
    certificate.suspended_at = None
    certificate.suspension_reason = ""
    certificate.suspension_note = ""
    certificate.save(update_fields=["status", "suspended_at", "suspension_reason", "suspension_note"])
    _changed(certificate, "certificates.certificate.reinstate", actor, note=note.strip()[:NOTE_MAX])
    return certificate


@transaction.atomic
def certificates_revoke_for_ban(*, person_id: int) -> int:
    """Revoke every certificate of a banned person (reason ``ban``); returns how many were revoked."""
    revoked = 0
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Lifetime ban (终身禁入)")
    for certificate in Certificate.objects.filter(holder_id=person_id).exclude(status=Certificate.Status.REVOKED):
        certificate_revoke(certificate=certificate, reason=Certificate.Reason.BAN, note=note, actor=None)
        revoked += 1
    return revoked
