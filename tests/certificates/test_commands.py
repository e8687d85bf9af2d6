"""Management commands for support staff and operators."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from certificates import qr
from certificates.models import Certificate, SigningKey
from lms.registry.services import person_ban

from .factories import issue_certificate, make_completion, make_course

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_issue_certificates_catches_up_once():
    course = make_course()
    completions = [make_completion(course=course) for _ in range(3)]
    person_ban(person=completions[1].person, reason="x", decided_on=completions[1].completed_at.date(), decided_by="y")
    assert "Issued 2 certificates; 0 already existed; 1 refused." in run("issue_certificates", "--no-pdf")
    assert Certificate.objects.count() == 2
    assert "Issued 0 certificates; 0 already existed; 1 refused." in run("issue_certificates", "--no-pdf")
    assert Certificate.objects.count() == 2


def test_revoke_certificate_by_number():
    cert = issue_certificate()
    out = run("revoke_certificate", cert.number.lower(), "--reason", "fraud", "--note", "伪造")
    assert f"Revoked {cert.number} (fraud)." in out
    cert.refresh_from_db()
    assert (cert.status, cert.revocation_reason, cert.revocation_note) == ("revoked", "fraud", "伪造")
    assert "already revoked" in run("revoke_certificate", cert.number, "--reason", "error")
    with pytest.raises(CommandError):
        run("revoke_certificate", "PX0000", "--reason", "fraud")
    with pytest.raises(CommandError):
        run("revoke_certificate", cert.number, "--reason", "whim")


def test_certificate_url_prints_the_qr_url(settings):
    cert = issue_certificate()
    url = run("certificate_url", cert.number).strip()
    assert url == qr.verify_url(settings.WAGTAILADMIN_BASE_URL, cert.payload)
    assert url == f"HTTP://TESTSERVER/V/{cert.payload}"
    with pytest.raises(CommandError):
        run("certificate_url", "NOPE")


def test_rotate_signing_key_and_withdraw():
    out = run("rotate_signing_key")
    first = SigningKey.objects.get(status="active")
    assert first.kid in out
    out = run("rotate_signing_key")
    second = SigningKey.objects.get(status="active")
    assert second.kid in out and SigningKey.objects.get(pk=first.pk).status == "rotated"
    out = run("rotate_signing_key", f"--withdraw={first.kid}", "--note", "leaked")  # a kid may start with "-"
    assert f"Withdrew signing key {first.kid}" in out
    assert SigningKey.objects.get(pk=first.pk).status == "withdrawn"
    assert bytes(first.sealed_private_key).decode() not in out
    with pytest.raises(CommandError):
        run("rotate_signing_key", "--withdraw", "unknown")
