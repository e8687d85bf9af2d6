"""Renewal and reminders.

A certificate whose type is valid "while the annual in-service hours are met" expires on 31 March of the
year after the last year it covers. Once the holder's in-service hours of the next year meet the requirement
of their current post(s) (``lms.learning.selectors.hours_vs_requirement``; no applicable in-service
requirement means the rule is not met), :func:`certificate_renew` extends it to 31 March of the year after
that. Certificates of a fixed number of years are renewed only by an authorized officer (e.g. after a new
assessment). Renewal re-validates the same certificate: same number, status index and frozen snapshot (whose
digest the payload signs); the row's ``expires_on`` moves and the payload is re-signed with the new expiry
(old QR codes keep verifying: the verifier reads the row's current expiry). The PDF is rendered again.

The daily beat task (:func:`renewals_and_reminders_run`) renews what it can and reminds each holder once per
certificate and expiry date, ``CERTIFICATE_REMINDER_DAYS`` ahead (Django's mail API; a reminder row is kept
whether or not the holder has an e-mail address).
"""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.learning.choices import TrainingKind
from lms.learning.selectors import hours_vs_requirement
from lms.learning.selectors.learner import hours_vs_requirement_many
from lms.registry import audit

from .. import payload, selectors, signing
from ..models import Certificate, CertificateReminder, CertificateType
from .issue import add_years, in_service_expiry, payload_holder
from .keys import active_signer

logger = logging.getLogger(__name__)


def in_service_met(rows: list[dict]) -> bool:
    """Whether the hours rows of one person (``hours_vs_requirement``) meet the in-service requirement."""
    return any(row["kind"] == TrainingKind.IN_SERVICE and row["met"] for row in rows)


def renewed_expiry(certificate: Certificate, *, today: date, met=None) -> date | None:
    """The expiry a renewal would give now, or None if the rule is not met.

    ``met(year) -> bool`` answers whether the holder met that year's in-service hours (default: ask learning).
    """
    type = certificate.type
    if type.validity != CertificateType.Validity.IN_SERVICE_HOURS or certificate.expires_on is None:
        return None
    met = met or (lambda year: in_service_met(hours_vs_requirement(certificate.holder, year)))
    year, expiry = certificate.expires_on.year, None  # the year after the last one covered
    while year <= today.year and met(year):
        expiry = in_service_expiry(year)
        year += 1
    return expiry


def _resign(certificate: Certificate) -> None:
    """Sign the certificate's claims again with the active key (same number, index, frozen snapshot digest)."""
    key, private = active_signer()
    claims = payload.Claims(
        kind=payload.Kind(certificate.type.kind),
        key_id=signing.key_id(bytes(key.public_key)),
        status_index=certificate.status_index,
        number=certificate.number,
        holder=payload_holder(certificate.snapshot.get("holder_name_full") or certificate.snapshot["holder_name"]),
        occupation=certificate.occupation,
        level=certificate.level,
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        digest=bytes.fromhex(certificate.digest),
    )
    certificate.signing_key = key
    certificate.payload = payload.sign_payload(claims, private)


def _queue_render(certificate_id: int) -> None:
    """After commit: verification stops using the cached row (new expiry/payload), the PDF is rendered again."""
    from ..tasks import render_pdf_task

    selectors.status_cache_drop()
    transaction.on_commit(selectors.status_cache_drop)
    transaction.on_commit(lambda: render_pdf_task.delay(certificate_id, force=True), robust=True)


@transaction.atomic
def certificate_renew(*, certificate: Certificate, actor=None, today: date | None = None, met=None) -> Certificate:
    """Renew a valid certificate whose rule is met (see the module docstring); ValidationError otherwise.

    In-service certificates renew when the holder met the next year's hours; fixed-term certificates are
    extended by their number of years, by an authorized officer only.
    """
    if actor is not None and not selectors.can_manage(actor, certificate):
        raise PermissionDenied(_("You may not renew this certificate."))
    today = today or timezone.localdate()
    certificate = Certificate.objects.select_for_update().select_related("type", "holder").get(pk=certificate.pk)
    if certificate.status != Certificate.Status.VALID:
        raise ValidationError(_("Only a valid certificate can be renewed."))
    type = certificate.type
    if type.validity == CertificateType.Validity.NONE or certificate.expires_on is None:
        raise ValidationError(_("This certificate does not expire."))
    if type.validity == CertificateType.Validity.YEARS:
        if actor is None:
            raise ValidationError(_("A fixed-term certificate is renewed by an authorized officer."))
        expiry = add_years(max(certificate.expires_on, today), type.validity_years or 1)
    else:
        expiry = renewed_expiry(certificate, today=today, met=met)
        if expiry is None:
            raise ValidationError(_("The holder has not yet met this year's in-service training hours."))
    previous = certificate.expires_on
    certificate.expires_on = expiry
    certificate.renewed_at = timezone.now()
    _resign(certificate)
    certificate.save(update_fields=["expires_on", "renewed_at", "signing_key", "payload"])
    audit.record(
        certificate,
        "certificates.certificate.renew",
        actor=actor,
        number=certificate.number,
        previous_expiry=str(previous),
        expires_on=str(expiry),
    )
    _queue_render(certificate.pk)
    return certificate


@transaction.atomic
def certificate_resign(*, certificate: Certificate, actor=None) -> Certificate:
    """Re-sign a certificate with the active key (after its key was withdrawn); same number and snapshot."""
    if actor is not None and not selectors.can_manage(actor, certificate):
        raise PermissionDenied(_("You may not re-issue this certificate."))
    certificate = Certificate.objects.select_for_update().select_related("type").get(pk=certificate.pk)
    previous = certificate.signing_key.kid
    _resign(certificate)
    certificate.save(update_fields=["signing_key", "payload"])
    audit.record(
        certificate,
        "certificates.certificate.issue",
        actor=actor,
        number=certificate.number,
        resigned=True,
        previous_key=previous,
    )
    _queue_render(certificate.pk)
    return certificate


def _reminder_send(certificate: Certificate) -> bool:
    """Record (and e-mail) the reminder for the certificate's current expiry; False if it was already sent."""
    with transaction.atomic():
        reminder, created = CertificateReminder.objects.get_or_create(
            certificate=certificate, expires_on=certificate.expires_on
        )
        if not created:
            return False
        user = certificate.holder.user
        if user is not None and user.email:
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("Your certificate %(number)s expires on %(date)s") % {
                    "number": certificate.number,
                    "date": certificate.expires_on.isoformat(),
                }
                values = {
                    "type": certificate.snapshot.get("type_name", ""),
                    "number": certificate.number,
                    "date": certificate.expires_on.isoformat(),
                }
                if certificate.type.validity == CertificateType.Validity.IN_SERVICE_HOURS:
                    body = _(
                        "Your %(type)s %(number)s expires on %(date)s. It is renewed automatically once your "
                        "in-service training hours for this year meet the requirement of your post."
                    )
                else:
                    body = _("Your %(type)s %(number)s expires on %(date)s. Contact its issuer to renew it.")
                body = body % values
            send_mail(subject, body, None, [user.email], fail_silently=True)
            reminder.emailed = True
            reminder.save(update_fields=["emailed"])
        audit.record(
            certificate,
            "certificates.certificate.remind",
            number=certificate.number,
            expires_on=str(certificate.expires_on),
        )
    return True


def renewals_and_reminders_run(*, today: date | None = None) -> dict:
    """The daily run: renew expiring and recently lapsed in-service certificates whose holders now meet the
    rule; remind the holders of the other expiring certificates (once per certificate and expiry).

    Each certificate is handled in its own transaction. Returns counts ``renewed``, ``reminded``.
    """
    today = today or timezone.localdate()
    expiring = list(selectors.expiring_certificates(on=today, days=settings.CERTIFICATE_REMINDER_DAYS))
    lapsed = list(selectors.lapsed_renewable_certificates(on=today))
    renewable = [c for c in expiring + lapsed if c.type.validity == CertificateType.Validity.IN_SERVICE_HOURS]
    # in-service hours of everyone concerned: three queries per year asked
    people = list({c.holder_id: c.holder for c in renewable}.values())
    first_year = min((c.expires_on.year for c in renewable), default=today.year + 1)
    met_by_year = {
        year: {pk: in_service_met(rows) for pk, rows in hours_vs_requirement_many(people, year).items()}
        for year in range(first_year, today.year + 1)
    }
    renewed_ids = set()
    for certificate in renewable:
        holder_id = certificate.holder_id

        def met(year, holder_id=holder_id):
            return met_by_year.get(year, {}).get(holder_id, False)

        if renewed_expiry(certificate, today=today, met=met) is None:
            continue
        try:
            certificate_renew(certificate=certificate, today=today, met=met)
        except ValidationError as exc:
            logger.info("certificate %s not renewed: %s", certificate.number, "; ".join(exc.messages))
            continue
        renewed_ids.add(certificate.pk)
    reminded = sum(_reminder_send(c) for c in expiring if c.pk not in renewed_ids)
    logger.info("certificates: %d renewed, %d reminded", len(renewed_ids), reminded)
    return {"renewed": len(renewed_ids), "reminded": reminded}
