"""The offline verifier's server side: the page, its web app manifest and its service worker."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from certificates import selectors, statuslist
from certificates.models import VerificationLog
from tests import factories as f
from tests.certificates.factories import issue_certificate

pytestmark = pytest.mark.django_db


def config_of(response) -> dict:
    match = re.search(r'<script id="verifier-config" type="application/json">(.*?)</script>', response.content.decode())
    assert match
    return json.loads(match.group(1))


def sw_config(response) -> dict:
    match = re.search(r"const CONFIG = (\{.*?\});\n", response.content.decode())
    assert match
    return json.loads(match.group(1))


def test_page(client):
    response = client.get("/verify/offline/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert '<link rel="manifest" href="/verify/offline/manifest.webmanifest">' in body
    assert "csrfmiddlewaretoken" not in body  # the cached app shell carries no per-user token
    config = config_of(response)
    assert config["jwks"] == "/.well-known/jwks.json"
    assert config["serviceWorker"] == "/verify/offline/sw.js"
    assert config["scopes"] == ["/verify/offline/", "/v/", "/V/"]
    assert config["listSize"] == statuslist.LIST_SIZE
    assert config["statusLists"] == [
        {"list": 0, "purpose": "revocation", "url": "/certificates/status/0/revocation.jwt"},
        {"list": 0, "purpose": "suspension", "url": "/certificates/status/0/suspension.jwt"},
    ]
    labels = config["labels"]
    assert set(labels["statuses"]) == {"valid", "expired", "revoked", "suspended", "invalid", "unknown"}
    assert set(labels["kinds"]) == {"1", "2", "3"}
    assert set(labels["occupations"]) == {"1", "2", "3", "4"}
    assert set(labels["levels"]) == {"1", "2", "3", "4", "5"}


def test_manifest_is_installable(client):
    response = client.get("/verify/offline/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == manifest["scope"] == "/verify/offline/"
    assert manifest["display"] == "standalone"
    assert manifest["name"] and manifest["short_name"]
    sizes = {icon["sizes"]: icon for icon in manifest["icons"]}
    assert set(sizes) == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert icon["type"] == "image/png"
        image = client.get(icon["src"])
        assert image.status_code == 200
        content = b"".join(image.streaming_content) if image.streaming else image.content
        assert content.startswith(b"\x89PNG")


def test_service_worker(client):
    response = client.get("/verify/offline/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    config = sw_config(response)
    assert config["page"] == "/verify/offline/"
    assert "/verify/offline/" in config["shell"]
    assert "/verify/offline/manifest.webmanifest" in config["shell"]
    assert any(url.endswith("certificates/offline.js") for url in config["shell"])
    assert config["data"] == [
        "/.well-known/jwks.json",
        "/certificates/status/0/revocation.jwt",
        "/certificates/status/0/suspension.jwt",
    ]
    for url in config["shell"]:
        assert client.get(url).status_code == 200, url


def test_service_worker_version_changes_when_a_new_status_list_comes_into_use(client, monkeypatch):
    before = sw_config(client.get("/verify/offline/sw.js"))
    monkeypatch.setattr(selectors, "status_list_count", lambda: 2)
    after = sw_config(client.get("/verify/offline/sw.js"))
    assert after["version"] != before["version"]
    assert "/certificates/status/1/suspension.jwt" in after["data"]


def test_data_urls_answer(client):
    issue_certificate()
    for url in sw_config(client.get("/verify/offline/sw.js"))["data"]:
        assert client.get(url).status_code == 200, url


# --- checks made offline reach the verification log ------------------------------------------------


def sync(client, checks, token=None):
    token = token or client.get("/verify/offline/sync/token").json()["token"]
    return client.post(
        "/verify/offline/sync", json.dumps({"checks": checks}), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_sync_logs_offline_checks_with_their_time_and_the_inspector(csrf_client):
    certificate = issue_certificate()
    inspector = f.UserFactory()
    csrf_client.force_login(inspector)
    two_hours_ago = timezone.now() - timedelta(hours=2)
    response = sync(
        csrf_client,
        [
            {"payload": certificate.payload, "at": two_hours_ago.isoformat()},
            {"payload": "garbage", "at": "2000-01-01T00:00:00Z"},  # implausible time: now
            {"payload": certificate.payload.lower(), "at": "2026-13-45T99:00:00Z"},  # not a time
            {"nothing": 1},
        ],
    )
    assert response.status_code == 200 and response.json() == {"logged": 3}
    rows = list(VerificationLog.objects.order_by("id"))
    assert [(row.channel, row.status, row.user) for row in rows] == [
        ("offline-sync", "valid", inspector),
        ("offline-sync", "invalid", inspector),
        ("offline-sync", "valid", inspector),
    ]
    assert abs((rows[0].at - two_hours_ago).total_seconds()) < 1
    assert rows[0].certificate == certificate
    assert timezone.now() - rows[1].at < timedelta(minutes=1)


def test_sync_needs_the_csrf_token(csrf_client):
    response = csrf_client.post("/verify/offline/sync", json.dumps({"checks": []}), content_type="application/json")
    assert response.status_code == 403
    assert not VerificationLog.objects.exists()


def test_sync_token_is_not_cached(client):
    response = client.get("/verify/offline/sync/token")
    assert response.status_code == 200 and response.json()["token"]
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"checks": 5}', json.dumps({"checks": [{}] * 51}).encode()])
def test_sync_refuses_malformed_requests(csrf_client, body):
    token = csrf_client.get("/verify/offline/sync/token").json()["token"]
    response = csrf_client.post("/verify/offline/sync", body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 400
