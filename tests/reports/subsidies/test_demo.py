"""``manage.py seed_demo_subsidies``: policies, insurance, a batch on public notice and a draft batch with passing
and failing claims, through the services; idempotent; removed with the registry demo."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reports.subsidies.models import Claim, ClaimBatch, InsuranceRecord, PayeeAccount, SubsidyPolicy
from reports.subsidies.views.front import notice_entries

AS_OF = date(2026, 6, 30)
pytestmark = pytest.mark.django_db


@pytest.fixture
def certificates_demo():
    out = StringIO()
    call_command("seed_demo", "--institutions", "24", "--staff", "400", "--as-of", AS_OF.isoformat(), stdout=out)
    call_command("seed_demo_learning", "--no-ffmpeg", "--as-of", AS_OF.isoformat(), stdout=out)
    call_command("seed_demo_certificates", "--as-of", AS_OF.isoformat(), stdout=out, stderr=StringIO())


def seed() -> str:
    out = StringIO()
    call_command("seed_demo_subsidies", "--as-of", AS_OF.isoformat(), stdout=out, stderr=StringIO())
    return out.getvalue()


def state() -> list[tuple]:
    return sorted(Claim.objects.values_list("batch__status", "certificate__number", "status", "amount"))


def test_the_demo(certificates_demo):
    assert "Seeded subsidy demo" in seed()
    assert SubsidyPolicy.objects.count() == 3
    notice = ClaimBatch.objects.get(status=ClaimBatch.Status.PUBLICITY)
    assert notice.publicity_from == AS_OF and notice.provider.payee_account
    assert notice.claims.filter(status=Claim.Status.APPROVED).count() >= 2
    assert len(notice_entries(AS_OF)) == notice.claims.filter(status=Claim.Status.APPROVED).count()
    draft = ClaimBatch.objects.get(status=ClaimBatch.Status.DRAFT)
    claims = list(draft.claims.all())
    assert any(c.failures == [] for c in claims) and any(c.failures for c in claims)  # mixed
    codes = {f["code"] for c in claims for f in c.failures}
    assert "already_claimed" in codes
    # the caregiver may claim 技能提升补贴 once they enter a bank account
    assert InsuranceRecord.objects.filter(person__user__username="caregiver").exists()
    assert not PayeeAccount.objects.filter(person__user__username="caregiver").exists()

    before = state()
    seed()
    assert state() == before  # idempotent

    call_command("seed_demo", "--reset", "--institutions", "24", "--staff", "400", stdout=StringIO())
    assert not ClaimBatch.objects.exists() and not SubsidyPolicy.objects.exists()


def test_needs_the_other_demos(db):
    with pytest.raises(CommandError):
        seed()
