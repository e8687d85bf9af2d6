"""The HR bureau's side: review per claim, the public notice (公示) with its objections, and payment.

* ``claim_approve`` — a submitted claim, once its certificate is still valid (the live status is checked again:
  a certificate revoked since submission cannot be approved);
* ``claim_reject`` — a submitted or approved (not yet paid) claim, with a reason; it releases the claim's payable
  slot and its place in the yearly limits;
* ``batch_publish`` — once every claim is decided: the approved ones go on public notice for the policy's number
  of working days (weekends and ``WorkingDayOverride`` holidays skipped); a batch with none approved is closed;
* ``objection_record`` / ``objection_resolve`` — objections during the notice; an upheld one rejects the claim;
* ``batch_mark_paid`` — after the notice ended with no open objection: approved claims become paid.

Only platform admins and HR officers whose region covers the batch (``selectors.batches_reviewable_by``) may act;
``actor=None`` is the system.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.registry import audit

from .. import reasons, rules, selectors
from ..models import Claim, ClaimBatch, Objection
from ..selectors import facts
from . import holds

REASON_MAX = 300


def _authorize(actor, batch: ClaimBatch) -> None:
    if actor is not None and not selectors.batches_reviewable_by(actor).filter(pk=batch.pk).exists():
        raise PermissionDenied(_("You may not review this claim batch."))


def _locked_claim(claim: Claim) -> Claim:
    return (
        Claim.objects.select_for_update(of=("self",))
        .select_related("batch", "certificate", "certificate__type")
        .get(pk=claim.pk)
    )


def _locked_batch(batch: ClaimBatch) -> ClaimBatch:
    return ClaimBatch.objects.select_for_update().get(pk=batch.pk)


def _require_under_review(claim: Claim) -> None:
    if claim.batch.status not in (ClaimBatch.Status.SUBMITTED, ClaimBatch.Status.PUBLICITY):
        raise ValidationError(_("This batch is not under review."))


@transaction.atomic
def claim_approve(*, claim: Claim, actor=None, today: date | None = None) -> Claim:
    _authorize(actor, claim.batch)
    claim = _locked_claim(claim)
    if claim.status == Claim.Status.APPROVED:
        return claim
    if claim.status != Claim.Status.SUBMITTED or claim.batch.status != ClaimBatch.Status.SUBMITTED:
        raise ValidationError(_("Only a claim awaiting review can be approved."))
    today = today or timezone.localdate()
    if not rules.live_valid(facts.certificate_facts(claim.certificate), on=today):
        state = claim.certificate.status if claim.certificate.status != rules.VALID else "expired"
        raise ValidationError(reasons.message(rules.CERTIFICATE_NOT_VALID, {"status": state}))
    claim.status = Claim.Status.APPROVED
    claim.decided_by = actor
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(claim, "subsidies.claim.approve", actor=actor, batch=claim.batch_id, amount=str(claim.amount))
    return claim


@transaction.atomic
def claim_reject(*, claim: Claim, reason: str, actor=None) -> Claim:
    _authorize(actor, claim.batch)
    reason = (reason or "").strip()[:REASON_MAX]
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    claim = _locked_claim(claim)
    _require_under_review(claim)
    if claim.status not in (Claim.Status.SUBMITTED, Claim.Status.APPROVED):
        raise ValidationError(_("Only a claim awaiting review or approved (not yet paid) can be rejected."))
    claim.status = Claim.Status.REJECTED
    claim.rejection_reason = reason
    claim.decided_by = actor
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
    holds.release(claim)
    audit.record(claim, "subsidies.claim.reject", actor=actor, batch=claim.batch_id, reason=reason)
    return claim


def batch_approve_pending(*, batch: ClaimBatch, actor=None, today: date | None = None) -> tuple[int, list[str]]:
    """Approve every claim of the batch awaiting review; returns how many, and why the others could not be (one
    transaction per claim, so one refusal leaves the others approved)."""
    _authorize(actor, batch)
    approved, refused = 0, []
    for claim in batch.claims.filter(status=Claim.Status.SUBMITTED).order_by("pk"):
        try:
            claim_approve(claim=claim, actor=actor, today=today)
            approved += 1
        except ValidationError as exc:
            refused.append(f"#{claim.pk}: {'; '.join(exc.messages)}")
    return approved, refused


@transaction.atomic
def batch_publish(*, batch: ClaimBatch, actor=None, today: date | None = None) -> ClaimBatch:
    """Put the approved claims on public notice from ``today`` for the policies' number of working days."""
    _authorize(actor, batch)
    batch = _locked_batch(batch)
    if batch.status != ClaimBatch.Status.SUBMITTED:
        raise ValidationError(_("Only a batch under review can go on public notice."))
    if batch.claims.filter(status=Claim.Status.SUBMITTED).exists():
        raise ValidationError(_("Decide every claim of the batch first."))
    approved = batch.claims.filter(status=Claim.Status.APPROVED)
    if not approved.exists():
        batch.status = ClaimBatch.Status.CLOSED
        batch.save(update_fields=["status"])
        audit.record(batch, "subsidies.batch.close", actor=actor)
        return batch
    today = today or timezone.localdate()
    days = approved.aggregate(days=Max("policy__publicity_working_days"))["days"] or 5
    batch.publicity_from = today
    batch.publicity_until = rules.add_working_days(today, days, facts.working_day_overrides(today, days * 3 + 30))
    batch.status = ClaimBatch.Status.PUBLICITY
    batch.save(update_fields=["status", "publicity_from", "publicity_until"])
    audit.record(
        batch,
        "subsidies.batch.publish",
        actor=actor,
        publicity_from=batch.publicity_from.isoformat(),
        publicity_until=batch.publicity_until.isoformat(),
        claims=approved.count(),
    )
    return batch


@transaction.atomic
def objection_record(*, claim: Claim, text: str, contact: str = "", actor=None, today: date | None = None) -> Objection:
    """Record an objection to a claim on public notice (from the public page: ``actor=None``, only while the
    notice runs; an HR officer may record one received otherwise until payment)."""
    if actor is not None:
        _authorize(actor, claim.batch)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the objection.")})
    batch = _locked_batch(claim.batch)
    today = today or timezone.localdate()
    if batch.status != ClaimBatch.Status.PUBLICITY or claim.status != Claim.Status.APPROVED:
        raise ValidationError(_("This claim is not on public notice."))
    if actor is None and not (batch.publicity_from <= today <= batch.publicity_until):
        raise ValidationError(_("The public notice of this claim has ended."))
    objection = Objection.objects.create(
        claim=claim, text=text[:2000], contact=(contact or "").strip()[:120], recorded_by=actor
    )
    audit.record(objection, "subsidies.objection.record", actor=actor, claim=claim.pk)
    return objection


@transaction.atomic
def objection_resolve(*, objection: Objection, upheld: bool, resolution: str, actor=None) -> Objection:
    _authorize(actor, objection.claim.batch)
    resolution = (resolution or "").strip()[:REASON_MAX]
    if not resolution:
        raise ValidationError({"resolution": _("Say how the objection was resolved.")})
    objection = (
        Objection.objects.select_for_update(of=("self",)).select_related("claim", "claim__batch").get(pk=objection.pk)
    )
    if objection.status != Objection.Status.OPEN:
        raise ValidationError(_("This objection has been resolved already."))
    objection.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
    objection.resolution = resolution
    objection.resolved_by = actor
    objection.resolved_at = timezone.now()
    objection.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
    audit.record(objection, "subsidies.objection.resolve", actor=actor, upheld=upheld, resolution=resolution)
    if upheld and objection.claim.status == Claim.Status.APPROVED:
        claim_reject(claim=objection.claim, reason=resolution, actor=actor)
    return objection


@transaction.atomic
def batch_mark_paid(
    *, batch: ClaimBatch, actor=None, paid_on: date | None = None, reference: str = "", today: date | None = None
) -> ClaimBatch:
    """Record the payment of the approved claims once the public notice has ended without open objections."""
    _authorize(actor, batch)
    batch = _locked_batch(batch)
    today = today or timezone.localdate()
    if batch.status != ClaimBatch.Status.PUBLICITY:
        raise ValidationError(_("Only a batch that has been on public notice can be paid."))
    if today <= batch.publicity_until:
        raise ValidationError(
            _("The public notice runs until %(day)s; pay after it ends.") % {"day": batch.publicity_until.isoformat()}
        )
    if Objection.objects.filter(claim__batch=batch, status=Objection.Status.OPEN).exists():
        raise ValidationError(_("Resolve the open objections first."))
    paid = list(batch.claims.filter(status=Claim.Status.APPROVED).values_list("pk", flat=True))
    Claim.objects.filter(pk__in=paid).update(status=Claim.Status.PAID)
    batch.status = ClaimBatch.Status.PAID if paid else ClaimBatch.Status.CLOSED
    batch.paid_on = paid_on or today
    batch.payment_reference = (reference or "").strip()[:60]
    batch.save(update_fields=["status", "paid_on", "payment_reference"])
    audit.record(
        batch,
        "subsidies.batch.pay",
        actor=actor,
        claims=len(paid),
        paid_on=batch.paid_on.isoformat(),
        reference=batch.payment_reference,
    )
    return batch
