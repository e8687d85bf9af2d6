"""The admin and front-site pages of subsidy claims, through the test client (English under ``override("en")``)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from lms.registry.models import Role
from reports.subsidies import services
from reports.subsidies.models import Claim, ClaimBatch, InsuranceRecord, Objection, SubsidyPolicy, SubsidyType

pytestmark = pytest.mark.django_db

HR, PROVIDER = Role.HR_OFFICER.value, Role.PROVIDER_STAFF.value


@pytest.fixture
def en(client):
    """English pages (the client asks for them; the admin follows the request's language) and English here."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def test_provider_builds_and_submits_a_batch(client, subsidy_world, en):
    sw = subsidy_world
    good = sw.skill(sw.world.a.person, level=4)
    late = sw.skill(sw.world.colleague, level=4, days_ago=400)
    client.force_login(sw.users[PROVIDER])
    response = client.post(
        reverse("subsidy_batches:new"),
        {"provider": sw.world.a.provider.pk, "subsidy_type": SubsidyType.VOCATIONAL_TRAINING},
    )
    batch = ClaimBatch.objects.get()
    assert response["Location"] == reverse("subsidy_batches:batch", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert good.number in page and late.number in page  # in the picker
    client.post(reverse("subsidy_batches:add", args=[batch.pk]), {"certificate": [good.pk, late.pk]})
    page = client.get(reverse("subsidy_batches:batch", args=[batch.pk])).content.decode()
    assert "Passes the checks." in page
    assert "The claim is late: it had to be filed within 12 months" in page
    client.post(
        reverse("subsidy_batches:account", args=[batch.pk]),
        {"account_name": sw.world.a.provider.name, "bank_name": "农业银行", "number": "6228 4800 0000 1234"},
    )
    assert sw.world.a.provider.payee_account.number_masked == "****1234"
    client.post(reverse("subsidy_batches:submit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ClaimBatch.Status.SUBMITTED
    assert sorted(batch.claims.values_list("status", flat=True)) == ["failed", "submitted"]


def test_hr_officer_reviews_publishes_and_pays(client, subsidy_world, en):
    sw = subsidy_world
    batch = sw.submitted([sw.skill(sw.world.a.person, level=4), sw.skill(sw.world.colleague, level=3)])
    first, second = batch.claims.order_by("pk")
    client.force_login(sw.users[HR])
    client.post(reverse("subsidy_batches:approve", args=[batch.pk, first.pk]))
    client.post(reverse("subsidy_batches:reject", args=[batch.pk, second.pk]), {"reason": "证书信息与花名册不符"})
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status, second.rejection_reason) == ("approved", "rejected", "证书信息与花名册不符")
    export = client.get(reverse("subsidy_batches:export", args=[batch.pk]))
    assert export.status_code == 200 and export["Content-Disposition"].endswith(f'subsidy-payment-{batch.pk}.xlsx"')
    client.post(reverse("subsidy_batches:publish", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ClaimBatch.Status.PUBLICITY and batch.publicity_until >= batch.publicity_from

    # the public notice: masked names, an objection from the public
    client.logout()
    notice = client.get(reverse("subsidies:notice")).content.decode()
    person = sw.world.a.person
    assert person.name not in notice and f"{person.name[0]}*" in notice
    assert notice.count('data-testid="notice-entry"') == 1  # the rejected claim is not on notice
    client.post(reverse("subsidies:notice"), {"claim": first.pk, "text": "此人未到场培训", "contact": "王先生"})
    objection = Objection.objects.get()
    assert (objection.claim, objection.recorded_by, objection.status) == (first, None, "open")

    client.force_login(sw.users[HR])
    page = client.get(reverse("subsidy_batches:batch", args=[batch.pk])).content.decode()
    assert "此人未到场培训" in page and "王先生" in page
    client.post(
        reverse("subsidy_batches:resolve", args=[batch.pk, objection.pk]),
        {"upheld": "0", "resolution": "经核实已参加培训"},
    )
    objection.refresh_from_db()
    assert objection.status == "dismissed"
    # too early to pay: the notice is still running
    client.post(reverse("subsidy_batches:pay", args=[batch.pk]), {"paid_on": "2030-01-01", "reference": "X"})
    batch.refresh_from_db()
    assert batch.status == ClaimBatch.Status.PUBLICITY
    ClaimBatch.objects.filter(pk=batch.pk).update(publicity_from=date(2020, 1, 6), publicity_until=date(2020, 1, 10))
    client.post(reverse("subsidy_batches:pay", args=[batch.pk]), {"paid_on": "2020-02-01", "reference": "QJ-1"})
    batch.refresh_from_db()
    assert (batch.status, batch.paid_on) == (ClaimBatch.Status.PAID, date(2020, 2, 1))
    assert batch.claims.get(pk=first.pk).status == Claim.Status.PAID


def test_the_public_notice_is_empty_without_batches(client, db, en):
    page = client.get(reverse("subsidies:notice"))
    assert page.status_code == 200 and 'data-testid="notice-empty"' in page.content.decode()


def test_caregiver_checks_and_claims_skill_upgrade_on_the_front_site(client, subsidy_world, en):
    sw = subsidy_world
    person = sw.world.a.person
    certificate = sw.skill(person, level=4)
    client.force_login(sw.users["caregiver"])
    page = client.get(reverse("subsidies:my_claims")).content.decode()
    assert 'data-testid="self-claim"' in page and certificate.number in page
    form = {"certificate": certificate.pk, "subsidy_type": SubsidyType.SKILL_UPGRADE}
    page = client.post(reverse("subsidies:my_claims"), {**form, "action": "check"}).content.decode()
    assert 'data-passed="0"' in page
    assert "Unemployment insurance paid for 0 months; this subsidy requires at least 12 months." in page

    services.insurance_record(person=person, first_month=date(2020, 1, 1))
    page = client.post(reverse("subsidies:my_claims"), {**form, "action": "check"}).content.decode()
    assert 'data-passed="1"' in page and "This claim meets the policy: 1500" in page
    page = client.post(reverse("subsidies:my_claims"), {**form, "action": "claim"}).content.decode()
    assert "Enter the bank account of your social security card first." in page
    client.post(
        reverse("subsidies:my_claims"),
        {"action": "account", "account_name": person.name, "bank_name": "曲靖市商业银行", "number": "6231234567890123"},
    )
    response = client.post(reverse("subsidies:my_claims"), {**form, "action": "claim"})
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert (claim.person, claim.status, claim.batch.claimant) == (person, "submitted", person)
    page = client.get(reverse("subsidies:my_claims")).content.decode()
    assert 'data-testid="claim" data-status="submitted"' in page and "****0123" in page
    assert "6231234567890123" not in page  # the full number is never shown back


def test_people_without_a_record_see_an_explanation(client, subsidy_world, en):
    client.force_login(subsidy_world.users[HR])
    page = client.get(reverse("subsidies:my_claims")).content.decode()
    assert "not linked to a childcare worker" in page


def test_hr_officer_edits_a_policy_of_the_county(client, subsidy_world, en):
    sw = subsidy_world
    client.force_login(sw.users[HR])
    data = {
        "name": "麒麟区技能提升补贴",
        "subsidy_type": SubsidyType.SKILL_UPGRADE,
        "region": sw.world.a.county.pk,
        "effective_from": "2025-01-01",
        "accepts_skill_certificates": "on",
        "claim_window_months": "12",
        "min_insured_months": "12",
        "forbid_lower_level": "on",
        "yearly_limit_total": "3",
        "yearly_limit_type": "1",
        "self_claim_allowed": "on",
        "publicity_working_days": "7",
        "active": "on",
        "rates-TOTAL_FORMS": "3",
        "rates-INITIAL_FORMS": "0",
        "rates-0-occupation": "childcare_worker",
        "rates-0-level": "5",
        "rates-0-amount": "1000",
        "rates-1-occupation": "childcare_worker",
        "rates-1-level": "4",
        "rates-1-amount": "1500",
    }
    response = client.post(reverse("subsidy_policies:new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    policy = SubsidyPolicy.objects.get(name="麒麟区技能提升补贴")
    assert sorted(policy.rates.values_list("level", "amount")) == [(4, 1500), (5, 1000)]
    assert policy.publicity_working_days == 7 and not policy.accepts_training_certificates
    # another region is refused by the form (not in the choices)
    response = client.post(reverse("subsidy_policies:new"), {**data, "region": sw.world.b.county.pk, "name": "x"})
    assert response.status_code == 200 and not SubsidyPolicy.objects.filter(name="x").exists()
    listing = client.get(reverse("subsidy_policies:index")).content.decode()
    assert "麒麟区技能提升补贴" in listing and sw.training.name in listing


def test_hr_officer_declares_and_imports_insurance(client, subsidy_world, en):
    sw = subsidy_world
    client.force_login(sw.users[HR])
    person = sw.world.a.person
    response = client.post(
        reverse("subsidy_insurance:index"),
        {"id_number": person.id_number, "first_month": "2023-04", "insurer": "托育中心"},
    )
    assert response.status_code == 302
    assert InsuranceRecord.objects.get().first_month == date(2023, 4, 1)
    page = client.post(
        reverse("subsidy_insurance:index"), {"id_number": sw.world.b.person.id_number, "first_month": "2023-04"}
    )
    assert "No person with this ID number is employed in your region." in page.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = f"id_number,first_month,last_month\n{sw.world.colleague.id_number},2022-01,2024-06\nbad,2022-01,\n".encode()
    page = client.post(reverse("subsidy_insurance:index"), {"file": SimpleUploadedFile("periods.csv", csv)})
    assert InsuranceRecord.objects.filter(person=sw.world.colleague).count() == 1
    assert 'data-testid="import-errors"' in page.content.decode()


def test_the_subsidies_menu_shows_to_those_who_use_it(client, subsidy_world, en):
    for role, shown in [(HR, True), (PROVIDER, True), (Role.HEALTH_OFFICER.value, False)]:
        client.force_login(subsidy_world.users[role])
        page = client.get(reverse("wagtailadmin_home")).content.decode()
        assert (reverse("subsidy_batches:index") in page) is shown, role
