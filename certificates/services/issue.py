"""Issuing certificates: one per holder, type and achievement, frozen, numbered, signed.

``certificate_issue`` is the one way a certificate comes to exist (completion receiver, bulk batches, the
``issue_certificates`` command, later exams and competitions). It is idempotent: the unique constraint on
(holder, type, achievement_key) guarantees one row, and a concurrent duplicate insert is answered with the
row the other worker wrote.
"""

from __future__ import annotations

import calendar
import logging
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.learning.choices import Occupation, SkillLevel
from lms.learning.models import CourseCompletion
from lms.learning.selectors import provider_id_of_course
from lms.registry import audit, masking
from lms.registry.models import Person, TrainingProvider
from lms.registry.selectors import is_banned

from .. import numbering, payload, selectors, signing
from ..models import Certificate, CertificateType, Kind
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


def _labels(fields: dict) -> dict:
    """Fill the occupation and level labels from their codes (in the platform language, frozen)."""
    out = dict(fields)
    occupation = out.get("occupation") or ""
    if occupation and not out.get("occupation_label"):
        out["occupation_label"] = str(Occupation(occupation).label)
    level = int(out.get("level") or 0)
    out["level"] = level
    if level and not out.get("level_label"):
        out["level_label"] = str(SkillLevel(level).label)
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
    with translation.override(settings.LANGUAGE_CODE):
        snapshot = {
            **SNAPSHOT_DEFAULTS,
            **_labels(fields),
            "kind": Kind(type.kind).code,
            "type_name": type.name,
            "number": number,
            "holder_name": masking.mask_name(holder.name),
            "holder_name_full": holder.name,
            "id_type": _("Resident identity card (居民身份证)"),
            "id_number_masked": holder.id_number_masked,
            "issued_on": issued_on.isoformat(),
            "expires_on": expires_on.isoformat() if expires_on else None,
            "photo": photo,
        }
    return snapshot


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
    if not type.active:
        raise ValidationError(_("Certificates of the type “%(type)s” are no longer issued.") % {"type": type.name})
    refuse_if_banned(holder)
    issued_on = issued_on or timezone.localdate()
    expires_on = expiry_for(type, issued_on)
    fields = dict(snapshot_fields)
    if provider is not None:
        fields.setdefault("issuer", provider.name)
        fields.setdefault("issuer_code", provider.body_code)
    else:
        fields.setdefault("issuer", settings.CERTIFICATE_ISSUER_NAME)
    level = int(fields.get("level") or 0)
    occupation = fields.get("occupation") or ""
    saved_photo = None
    try:
        with transaction.atomic():
            prefix = number_prefix(type=type, provider=provider, issued_on=issued_on, level=level)
            number = numbering.with_serial(prefix, counter_next(scope=numbering.counter_scope(prefix)))
            status_index = counter_next(scope=STATUS_INDEX_SCOPE) - 1
            photo = _frozen_photo(holder)
            snapshot = build_snapshot(
                type=type,
                holder=holder,
                number=number,
                issued_on=issued_on,
                expires_on=expires_on,
                fields=fields,
                photo=photo is not None,
            )
            digest = payload.snapshot_digest(snapshot)
            key, private = active_signer()
            claims = payload.Claims(
                kind=payload.Kind(type.kind),
                key_id=signing.key_id(bytes(key.public_key)),
                status_index=status_index,
                number=number,
                holder=payload_holder(holder.name),
                occupation=occupation,
                level=level,
                issued_on=issued_on,
                expires_on=expires_on,
                digest=digest,
            )
            certificate = Certificate(
                type=type,
                holder=holder,
                achievement_key=achievement_key,
                provider=provider,
                occupation=occupation,
                level=level,
                number=number,
                status_index=status_index,
                signing_key=key,
                snapshot=snapshot,
                digest=digest.hex(),
                payload=payload.sign_payload(claims, private),
                issued_on=issued_on,
                expires_on=expires_on,
                issued_by=actor if actor is not None and actor.is_authenticated else None,
            )
            if photo is not None:
                certificate.photo.save(f"{number}{photo[1]}", ContentFile(photo[0]), save=False)
                saved_photo = certificate.photo
            certificate.save(force_insert=True)
    except IntegrityError:
        # A concurrent worker issued it first (the unique constraint decided); answer with its row.
        existing = _existing(type, holder, achievement_key)
        if saved_photo is not None:
            saved_photo.storage.delete(saved_photo.name)
        if existing is None:
            raise
        return existing, False
    audit.record(certificate, "certificates.certificate.issue", actor=actor, number=number, type=type.code)
    if render:
        from ..tasks import render_pdf_task

        certificate_id = certificate.pk
        transaction.on_commit(lambda: render_pdf_task.delay(certificate_id), robust=True)
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


# --- course completions -----------------------------------------------------------------------------------------


def completion_certificate(
    *, completion: CourseCompletion, actor=None, render: bool = True
) -> tuple[Certificate, bool]:
    """The training certificate of a course completion (issued if missing); raises like ``certificate_issue``."""
    type = selectors.training_type()
    if type is None:
        raise ValidationError(_("No active training certificate type is configured."))
    course = completion.course
    provider_id = provider_id_of_course(course)
    provider = TrainingProvider.objects.select_related("region").filter(pk=provider_id).first()
    fields = {
        "occupation": course.occupation,
        "course_title": course.title,
        "hours": f"{completion.hours:.1f}",
        "training_kind": course.kind,
    }
    return certificate_issue(
        type=type,
        holder=completion.person,
        achievement_key=selectors.completion_key(completion.pk),
        snapshot_fields=fields,
        actor=actor,
        issued_on=timezone.localdate(completion.completed_at),
        provider=provider,
        render=render,
    )


def issue_for_completion(*, completion_id: int) -> Certificate | None:
    """Issue the training certificate of a course completion (idempotent).

    Returns None (and logs why) when the completion does not exist, the holder is banned or no training type
    is active, so the task that calls it does not retry a refusal.
    """
    completion = CourseCompletion.objects.select_related("person", "course").filter(pk=completion_id).first()
    if completion is None:
        logger.warning("course completion %s not found: no certificate", completion_id)
        return None
    try:
        certificate, _created = completion_certificate(completion=completion)
    except ValidationError as exc:
        logger.info("no certificate for completion %s: %s", completion_id, "; ".join(exc.messages))
        return None
    return certificate
