"""Demo subsidy data (``manage.py seed_demo_subsidies``), on top of the registry, learning and certificate demos, and
its removal with the registry demo.

Everything goes through the services (checked, audited), as the demo accounts would have done it:

* three policies of 曲靖市 (530300): 职业培训补贴 (training and skill certificates), 技能评价补贴 (skill certificates,
  first assessment only, once per occupation) and 技能提升补贴 (≥ 12 insured months, once a year, holders may claim
  themselves); National Day as holidays of the working-day calendar;
* unemployment insurance periods (the ``caregiver`` account's person among them, so that they can claim 技能提升补贴
  on /subsidies/ once they enter a bank account) and the bank account of the demo provider;
* a batch of the ``provider`` account's provider, reviewed by ``hr`` and on public notice (公示) from ``as_of``;
* a draft batch of the same provider with claims that pass and claims that fail (a revoked, a suspended or an
  expired certificate, a certificate already claimed in the batch on notice), for the provider to look at and
  submit.

Certificates are chosen in a stable order (by number). Re-running changes nothing once the demo policies exist.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from certificates.models import Certificate
from lms.learning.choices import Occupation
from lms.registry.models import Person, Region, Role, RoleGrant

from . import services
from .models import (
    Claim,
    ClaimBatch,
    InsuranceRecord,
    Objection,
    PayableSlot,
    PayeeAccount,
    PersonYearCounter,
    PolicyRate,
    SubsidyPolicy,
    SubsidyType,
    WorkingDayOverride,
)
from .selectors import facts

CITY = "530300"
PROVIDER_ACCOUNT = ("6228480123456789012", "中国农业银行曲靖分行营业部")
NOTICE_CLAIMS = 4
DRAFT_PASSING = 3
CW, IC, HEALTH, DIRECTOR = (
    Occupation.CHILDCARE_WORKER,
    Occupation.INFANT_CARER,
    Occupation.HEALTH_CARE,
    Occupation.DIRECTOR,
)

# name -> (subsidy type, rates [(occupation, level, yuan)], other fields)
POLICIES = {
    "曲靖市职业培训补贴（演示）": (
        SubsidyType.VOCATIONAL_TRAINING,
        [(CW, 0, 800), (IC, 0, 800), (HEALTH, 0, 500), (DIRECTOR, 0, 600)]
        + [(CW, level, amount) for level, amount in ((5, 1000), (4, 1500), (3, 2000), (2, 2500), (1, 3000))]
        + [(IC, level, amount) for level, amount in ((5, 1000), (4, 1500), (3, 2000))],
        {},
    ),
    "曲靖市技能评价补贴（演示）": (
        SubsidyType.SKILL_ASSESSMENT,
        [(occ, level, amount) for occ in (CW, IC) for level, amount in ((5, 200), (4, 300), (3, 400))],
        {
            "accepts_training_certificates": False,
            "first_assessment_only": True,
            "once_per_occupation": True,
            "forbid_lower_level": False,
        },
    ),
    "曲靖市技能提升补贴（演示）": (
        SubsidyType.SKILL_UPGRADE,
        [(occ, level, amount) for occ in (CW, IC) for level, amount in ((5, 1000), (4, 1500), (3, 2000))],
        {
            "accepts_training_certificates": False,
            "min_insured_months": 12,
            "yearly_limit_type": 1,
            "self_claim_allowed": True,
            "publicity_working_days": 7,
        },
    ),
}


def demo_exists() -> bool:
    return SubsidyPolicy.objects.filter(name__in=POLICIES).exists()


@transaction.atomic
def reset_subsidies() -> dict[str, int]:
    """Delete every subsidy row (policies and the working-day calendar included)."""
    order = (
        Objection,
        PayableSlot,
        Claim,
        ClaimBatch,
        PersonYearCounter,
        InsuranceRecord,
        PayeeAccount,
        PolicyRate,
        SubsidyPolicy,
        WorkingDayOverride,
    )
    return {f"subsidies_{model._meta.model_name}": model.objects.all().delete()[0] for model in order}


class SubsidiesDemo:
    def __init__(self, *, as_of: date | None = None, log: Callable[[str], None] | None = None):
        self.as_of = as_of or timezone.localdate()
        self.log = log or (lambda msg: None)
        self.counts = dict.fromkeys(["policies", "insurance_records", "batches", "claims", "on_notice", "failing"], 0)
        self.warnings: list[str] = []

    def users(self):
        users = {u.username: u for u in get_user_model().objects.filter(username__in=["hr", "provider", "caregiver"])}
        if len(users) < 3:
            raise LookupError("the registry demo is missing: run `manage.py seed_demo` first")
        return users

    def policies(self, city: Region) -> None:
        start = date(self.as_of.year - 3, 1, 1)
        for name, (subsidy_type, rates, fields) in POLICIES.items():
            if SubsidyPolicy.objects.filter(name=name).exists():
                continue
            policy = SubsidyPolicy(name=name, subsidy_type=subsidy_type, region=city, effective_from=start, **fields)
            services.policy_save(policy=policy, rates=[(o, level, Decimal(a)) for o, level, a in rates])
            self.counts["policies"] += 1
        for day in range(1, 8):  # 国庆节
            services.workday_set(day=date(self.as_of.year, 10, day), working=False, note="国庆节（演示）")

    def insure(self, people: list[Person]) -> None:
        """Three years of insurance up to now (open) for each."""
        start = date(self.as_of.year - 3, self.as_of.month, 1)
        for person in people:
            services.insurance_record(person=person, first_month=start, insurer="曲靖市社会保险事业管理局（演示）")
            self.counts["insurance_records"] += 1

    def candidates(self, provider) -> tuple[list[Certificate], list[Certificate]]:
        """The provider's trainees' certificates that would pass today (by number) and those that would fail."""
        region = provider.region
        passing, failing = [], []
        for certificate in facts.claimable_certificates(provider).order_by("number")[:400]:
            evaluation = services.claim_evaluate(
                certificate=certificate, subsidy_type=SubsidyType.VOCATIONAL_TRAINING, region=region, on=self.as_of
            )
            (passing if evaluation.passed else failing).append(certificate)
        return passing, failing

    def notice_batch(self, provider, passing: list[Certificate], users) -> ClaimBatch | None:
        chosen, people = [], set()
        for certificate in passing:  # one claim per person, so that none fails against another
            if certificate.holder_id not in people:
                chosen.append(certificate)
                people.add(certificate.holder_id)
            if len(chosen) == NOTICE_CLAIMS:
                break
        if not chosen:
            self.warnings.append("no certificate of the demo provider passes the checks: no batch on public notice")
            return None
        batch = services.batch_create(
            provider=provider, subsidy_type=SubsidyType.VOCATIONAL_TRAINING, actor=users["provider"]
        )
        services.claims_add(batch=batch, certificates=chosen, actor=users["provider"], today=self.as_of)
        services.batch_submit(batch=batch, actor=users["provider"], today=self.as_of)
        services.batch_approve_pending(batch=batch, actor=users["hr"], today=self.as_of)
        batch = services.batch_publish(batch=batch, actor=users["hr"], today=self.as_of)
        self.counts["batches"] += 1
        self.counts["claims"] += len(chosen)
        self.counts["on_notice"] += batch.claims.filter(status=Claim.Status.APPROVED).count()
        return batch

    def draft_batch(self, provider, passing, failing, notice: ClaimBatch | None, users) -> None:
        held = set(notice.claims.values_list("person_id", flat=True)) if notice else set()
        fresh = [c for c in passing if c.holder_id not in held]
        people, chosen = set(), []
        for certificate in fresh:
            if certificate.holder_id not in people:
                chosen.append(certificate)
                people.add(certificate.holder_id)
            if len(chosen) == DRAFT_PASSING:
                break
        not_valid = [c for c in failing if c.status != Certificate.Status.VALID][:2]
        expired = [c for c in failing if c.status == Certificate.Status.VALID][:1]
        again = list(notice.claims.values_list("certificate", flat=True)[:1]) if notice else []
        bad = not_valid + expired + list(Certificate.objects.filter(pk__in=again))
        certificates = chosen + bad
        if not certificates:
            return
        batch = services.batch_create(
            provider=provider, subsidy_type=SubsidyType.VOCATIONAL_TRAINING, actor=users["provider"]
        )
        services.claims_add(batch=batch, certificates=certificates, actor=users["provider"], today=self.as_of)
        self.counts["batches"] += 1
        self.counts["claims"] += len(certificates)
        self.counts["failing"] += batch.claims.exclude(failures=[]).count()

    def run(self) -> dict[str, int]:
        users = self.users()
        city = Region.objects.filter(code=CITY).first()
        grant = RoleGrant.objects.filter(user=users["provider"], role=Role.PROVIDER_STAFF).select_related("provider")
        grant = grant.first()
        caregiver = Person.objects.filter(user=users["caregiver"]).first()
        if city is None or grant is None or caregiver is None:
            raise LookupError("the registry demo is missing: run `manage.py seed_demo` first")
        from certificates.demo import demo_exists as certificates_demo_exists

        if not certificates_demo_exists():
            raise LookupError("the certificate demo is missing: run `manage.py seed_demo_certificates` first")
        if demo_exists():
            return self.counts
        provider = grant.provider
        with transaction.atomic():
            self.policies(city)
            services.payee_account_set(
                provider=provider,
                account_name=provider.name,
                bank_name=PROVIDER_ACCOUNT[1],
                number=PROVIDER_ACCOUNT[0],
            )
            passing, failing = self.candidates(provider)
            self.insure([caregiver, *Person.objects.filter(pk__in={c.holder_id for c in passing[:6]})])
            notice = self.notice_batch(provider, passing, users)
            self.draft_batch(provider, passing, failing, notice, users)
        self.log(f"policies {self.counts['policies']}, batches {self.counts['batches']}")
        return self.counts
