"""``subsidy_world``: the registry world of tests/conftest.py with three subsidy policies for 曲靖市 and helpers that
issue certificates through the certificates service.

Policies (region 曲靖市, so both counties; effective from two years ago):

* ``training`` — 职业培训补贴: training and skill certificates, 12-month window, ≤ 3 subsidies a year in all;
* ``assessment`` — 技能评价补贴: skill certificates only, first assessment only, once per occupation;
* ``upgrade`` — 技能提升补贴: skill certificates only, ≥ 12 insured months, once a year, holders may claim
  themselves, 5 working days of public notice.

Each provider of the world issues skill certificates (``skill(...)``) and training certificates
(``training_certificate(...)``) to its trainees: those it issued are the ones it may claim for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from reports.subsidies import services
from reports.subsidies.models import SubsidyPolicy, SubsidyType
from tests.certificates.factories import issue_certificate

CW, IC = "childcare_worker", "infant_carer"
AMOUNTS = {5: "1000", 4: "1500", 3: "2000"}


@dataclass
class SubsidyWorld:
    world: object
    training: SubsidyPolicy
    assessment: SubsidyPolicy
    upgrade: SubsidyPolicy
    today: date

    @property
    def users(self) -> dict:
        return self.world.users

    def skill(self, person, *, level=4, occupation=CW, days_ago=60, provider=None):
        return issue_certificate(
            holder=person,
            type_code="skill",
            provider=provider or self.world.a.provider,
            issued_on=self.today - timedelta(days=days_ago),
            occupation=occupation,
            level=level,
        )

    def training_certificate(self, person, *, days_ago=30, provider=None, occupation=CW):
        return issue_certificate(
            holder=person,
            provider=provider or self.world.a.provider,
            issued_on=self.today - timedelta(days=days_ago),
            occupation=occupation,
        )

    def batch(self, certificates, *, subsidy_type=SubsidyType.VOCATIONAL_TRAINING, provider=None, actor=None):
        batch = services.batch_create(
            provider=provider or self.world.a.provider, subsidy_type=subsidy_type, actor=actor
        )
        services.claims_add(batch=batch, certificates=list(certificates), actor=actor, today=self.today)
        return batch

    def submitted(self, certificates, **kw):
        batch = self.batch(certificates, **kw)
        return services.batch_submit(batch=batch, today=self.today)


def make_policy(region, subsidy_type, *, rates, **fields) -> SubsidyPolicy:
    today = timezone.localdate()
    policy = SubsidyPolicy(
        name=f"{region.name} {subsidy_type}",
        subsidy_type=subsidy_type,
        region=region,
        effective_from=today - timedelta(days=730),
        **fields,
    )
    return services.policy_save(policy=policy, rates=rates)


def rates_for(*occupations, levels=AMOUNTS, training: str | None = None):
    rows = [(o, level, Decimal(a)) for o in occupations for level, a in levels.items()]
    if training:
        rows += [(o, 0, Decimal(training)) for o in occupations]
    return rows


@pytest.fixture
def subsidy_world(registry_world) -> SubsidyWorld:
    city = registry_world.city
    return SubsidyWorld(
        world=registry_world,
        training=make_policy(city, SubsidyType.VOCATIONAL_TRAINING, rates=rates_for(CW, IC, training="500")),
        assessment=make_policy(
            city,
            SubsidyType.SKILL_ASSESSMENT,
            rates=rates_for(CW, IC, levels={5: "300", 4: "500", 3: "800"}),
            accepts_training_certificates=False,
            first_assessment_only=True,
            once_per_occupation=True,
            forbid_lower_level=False,
        ),
        upgrade=make_policy(
            city,
            SubsidyType.SKILL_UPGRADE,
            rates=rates_for(CW, IC),
            accepts_training_certificates=False,
            min_insured_months=12,
            yearly_limit_type=1,
            self_claim_allowed=True,
        ),
        today=timezone.localdate(),
    )
