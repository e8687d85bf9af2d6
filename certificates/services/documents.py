"""The certificate PDF: rendered once from the frozen snapshot (in a task), stored privately with its hash."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from lms.registry import audit

from .. import qr, render
from ..models import Certificate

logger = logging.getLogger(__name__)


def certificate_verify_url(certificate: Certificate) -> str:
    """The URL in the certificate's QR code (``WAGTAILADMIN_BASE_URL`` is the site URL)."""
    return qr.verify_url(settings.WAGTAILADMIN_BASE_URL, certificate.payload)


def document_snapshot(certificate: Certificate) -> dict:
    """What the PDF shows: the frozen snapshot, with the current expiry after a renewal."""
    snapshot = dict(certificate.snapshot)
    snapshot["expires_on"] = certificate.expires_on.isoformat() if certificate.expires_on else None
    return snapshot


def _photo_bytes(certificate: Certificate) -> bytes | None:
    if not certificate.photo:
        return None
    try:
        with certificate.photo.open("rb") as file:
            return file.read()
    except OSError:
        logger.warning("frozen photo of certificate %s is missing", certificate.number)
        return None


def certificate_pdf_render(*, certificate_id: int, force: bool = False) -> Certificate | None:
    """Render and store the certificate's PDF and its SHA-256; a rendered certificate is left alone unless
    ``force`` (after a renewal or re-signing). Returns None if the certificate no longer exists.

    Rendering (~0.1 s) happens outside the row lock; the store is atomic and the previous file is deleted
    after commit, so a concurrent render never leaves a row pointing at a missing file.
    """
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return None
    if certificate.pdf and not force:
        return certificate
    content = render.certificate_pdf(
        snapshot=document_snapshot(certificate),
        verify_url=certificate_verify_url(certificate),
        photo=_photo_bytes(certificate),
    )
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        if certificate.pdf and not force:
            return certificate  # a concurrent render stored it first
        old = certificate.pdf.name if certificate.pdf else None
        certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(content), save=False)
        certificate.pdf_sha256 = digest
        certificate.save(update_fields=["pdf", "pdf_sha256"])
        audit.record(certificate, "certificates.certificate.render", number=certificate.number, sha256=digest)
        if old and old != certificate.pdf.name:
            storage = certificate.pdf.storage
            transaction.on_commit(lambda: storage.delete(old))
    return certificate
