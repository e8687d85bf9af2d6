"""HR review, public notice with objections, payment, the payment XLSX, and caregivers' own claims."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from certificates.services import certificate_revoke
from reports.subsidies import rules, services
from reports.subsidies.models import Claim, ClaimBatch, Objection, PayableSlot, PersonYearCounter, SubsidyType

from .conftest import CW

pytestmark = pytest.mark.django_db

MONDAY = date(2025, 6, 2)


@pytest.fixture
def submitted(subsidy_world):
    """A batch of provider A with two held claims (the caregiver's and a colleague's)."""
    sw = subsidy_world
    batch = sw.submitted([sw.skill(sw.world.a.person, level=4), sw.skill(sw.world.colleague, level=3)])
    services.payee_account_set(
        provider=sw.world.a.provider,
        account_name=sw.world.a.provider.name,
        bank_name="中国农业银行曲靖分行",
        number="6228 4801 2345 6789 012",
    )
    return batch


def test_hr_officer_approves_and_rejects_per_claim(subsidy_world, submitted):
    hr = subsidy_world.users["hr_officer"]
    first, second = submitted.claims.order_by("pk")
    services.claim_approve(claim=first, actor=hr)
    first.refresh_from_db()
    assert (first.status, first.decided_by) == (Claim.Status.APPROVED, hr)
    with pytest.raises(ValidationError):
        services.claim_reject(claim=second, reason="  ", actor=hr)
    services.claim_reject(claim=second, reason="培训签到记录不全", actor=hr)
    second.refresh_from_db()
    assert (second.status, second.rejection_reason) == (Claim.Status.REJECTED, "培训签到记录不全")
    # the rejected claim gives its slot and its place in the yearly count back
    assert list(PayableSlot.objects.values_list("claim_id", flat=True)) == [first.pk]
    assert PersonYearCounter.objects.get(person=second.person).held == 0
    actions = list(ModelLogEntry.objects.filter(action__startswith="subsidies.claim.").values_list("action", flat=True))
    assert "subsidies.claim.approve" in actions and "subsidies.claim.reject" in actions


def test_a_rejected_claim_can_be_filed_again(subsidy_world, submitted):
    sw = subsidy_world
    claim = submitted.claims.get(person=sw.world.a.person)
    services.claim_reject(claim=claim, reason="材料不全", actor=sw.users["hr_officer"])
    again = sw.submitted([claim.certificate])
    assert again.claims.get().status == Claim.Status.SUBMITTED


def test_only_officers_of_the_batchs_region_review(subsidy_world, submitted):
    from tests import factories as f

    sw = subsidy_world
    claim = submitted.claims.first()
    other_county = f.RoleGrantFactory(hr_officer=True, region=sw.world.b.county).user
    for user in (other_county, sw.users["provider_staff"], sw.users["health_officer"]):
        with pytest.raises(PermissionDenied):
            services.claim_approve(claim=claim, actor=user)
    services.claim_approve(claim=claim, actor=sw.users["platform_admin"])


def test_a_certificate_revoked_after_submission_cannot_be_approved(subsidy_world, submitted):
    claim = submitted.claims.first()
    certificate_revoke(certificate=claim.certificate, reason="fraud")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.claim_approve(claim=claim, actor=subsidy_world.users["hr_officer"])
    assert exc.value.messages == ["The certificate is not valid now (revoked)."]
    approved, refused = services.batch_approve_pending(batch=submitted, actor=subsidy_world.users["hr_officer"])
    assert approved == 1 and len(refused) == 1 and f"#{claim.pk}" in refused[0]


def test_public_notice_objections_and_payment(subsidy_world, submitted):
    hr = subsidy_world.users["hr_officer"]
    with pytest.raises(ValidationError):  # claims still undecided
        services.batch_publish(batch=submitted, actor=hr, today=MONDAY)
    services.batch_approve_pending(batch=submitted, actor=hr)
    with pytest.raises(ValidationError):  # the payment list is exportable now, but payment waits for the notice
        services.batch_mark_paid(batch=submitted, actor=hr, today=MONDAY)
    batch = services.batch_publish(batch=submitted, actor=hr, today=MONDAY)
    assert batch.status == ClaimBatch.Status.PUBLICITY
    assert (batch.publicity_from, batch.publicity_until) == (MONDAY, date(2025, 6, 6))  # 5 working days

    first, second = batch.claims.order_by("pk")
    objection = services.objection_record(claim=first, text="此人未参加培训", contact="138****0000", today=MONDAY)
    dismissed = services.objection_record(claim=second, text="重复申领？", today=MONDAY)
    with pytest.raises(ValidationError):  # the public may object only while the notice runs
        services.objection_record(claim=first, text="迟到的异议", today=date(2025, 6, 9))
    with pytest.raises(ValidationError):
        services.batch_mark_paid(batch=batch, actor=hr, today=date(2025, 6, 6))  # the notice's last day
    with pytest.raises(ValidationError):
        services.batch_mark_paid(batch=batch, actor=hr, today=date(2025, 6, 9))  # open objections

    services.objection_resolve(objection=objection, upheld=True, resolution="核实未参加培训", actor=hr)
    services.objection_resolve(objection=dismissed, upheld=False, resolution="经核查不重复", actor=hr)
    first.refresh_from_db()
    assert (first.status, first.rejection_reason) == (Claim.Status.REJECTED, "核实未参加培训")
    assert set(Objection.objects.values_list("status", flat=True)) == {"upheld", "dismissed"}

    batch = services.batch_mark_paid(batch=batch, actor=hr, today=date(2025, 6, 9), reference="QJ-2025-06-001")
    assert (batch.status, batch.paid_on, batch.payment_reference) == (
        ClaimBatch.Status.PAID,
        date(2025, 6, 9),
        "QJ-2025-06-001",
    )
    assert list(batch.claims.values_list("status", flat=True).order_by("pk")) == ["rejected", "paid"]
    actions = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {"subsidies.batch.publish", "subsidies.objection.record", "subsidies.objection.resolve"} <= actions
    assert "subsidies.batch.pay" in actions


def test_public_notice_skips_holidays(subsidy_world, submitted):
    hr = subsidy_world.users["hr_officer"]
    services.workday_set(day=date(2025, 6, 3), working=False, note="端午节", actor=hr)
    services.batch_approve_pending(batch=submitted, actor=hr)
    batch = services.batch_publish(batch=submitted, actor=hr, today=MONDAY)
    assert batch.publicity_until == date(2025, 6, 9)


def test_a_batch_with_nothing_approved_is_closed_instead_of_published(subsidy_world, submitted):
    hr = subsidy_world.users["hr_officer"]
    for claim in submitted.claims.all():
        services.claim_reject(claim=claim, reason="不符合条件", actor=hr)
    assert services.batch_publish(batch=submitted, actor=hr).status == ClaimBatch.Status.CLOSED


# --- the payment list ---------------------------------------------------------------------------------------------


def test_payment_xlsx_has_the_full_details_for_hr(subsidy_world, submitted):
    sw = subsidy_world
    hr = sw.users["hr_officer"]
    with pytest.raises(ValidationError):
        services.payment_xlsx(batch=submitted, actor=hr)  # nothing decided yet
    services.batch_approve_pending(batch=submitted, actor=hr)
    for user in (sw.users["provider_staff"], sw.users["health_officer"], sw.users["caregiver"]):
        with pytest.raises(PermissionDenied):
            services.payment_xlsx(batch=submitted, actor=user)
    with translation.override("en"):
        data = services.payment_xlsx(batch=submitted, actor=hr)
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("No.", "Name", "ID number") and rows[0][-1] == "Account number"
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    people = {row[2]: row for row in rows[1:-1]}
    assert set(people) == {sw.world.a.person.id_number, sw.world.colleague.id_number}  # full ID numbers
    row = people[sw.world.a.person.id_number]
    assert row[1] == sw.world.a.person.name and row[7] == 1500
    assert row[8:] == (sw.world.a.provider.name, "中国农业银行曲靖分行", "6228480123456789012")
    assert rows[-1][1] == "Total amount" and rows[-1][7] == 3500
    assert ModelLogEntry.objects.filter(action="subsidies.batch.export").count() == 1


def test_bank_account_numbers_are_encrypted_at_rest(subsidy_world, submitted):
    account = subsidy_world.world.a.provider.payee_account
    assert "6228480123456789012" not in account.number_encrypted
    assert account.number_masked == "****9012" and account.number == "6228480123456789012"
    with pytest.raises(ValidationError):
        services.payee_account_set(person=subsidy_world.world.a.person, account_name="x", bank_name="y", number="12ab")
    with pytest.raises(PermissionDenied):
        services.payee_account_set(
            provider=subsidy_world.world.b.provider,
            account_name="x",
            bank_name="y",
            number="622848012345678",
            actor=subsidy_world.users["provider_staff"],
        )


# --- caregivers' own claims ---------------------------------------------------------------------------------------


def test_a_caregiver_claims_skill_upgrade_themselves(subsidy_world):
    sw = subsidy_world
    person, user = sw.world.a.person, sw.users["caregiver"]
    certificate = sw.skill(person, level=4)
    services.insurance_record(person=person, first_month=date(2020, 1, 1))
    with pytest.raises(ValidationError):  # no bank account yet
        services.self_claim_submit(
            person=person, certificate=certificate, subsidy_type=SubsidyType.SKILL_UPGRADE, actor=user
        )
    services.payee_account_set(
        person=person, account_name=person.name, bank_name="曲靖市商业银行", number="6231234567890123", actor=user
    )
    claim = services.self_claim_submit(
        person=person, certificate=certificate, subsidy_type=SubsidyType.SKILL_UPGRADE, actor=user
    )
    assert claim.status == Claim.Status.SUBMITTED and claim.amount == 1500
    assert claim.batch.claimant == person and claim.batch.region == sw.world.a.institution.region
    assert claim.batch.status == ClaimBatch.Status.SUBMITTED


def test_a_caregivers_refused_claim_leaves_nothing_behind(subsidy_world):
    sw = subsidy_world
    person, user = sw.world.a.person, sw.users["caregiver"]
    certificate = sw.skill(person, level=4)
    services.payee_account_set(person=person, account_name=person.name, bank_name="银行", number="6231234567890123")
    with translation.override("en"), pytest.raises(services.ClaimRefused) as exc:
        services.self_claim_submit(
            person=person, certificate=certificate, subsidy_type=SubsidyType.SKILL_UPGRADE, actor=user
        )
    assert [f["code"] for f in exc.value.failures] == [rules.INSURED_MONTHS]
    assert exc.value.messages == ["Unemployment insurance paid for 0 months; this subsidy requires at least 12 months."]
    assert not ClaimBatch.objects.exists() and not Claim.objects.exists()
    # 职业培训补贴 is filed by providers
    with translation.override("en"), pytest.raises(services.ClaimRefused) as exc:
        services.self_claim_submit(
            person=person, certificate=certificate, subsidy_type=SubsidyType.VOCATIONAL_TRAINING, actor=user
        )
    assert exc.value.messages == [
        "This subsidy cannot be claimed by the certificate holder; a training provider files it."
    ]


def test_caregivers_claim_only_their_own_certificates(subsidy_world):
    sw = subsidy_world
    other = sw.skill(sw.world.colleague)
    with pytest.raises(PermissionDenied):
        services.self_claim_submit(
            person=sw.world.a.person,
            certificate=other,
            subsidy_type=SubsidyType.SKILL_UPGRADE,
            actor=sw.users["caregiver"],
        )


# --- insurance and policies ---------------------------------------------------------------------------------------


def test_insurance_import_from_csv(subsidy_world):
    sw = subsidy_world
    a, b = sw.world.a.person, sw.world.b.person
    content = "\n".join(
        [
            "身份证号,起始月份,终止月份,参保单位",
            f"{a.id_number},2022-03,2023-12,麒麟区阳光托育中心",
            f"{a.id_number},202401,,麒麟区阳光托育中心",
            f"{b.id_number},2022-01,,宣威市托育中心",
            "530302199001011230,2022-01,,无此人",
            f"{a.id_number},2022-13,,坏月份",
        ]
    ).encode("utf-8-sig")
    result = services.insurance_import(content=content, actor=sw.users["hr_officer"])
    assert result.imported == 2
    assert [row for row, _message in result.errors] == [4, 5, 6]  # outside the region, unknown, bad month
    months = list(a.insurance_records.values_list("first_month", "last_month", "source"))
    assert months == [(date(2022, 3, 1), date(2023, 12, 1), "imported"), (date(2024, 1, 1), None, "imported")]
    assert not b.insurance_records.exists()


def test_policies_are_set_within_the_officers_region(subsidy_world):
    from reports.subsidies.models import SubsidyPolicy

    sw = subsidy_world
    county_officer = sw.users["hr_officer"]  # 麒麟区
    city_policy = SubsidyPolicy.objects.get(pk=sw.training.pk)
    city_policy.claim_window_months = 6
    with pytest.raises(PermissionDenied):
        services.policy_save(policy=city_policy, rates=[(CW, 4, "1500")], actor=county_officer)
    county_policy = SubsidyPolicy(
        name="麒麟区职业培训补贴",
        subsidy_type=SubsidyType.VOCATIONAL_TRAINING,
        region=sw.world.a.county,
        effective_from=sw.today - timedelta(days=10),
    )
    services.policy_save(policy=county_policy, rates=[(CW, 4, "1600"), (CW, 0, "400")], actor=county_officer)
    assert sorted(county_policy.rates.values_list("level", "amount")) == [(0, 400), (4, 1600)]
    with pytest.raises(ValidationError):
        services.policy_save(policy=county_policy, rates=[(CW, 4, "1"), (CW, 4, "2")], actor=county_officer)
    assert ModelLogEntry.objects.filter(action="subsidies.policy.create", object_id=str(county_policy.pk)).exists()
