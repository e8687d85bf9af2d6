"""The verification log in the admin: platform admins see all, health and HR officers their region's
certificates, nobody else; never the (hashed) client."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from certificates.models import VerificationLog

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

INDEX = reverse("certificate_verifications:index")


@pytest.fixture
def verified(cert_world, client, login):
    """One API check of each side's certificate, a page check of A's by the inspector, and a forgery."""
    w = cert_world
    for side in (w.a, w.b):
        assert client.get(f"/api/v1/certificates/verify/{side.certificate.payload}").status_code == 200
    client.get(f"/api/v1/certificates/verify/{'A' * 160}")
    login(w.users["inspector"]).get(f"/V/{w.a.certificate.payload}")
    client.logout()
    assert VerificationLog.objects.count() == 4
    return w


def rows(client, **params) -> list[VerificationLog]:
    response = client.get(INDEX, params)
    assert response.status_code == 200
    return list(response.context["object_list"])


def test_platform_admin_sees_everything_but_the_client(verified, login):
    client = login(verified.users["platform_admin"])
    assert len(rows(client)) == 4
    html = client.get(INDEX).content.decode()
    for log in VerificationLog.objects.exclude(client=""):
        assert log.client not in html
    assert verified.a.certificate.number in html and verified.b.certificate.number in html
    assert re.search(r">\s*inspector\s*<", html)  # the user name of the inspector who opened the verify page


@pytest.mark.parametrize("role", ["health_officer", "hr_officer"])
def test_officers_see_their_regions_certificates(verified, login, role):
    seen = rows(login(verified.users[role]))
    assert {log.certificate_id for log in seen} == {verified.a.certificate.pk}
    assert len(seen) == 2  # the API check and the inspector's page check


def test_filters_and_search(verified, login):
    client = login(verified.users["platform_admin"])
    assert {log.status for log in rows(client, status="invalid")} == {"invalid"}
    assert len(rows(client, channel="page")) == 1
    assert {log.certificate_id for log in rows(client, q=verified.b.certificate.number)} == {verified.b.certificate.pk}


@pytest.mark.parametrize("role", ["inspector", "institution_admin", "provider_staff"])
def test_others_may_not_see_the_log(verified, login, role):
    response = login(verified.users[role]).get(INDEX)
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_no_inspect_view(verified, login):
    client = login(verified.users["platform_admin"])
    log = VerificationLog.objects.first()
    assert client.get(f"/admin/certificate-verifications/inspect/{log.pk}/").status_code == 404
