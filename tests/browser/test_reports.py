"""A health bureau officer of 曲靖市 logs in to the admin, opens the statistics dashboard and sees the bar chart
(one bar per county, the target line), then drills down to an institution's staff list. The page loads nothing
from outside the site: the charts are server-rendered SVG."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from .conftest import CAREGIVER_ID, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def health_officer(institution, caregiver):
    """An officer over 曲靖市; the caregiver of ``institution`` (in 麒麟区) holds a skill certificate."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from lms.registry import services
    from lms.registry.models import Region, Role
    from reports.models import Target
    from tests.certificates.factories import issue_certificate

    city = Region.objects.get(code="530300")
    Region.objects.create(code="530381", name="宣威市", level=Region.Level.COUNTY, parent=city)
    issue_certificate(holder=caregiver.person, type_code="skill", issued_on=date(2025, 1, 6))
    year = timezone.localdate().year  # seed 001 has 70% for 2026; the same for whatever year this runs in
    Target.objects.update_or_create(
        region_id="530300",
        indicator="certified_rate",
        measure="",
        year=year,
        defaults={"value": 70, "target_date": date(year, 12, 31)},
    )
    user = get_user_model().objects.create_user("wjw-officer", password=PASSWORD)
    services.role_grant(user=user, role=Role.HEALTH_OFFICER, region=city)
    return user


def test_health_officer_opens_the_dashboard_and_sees_the_chart(page: Page, live_server, health_officer, caregiver):
    outside = []
    site = urlparse(live_server.url).netloc
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).netloc != site else None)

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", health_officer.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(f"{live_server.url}/admin/statistics/?indicator=certified_rate")
    dashboard = page.get_by_test_id("dashboard")
    expect(dashboard).to_have_attribute("data-region", "530300")
    chart = page.get_by_test_id("bar-chart").locator("svg")
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("role", "img")
    bars = chart.locator("rect.bar")
    expect(bars).to_have_count(1)  # 麒麟区 100%; 宣威市 has no staff (no bar, a dash)
    box = bars.first.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 5
    rows = chart.locator("g.chart-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_attribute("data-label", "麒麟区")
    expect(rows.nth(0)).to_have_attribute("data-value", "100%")
    expect(chart.locator("g.chart-target line")).to_have_count(1)  # the city's target
    expect(page.get_by_test_id("trend-chart").locator("svg circle").first).to_be_visible()
    expect(page.get_by_test_id("indicator-table").locator("tbody tr")).to_have_count(2)

    # drill down: the county's bar, then its institutions, then the staff list (masked ID)
    chart.locator("a").first.click()
    expect(dashboard).to_have_attribute("data-region", "530302")
    page.select_option("#id_by", "institution")
    page.get_by_test_id("show").click()
    page.get_by_test_id("bar-chart").locator("svg a").first.click()
    staff = page.get_by_test_id("staff-table")
    expect(staff).to_contain_text(caregiver.person.id_number_masked)
    expect(staff).not_to_contain_text(CAREGIVER_ID)
    assert outside == []
