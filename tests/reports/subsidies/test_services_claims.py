"""Building, checking and submitting claim batches: every rule through the services, with its English text."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from wagtail.models import ModelLogEntry

from certificates.services import certificate_revoke
from reports.subsidies import reasons, rules, services
from reports.subsidies.models import Claim, ClaimBatch, PayableSlot, PersonYearCounter, SubsidyType
from tests import factories as f

from .conftest import CW, IC

pytestmark = pytest.mark.django_db

T = SubsidyType


def only_claim(batch) -> Claim:
    return batch.claims.get()


def failure_codes(claim) -> list[str]:
    return [failure["code"] for failure in claim.failures]


def english(claim) -> list[str]:
    with translation.override("en"):
        return reasons.messages(claim.failures)


def test_a_passing_claim_has_its_policy_and_amount(subsidy_world):
    sw = subsidy_world
    provider_staff = sw.users["provider_staff"]
    certificate = sw.skill(sw.world.a.person, level=4)
    batch = sw.batch([certificate], actor=provider_staff)
    claim = only_claim(batch)
    assert claim.failures == []
    assert claim.policy == sw.training and claim.amount == 1500
    assert (claim.occupation, claim.level, claim.status) == (CW, 4, Claim.Status.DRAFT)
    assert batch.region == sw.world.a.provider.region and batch.created_by == provider_staff
    actions = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {"subsidies.batch.create", "subsidies.claim.add"} <= actions


def test_a_certificate_is_added_once_per_batch(subsidy_world):
    sw = subsidy_world
    certificate = sw.skill(sw.world.a.person)
    batch = sw.batch([certificate])
    services.claims_add(batch=batch, certificates=[certificate])
    assert batch.claims.count() == 1


def test_providers_claim_only_for_their_trainees(subsidy_world):
    sw = subsidy_world
    theirs = sw.skill(sw.world.b.person, provider=sw.world.b.provider)
    batch = services.batch_create(provider=sw.world.a.provider, subsidy_type=T.VOCATIONAL_TRAINING)
    with pytest.raises(ValidationError):
        services.claims_add(batch=batch, certificates=[theirs])
    with pytest.raises(PermissionDenied):
        services.batch_create(
            provider=sw.world.b.provider, subsidy_type=T.VOCATIONAL_TRAINING, actor=sw.users["provider_staff"]
        )
    b_batch = services.batch_create(provider=sw.world.b.provider, subsidy_type=T.VOCATIONAL_TRAINING)
    with pytest.raises(PermissionDenied):
        services.claims_add(batch=b_batch, certificates=[theirs], actor=sw.users["provider_staff"])


def test_trainees_include_people_who_completed_the_providers_courses(subsidy_world):
    from tests.certificates.factories import make_completion, make_course

    sw = subsidy_world
    person = f.PersonFactory()
    make_completion(person=person, course=make_course(provider=sw.world.a.provider))
    elsewhere = sw.skill(person, provider=sw.world.b.provider)  # assessed by another body
    batch = sw.batch([elsewhere])
    assert only_claim(batch).certificate == elsewhere


# --- each rule, with its reason ---------------------------------------------------------------------------------


def test_no_policy_before_the_effective_date(subsidy_world):
    sw = subsidy_world
    old = sw.skill(sw.world.a.person, days_ago=800)
    claim = only_claim(sw.batch([old]))
    assert failure_codes(claim) == [rules.NO_POLICY]
    assert english(claim) == ["No policy for this subsidy covers this certificate's date in this region."]


def test_a_county_policy_wins_over_the_city_policy(subsidy_world):
    from .conftest import make_policy, rates_for

    sw = subsidy_world
    county = make_policy(sw.world.a.county, T.VOCATIONAL_TRAINING, rates=rates_for(CW, levels={4: "1800"}))
    claim = only_claim(sw.batch([sw.skill(sw.world.a.person, level=4)]))
    assert (claim.policy, claim.amount) == (county, 1800)


def test_no_amount_for_an_occupation_the_policy_does_not_pay(subsidy_world):
    sw = subsidy_world
    certificate = sw.skill(sw.world.a.person, occupation="director", level=3)
    claim = only_claim(sw.batch([certificate]))
    assert failure_codes(claim) == [rules.NO_AMOUNT]
    with translation.override("en"):
        assert english(claim)[0].startswith(
            "The policy sets no amount for Institution director (托育机构负责人) at Level 3"
        )


def test_skill_assessment_excludes_training_certificates(subsidy_world):
    sw = subsidy_world
    certificate = sw.training_certificate(sw.world.a.person)
    claim = only_claim(sw.batch([certificate], subsidy_type=T.SKILL_ASSESSMENT))
    assert rules.CERTIFICATE_KIND in failure_codes(claim)
    assert "The policy does not accept training certificates for this subsidy." in english(claim)


def test_training_certificates_qualify_for_the_vocational_training_subsidy(subsidy_world):
    sw = subsidy_world
    claim = only_claim(sw.batch([sw.training_certificate(sw.world.a.person)]))
    assert claim.failures == [] and claim.amount == 500 and claim.level == 0


def test_the_live_status_of_the_certificate_is_checked(subsidy_world):
    sw = subsidy_world
    certificate = sw.skill(sw.world.a.person)
    batch = sw.batch([certificate])
    assert only_claim(batch).failures == []
    certificate_revoke(certificate=certificate, reason="fraud")
    services.batch_check(batch=batch)
    claim = only_claim(batch)
    assert failure_codes(claim) == [rules.CERTIFICATE_NOT_VALID]
    assert english(claim) == ["The certificate is not valid now (revoked)."]
    services.batch_submit(batch=batch)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.FAILED and not PayableSlot.objects.exists()


def test_claims_are_filed_within_twelve_months(subsidy_world):
    sw = subsidy_world
    late = sw.skill(sw.world.a.person, days_ago=400)
    claim = only_claim(sw.batch([late]))
    assert failure_codes(claim) == [rules.CLAIM_WINDOW]
    deadline = rules.add_months(late.issued_on, 12).isoformat()
    assert english(claim) == [
        f"The claim is late: it had to be filed within 12 months of the certificate date, by {deadline}."
    ]


def test_skill_upgrade_needs_a_year_of_insurance(subsidy_world):
    sw = subsidy_world
    person = sw.world.a.person
    certificate = sw.skill(person)
    claim = only_claim(sw.batch([certificate], subsidy_type=T.SKILL_UPGRADE))
    assert failure_codes(claim) == [rules.INSURED_MONTHS]
    assert english(claim) == ["Unemployment insurance paid for 0 months; this subsidy requires at least 12 months."]
    start = (sw.today.replace(day=1) - timedelta(days=330)).replace(day=1)  # 12 months up to this one
    services.insurance_record(person=person, first_month=start, actor=sw.users["hr_officer"])
    claim = only_claim(sw.batch([certificate], subsidy_type=T.SKILL_UPGRADE))
    assert claim.failures == [] and claim.amount == 1500


def test_skill_assessment_only_for_the_first_assessment(subsidy_world):
    sw = subsidy_world
    person = sw.world.a.person
    first = sw.skill(person, level=5, days_ago=200)
    second = sw.skill(person, level=4, days_ago=20)
    claims = sw.batch([first, second], subsidy_type=T.SKILL_ASSESSMENT).claims.order_by("level")
    assert failure_codes(claims[0]) == [rules.NOT_FIRST_ASSESSMENT]
    assert english(claims[0])[0].startswith("Not a first assessment: the person already held a skill certificate")
    assert claims[1].failures == []


def test_the_same_occupation_and_level_is_never_paid_twice(subsidy_world):
    sw = subsidy_world
    person = sw.world.a.person
    sw.submitted([sw.skill(person, level=4)])
    other = sw.skill(person, level=4, days_ago=10)  # a second certificate of the same level
    claim = only_claim(sw.batch([other]))
    assert failure_codes(claim) == [rules.ALREADY_CLAIMED]
    with translation.override("en"):
        assert english(claim) == [
            "This subsidy has already been claimed for Childcare worker (保育师) at Level 4 / intermediate worker "
            "(四级/中级工) (the same occupation and level are never paid twice)."
        ]


def test_no_lower_level_after_a_higher_one(subsidy_world):
    sw = subsidy_world
    person = sw.world.a.person
    sw.submitted([sw.skill(person, level=3, days_ago=90)])
    claim = only_claim(sw.batch([sw.skill(person, level=4, days_ago=5)]))
    assert failure_codes(claim) == [rules.LOWER_LEVEL]
    with translation.override("en"):
        assert english(claim)[0].startswith("A higher level (Level 3 / senior worker (三级/高级工)) of this occupation")


def test_at_most_three_subsidies_a_year_counting_skill_upgrade(subsidy_world):
    sw = subsidy_world
    person = sw.world.a.person
    services.insurance_record(person=person, first_month=date(2000, 1, 1))
    sw.submitted([sw.skill(person, level=5, occupation=IC, days_ago=100)])  # 职业培训补贴
    sw.submitted([sw.skill(person, level=5, days_ago=90)], subsidy_type=T.SKILL_ASSESSMENT)
    sw.submitted([sw.skill(person, level=4, occupation=IC, days_ago=80)], subsidy_type=T.SKILL_UPGRADE)
    assert PersonYearCounter.objects.get(person=person, year=sw.today.year).held == 3
    claim = only_claim(sw.batch([sw.skill(person, level=3, days_ago=5)]))
    assert failure_codes(claim) == [rules.YEARLY_LIMIT_TOTAL]
    assert english(claim) == [
        f"The person already has 3 subsidies in {sw.today.year}, the limit for all subsidy types together."
    ]


def test_skill_upgrade_once_a_year(subsidy_world):
    sw = subsidy_world
    person = sw.world.a.person
    services.insurance_record(person=person, first_month=date(2000, 1, 1))
    sw.submitted([sw.skill(person, level=5, occupation=IC, days_ago=100)], subsidy_type=T.SKILL_UPGRADE)
    claim = only_claim(sw.batch([sw.skill(person, level=4, days_ago=5)], subsidy_type=T.SKILL_UPGRADE))
    assert failure_codes(claim) == [rules.YEARLY_LIMIT_TYPE]
    assert english(claim) == [f"The person already has 1 subsidies of this type in {sw.today.year} (the limit)."]


# --- submission -------------------------------------------------------------------------------------------------


def test_submitting_holds_the_passing_claims_and_keeps_the_failed_ones_with_reasons(subsidy_world):
    sw = subsidy_world
    good = sw.skill(sw.world.a.person, level=4)
    late = sw.skill(sw.world.colleague, level=4, days_ago=400)
    batch = sw.batch([good, late])
    batch = services.batch_submit(batch=batch, actor=sw.users["provider_staff"])
    assert batch.status == ClaimBatch.Status.SUBMITTED and batch.submitted_at
    held = batch.claims.get(certificate=good)
    failed = batch.claims.get(certificate=late)
    assert (held.status, held.claimed_on) == (Claim.Status.SUBMITTED, sw.today)
    assert failed.status == Claim.Status.FAILED and failure_codes(failed) == [rules.CLAIM_WINDOW]
    slot = PayableSlot.objects.get()
    assert (slot.claim, slot.person, slot.subsidy_type, slot.occupation, slot.level) == (
        held,
        sw.world.a.person,
        T.VOCATIONAL_TRAINING,
        CW,
        4,
    )
    with pytest.raises(ValidationError):
        services.claims_add(batch=batch, certificates=[sw.skill(sw.world.a.person, level=3)])
    with pytest.raises(ValidationError):
        services.batch_submit(batch=batch)
    assert ModelLogEntry.objects.filter(action="subsidies.claim.submit").count() == 2


def test_a_batch_whose_claims_all_fail_is_closed(subsidy_world):
    sw = subsidy_world
    batch = sw.submitted([sw.skill(sw.world.a.person, days_ago=400)])
    assert batch.status == ClaimBatch.Status.CLOSED


def test_an_empty_batch_cannot_be_submitted(subsidy_world):
    batch = services.batch_create(provider=subsidy_world.world.a.provider, subsidy_type=T.VOCATIONAL_TRAINING)
    with pytest.raises(ValidationError):
        services.batch_submit(batch=batch)


def test_two_batches_claiming_the_same_certificate_hold_one(subsidy_world):
    """Sequentially here; tests/reports/subsidies/test_concurrency.py races them on PostgreSQL."""
    sw = subsidy_world
    certificate = sw.skill(sw.world.a.person)
    first, second = sw.batch([certificate]), sw.batch([certificate])
    assert only_claim(first).failures == only_claim(second).failures == []  # both look fine while drafts
    services.batch_submit(batch=first)
    services.batch_submit(batch=second)
    assert failure_codes(only_claim(second)) == [rules.ALREADY_CLAIMED]
    assert Claim.objects.filter(status=Claim.Status.SUBMITTED).count() == 1


def test_removing_a_draft_claim(subsidy_world):
    sw = subsidy_world
    batch = sw.batch([sw.skill(sw.world.a.person)])
    services.claim_remove(claim=only_claim(batch), actor=sw.users["provider_staff"])
    assert not batch.claims.exists()
    assert ModelLogEntry.objects.filter(action="subsidies.claim.remove").exists()
