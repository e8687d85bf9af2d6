"""Public verification over HTTP: the verify page, the JSON API, rate limits and the log."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import translation

from certificates.models import Certificate, VerificationLog
from certificates.services import keys, status
from tests import factories as f

from .test_verify_service import flip, issue_certificate

pytestmark = pytest.mark.django_db

STATUS_WORDS = {
    "valid": "Valid",
    "expired": "Expired",
    "revoked": "Revoked",
    "suspended": "Suspended",
    "invalid": "Invalid",
}


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


@pytest.fixture
def certificate():
    return issue_certificate(name="张丽华")


def page(client, text: str, prefix: str = "V"):
    return client.get(f"/{prefix}/{text}", HTTP_ACCEPT_LANGUAGE="zh-CN")


def api(client, text: str):
    return client.get(f"/api/v1/certificates/verify/{text}")


def banner(response) -> str:
    match = re.search(r'data-testid="verify-result" data-status="(\w+)"', response.content.decode())
    assert match, response.content.decode()[:500]
    return match.group(1)


# --- the page -------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["V", "v"])
def test_valid_page_shows_the_snapshot_masked(client, certificate, prefix):
    response = page(client, certificate.payload, prefix)
    assert response.status_code == 200
    body = response.content.decode()
    assert banner(response) == "valid"
    assert zh("Valid") in body
    snapshot = certificate.snapshot
    assert "张*华" in body and "张丽华" not in body
    assert snapshot["id_number_masked"] in body
    for key in ("number", "type_name", "occupation_label", "issuer"):
        assert snapshot[key] in body, key
    assert certificate.issued_on.isoformat() in body
    assert "no-store" in response["Cache-Control"]


def test_lowercase_payload_page(client, certificate):
    assert banner(page(client, certificate.payload.lower(), "v")) == "valid"


def test_expired_page_shows_the_date(client, certificate):
    expired = date.today() - timedelta(days=3)
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=expired)
    response = page(client, certificate.payload)
    assert response.status_code == 200
    assert banner(response) == "expired"
    assert expired.isoformat() in response.content.decode()


def test_revoked_page_shows_date_and_reason_category(client, certificate):
    status.certificate_revoke(certificate=certificate, reason="ban", note="内部备注")
    response = page(client, certificate.payload)
    body = response.content.decode()
    assert response.status_code == 200  # never a 404
    assert banner(response) == "revoked"
    assert date.today().isoformat() in body
    with translation.override("zh-hans"):
        assert str(Certificate.Reason.BAN.label) in body
    assert "内部备注" not in body  # the officer's note is not public
    assert "张*华" in body  # still the genuine certificate, not a forgery


def test_suspended_page(client, certificate):
    status.certificate_suspend(certificate=certificate, reason="fraud")
    response = page(client, certificate.payload)
    assert (response.status_code, banner(response)) == (200, "suspended")


@pytest.mark.parametrize("text", ["garbage", "A" * 500, "%E8%AF%81%E4%B9%A6", "abc/def", "", "%00"])
def test_garbage_page_is_invalid_not_an_error(client, text):
    response = page(client, text)
    assert response.status_code == 200
    assert banner(response) == "invalid"


def test_tampered_page_is_invalid_and_shows_nothing_of_the_record(client, certificate):
    response = page(client, flip(certificate.payload, 40))
    assert banner(response) == "invalid"
    assert certificate.number not in response.content.decode()


def test_withdrawn_key_page_is_invalid(client, certificate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        keys.key_withdraw(kid=certificate.signing_key.kid)
    assert banner(page(client, certificate.payload)) == "invalid"


def test_status_words_are_translated():
    """The banner's words in the platform language (the lead's catalogue must hold them)."""
    assert {status: zh(word) for status, word in STATUS_WORDS.items()} == {
        "valid": "有效",
        "expired": "已过期",
        "revoked": "已撤销",
        "suspended": "已暂停",
        "invalid": "无效",
    }


# --- photo -----------------------------------------------------------------------------------------


PHOTO = b"\xff\xd8\xff\xe0photo"


def test_photo_is_public_only_while_valid(client):
    certificate = issue_certificate(photo=PHOTO)
    body = page(client, certificate.payload).content.decode()
    assert 'data-testid="photo"' in body
    response = client.get(f"/certificates/photo/{certificate.payload}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PHOTO
    assert "no-store" in response["Cache-Control"]
    status.certificate_revoke(certificate=certificate, reason="fraud")
    assert 'data-testid="photo"' not in page(client, certificate.payload).content.decode()
    assert client.get(f"/certificates/photo/{certificate.payload}").status_code == 404
    assert client.get("/certificates/photo/garbage").status_code == 404


def test_officers_who_may_see_the_holder_see_the_photo_of_a_revoked_certificate(client):
    certificate = issue_certificate(photo=PHOTO)
    status.certificate_revoke(certificate=certificate, reason="fraud")
    admin = f.UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(f"/certificates/photo/{certificate.payload}").status_code == 200


# --- the API ---------------------------------------------------------------------------------------


def test_api_valid_contract(client, certificate):
    response = api(client, certificate.payload)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert set(data) == {"status", "reason", "message", "certificate", "checked_at"}
    assert data["status"] == "valid" and data["reason"] is None
    cert = data["certificate"]
    assert cert["number"] == certificate.number
    assert cert["holder_name"] == "张*华"
    assert "holder_name_full" not in cert and "张丽华" not in response.content.decode()
    assert cert["issued_on"] == certificate.issued_on.isoformat()
    assert cert["expires_on"] == (certificate.expires_on.isoformat() if certificate.expires_on else None)
    assert cert["revoked_on"] is None and cert["photo_url"] is None
    assert data["checked_at"].endswith("Z")


def test_api_revoked(client, certificate):
    status.certificate_revoke(certificate=certificate, reason="error")
    data = api(client, certificate.payload).json()
    assert data["status"] == "revoked" and data["reason"] == "error"
    assert data["certificate"]["revocation_reason"] == "error"
    assert data["certificate"]["revoked_on"] == date.today().isoformat()


def test_api_invalid_signature_is_200_invalid(client, certificate):
    response = api(client, flip(certificate.payload, 100))
    assert response.status_code == 200
    assert response.json()["status"] == "invalid" and response.json()["certificate"] is None


@pytest.mark.parametrize("text", ["garbage", "Z" * 401, "%FF%FE", "a/b/c", "证书"])
def test_api_malformed_is_400_invalid(client, text):
    response = api(client, text)
    assert response.status_code == 400
    assert response.json() == {**response.json(), "status": "invalid", "reason": "malformed", "certificate": None}
    assert response["Access-Control-Allow-Origin"] == "*"


def test_api_post_is_refused(client, certificate):
    assert client.post(f"/api/v1/certificates/verify/{certificate.payload}").status_code == 405


# --- log and rate limits --------------------------------------------------------------------------


def test_each_check_is_logged_without_the_raw_address(client, certificate):
    inspector = f.UserFactory()
    client.force_login(inspector)
    client.get(f"/V/{certificate.payload}", REMOTE_ADDR="198.51.100.23")
    client.get("/api/v1/certificates/verify/garbage", REMOTE_ADDR="198.51.100.23")
    page_row, api_row = VerificationLog.objects.order_by("id")
    assert (page_row.channel, page_row.status, page_row.certificate, page_row.user) == (
        "page",
        "valid",
        certificate,
        inspector,
    )
    assert (api_row.channel, api_row.status, api_row.certificate) == ("api", "invalid", None)
    assert page_row.client == api_row.client and len(page_row.client) == 64
    assert "198.51.100.23" not in page_row.client
    assert not VerificationLog.objects.filter(client__contains="198.51").exists()


def test_api_rate_limit(client, certificate, settings):
    settings.CERTIFICATES_VERIFY_API_RATE = "3/m"
    cache.clear()
    codes = [api(client, certificate.payload).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = api(client, certificate.payload)
    assert limited.status_code == 429 and limited["Retry-After"] == "60"
    assert limited.json()["error"]
    # another client is not limited
    assert client.get(f"/api/v1/certificates/verify/{certificate.payload}", REMOTE_ADDR="192.0.2.9").status_code == 200
    assert VerificationLog.objects.count() == 4  # refused requests are not logged


def test_api_rate_limit_on_redis_counts_with_the_lookup(client, certificate, settings):
    """Production's cache: the count and the certificate lookup share one round trip, and still limit."""
    import redis as redis_py

    from cms.settings.base import with_pooled_clients

    url = "redis://127.0.0.1:6379/9"
    try:
        redis_py.Redis.from_url(url).flushdb()
    except redis_py.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {"default": with_pooled_clients({"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                                       "LOCATION": url})}  # fmt: skip
    settings.CERTIFICATES_VERIFY_API_RATE = "2/m"
    try:
        answers = [api(client, certificate.payload) for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 429]
        assert answers[1].json()["status"] == "valid"
        assert api(client, "NOT-A-PAYLOAD").status_code == 429  # malformed text is counted too
    finally:
        redis_py.Redis.from_url(url).flushdb()


def test_page_rate_limit_speaks_chinese(client, certificate, settings):
    settings.CERTIFICATES_VERIFY_PAGE_RATE = "2/m"
    cache.clear()
    assert [page(client, certificate.payload).status_code for _ in range(2)] == [200, 200]
    response = page(client, certificate.payload)
    assert response.status_code == 429
    assert 'data-testid="rate-limited"' in response.content.decode()
    assert zh("Too many verification requests from your network. Please wait a minute and try again.") in (
        response.content.decode()
    )


def test_behind_a_proxy_the_configured_header_is_the_client(client, certificate, settings):
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_FORWARDED_FOR"
    settings.CERTIFICATES_VERIFY_API_RATE = "1/m"
    cache.clear()
    url = f"/api/v1/certificates/verify/{certificate.payload}"
    first = client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5")
    other = client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    again = client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert [first.status_code, other.status_code, again.status_code] == [200, 200, 429]
