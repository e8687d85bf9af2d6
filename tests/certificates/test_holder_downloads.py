"""The holder's downloads: the PDF (holder or staff in scope), the Open Badges credential (JSON and vc+jwt)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import jwt
import pytest

from certificates import statuslist
from certificates.models import Certificate
from certificates.services import (
    certificate_pdf_render,
    certificate_revoke,
    certificate_suspend,
    certificate_verify_url,
)
from lms.registry.models import Role
from tests import factories as f

from .factories import issue_certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder():
    employment = f.EmploymentFactory(person=f.PersonFactory(name="张丽华"), start_date=dt.date(2020, 1, 1))
    employment.person.user = f.UserFactory(username="zhang-lihua")
    employment.person.save()
    return employment.person


@pytest.fixture
def certificate(holder):
    return issue_certificate(holder=holder)


def pdf_url(certificate: Certificate) -> str:
    return f"/certificates/{certificate.number}/pdf"


def test_pdf_is_rendered_on_demand_and_served_as_an_attachment(client, holder, certificate):
    assert not certificate.pdf
    client.force_login(holder.user)
    response = client.get(pdf_url(certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{certificate.number}.pdf"'
    assert response["Cache-Control"] == "no-store, private"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    certificate.refresh_from_db()
    assert certificate.pdf and certificate.pdf_sha256
    # the second download serves the stored file (same bytes, no new render)
    again = b"".join(client.get(pdf_url(certificate)).streaming_content)
    assert again == body
    assert hashlib.sha256(body).hexdigest() == certificate.pdf_sha256


def test_a_lost_pdf_file_is_rendered_again(client, holder):
    certificate = certificate_pdf_render(certificate_id=issue_certificate(holder=holder).pk)
    certificate.pdf.storage.delete(certificate.pdf.name)
    client.force_login(holder.user)
    response = client.get(pdf_url(certificate))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_users_certificate_is_404(client, certificate):
    other = f.EmploymentFactory(person=f.PersonFactory(name="王小明")).person
    other.user = f.UserFactory(username="wang")
    other.save()
    client.force_login(other.user)
    for suffix in ("pdf", "badge.json", "badge.jwt"):
        assert client.get(f"/certificates/{certificate.number}/{suffix}").status_code == 404
    assert client.get("/certificates/PXNOSUCH2026000001/pdf").status_code == 404


def test_anonymous_is_sent_to_login(client, certificate):
    response = client.get(pdf_url(certificate))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_who_may_see_the_holder_download_the_pdf_but_not_the_badge(client, certificate):
    admin = f.UserFactory(is_superuser=True)
    client.force_login(admin)
    assert client.get(pdf_url(certificate)).status_code == 200
    assert client.get(f"/certificates/{certificate.number}/badge.json").status_code == 404


def test_officer_out_of_scope_gets_404(client, certificate):
    grant = f.RoleGrantFactory(role=Role.HEALTH_OFFICER, region=f.CountyFactory(code="530381", name="宣威市"))
    client.force_login(grant.user)
    assert client.get(pdf_url(certificate)).status_code == 404


@pytest.mark.parametrize("change", ["revoke", "suspend"])
def test_revoked_and_suspended_are_not_downloadable(client, holder, certificate, change):
    if change == "revoke":
        certificate_revoke(certificate=certificate, reason="fraud")
    else:
        certificate_suspend(certificate=certificate, reason="fraud")
    client.force_login(holder.user)
    for suffix in ("pdf", "badge.json", "badge.jwt"):
        response = client.get(f"/certificates/{certificate.number}/{suffix}")
        assert response.status_code == 403
        assert response["Content-Type"].startswith("text/html")
        assert b"%PDF" not in response.content
        assert b'data-testid="certificate-unavailable"' in response.content


def test_expired_certificate_is_still_downloadable(client, holder):
    expired = issue_certificate(holder=holder, issued_on=dt.date(2020, 5, 1))
    client.force_login(holder.user)
    assert client.get(pdf_url(expired)).status_code == 200


def test_open_badge_json_has_no_raw_id_number(client, holder, certificate):
    client.force_login(holder.user)
    response = client.get(f"/certificates/{certificate.number}/badge.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{certificate.number}.json"'
    text = response.content.decode()
    badge = json.loads(text)
    id_number = holder.id_number
    assert id_number not in text and id_number.lower() not in text
    assert holder.id_number_masked not in text
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["id"] == certificate_verify_url(certificate)
    identity = badge["credentialSubject"]["identifier"][0]
    assert identity["identityHash"] == "sha256$" + hashlib.sha256((id_number + identity["salt"]).encode()).hexdigest()
    status = badge["credentialStatus"]
    assert {entry["statusPurpose"] for entry in status} == {"revocation", "suspension"}
    assert all(entry["statusListIndex"] == str(certificate.status_index % statuslist.LIST_SIZE) for entry in status)
    assert status[0]["statusListCredential"] == "http://testserver/certificates/status/0/revocation.jwt"


def test_open_badge_jwt_verifies_against_the_published_key_set(client, holder, certificate):
    client.force_login(holder.user)
    response = client.get(f"/certificates/{certificate.number}/badge.jwt")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    assert response["Content-Disposition"] == f'attachment; filename="{certificate.number}.jwt"'
    token = response.content.decode()
    assert holder.id_number not in token  # the payload is base64url: check the decoded one too
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA" and header["typ"] == "vc+jwt"
    keys = jwt.PyJWKSet.from_dict(client.get("/.well-known/jwks.json").json())
    badge = jwt.decode(token, keys[header["kid"]].key, algorithms=["EdDSA"])
    assert holder.id_number not in json.dumps(badge, ensure_ascii=False)
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["credentialSubject"]["achievement"]["name"] == certificate.snapshot["course_title"]
    assert badge["validUntil"].startswith(certificate.expires_on.isoformat())
    # a tampered token fails
    head, body, signature = token.split(".")
    forged = f"{head}.{body[:-4]}AAAA.{signature}"
    with pytest.raises(jwt.InvalidTokenError):
        jwt.decode(forged, keys[header["kid"]].key, algorithms=["EdDSA"])
