"""Reactions to learning and registry events."""

from __future__ import annotations

import datetime as dt

import pytest

from certificates.models import Certificate, CertificateReminder, IssuanceBatch, SigningKey, VerificationLog
from lms.learning import prerequisites
from lms.registry.events import demo_resetting
from lms.registry.services import person_ban
from tests import factories as f

from .factories import issue_certificate, make_course

pytestmark = pytest.mark.django_db


def test_a_ban_revokes_the_persons_certificates(django_capture_on_commit_callbacks):
    cert = issue_certificate()
    other = issue_certificate()
    with django_capture_on_commit_callbacks(execute=True):
        person_ban(person=cert.holder, reason="虐待儿童", decided_on=dt.date(2026, 1, 1), decided_by="卫健委")
    assert Certificate.objects.get(pk=cert.pk).status == "revoked"
    assert Certificate.objects.get(pk=other.pk).status == "valid"


def test_demo_reset_deletes_certificates_first():
    cert = issue_certificate()
    CertificateReminder.objects.create(certificate=cert, expires_on=cert.expires_on)
    VerificationLog.objects.create(certificate=cert, status="valid", channel="page")
    IssuanceBatch.objects.create(total=0)
    responses = demo_resetting.send(sender=None)
    counts = next(r for receiver, r in responses if receiver.__module__ == "certificates.receivers")
    assert counts["certificates_certificate"] == 1
    assert not Certificate.objects.exists() and not VerificationLog.objects.exists()
    assert SigningKey.objects.exists()  # keys stay
    cert.holder.delete()  # nothing protects the person any more


def test_courses_requiring_a_certificate_ask_this_app():
    person = f.PersonFactory()
    course = make_course(prerequisite_occupation="childcare_worker", prerequisite_level=4)
    assert prerequisites.refusal(person, course)
    issue_certificate(holder=person, type_code="skill", level=5)  # a lower level does not qualify
    assert prerequisites.refusal(person, course)
    skill = issue_certificate(holder=person, type_code="skill", level=3, achievement_key="skill:2")
    assert prerequisites.refusal(person, course) is None
    Certificate.objects.filter(pk=skill.pk).update(status="suspended", suspended_at=skill.created_at)
    assert prerequisites.refusal(person, course)
