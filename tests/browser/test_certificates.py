"""An inspector verifies certificates on a phone: the QR's verify URL online, then the offline verifier in
airplane mode (service worker, cached key set and status lists, Ed25519 in WebCrypto)."""

from __future__ import annotations

import base64
import re
import time
from datetime import datetime

import pytest
from playwright.sync_api import BrowserContext, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
# "有效" etc. once the zh_Hans catalogue has the msgids; English until the translator adds them
VALID = re.compile("有效|Valid")
REVOKED = re.compile("已撤销|Revoked")
INVALID = re.compile("无效|Invalid")


@pytest.fixture
def certificates(transactional_db):
    """A valid and a revoked certificate."""
    from certificates.services import status
    from tests import factories as f
    from tests.certificates.factories import issue_certificate

    valid = issue_certificate(holder=f.PersonFactory(name="张丽华"))
    revoked = issue_certificate(holder=f.PersonFactory(name="王小明"))
    status.certificate_revoke(certificate=revoked, reason="fraud")
    return valid, revoked


def tampered(payload: str) -> str:
    raw = bytearray(base64.b32decode(payload + "=" * (-len(payload) % 8)))
    raw[-10] ^= 0x40  # inside the signature
    return base64.b32encode(bytes(raw)).rstrip(b"=").decode()


@pytest.mark.browser_context_args(**PHONE)
def test_phone_opens_the_qr_url_and_sees_valid(page: Page, live_server, certificates):
    from certificates import qr

    valid, _revoked = certificates
    url = qr.verify_url(live_server.url, valid.payload)
    assert "/V/" in url
    page.goto(url)
    result = page.get_by_test_id("verify-result")
    expect(result).to_have_attribute("data-status", "valid")
    expect(page.get_by_test_id("status-label")).to_have_text(VALID)
    expect(page.get_by_test_id("holder-name")).to_have_text("张*华")
    expect(page.get_by_test_id("number")).to_have_text(valid.number)
    banner = page.get_by_test_id("status-banner").bounding_box()
    assert banner and banner["width"] <= 390 and banner["height"] >= 100  # large, and fits the phone

    page.goto(f"{live_server.url}/v/{valid.payload.lower()}")
    expect(result).to_have_attribute("data-status", "valid")
    page.goto(f"{live_server.url}/V/{tampered(valid.payload)}")
    expect(result).to_have_attribute("data-status", "invalid")
    expect(page.get_by_test_id("status-label")).to_have_text(INVALID)


@pytest.mark.browser_context_args(**PHONE)
def test_offline_verifier_works_in_airplane_mode(page: Page, context: BrowserContext, live_server, certificates):
    valid, revoked = certificates
    page.goto(f"{live_server.url}/verify/offline/")
    root = page.get_by_test_id("offline-verifier")
    # installed: the worker controls the page and has cached the shell, the key set and the status lists
    expect(root).to_have_attribute("data-sw-state", "ready", timeout=20_000)
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    expect(root).to_have_attribute("data-data-state", "ready")
    cached = page.evaluate(
        """async () => {
            const names = await caches.keys();
            const urls = [];
            for (const name of names) {
                for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
            }
            return urls;
        }"""
    )
    assert {"/verify/offline/", "/.well-known/jwks.json", "/certificates/status/0/revocation.jwt"} <= set(cached)

    went_offline = time.time()
    context.set_offline(True)
    time.sleep(1.1)
    page.reload()  # served by the service worker
    expect(root).to_have_attribute("data-data-state", "ready")
    # the data really comes from the cache: stamped before we went offline
    fetched = page.get_by_test_id("data-age").get_attribute("data-fetched-at")
    assert fetched and datetime.fromisoformat(fetched.replace("Z", "+00:00")).timestamp() <= went_offline
    expect(page.get_by_test_id("data-age")).to_have_text(re.compile(r"\S"))

    result = page.get_by_test_id("verify-result")
    page.get_by_test_id("payload-input").fill(f"{live_server.url.upper()}/V/{valid.payload}")
    page.get_by_test_id("verify-button").tap()
    expect(result).to_have_attribute("data-status", "valid")
    expect(page.get_by_test_id("status-label")).to_have_text(VALID)
    expect(page.get_by_test_id("holder-name")).to_have_text("张*华")
    expect(page.get_by_test_id("number")).to_have_text(valid.number)
    expect(page.get_by_test_id("issued-on")).to_have_text(valid.issued_on.isoformat())
    expect(page.get_by_test_id("expires-on")).to_have_text(valid.expires_on.isoformat())

    page.get_by_test_id("payload-input").fill(revoked.payload)
    page.get_by_test_id("verify-button").tap()
    expect(result).to_have_attribute("data-status", "revoked")
    expect(page.get_by_test_id("status-label")).to_have_text(REVOKED)

    page.get_by_test_id("payload-input").fill(tampered(valid.payload))
    page.get_by_test_id("verify-button").tap()
    expect(result).to_have_attribute("data-status", "invalid")
    expect(page.get_by_test_id("status-label")).to_have_text(INVALID)

    # browsers without Ed25519 in WebCrypto: the plain-JS verifier decides the same
    page.evaluate("window.certificateVerifier.usePureEd25519(true)")
    cases = {valid.payload: "valid", revoked.payload: "revoked", tampered(valid.payload): "invalid"}
    for payload, expected in cases.items():
        assert page.evaluate("async (p) => (await window.certificateVerifier.decide(p)).status", payload) == expected
    page.evaluate("window.certificateVerifier.usePureEd25519(false)")

    page.get_by_test_id("payload-input").fill("not a certificate")
    page.get_by_test_id("verify-button").tap()
    expect(result).to_have_attribute("data-status", "invalid")

    # a scanned verify URL opened without a network: the worker answers with the verifier, which checks it
    page.goto(f"{live_server.url}/V/{valid.payload}")
    expect(page.get_by_test_id("offline-verifier")).to_be_visible()
    expect(page.get_by_test_id("verify-result")).to_have_attribute("data-status", "valid")

    # back online: the checks made offline reach the verification log
    from certificates.models import VerificationLog

    assert not VerificationLog.objects.filter(channel="offline-sync").exists()
    context.set_offline(False)
    expect(page.get_by_test_id("offline-verifier")).to_have_attribute("data-sync-state", "synced")
    logged = VerificationLog.objects.filter(channel="offline-sync")
    assert sorted(logged.values_list("status", flat=True)) == ["invalid", "invalid", "revoked", "valid", "valid"]
    assert logged.filter(certificate=valid).count() == 2
