"""Holding a claim for payment, and giving the hold back.

A held claim (submitted, approved or paid) owns its :class:`~reports.subsidies.models.PayableSlot` and counts in
its person's :class:`~reports.subsidies.models.PersonYearCounter`. Both functions run inside the caller's
transaction and lock the person's counter row for the claim's year first, so that the check and the hold of two
concurrent submissions for one person happen one after the other.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from lms.registry.models import Region

from .. import rules
from ..models import Claim, PayableSlot, PersonYearCounter
from . import evaluation


def lock_person_year(person_id: int, year: int) -> PersonYearCounter:
    """The person's counter row for ``year``, created if missing and locked until the transaction ends."""
    PersonYearCounter.objects.bulk_create([PersonYearCounter(person_id=person_id, year=year)], ignore_conflicts=True)
    return PersonYearCounter.objects.select_for_update().get(person_id=person_id, year=year)


def recount(counter: PersonYearCounter) -> None:
    counter.held = Claim.objects.filter(
        person_id=counter.person_id, status__in=Claim.HELD, claimed_on__year=counter.year
    ).count()
    counter.save(update_fields=["held"])


def hold(claim: Claim, *, region: Region, today: date, self_claim: bool = False) -> bool:
    """Check ``claim`` under its person's lock and hold it if it passes. Returns whether it was held; otherwise it
    is saved as failed, with the reasons."""
    counter = lock_person_year(claim.person_id, today.year)
    result = evaluation.claim_evaluate(
        certificate=claim.certificate,
        subsidy_type=claim.subsidy_type,
        region=region,
        on=today,
        claim_id=claim.pk,
        self_claim=self_claim,
    )
    evaluation.apply(claim, result)
    claim.claimed_on = today
    if result.passed:
        terms = result.policy.terms(result.amount)
        try:
            with transaction.atomic():
                PayableSlot.objects.create(
                    person_id=claim.person_id,
                    subsidy_type=claim.subsidy_type,
                    occupation=claim.occupation,
                    level=rules.slot_level(terms, claim.level),
                    claim=claim,
                )
        except IntegrityError:  # the slot is someone else's: only reachable if a path skipped the lock
            failure = rules.Failure(rules.ALREADY_CLAIMED, {"occupation": claim.occupation, "level": claim.level})
            claim.failures = [failure.as_dict()]
    claim.status = Claim.Status.FAILED if claim.failures else Claim.Status.SUBMITTED
    claim.save()
    recount(counter)
    return claim.status == Claim.Status.SUBMITTED


def release(claim: Claim) -> None:
    """Give back the claim's payable slot and its place in the yearly limits."""
    counter = lock_person_year(claim.person_id, claim.claimed_on.year)
    PayableSlot.objects.filter(claim=claim).delete()
    recount(counter)
