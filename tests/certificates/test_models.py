"""Certificate models: seeded types and the database constraints that make issuance safe."""

import pytest
from django.db import IntegrityError, transaction

from certificates import payload
from certificates.models import Certificate, CertificateType, Counter, Kind, SigningKey
from certificates.services import key_rotate

from .factories import issue_certificate

pytestmark = pytest.mark.django_db


def test_the_migration_seeds_three_types():
    types = {t.code: t for t in CertificateType.objects.all()}
    assert set(types) == {"training", "skill", "award"}
    assert (types["training"].kind, types["training"].name, types["training"].number_prefix) == (
        Kind.TRAINING,
        "培训合格证书",
        "PX",
    )
    assert types["training"].validity == CertificateType.Validity.IN_SERVICE_HOURS
    assert (types["skill"].name, types["skill"].validity) == ("职业技能等级证书", CertificateType.Validity.NONE)
    assert (types["award"].name, types["award"].number_prefix, types["award"].validity) == (
        "竞赛获奖证书",
        "HJ",
        "none",
    )


def test_kinds_are_the_payload_kinds():
    assert {k.name: k.value for k in Kind} == {k.name: k.value for k in payload.Kind}
    assert [k.code for k in Kind] == ["training", "skill", "award"]


def test_at_most_one_active_key():
    key = key_rotate()
    with pytest.raises(IntegrityError), transaction.atomic():
        SigningKey.objects.create(kid="other", public_key=b"x" * 32, sealed_private_key=b"x")
    assert SigningKey.objects.get(status=SigningKey.Status.ACTIVE) == key


def test_one_certificate_per_holder_type_and_achievement_in_the_database():
    certificate = issue_certificate(achievement_key="completion:1")
    duplicate = Certificate.objects.get(pk=certificate.pk)
    duplicate.pk = None
    duplicate.number = "PX0000202699999"
    duplicate.status_index = 99999
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


@pytest.mark.parametrize("field, value", [("number", None), ("status_index", None)])
def test_numbers_and_status_indexes_are_unique(field, value):
    first = issue_certificate()
    other = Certificate.objects.get(pk=issue_certificate().pk)
    setattr(other, field, getattr(first, field))
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


def test_a_revoked_certificate_needs_a_reason_and_date():
    certificate = issue_certificate()
    certificate.status = Certificate.Status.REVOKED
    with pytest.raises(IntegrityError), transaction.atomic():
        certificate.save()


def test_fixed_term_types_need_their_years():
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificateType.objects.create(code="x", kind=Kind.AWARD, name="x", number_prefix="XX", validity="years")


def test_counter_str():
    assert str(Counter(scope="status_index", value=3)) == "status_index = 3"
