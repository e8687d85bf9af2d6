"""The holder's side: "my certificates" on a phone, the PDF download and the Open Badges export.

* ``GET /certificates/my/`` — the signed-in person's certificates, newest first: kind, number, status (valid,
  expired, revoked with date and reason category, suspended with date), expiry, the QR code of the verify URL
  and a link to the verify page; for certificates renewed on in-service hours, this year's hours against the
  requirement.
* ``GET /certificates/<number>/pdf`` — the stored PDF as an attachment, to the holder or to staff who may see
  the certificate (``selectors.certificates_for``); rendered now if it was not yet.
* ``GET /certificates/<number>/badge.json`` and ``/badge.jwt`` — the certificate as an Open Badges 3.0
  credential (JSON) and the same credential secured as a ``vc+jwt`` signed by the active key (verifiable
  against ``/.well-known/jwks.json``); to the holder only, since it carries a salted hash of their ID number.

Revoked and suspended certificates are listed but neither downloaded nor exported: a PDF or credential of
theirs would look valid on paper (403 with an explanation).
"""

from __future__ import annotations

import json
import logging
from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lms.learning.choices import TrainingKind
from lms.learning.selectors import hours_vs_requirement
from lms.registry.selectors import person_for_user

from .. import credential, qr, selectors, services, statuslist
from ..fonts import FontMissing
from ..models import Certificate, CertificateType, SigningKey
from ..services import documents
from ..verification import Status, certificate_status
from .public import STATUS_LABELS

logger = logging.getLogger(__name__)

# What a holder may download or export: a revoked or suspended certificate's document would look valid.
DOWNLOADABLE = frozenset({Status.VALID, Status.EXPIRED})
QR_SCALE = 3  # px per module: 195 px for a version-10 code, fits a phone screen


# --- reads for pages ----------------------------------------------------------------------------------------------


def effective_status(certificate: Certificate, today: date | None = None) -> Status:
    """The status a verifier would show now (valid, expired, revoked, suspended)."""
    return certificate_status(
        status=certificate.status, expires_on=certificate.expires_on, today=today or timezone.localdate()
    )


def holder_summary(person) -> dict:
    """Counts for the home page: ``{"total": n, "valid": n}`` (valid = not expired, revoked or suspended)."""
    today = timezone.localdate()
    rows = selectors.holder_certificates(person).values_list("status", "expires_on")
    statuses = [certificate_status(status=s, expires_on=e, today=today) for s, e in rows]
    return {"total": len(statuses), "valid": statuses.count(Status.VALID)}


def _title(snapshot: dict) -> str:
    """What the certificate certifies, in one line (course; occupation and level; competition and award)."""
    kind = snapshot.get("kind")
    if kind == "skill":
        parts = (snapshot.get("occupation_label"), snapshot.get("level_label"))
    elif kind == "award":
        parts = (snapshot.get("competition_title") or snapshot.get("course_title"), snapshot.get("award_label"))
    else:
        parts = (snapshot.get("course_title"),)
    return " · ".join(p for p in parts if p)


def _local_date(value) -> date | None:
    return timezone.localdate(value) if value else None


def _card(certificate: Certificate, today: date) -> dict:
    status = effective_status(certificate, today)
    verify_url = documents.certificate_verify_url(certificate)
    renewable = certificate.type.validity == CertificateType.Validity.IN_SERVICE_HOURS
    return {
        "certificate": certificate,
        "snapshot": certificate.snapshot,
        "title": _title(certificate.snapshot),
        "status": status.value,
        "status_label": STATUS_LABELS[status](),
        "downloadable": status in DOWNLOADABLE,
        "revoked_on": _local_date(certificate.revoked_at),
        "suspended_on": _local_date(certificate.suspended_at),
        "verify_url": verify_url,
        "verify_path": reverse("certificates:verify", kwargs={"payload": certificate.payload}),
        # the QR of a revoked certificate is of no use to anyone: the card says why instead
        "qr_svg": mark_safe(qr.qr_svg(verify_url, scale=QR_SCALE)) if status != Status.REVOKED else "",  # noqa: S308
        "renews_on_hours": renewable and status != Status.REVOKED,
        "key_withdrawn": certificate.signing_key.status == SigningKey.Status.WITHDRAWN,
    }


@login_required
@require_safe
def my_certificates(request):
    person = person_for_user(request.user)
    today = timezone.localdate()
    cards = []
    hours_rows = []
    if person is not None:
        certificates = selectors.holder_certificates(person).select_related("signing_key")
        # newest first, revoked ones last
        cards = sorted((_card(c, today) for c in certificates), key=lambda card: card["status"] == Status.REVOKED)
        if any(card["renews_on_hours"] for card in cards):
            hours_rows = [
                row for row in hours_vs_requirement(person, today.year) if row["kind"] == TrainingKind.IN_SERVICE
            ]
    context = {"person": person, "cards": cards, "hours_rows": hours_rows, "year": today.year}
    return _private(TemplateResponse(request, "certificates/holder/my_certificates.html", context))


# --- downloads ----------------------------------------------------------------------------------------------------


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _refused(request, certificate: Certificate, status: Status) -> HttpResponse:
    context = {
        "certificate": certificate,
        "status": status.value,
        "status_label": STATUS_LABELS[status](),
        "revoked_on": _local_date(certificate.revoked_at),
        "suspended_on": _local_date(certificate.suspended_at),
    }
    return _private(TemplateResponse(request, "certificates/holder/unavailable.html", context, status=403))


def _visible(user, number: str) -> Certificate:
    """A certificate the user may see (holder, or staff in scope), else 404."""
    certificate = selectors.certificates_for(user).select_related("holder").filter(number=number.upper()).first()
    if certificate is None:
        raise Http404
    return certificate


def _own(user, number: str) -> Certificate:
    """One of the user's own certificates, else 404."""
    person = person_for_user(user)
    certificate = (
        selectors.holder_certificates(person).select_related("holder").filter(number=number.upper()).first()
        if person is not None
        else None
    )
    if certificate is None:
        raise Http404
    return certificate


def _open_pdf(certificate: Certificate):
    """The stored PDF opened for reading; rendered first if missing (or if its file was lost)."""
    if not certificate.pdf:
        certificate = services.certificate_pdf_render(certificate_id=certificate.pk)
    try:
        return certificate.pdf.open("rb")
    except (OSError, ValueError):
        logger.warning("PDF of certificate %s is missing from storage: rendering it again", certificate.number)
        certificate = services.certificate_pdf_render(certificate_id=certificate.pk, force=True)
        return certificate.pdf.open("rb")


@login_required
@require_safe
def certificate_pdf(request, number: str):
    certificate = _visible(request.user, number)
    status = effective_status(certificate)
    if status not in DOWNLOADABLE:
        return _refused(request, certificate, status)
    try:
        handle = _open_pdf(certificate)
    except FontMissing:
        logger.exception("certificate %s: no CJK font to render its PDF", certificate.number)
        message = _("The certificate document cannot be produced right now. Please try again later.")
        return _private(HttpResponse(message, status=503, content_type="text/plain; charset=utf-8"))
    response = FileResponse(
        handle, as_attachment=True, filename=f"{certificate.number}.pdf", content_type="application/pdf"
    )
    return _private(response)


def site_url(request) -> str:
    """The platform's public address (issuer id, status list URLs), as the public views publish it."""
    site = getattr(settings, "SITE_URL", "") or getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    return (site or request.build_absolute_uri("/")).rstrip("/")


def open_badge_of(certificate: Certificate, *, site: str) -> dict:
    """The certificate as an unsigned Open Badges 3.0 credential (holder identified by a salted ID hash)."""
    list_no, bit = divmod(certificate.status_index, statuslist.LIST_SIZE)
    status = {"index": bit}
    for purpose in statuslist.PURPOSES:
        status[purpose] = site + reverse("certificates:status_list", kwargs={"list_no": list_no, "purpose": purpose})
    return credential.open_badge(
        snapshot=documents.document_snapshot(certificate),
        number=certificate.number,
        verify_url=documents.certificate_verify_url(certificate),
        issuer_url=site,
        issuer_name=settings.CERTIFICATE_ISSUER_NAME,
        holder_id=certificate.holder.id_number,
        status=status,
    )


def _attachment(body: str, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _private(response)


@login_required
@require_safe
def open_badge_json(request, number: str):
    certificate = _own(request.user, number)
    status = effective_status(certificate)
    if status not in DOWNLOADABLE:
        return _refused(request, certificate, status)
    badge = open_badge_of(certificate, site=site_url(request))
    body = json.dumps(badge, ensure_ascii=False, indent=2)
    return _attachment(body, filename=f"{certificate.number}.json", content_type="application/json; charset=utf-8")


@login_required
@require_safe
def open_badge_jwt(request, number: str):
    certificate = _own(request.user, number)
    status = effective_status(certificate)
    if status not in DOWNLOADABLE:
        return _refused(request, certificate, status)
    badge = open_badge_of(certificate, site=site_url(request))
    with transaction.atomic():
        key, private = services.active_signer()
    token = credential.open_badge_jwt(badge, private, key.kid)
    return _attachment(token, filename=f"{certificate.number}.jwt", content_type="application/vc+jwt")
