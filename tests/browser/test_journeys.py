"""End-to-end journeys in a real browser (see conftest.py for how they run)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import make_id_number

from .conftest import CAREGIVER_ID, PASSWORD

# serialized_rollback: the flush after a transactional test would also drop the home page and the
# Wagtail site created by migrations; restoring them keeps later tests independent of this one.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _roster_csv() -> bytes:
    good = [make_id_number(serial=n) for n in (1, 2, 3)]
    bad = make_id_number(serial=4)
    bad = bad[:17] + ("0" if bad[17] != "0" else "1")  # wrong check digit
    lines = [
        "姓名,身份证号,手机号,岗位,入职日期,离职日期,健康体检日期",
        f"王丽,{good[0]},13900000001,保育人员,2024-03-01,,2025-02-20",
        f"赵敏,{good[1]},,卫生保健人员,2023-09-01,,",
        f"陈静,{good[2]},13900000003,负责人,2022-01-10,,",
        f"周芳,{bad},13900000004,保育人员,2024-03-01,,",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_institution_admin_imports_a_roster(page: Page, live_server, institution_admin):
    from lms.registry.models import Employment, Person

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", institution_admin.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").first.click()

    page.get_by_role("link", name="导入从业人员花名册").click()
    expect(page).to_have_url(re.compile(r"/admin/roster/$"))
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "花名册.csv", "mimeType": "text/csv", "buffer": _roster_csv()}]
    )
    page.get_by_test_id("preview").click()

    errors = page.get_by_test_id("roster-errors")
    expect(errors).to_be_visible()
    bad_row = errors.locator("tbody tr")
    expect(bad_row).to_have_count(1)
    expect(bad_row.locator("td").nth(0)).to_have_text("5")  # the header is row 1
    expect(bad_row).to_contain_text("身份证号校验位错误")
    assert Person.objects.count() == 0  # the preview changed nothing

    page.get_by_test_id("commit").click()
    expect(page.get_by_test_id("roster-result")).to_contain_text("新增 3 条")
    assert Employment.objects.filter(institution=institution_admin.role_grants.get().institution).count() == 3


@pytest.mark.browser_context_args(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
def test_caregiver_sees_masked_record_on_a_phone_and_switches_to_english(page: Page, live_server, caregiver):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", caregiver.username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_test_id("login-submit").click()

    expect(page).to_have_url(f"{live_server.url}/")
    masked = page.get_by_test_id("masked-id")
    expect(masked).to_have_text(f"{CAREGIVER_ID[:6]}********{CAREGIVER_ID[-4:]}")
    expect(masked).to_have_text(re.compile(r"^530302\*{8}123X$"))
    assert CAREGIVER_ID not in page.content()
    expect(page.get_by_test_id("person-card")).to_contain_text("身份证号")

    page.get_by_test_id("lang-en").click()
    expect(page.get_by_test_id("person-card")).to_contain_text("ID number")
    expect(page.get_by_test_id("person-card")).to_contain_text("Where I work")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.viewport_size == {"width": 390, "height": 844}
