"""Two providers submitting claims for the same person at the same moment (PostgreSQL: real row locks and
constraints). Nothing may be held twice: not the same occupation and level, and not past the yearly limit."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from reports.subsidies import rules, services
from reports.subsidies.models import Claim, PayableSlot, PersonYearCounter, SubsidyType
from tests.certificates.factories import make_completion, make_course
from tests.concurrency import race

from .conftest import IC

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent transactions (PostgreSQL); SQLite serialises writers",
    ),
    pytest.mark.django_db(transaction=True),
]


def _trainee_of_both(sw, person) -> None:
    """The person completed a course of each provider: both may claim for them (on a page tree that an earlier
    transactional test may have flushed)."""
    from django.conf import settings
    from wagtail.models import Locale, Page

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)  # flushed with the data migrations' rows
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
    for provider in (sw.world.a.provider, sw.world.b.provider):
        make_completion(person=person, course=make_course(provider=provider))


def _submit(batch):
    return lambda: services.batch_submit(batch=batch).pk


def test_two_providers_claim_the_same_certificate_at_once(subsidy_world):
    sw = subsidy_world
    person = sw.world.a.person
    _trainee_of_both(sw, person)
    certificate = sw.skill(person, level=4)
    batches = [sw.batch([certificate]), sw.batch([certificate], provider=sw.world.b.provider)]
    assert all(b.claims.get().failures == [] for b in batches)  # both drafts pass on their own

    results, errors = race([_submit(b) for b in batches])
    assert not errors, errors
    claims = Claim.objects.filter(person=person)
    assert sorted(claims.values_list("status", flat=True)) == ["failed", "submitted"]
    assert claims.get(status="failed").failures[0]["code"] == rules.ALREADY_CLAIMED
    assert PayableSlot.objects.count() == 1
    assert PersonYearCounter.objects.get(person=person).held == 1


def test_two_providers_claim_the_same_level_with_different_certificates_at_once(subsidy_world):
    sw = subsidy_world
    person = sw.world.a.person
    one = sw.skill(person, level=4, days_ago=50)
    other = sw.skill(person, level=4, days_ago=40, provider=sw.world.b.provider)
    batches = [sw.batch([one]), sw.batch([other], provider=sw.world.b.provider)]
    _results, errors = race([_submit(b) for b in batches])
    assert not errors, errors
    assert Claim.objects.filter(person=person, status="submitted").count() == 1
    assert PayableSlot.objects.count() == 1


def test_concurrent_claims_never_pass_the_yearly_limit(subsidy_world):
    """Two held already (limit 3): two providers each submit a third, for different levels (different slots, so only
    the locked counter row stops the fourth)."""
    sw = subsidy_world
    person = sw.world.a.person
    sw.submitted([sw.skill(person, level=5, occupation=IC, days_ago=100)])
    sw.submitted([sw.skill(person, level=5, days_ago=90)], subsidy_type=SubsidyType.SKILL_ASSESSMENT)
    level_4 = sw.skill(person, level=4, occupation=IC, days_ago=30)
    level_3 = sw.skill(person, level=3, days_ago=20, provider=sw.world.b.provider)
    batches = [sw.batch([level_4]), sw.batch([level_3], provider=sw.world.b.provider)]
    _results, errors = race([_submit(b) for b in batches])
    assert not errors, errors
    statuses = sorted(Claim.objects.filter(batch__in=batches).values_list("status", flat=True))
    assert statuses == ["failed", "submitted"]
    failed = Claim.objects.get(batch__in=batches, status="failed")
    assert [f["code"] for f in failed.failures] == [rules.YEARLY_LIMIT_TOTAL]
    assert PersonYearCounter.objects.get(person=person, year=sw.today.year).held == 3


def test_the_database_refuses_a_second_payable_slot(subsidy_world):
    """The last line of defence, without the services: the unique constraint itself."""
    sw = subsidy_world
    batch = sw.submitted([sw.skill(sw.world.a.person, level=4)])
    claim = batch.claims.get()
    other = sw.batch([sw.skill(sw.world.a.person, level=4, days_ago=5)]).claims.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        PayableSlot.objects.create(
            person=claim.person, subsidy_type=claim.subsidy_type, occupation=claim.occupation, level=4, claim=other
        )
