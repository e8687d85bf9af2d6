"""The check of one claim: which policy and amount apply, and which rules it breaks (reads only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from certificates.models import Certificate
from lms.registry.models import Region

from .. import rules
from ..models import Claim, SubsidyPolicy
from ..selectors import facts


@dataclass(frozen=True)
class Evaluation:
    policy: SubsidyPolicy | None
    amount: Decimal | None
    failures: list[rules.Failure]

    @property
    def passed(self) -> bool:
        return not self.failures

    def stored_failures(self) -> list[dict]:
        return [f.as_dict() for f in self.failures]


def claim_evaluate(
    *,
    certificate: Certificate,
    subsidy_type: str,
    region: Region,
    on: date,
    claim_id: int | None = None,
    self_claim: bool = False,
) -> Evaluation:
    """Check a claim for ``subsidy_type`` on ``certificate`` filed in ``region`` on ``on`` (reads only)."""
    policy = facts.policy_for(subsidy_type=subsidy_type, region=region, on=certificate.issued_on)
    if policy is None:
        return Evaluation(None, None, [rules.Failure(rules.NO_POLICY)])
    if self_claim and not policy.self_claim_allowed:
        return Evaluation(policy, None, [rules.Failure(rules.NOT_SELF_CLAIMABLE)])
    amount = facts.rate_for(policy, occupation=certificate.occupation, level=certificate.level)
    failures = rules.check(
        terms=policy.terms(amount),
        certificate=facts.certificate_facts(certificate),
        person=facts.person_facts(certificate.holder_id),
        claimed_on=on,
        claim_id=claim_id,
    )
    return Evaluation(policy, amount, failures)


def apply(claim: Claim, evaluation: Evaluation) -> None:
    claim.policy = evaluation.policy
    claim.amount = evaluation.amount
    claim.failures = evaluation.stored_failures()
    claim.checked_at = timezone.now()
