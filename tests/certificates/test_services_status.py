"""Revocation, suspension and reinstatement: who may, what the audit and the status lists show, bans."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from certificates import selectors, statuslist
from certificates.models import Certificate
from certificates.services import (
    BannedHolder,
    certificate_reinstate,
    certificate_revoke,
    certificate_suspend,
    certificates_revoke_for_ban,
)
from lms.registry.models import Role
from lms.registry.selectors import CAREGIVER, PLATFORM_ADMIN
from lms.registry.services import person_ban
from tests import factories as f

from .factories import issue_certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(registry_world):
    """A certificate of a caregiver in county A and one of a caregiver in county B."""
    registry_world.cert_a = issue_certificate(holder=registry_world.a.person)
    registry_world.cert_b = issue_certificate(holder=registry_world.b.person)
    return registry_world


def bit(certificate, purpose: str) -> bool:
    list_no, index = divmod(certificate.status_index, statuslist.LIST_SIZE)
    return statuslist.is_set(selectors.status_bits(list_no, purpose), index)


def test_revoke_changes_the_status_list_at_once(world, django_capture_on_commit_callbacks):
    officer = world.users[Role.HEALTH_OFFICER.value]
    cert = world.cert_a
    assert not bit(cert, "revocation")  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        revoked = certificate_revoke(certificate=cert, reason="fraud", note="  伪造培训记录 ", actor=officer)
    assert (revoked.status, revoked.revocation_reason, revoked.revocation_note) == ("revoked", "fraud", "伪造培训记录")
    assert revoked.revoked_at is not None
    assert bit(cert, "revocation") and not bit(cert, "suspension")
    assert not bit(world.cert_b, "revocation")
    entry = ModelLogEntry.objects.get(action="certificates.certificate.revoke", object_id=str(cert.pk))
    assert entry.user == officer and entry.data["reason"] == "fraud"
    # revoking again changes nothing; a revoked certificate is never suspended or reinstated
    assert certificate_revoke(certificate=cert, reason="error", actor=officer).revocation_reason == "fraud"
    with pytest.raises(ValidationError):
        certificate_suspend(certificate=cert, reason="fraud", actor=officer)
    with pytest.raises(ValidationError):
        certificate_reinstate(certificate=cert, actor=officer)


def test_suspend_and_reinstate(world, django_capture_on_commit_callbacks):
    officer = world.users[Role.HR_OFFICER.value]
    cert = world.cert_a
    with django_capture_on_commit_callbacks(execute=True):
        certificate_suspend(certificate=cert, reason="fraud", note="调查中", actor=officer)
    cert.refresh_from_db()
    assert (cert.status, cert.suspension_reason, cert.suspension_note) == ("suspended", "fraud", "调查中")
    assert bit(cert, "suspension") and not bit(cert, "revocation")
    with django_capture_on_commit_callbacks(execute=True):
        certificate_reinstate(certificate=cert, note="调查结束", actor=officer)
    cert.refresh_from_db()
    assert (cert.status, cert.suspended_at, cert.suspension_reason) == ("valid", None, "")
    assert not bit(cert, "suspension")
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(cert.pk), action__startswith="certificates.certificate.")
        .order_by("timestamp", "id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "certificates.certificate.issue",
        "certificates.certificate.suspend",
        "certificates.certificate.reinstate",
    ]


def test_a_reason_category_is_required(world):
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=world.cert_a, reason="other", actor=None)


@pytest.mark.parametrize(
    "role, allowed",
    [
        (PLATFORM_ADMIN, True),
        (Role.HEALTH_OFFICER.value, True),
        (Role.HR_OFFICER.value, True),
        (Role.INSPECTOR.value, False),
        (Role.INSTITUTION_ADMIN.value, False),
        (Role.PROVIDER_STAFF.value, False),
        (CAREGIVER, False),
    ],
)
def test_only_officers_in_scope_and_admins_change_status(world, role, allowed):
    user = world.users[role]
    if allowed:
        certificate_suspend(certificate=world.cert_a, reason="error", actor=user)
    else:
        with pytest.raises(PermissionDenied):
            certificate_suspend(certificate=world.cert_a, reason="error", actor=user)
    if role != PLATFORM_ADMIN:
        with pytest.raises(PermissionDenied):  # county B is outside every scoped user's scope
            certificate_revoke(certificate=world.cert_b, reason="error", actor=user)
    assert Certificate.objects.get(pk=world.cert_b.pk).status == "valid"


def test_officers_manage_certificates_issued_by_providers_in_their_region(world):
    officer = world.users[Role.HEALTH_OFFICER.value]
    outsider = f.PersonFactory()  # employed nowhere
    cert = issue_certificate(holder=outsider, provider=world.a.provider)
    assert selectors.can_manage(officer, cert)
    assert not selectors.can_manage(officer, issue_certificate(holder=f.PersonFactory(), provider=world.b.provider))


def test_who_sees_which_certificates(world):
    by_provider_a = issue_certificate(holder=f.PersonFactory(), provider=world.a.provider)
    seen = {role: set(selectors.certificates_for(user)) for role, user in world.users.items()}
    every = set(Certificate.objects.all())
    assert seen[PLATFORM_ADMIN] == every
    for role in (Role.HEALTH_OFFICER.value, Role.HR_OFFICER.value, Role.INSPECTOR.value):
        assert seen[role] == {world.cert_a, by_provider_a}
    assert seen[Role.INSTITUTION_ADMIN.value] == {world.cert_a}
    assert seen[Role.PROVIDER_STAFF.value] == {by_provider_a}
    assert seen[CAREGIVER] == {world.cert_a}
    assert list(selectors.holder_certificates(world.a.person)) == [world.cert_a]


def test_a_ban_revokes_everything_and_blocks_new_certificates(world, django_capture_on_commit_callbacks):
    person = world.a.person
    second = issue_certificate(holder=person, type_code="award", occupation="")
    with django_capture_on_commit_callbacks(execute=True):
        person_ban(person=person, reason="虐待儿童", decided_on=dt.date(2026, 5, 1), decided_by="曲靖市卫生健康委")
    for cert in (world.cert_a, second):
        cert.refresh_from_db()
        assert (cert.status, cert.revocation_reason) == ("revoked", "ban")
        assert "终身禁入" in cert.revocation_note
        assert bit(cert, "revocation")
    assert Certificate.objects.get(pk=world.cert_b.pk).status == "valid"
    with pytest.raises(BannedHolder):
        issue_certificate(holder=person, achievement_key="completion:99")
    # nothing is left to revoke
    assert certificates_revoke_for_ban(person_id=person.pk) == 0


def test_status_lists_cover_every_index():
    cert = issue_certificate()
    assert selectors.status_list_count() == 1
    Certificate.objects.filter(pk=cert.pk).update(status_index=statuslist.LIST_SIZE + 5)
    assert selectors.status_list_count() == 2
    certificate_revoke(certificate=cert, reason="error")
    selectors.status_cache_drop()
    assert selectors.status_indexes(1, "revocation") == [5]
    assert selectors.status_indexes(0, "revocation") == []
    with pytest.raises(ValueError):
        selectors.status_indexes(0, "other")


def test_status_version_changes_on_drop():
    before = selectors.status_version()
    assert selectors.status_version() == before
    selectors.status_cache_drop()
    assert selectors.status_version() != before
