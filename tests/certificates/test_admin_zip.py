"""ZIP downloads of certificate PDFs from the admin: selected certificates and issuance batches."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.urls import reverse

from certificates.models import Certificate, IssuanceBatch
from certificates.services import certificate_pdf_render
from certificates.views import admin_zip

from .factories import issue_certificate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ZIP = reverse("certificate_admin:zip")


def archive(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def expected_name(certificate: Certificate) -> str:
    return f"{certificate.number}-{certificate.snapshot['holder_name'].replace('*', '＊')}.pdf"


def test_selected_certificates_as_valid_pdfs_named_by_number(cert_world, login):
    w = cert_world
    second = issue_certificate(provider=w.a.provider)
    certificate_pdf_render(certificate_id=second.pk)  # one rendered before, one rendered on the spot
    assert not w.a.certificate.pdf
    response = login(w.users["provider_staff"]).post(ZIP, {"id": [w.a.certificate.pk, second.pk]})
    with archive(response) as zf:
        assert zf.testzip() is None
        names = sorted(zf.namelist())
        assert names == sorted([expected_name(w.a.certificate), expected_name(second)])
        for certificate in (w.a.certificate, second):
            content = zf.read(expected_name(certificate))
            assert content.startswith(b"%PDF-")
            certificate.refresh_from_db()
            assert certificate.pdf and hashlib.sha256(content).hexdigest() == certificate.pdf_sha256


def test_member_names_are_safe_file_names(cert_world):
    name = admin_zip.member_name(cert_world.a.certificate)
    assert name.startswith(cert_world.a.certificate.number + "-") and name.endswith(".pdf")
    assert not set(name) & set('\\/:*?"<>|')
    assert "＊" in name  # the mask, in its full-width form


def test_pdfs_beyond_the_render_budget_are_listed_and_queued(
    cert_world, login, monkeypatch, django_capture_on_commit_callbacks
):
    w = cert_world
    monkeypatch.setattr(admin_zip, "RENDER_LIMIT", 0)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = login(w.users["platform_admin"]).post(ZIP, {"id": [w.a.certificate.pk]})
    with archive(response) as zf:
        assert zf.namelist() == ["README.txt"]
        readme = zf.read("README.txt").decode()
    assert w.a.certificate.number in readme
    assert callbacks  # render_pdf_task queued after commit


def test_a_pdf_missing_from_storage_is_listed(cert_world, login):
    w = cert_world
    certificate = certificate_pdf_render(certificate_id=w.a.certificate.pk)
    certificate.pdf.storage.delete(certificate.pdf.name)
    response = login(w.users["provider_staff"]).post(ZIP, {"id": [certificate.pk]})
    with archive(response) as zf:
        assert zf.namelist() == ["README.txt"]
        assert certificate.number in zf.read("README.txt").decode()


def test_out_of_scope_or_bad_ids_are_not_found(cert_world, login):
    w = cert_world
    client = login(w.users["provider_staff"])
    assert client.post(ZIP, {"id": [w.a.certificate.pk, w.b.certificate.pk]}).status_code == 404
    assert client.post(ZIP, {"id": ["x"]}).status_code == 404
    assert client.post(ZIP, {"id": [999999]}).status_code == 404
    response = client.post(ZIP, {})
    assert response.status_code == 302 and response["Location"] == reverse("certificate_admin:index")
    assert client.get(ZIP).status_code == 405


def test_batch_zip(cert_world, login, django_capture_on_commit_callbacks):
    w = cert_world
    client = login(w.users["provider_staff"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificate_issuance:index"))
    batch = IssuanceBatch.objects.get()
    certificate = Certificate.objects.get(achievement_key=f"completion:{w.a.completion.pk}")
    html = client.get(reverse("certificate_issuance:batch", args=[batch.pk])).content.decode()
    assert 'data-testid="batch-zip"' in html
    response = client.get(reverse("certificate_issuance:zip", args=[batch.pk]))
    assert f"certificates-batch-{batch.pk}.zip" in response["Content-Disposition"]
    with archive(response) as zf:
        assert zf.namelist() == [expected_name(certificate)]
        assert zf.read(expected_name(certificate)).startswith(b"%PDF-")
    # platform admins download any batch
    assert login(w.users["platform_admin"]).get(reverse("certificate_issuance:zip", args=[batch.pk])).status_code == 200
