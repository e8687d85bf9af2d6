"""Renewal on in-service hours, fixed-term renewal, and the daily renewal/reminder run."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from certificates import payload
from certificates.models import CertificateReminder, CertificateType
from certificates.services import certificate_renew, renewals_and_reminders_run
from lms.registry.models import Role
from tests import factories as f

from .factories import credit_in_service_hours, in_service_requirement, issue_certificate

pytestmark = pytest.mark.django_db

ISSUED = dt.date(2026, 11, 22)


@pytest.fixture
def caregiver():
    """A caregiver on duty, with an e-mail address, whose post needs 24 in-service hours a year."""
    in_service_requirement(hours="24.0")
    employment = f.EmploymentFactory(start_date=dt.date(2020, 1, 1))
    employment.person.user = f.UserFactory(email="caregiver@example.com")
    employment.person.save()
    return employment.person


def test_in_service_certificate_renews_when_next_years_hours_are_met(caregiver, django_capture_on_commit_callbacks):
    cert = issue_certificate(holder=caregiver, issued_on=ISSUED)
    assert cert.expires_on == dt.date(2027, 3, 31)
    today = dt.date(2027, 3, 10)
    credit_in_service_hours(caregiver, year=2027, hours="12.0")
    with pytest.raises(ValidationError):
        certificate_renew(certificate=cert, today=today)
    credit_in_service_hours(caregiver, year=2027, hours="12.0")
    old_payload = cert.payload
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        renewed = certificate_renew(certificate=cert, today=today)
    assert any("_queue_render" in repr(callback) for callback in callbacks)  # the PDF is rendered again
    assert renewed.expires_on == dt.date(2028, 3, 31) and renewed.renewed_at
    # same certificate: number, index, frozen snapshot and digest; new signed expiry
    assert (renewed.number, renewed.status_index, renewed.digest) == (cert.number, cert.status_index, cert.digest)
    assert renewed.snapshot == cert.snapshot and renewed.snapshot["expires_on"] == "2027-03-31"
    new_claims = payload.decode(renewed.payload)[0]
    assert new_claims.expires_on == dt.date(2028, 3, 31) and new_claims.digest.hex() == cert.digest
    assert payload.decode(old_payload)[0].number == cert.number


def test_a_lapsed_certificate_is_revalidated_for_every_year_met(caregiver):
    cert = issue_certificate(holder=caregiver, issued_on=dt.date(2025, 6, 1))
    assert cert.expires_on == dt.date(2026, 3, 31)
    for year in (2026, 2027):
        credit_in_service_hours(caregiver, year=year)
    renewed = certificate_renew(certificate=cert, today=dt.date(2027, 8, 1))
    assert renewed.expires_on == dt.date(2028, 3, 31)


def test_no_requirement_for_the_post_means_no_renewal():
    person = f.EmploymentFactory(start_date=dt.date(2020, 1, 1)).person  # no requirement configured
    credit_in_service_hours(person, year=2027)
    cert = issue_certificate(holder=person, issued_on=ISSUED)
    with pytest.raises(ValidationError):
        certificate_renew(certificate=cert, today=dt.date(2027, 3, 1))


def test_certificates_that_never_expire_are_not_renewed():
    with pytest.raises(ValidationError):
        certificate_renew(certificate=issue_certificate(type_code="award", occupation=""))


def test_fixed_term_renewal_is_for_officers_in_scope(registry_world):
    type = CertificateType.objects.create(
        code="fixed", kind=1, name="负责人岗位培训合格证书", number_prefix="FZ", validity="years", validity_years=3
    )
    cert = issue_certificate(holder=registry_world.a.person, type_code="fixed", issued_on=dt.date(2024, 5, 1))
    assert cert.type == type and cert.expires_on == dt.date(2027, 5, 1)
    with pytest.raises(ValidationError):
        certificate_renew(certificate=cert, today=dt.date(2027, 4, 1))  # no officer: not automatic
    with pytest.raises(PermissionDenied):
        certificate_renew(certificate=cert, actor=registry_world.users[Role.INSPECTOR.value])
    renewed = certificate_renew(
        certificate=cert, actor=registry_world.users[Role.HEALTH_OFFICER.value], today=dt.date(2027, 4, 1)
    )
    assert renewed.expires_on == dt.date(2030, 5, 1)


def test_suspended_certificates_are_not_renewed(caregiver):
    from certificates.services import certificate_suspend

    cert = issue_certificate(holder=caregiver, issued_on=ISSUED)
    certificate_suspend(certificate=cert, reason="fraud")
    credit_in_service_hours(caregiver, year=2027)
    with pytest.raises(ValidationError):
        certificate_renew(certificate=cert, today=dt.date(2027, 3, 1))


def test_daily_run_renews_or_reminds_once(caregiver, django_capture_on_commit_callbacks):
    lagging = f.EmploymentFactory(start_date=dt.date(2020, 1, 1)).person  # no e-mail
    keen = issue_certificate(holder=caregiver, issued_on=ISSUED)
    late = issue_certificate(holder=lagging, issued_on=ISSUED)
    credit_in_service_hours(caregiver, year=2027)
    far = issue_certificate(holder=f.PersonFactory(), issued_on=dt.date(2027, 1, 5))  # expires 2028
    today = dt.date(2027, 3, 15)
    with django_capture_on_commit_callbacks(execute=False):
        counts = renewals_and_reminders_run(today=today)
    assert counts == {"renewed": 1, "reminded": 1}
    keen.refresh_from_db()
    late.refresh_from_db()
    assert keen.expires_on == dt.date(2028, 3, 31) and late.expires_on == dt.date(2027, 3, 31)
    reminder = CertificateReminder.objects.get()
    assert (reminder.certificate, reminder.expires_on, reminder.emailed) == (late, late.expires_on, False)
    assert not far.reminders.exists()
    # a second run the next day sends nothing new
    assert renewals_and_reminders_run(today=today + dt.timedelta(days=1)) == {"renewed": 0, "reminded": 0}
    # the lagging holder catches up after expiry: re-validated
    in_service_requirement(hours="24.0")
    credit_in_service_hours(lagging, year=2027)
    assert renewals_and_reminders_run(today=dt.date(2027, 6, 1))["renewed"] == 1
    late.refresh_from_db()
    assert late.expires_on == dt.date(2028, 3, 31)


def test_reminders_are_emailed_to_holders_with_an_address(caregiver):
    cert = issue_certificate(holder=caregiver, issued_on=ISSUED)
    assert renewals_and_reminders_run(today=dt.date(2027, 3, 20)) == {"renewed": 0, "reminded": 1}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["caregiver@example.com"] and cert.number in message.subject
    assert CertificateReminder.objects.get().emailed
