"""An HR officer approves a provider's claim batch in the admin and downloads the payment list (XLSX)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ACCOUNT = "6228480123456789012"


@pytest.fixture
def submitted_batch(institution):
    """A 职业培训补贴 policy of 麒麟区, a provider there whose batch of two skill-certificate claims was submitted, and
    an HR officer of the county."""
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from lms.registry import services as registry
    from lms.registry.models import Post, Role
    from reports.subsidies import services
    from reports.subsidies.models import SubsidyPolicy, SubsidyType
    from tests import factories as f
    from tests.certificates.factories import issue_certificate

    county = institution.region
    today = timezone.localdate()
    provider = f.TrainingProviderFactory(region=county, name="麒麟区职业培训学校", body_code="QLPX")
    services.policy_save(
        policy=SubsidyPolicy(
            name="麒麟区职业培训补贴",
            subsidy_type=SubsidyType.VOCATIONAL_TRAINING,
            region=county,
            effective_from=today - timedelta(days=365),
        ),
        rates=[("childcare_worker", 4, Decimal("1500")), ("childcare_worker", 3, Decimal("2000"))],
    )
    people = []
    for n, (name, level) in enumerate([("王丽华", 4), ("赵敏", 3)], start=1):
        employment, _ = registry.employment_register(
            institution=institution,
            name=name,
            id_number=f.make_id_number(serial=n),
            phone="",
            post=Post.CAREGIVER,
            start_date=today - timedelta(days=800),
        )
        people.append(employment.person)
        issue_certificate(
            holder=employment.person,
            type_code="skill",
            provider=provider,
            issued_on=today - timedelta(days=40),
            level=level,
        )
    certificates = [p.certificates.get() for p in people]
    batch = services.batch_create(provider=provider, subsidy_type=SubsidyType.VOCATIONAL_TRAINING)
    services.claims_add(batch=batch, certificates=certificates)
    services.batch_submit(batch=batch)
    services.payee_account_set(provider=provider, account_name=provider.name, bank_name="中国农业银行", number=ACCOUNT)
    officer = get_user_model().objects.create_user("renshe-hr", password=PASSWORD)
    registry.role_grant(user=officer, role=Role.HR_OFFICER, region=county)
    return officer, batch, people


def test_hr_officer_approves_a_batch_and_downloads_the_payment_list(page: Page, live_server, submitted_batch):
    from reports.subsidies.models import Claim

    officer, batch, people = submitted_batch
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").first.click()

    expect(page).to_have_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/subsidies/batches/")
    row = page.locator(f'[data-testid=batch-row][data-batch="{batch.pk}"]')
    expect(row).to_be_visible()
    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/admin/subsidies/batches/{batch.pk}/$"))

    claims = page.get_by_test_id("claim-row")
    expect(claims).to_have_count(2)
    expect(page.locator('[data-testid=claim-row][data-status="submitted"]')).to_have_count(2)
    expect(page.get_by_test_id("payee-number")).to_have_text(ACCOUNT)  # HR officers see the full account
    expect(page.get_by_test_id("export")).to_have_count(0)  # nothing decided yet

    # approve one claim, then the rest at once
    claims.first.get_by_test_id("approve").click()
    expect(page.locator('[data-testid=claim-row][data-status="approved"]')).to_have_count(1)
    page.get_by_test_id("approve-all").click()
    expect(page.locator('[data-testid=claim-row][data-status="approved"]')).to_have_count(2)
    assert Claim.objects.filter(batch=batch, status="approved").count() == 2

    with page.expect_download() as download_info:
        page.get_by_test_id("export").click()
    download = download_info.value
    assert download.suggested_filename == f"subsidy-payment-{batch.pk}.xlsx"
    with open(download.path(), "rb") as file:
        sheet = load_workbook(io.BytesIO(file.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 2 + 1  # header, two claims, the total
    by_id = {row[2]: row for row in rows[1:-1]}
    assert set(by_id) == {p.id_number for p in people}  # full ID numbers, for the payment
    assert {row[7] for row in rows[1:-1]} == {1500, 2000} and rows[-1][7] == 3500
    assert all(row[10] == ACCOUNT for row in rows[1:-1])
    assert sheet.freeze_panes == "A2"

    # next: the public notice
    expect(page.get_by_test_id("publish")).to_be_visible()
