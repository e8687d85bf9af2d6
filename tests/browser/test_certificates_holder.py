"""A caregiver on a phone: logs in, opens "my certificates", sees each certificate with its status, downloads the
PDF and opens the verify link of a valid one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
# "有效" etc. once the zh_Hans catalogue has the msgids; English until the translator adds them
VALID = re.compile("有效|Valid")
REVOKED = re.compile("已撤销|Revoked")


@pytest.fixture
def certificates(caregiver):
    """The caregiver's valid skill level certificate and a revoked training certificate; someone else's."""
    from certificates.services import certificate_revoke
    from tests import factories as f
    from tests.certificates.factories import issue_certificate

    person = caregiver.person
    valid = issue_certificate(holder=person, type_code="skill")
    revoked = issue_certificate(holder=person, course_title="保育人员岗前培训")
    certificate_revoke(certificate=revoked, reason="fraud")
    other = issue_certificate(holder=f.PersonFactory(name="王小明"))
    return valid, revoked, other


@pytest.mark.browser_context_args(**PHONE)
def test_caregiver_sees_and_verifies_their_certificate_on_a_phone(page: Page, live_server, caregiver, certificates):
    valid, revoked, other = certificates
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", caregiver.username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("certificates-card")).to_be_visible()
    page.get_by_test_id("my-certificates-link").click()
    expect(page).to_have_url(f"{live_server.url}/certificates/my/")

    cards = page.get_by_test_id("certificate-card")
    expect(cards).to_have_count(2)
    expect(page.get_by_text(other.number)).to_have_count(0)
    card = page.locator(f'[data-testid=certificate-card][data-number="{valid.number}"]')
    expect(card).to_have_attribute("data-status", "valid")
    expect(card.get_by_test_id("status-label")).to_have_text(VALID)
    expect(card.get_by_test_id("number")).to_have_text(valid.number)
    qr = card.get_by_test_id("qr").locator("svg").bounding_box()
    assert qr and 150 <= qr["width"] <= 390  # scannable, and fits the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows (22-char numbers)
    expect(cards.first).to_have_attribute("data-status", "valid")  # revoked ones come last

    gone = page.locator(f'[data-testid=certificate-card][data-number="{revoked.number}"]')
    expect(gone).to_have_attribute("data-status", "revoked")
    expect(gone.get_by_test_id("status-label")).to_have_text(REVOKED)
    expect(gone.get_by_test_id("pdf-link")).to_have_count(0)

    # the PDF comes down as a file
    with page.expect_download() as download_info:
        card.get_by_test_id("pdf-link").click()
    download = download_info.value
    assert download.suggested_filename == f"{valid.number}.pdf"
    with open(download.path(), "rb") as file:
        assert file.read(4) == b"%PDF"

    # the verify link opens the public verify page: valid
    card.get_by_test_id("verify-link").click()
    result = page.get_by_test_id("verify-result")
    expect(result).to_have_attribute("data-status", "valid")
    expect(page.get_by_test_id("status-label")).to_have_text(VALID)
    expect(page.get_by_test_id("number")).to_have_text(valid.number)
    assert page.viewport_size == {"width": 390, "height": 844}
