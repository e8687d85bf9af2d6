"""Building, checking and submitting claims: provider batches and caregivers' own claims.

A claim is checked (``claim_evaluate``) whenever it is added, re-checked on request, and checked again at
submission under the person's lock — the check that counts. Submission *holds* a passing claim: under the
person's :class:`~reports.subsidies.models.PersonYearCounter` row (``SELECT … FOR UPDATE``: concurrent submissions
for one person are checked one after the other, so the yearly limits hold) it takes the claim's
:class:`~reports.subsidies.models.PayableSlot` (a unique row per person, subsidy type, occupation and level: even a
path that skipped the lock could not hold the same slot twice). A claim that fails at submission stays in the batch
as "failed" with its reasons.

``actor=None`` is the system (demo seeding, commands); a user must be allowed by ``selectors``.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import Certificate
from lms.registry import audit
from lms.registry.models import Person, TrainingProvider
from lms.registry.selectors import user_scope

from .. import reasons, selectors
from ..models import Claim, ClaimBatch, PayeeAccount, SubsidyType
from ..selectors import facts
from . import evaluation, holds


def _authorize_filer(actor, batch: ClaimBatch) -> None:
    if actor is not None and not selectors.batches_fileable_by(actor).filter(pk=batch.pk).exists():
        raise PermissionDenied(_("You may not change this claim batch."))


def _locked_batch(batch: ClaimBatch) -> ClaimBatch:
    return ClaimBatch.objects.select_for_update(of=("self",)).select_related("region", "provider").get(pk=batch.pk)


def _require_draft(batch: ClaimBatch) -> None:
    if batch.status != ClaimBatch.Status.DRAFT:
        raise ValidationError(_("This batch has been submitted: its claims can no longer change."))


# --- provider batches -------------------------------------------------------------------------------------------


@transaction.atomic
def batch_create(*, provider: TrainingProvider, subsidy_type: str, actor=None) -> ClaimBatch:
    if subsidy_type not in SubsidyType.values:
        raise ValidationError({"subsidy_type": _("Choose a subsidy type.")})
    if actor is not None and not selectors.providers_for(actor).filter(pk=provider.pk).exists():
        raise PermissionDenied(_("You may not file claims for this training provider."))
    batch = ClaimBatch.objects.create(
        provider=provider, subsidy_type=subsidy_type, region=provider.region, created_by=actor
    )
    audit.record(batch, "subsidies.batch.create", actor=actor, provider=provider.name, subsidy_type=subsidy_type)
    return batch


@transaction.atomic
def claims_add(
    *, batch: ClaimBatch, certificates: list[Certificate], actor=None, today: date | None = None
) -> list[Claim]:
    """Add draft claims for ``certificates`` (the provider's trainees' only) and check each; a certificate already in
    the batch is skipped."""
    _authorize_filer(actor, batch)
    batch = _locked_batch(batch)
    _require_draft(batch)
    today = today or timezone.localdate()
    allowed = set(
        facts.claimable_certificates(batch.provider)
        .filter(pk__in=[c.pk for c in certificates])
        .values_list("pk", flat=True)
    )
    if len(allowed) != len({c.pk for c in certificates}):
        raise ValidationError(_("Only certificates of this provider's trainees can be claimed in its batches."))
    present = set(batch.claims.values_list("certificate_id", flat=True))
    added = []
    for certificate in certificates:
        if certificate.pk in present:
            continue
        present.add(certificate.pk)
        claim = Claim(
            batch=batch,
            certificate=certificate,
            person_id=certificate.holder_id,
            subsidy_type=batch.subsidy_type,
            occupation=certificate.occupation,
            level=certificate.level,
        )
        evaluation.apply(
            claim,
            evaluation.claim_evaluate(
                certificate=certificate, subsidy_type=batch.subsidy_type, region=batch.region, on=today
            ),
        )
        claim.save()
        audit.record(claim, "subsidies.claim.add", actor=actor, batch=batch.pk, failures=claim.failures)
        added.append(claim)
    return added


@transaction.atomic
def claim_remove(*, claim: Claim, actor=None) -> None:
    _authorize_filer(actor, claim.batch)
    _require_draft(_locked_batch(claim.batch))
    audit.record(claim, "subsidies.claim.remove", actor=actor, batch=claim.batch_id)
    claim.delete()


@transaction.atomic
def batch_check(*, batch: ClaimBatch, actor=None, today: date | None = None) -> ClaimBatch:
    """Check every claim of a draft batch again (certificates may have been revoked, other claims paid)."""
    _authorize_filer(actor, batch)
    batch = _locked_batch(batch)
    _require_draft(batch)
    today = today or timezone.localdate()
    for claim in batch.claims.select_related("certificate", "certificate__type"):
        before = claim.failures
        evaluation.apply(
            claim,
            evaluation.claim_evaluate(
                certificate=claim.certificate, subsidy_type=claim.subsidy_type, region=batch.region, on=today
            ),
        )
        claim.save(update_fields=["policy", "amount", "failures", "checked_at"])
        if claim.failures != before:
            audit.record(claim, "subsidies.claim.check", actor=actor, failures=claim.failures)
    return batch


@transaction.atomic
def batch_submit(*, batch: ClaimBatch, actor=None, today: date | None = None) -> ClaimBatch:
    """Submit a draft batch for review: each claim is checked again under its person's lock and held if it passes;
    the others stay in the batch as failed, with their reasons."""
    _authorize_filer(actor, batch)
    batch = _locked_batch(batch)
    _require_draft(batch)
    today = today or timezone.localdate()
    # people in a fixed order, so that two batches naming the same people never wait for each other in a circle
    claims = list(batch.claims.select_related("certificate", "certificate__type").order_by("person_id", "pk"))
    if not claims:
        raise ValidationError(_("Add at least one claim before submitting the batch."))
    held = 0
    for claim in claims:
        held += holds.hold(claim, region=batch.region, today=today)
        audit.record(
            claim, "subsidies.claim.submit", actor=actor, status=claim.status, failures=claim.failures, batch=batch.pk
        )
    batch.status = ClaimBatch.Status.SUBMITTED if held else ClaimBatch.Status.CLOSED
    batch.submitted_at = timezone.now()
    batch.save(update_fields=["status", "submitted_at"])
    audit.record(batch, "subsidies.batch.submit", actor=actor, held=held, failed=len(claims) - held)
    return batch


# --- caregivers' own claims -------------------------------------------------------------------------------------


class ClaimRefused(ValidationError):
    """A caregiver's claim failed the checks; ``failures`` are the stored ``[{code, params}]``."""

    def __init__(self, failures: list[dict]):
        self.failures = failures
        super().__init__(reasons.messages(failures))


def self_claim_check(*, person: Person, certificate: Certificate, subsidy_type: str, today: date | None = None):
    """What a caregiver's claim would meet if filed now: ``(evaluation, region)``; region None = no employer."""
    today = today or timezone.localdate()
    region = facts.employer_region(person, today)
    if region is None:
        return None, None
    return (
        evaluation.claim_evaluate(
            certificate=certificate, subsidy_type=subsidy_type, region=region, on=today, self_claim=True
        ),
        region,
    )


@transaction.atomic
def self_claim_submit(
    *, person: Person, certificate: Certificate, subsidy_type: str, actor=None, today: date | None = None
) -> Claim:
    """A caregiver files a subsidy (one their policy lets holders claim, e.g. 技能提升补贴) on their own certificate:
    a batch of one in the region of their employer, submitted at once. Raises :class:`ClaimRefused` with the
    reasons if the checks fail (nothing is kept), ValidationError if something else is missing."""
    today = today or timezone.localdate()
    if certificate.holder_id != person.pk:
        raise PermissionDenied(_("You can only claim on your own certificates."))
    if actor is not None and user_scope(actor).person_id != person.pk:
        raise PermissionDenied(_("You can only claim for yourself."))
    if not PayeeAccount.objects.filter(person=person).exists():
        raise ValidationError(_("Enter the bank account of your social security card first."))
    region = facts.employer_region(person, today)
    if region is None:
        raise ValidationError(_("You have no current employer on record, so no region to claim in."))
    batch = ClaimBatch.objects.create(
        claimant=person, subsidy_type=subsidy_type, region=region, created_by=actor, submitted_at=timezone.now()
    )
    claim = Claim.objects.create(
        batch=batch,
        certificate=certificate,
        person=person,
        subsidy_type=subsidy_type,
        occupation=certificate.occupation,
        level=certificate.level,
    )
    if not holds.hold(claim, region=region, today=today, self_claim=True):
        raise ClaimRefused(claim.failures)  # rolls the batch and the claim back
    batch.status = ClaimBatch.Status.SUBMITTED
    batch.save(update_fields=["status"])
    audit.record(batch, "subsidies.batch.create", actor=actor, subsidy_type=subsidy_type, self_claim=True)
    audit.record(claim, "subsidies.claim.submit", actor=actor, status=claim.status, batch=batch.pk)
    return claim
