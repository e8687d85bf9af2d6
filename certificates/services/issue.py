"""Issuing certificates: one per holder, type and achievement, frozen, numbered, signed.

``certificate_issue`` is the one way a certificate comes to exist (completion receiver, bulk batches, the
``issue_certificates`` command, later exams and competitions). It is idempotent: the unique constraint on
(holder, type, achievement_key) guarantees one row, and a concurrent duplicate insert is answered with the
row the other worker wrote.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.learning.choices import Occupation, SkillLevel
from lms.registry import audit, masking
from lms.registry.models import Person, TrainingProvider
from lms.registry.selectors import is_banned

from .. import numbering, payload, signing
from ..models import Certificate, CertificateType, Kind, SigningKey
from .counters import counter_next
from .keys import active_signer

logger = logging.getLogger(__name__)

STATUS_INDEX_SCOPE = "status_index"
# The standard snapshot keys and their values when the caller gives none (DESIGN.md §3 fields).
SNAPSHOT_DEFAULTS = {
    "occupation": "",
    "occupation_label": "",
    "direction": "--",
    "level": 0,
    "level_label": "",
    "course_title": "",
    "hours": "",
    "issuer": "",
    "issuer_code": "",
}


# The holder's fields an issuance reads (bulk paths load only these).
HOLDER_FIELDS = ("name", "id_number_masked", "photo")


class BannedHolder(ValidationError):
    """The holder is under a lifetime ban: no certificate may be issued."""


# --- pure helpers -----------------------------------------------------------------------------------------------


def add_years(day: date, years: int) -> date:
    """``day`` plus whole years (29 February becomes 28 February in a common year)."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def in_service_expiry(covered_year: int) -> date:
    """A certificate kept valid by the in-service hours of ``covered_year`` expires on 31 March of the next year."""
    return date(covered_year + 1, 3, 31)


def expiry_for(type: CertificateType, issued_on: date) -> date | None:
    if type.validity == CertificateType.Validity.YEARS:
        return add_years(issued_on, type.validity_years or 1)
    if type.validity == CertificateType.Validity.IN_SERVICE_HOURS:
        return in_service_expiry(issued_on.year)
    return None


def payload_holder(name: str) -> str:
    """The masked name carried in the payload: at most 8 characters and 24 UTF-8 bytes ("张*华")."""
    masked = masking.mask_name(name.strip()) or "*"
    if len(masked) > payload.HOLDER_MAX_CHARS:
        masked = masked[0] + "*" * (payload.HOLDER_MAX_CHARS - 2) + masked[-1]
    while len(masked.encode("utf-8")) > payload.HOLDER_MAX_BYTES and "*" in masked[1:-1]:
        masked = masked[0] + masked[2:]  # drop one star
    while len(masked.encode("utf-8")) > payload.HOLDER_MAX_BYTES:
        masked = masked[:-1]
    return masked


def number_prefix(*, type: CertificateType, provider: TrainingProvider | None, issued_on: date, level: int) -> str:
    """The part of the certificate number before the serial (see ``numbering``)."""
    body = numbering.body_code(provider.body_code if provider else None)
    if type.kind == Kind.SKILL:
        if provider is None:
            raise ValidationError(_("A skill level certificate needs the assessment body that issues it."))
        assessor = "S" if provider.kind == TrainingProvider.Kind.ASSESSMENT else "Y"
        return numbering.skill_prefix(
            assessor=assessor, body=body, region_code=provider.region.code, year=issued_on.year, level=level
        )
    if type.kind == Kind.TRAINING:
        return numbering.training_prefix(prefix=type.number_prefix or "PX", body=body, year=issued_on.year)
    return numbering.award_prefix(prefix=type.number_prefix or "HJ", year=issued_on.year)


@lru_cache(maxsize=64)
def frozen_label(vocabulary: str, value, language: str) -> str:
    """A label in the platform language (cached: certificates are issued in bulk)."""
    with translation.override(language):
        if vocabulary == "occupation":
            return str(Occupation(value).label)
        if vocabulary == "level":
            return str(SkillLevel(value).label)
        return _("Resident identity card (居民身份证)")


def _labels(fields: dict) -> dict:
    """Fill the occupation and level labels from their codes (in the platform language, frozen)."""
    out = dict(fields)
    occupation = out.get("occupation") or ""
    if occupation and not out.get("occupation_label"):
        out["occupation_label"] = frozen_label("occupation", occupation, settings.LANGUAGE_CODE)
    level = int(out.get("level") or 0)
    out["level"] = level
    if level and not out.get("level_label"):
        out["level_label"] = frozen_label("level", level, settings.LANGUAGE_CODE)
    return out


def build_snapshot(
    *,
    type: CertificateType,
    holder: Person,
    number: str,
    issued_on: date,
    expires_on: date | None,
    fields: dict,
    photo: bool,
) -> dict:
    """The frozen record of what the certificate certifies (the only data source of the PDF and verify page).

    Labels are frozen in the platform language (``LANGUAGE_CODE``, Chinese): later translation edits never
    change an issued certificate. ``holder_name_full`` is for the holder's own PDF only.
    """
    return {
        **SNAPSHOT_DEFAULTS,
        **_labels(fields),
        "kind": Kind(type.kind).code,
        "type_name": type.name,
        "number": number,
        "holder_name": masking.mask_name(holder.name),
        "holder_name_full": holder.name,
        "id_type": frozen_label("id_type", "resident", settings.LANGUAGE_CODE),
        "id_number_masked": holder.id_number_masked,
        "issued_on": issued_on.isoformat(),
        "expires_on": expires_on.isoformat() if expires_on else None,
        "photo": photo,
    }


# --- the service ------------------------------------------------------------------------------------------------


def _existing(type: CertificateType, holder: Person, achievement_key: str) -> Certificate | None:
    return Certificate.objects.filter(holder=holder, type=type, achievement_key=achievement_key).first()


def refuse_if_banned(holder: Person) -> None:
    if is_banned(holder.pk):
        raise BannedHolder(
            _("%(name)s is under a lifetime ban (终身禁入): no certificate may be issued.")
            % {"name": masking.mask_name(holder.name)},
            code="banned",
        )


@dataclass(frozen=True)
class IssueRequest:
    """One certificate to issue (``certificate_issue``'s arguments; a list of them for ``certificates_issue_many``)."""

    holder: Person
    achievement_key: str
    snapshot_fields: dict = field(default_factory=dict)
    issued_on: date | None = None
    provider: TrainingProvider | None = None


@dataclass
class Plan:
    """What an issuance will write, before its number, index and key are allocated."""

    request: IssueRequest
    issued_on: date
    expires_on: date | None
    fields: dict
    level: int
    occupation: str
    prefix: str


def plan(type: CertificateType, request: IssueRequest) -> Plan:
    """Dates, snapshot fields and number prefix of an issuance (ValidationError if the number cannot be made)."""
    issued_on = request.issued_on or timezone.localdate()
    fields = dict(request.snapshot_fields)
    provider = request.provider
    if provider is not None:
        fields.setdefault("issuer", provider.name)
        fields.setdefault("issuer_code", provider.body_code)
    else:
        fields.setdefault("issuer", settings.CERTIFICATE_ISSUER_NAME)
    level = int(fields.get("level") or 0)
    try:
        prefix = number_prefix(type=type, provider=provider, issued_on=issued_on, level=level)
    except numbering.NumberError as exc:
        raise ValidationError(_("The certificate number cannot be made: %(error)s") % {"error": exc}) from exc
    return Plan(
        request=request,
        issued_on=issued_on,
        expires_on=expiry_for(type, issued_on),
        fields=fields,
        level=level,
        occupation=fields.get("occupation") or "",
        prefix=prefix,
    )


def build(
    *, type: CertificateType, plan: Plan, serial: int, status_index: int, key: SigningKey, private, actor=None
) -> Certificate:
    """The unsaved, signed certificate of a planned issuance (its frozen photo, if any, is stored already)."""
    holder = plan.request.holder
    number = numbering.with_serial(plan.prefix, serial)
    photo = _frozen_photo(holder)
    snapshot = build_snapshot(
        type=type,
        holder=holder,
        number=number,
        issued_on=plan.issued_on,
        expires_on=plan.expires_on,
        fields=plan.fields,
        photo=photo is not None,
    )
    digest = payload.snapshot_digest(snapshot)
    claims = payload.Claims(
        kind=payload.Kind(type.kind),
        key_id=signing.key_id(bytes(key.public_key)),
        status_index=status_index,
        number=number,
        holder=payload_holder(holder.name),
        occupation=plan.occupation,
        level=plan.level,
        issued_on=plan.issued_on,
        expires_on=plan.expires_on,
        digest=digest,
    )
    issuer = actor if actor is not None and actor.is_authenticated else None
    certificate = _unsaved_certificate(
        {
            "type_id": type.pk,
            "holder_id": holder.pk,
            "achievement_key": plan.request.achievement_key,
            "provider_id": plan.request.provider.pk if plan.request.provider is not None else None,
            "occupation": plan.occupation,
            "level": plan.level,
            "number": number,
            "status_index": status_index,
            "signing_key_id": key.pk,
            "snapshot": snapshot,
            "digest": digest.hex(),
            "payload": payload.sign_payload(claims, private),
            "issued_on": plan.issued_on,
            "expires_on": plan.expires_on,
            "issued_by_id": issuer.pk if issuer is not None else None,
        },
        type=type,
        holder=holder,
        provider=plan.request.provider,
        signing_key=key,
        issued_by=issuer,
    )
    if photo is not None:
        certificate.photo.save(f"{number}{photo[1]}", ContentFile(photo[0]), save=False)
    return certificate


def _unsaved_certificate(values: dict, **related) -> Certificate:
    """``Certificate(**fields)``, built the way rows from the database are (positional values in field order,
    defaults for the rest): keyword construction costs ~3x as much, which shows in bulk issuance. The related
    objects already at hand are attached, so reading ``certificate.holder`` etc. costs no query."""
    certificate = Certificate(*[values[f.attname] if f.attname in values else f.get_default() for f in _FIELDS])
    for name, obj in related.items():
        if obj is not None:
            Certificate._meta.get_field(name).set_cached_value(certificate, obj)
    return certificate


_FIELDS = Certificate._meta.concrete_fields


def refuse_inactive(type: CertificateType) -> None:
    if not type.active:
        raise ValidationError(_("Certificates of the type “%(type)s” are no longer issued.") % {"type": type.name})


RENDER_CHUNK = 50  # certificates per render task message: bulk issuance publishes 200 messages, not 10,000


def queue_render(certificate_ids: list[int]) -> None:
    """Render the PDFs after commit, in tasks of up to ``RENDER_CHUNK`` certificates; a failure to queue never
    undoes the issuance (tasks retry, already rendered certificates are skipped, ``certificate_pdf_render`` can
    be run again)."""
    from ..tasks import render_pdf_task, render_pdfs_task

    def queue():
        if len(certificate_ids) == 1:
            render_pdf_task.delay(certificate_ids[0])
            return
        for start in range(0, len(certificate_ids), RENDER_CHUNK):
            render_pdfs_task.delay(certificate_ids[start : start + RENDER_CHUNK])

    if certificate_ids:
        transaction.on_commit(queue, robust=True)


@transaction.atomic
def certificate_issue(
    *,
    type: CertificateType,
    holder: Person,
    achievement_key: str,
    snapshot_fields: dict,
    actor=None,
    issued_on: date | None = None,
    provider: TrainingProvider | None = None,
    render: bool = True,
) -> tuple[Certificate, bool]:
    """Issue the certificate of ``type`` for ``holder``'s achievement, or return the one already issued.

    Returns ``(certificate, created)``. Refuses a banned holder (:class:`BannedHolder`, a ValidationError) and an
    inactive type. ``snapshot_fields`` gives the achievement's part of the snapshot (``occupation``, ``level``,
    ``course_title``, ``hours``, ``direction``…; extra keys are kept); ``provider`` is the issuing provider or
    assessment body (its name and body code become ``issuer``/``issuer_code`` and enter the number), else the
    platform (``CERTIFICATE_ISSUER_NAME``). Allocates the number and the status index, freezes the snapshot,
    signs with the active key (creating the first key if needed), records the audit entry and, after commit,
    queues the PDF rendering (``render=False`` leaves that to the caller).
    """
    existing = _existing(type, holder, achievement_key)
    if existing is not None:
        return existing, False
    refuse_inactive(type)
    refuse_if_banned(holder)
    request = IssueRequest(
        holder=holder,
        achievement_key=achievement_key,
        snapshot_fields=snapshot_fields,
        issued_on=issued_on,
        provider=provider,
    )
    planned = plan(type, request)
    certificate = None
    try:
        with transaction.atomic():
            serial = counter_next(scope=numbering.counter_scope(planned.prefix))
            status_index = counter_next(scope=STATUS_INDEX_SCOPE) - 1
            key, private = active_signer()
            certificate = build(
                type=type, plan=planned, serial=serial, status_index=status_index, key=key, private=private, actor=actor
            )
            certificate.save(force_insert=True)
    except IntegrityError:
        # A concurrent worker issued it first (the unique constraint decided); answer with its row.
        if certificate is not None and certificate.photo:
            certificate.photo.storage.delete(certificate.photo.name)
        existing = _existing(type, holder, achievement_key)
        if existing is None:
            raise
        return existing, False
    audit.record(certificate, "certificates.certificate.issue", actor=actor, number=certificate.number, type=type.code)
    if render:
        queue_render([certificate.pk])
    return certificate, True


def _frozen_photo(holder: Person) -> tuple[bytes, str] | None:
    """The holder's photo as it is now (content, extension), to be copied with the certificate."""
    if not holder.photo:
        return None
    try:
        with holder.photo.open("rb") as file:
            content = file.read()
    except OSError:
        logger.warning("photo of person %s is missing from storage", holder.pk)
        return None
    name = holder.photo.name.lower()
    extension = name[name.rfind(".") :] if "." in name.rsplit("/", 1)[-1] else ".jpg"
    return content, extension
