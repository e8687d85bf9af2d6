"""Issuing certificates: idempotent, frozen, numbered, signed; banned holders refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.models import ModelLogEntry

from certificates import payload, selectors, signing
from certificates.models import Certificate, CertificateType, Counter, SigningKey
from certificates.services import (
    BannedHolder,
    certificate_issue,
    issue_for_completion,
)
from certificates.services.issue import add_years, payload_holder
from lms.registry.services import person_ban
from tests import factories as f

from .factories import certificate_type, issue_certificate, make_completion, make_course

pytestmark = pytest.mark.django_db


def _verifies(certificate: Certificate) -> bool:
    claims, body, signature = payload.decode(certificate.payload)
    public = selectors.verification_keys().get(signing.key_id_text(claims.key_id))
    return public is not None and signing.verify(public, body, signature)


# --- pure helpers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("张丽华", "张*华"),
        ("张三", "张*"),
        ("欧阳小华", "欧**华"),
        ("阿卜杜热合曼·买买提", "阿******提"),
        ("Elizabeth Alexandra Mary Windsor", "E******r"),
    ],
)
def test_payload_holder_is_masked_and_short(name, expected):
    holder = payload_holder(name)
    assert holder == expected
    assert len(holder) <= payload.HOLDER_MAX_CHARS and len(holder.encode()) <= payload.HOLDER_MAX_BYTES


def test_payload_holder_fits_the_byte_limit_with_wide_characters():
    holder = payload_holder("𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇𠀈")  # four UTF-8 bytes each
    assert len(holder.encode()) <= payload.HOLDER_MAX_BYTES
    assert holder[0] == "𠀀" and holder[-1] == "𠀈"


def test_add_years_handles_29_february():
    assert add_years(dt.date(2028, 2, 29), 1) == dt.date(2029, 2, 28)
    assert add_years(dt.date(2026, 11, 22), 3) == dt.date(2029, 11, 22)


# --- issuance -------------------------------------------------------------------------------------------------


def test_issue_freezes_a_signed_snapshot(zh):
    provider = f.TrainingProviderFactory(body_code="QJPX", name="曲靖市职业培训学校")
    holder = f.PersonFactory(name="张丽华")
    certificate, created = certificate_issue(
        type=certificate_type("training"),
        holder=holder,
        achievement_key="completion:1",
        snapshot_fields={"occupation": "childcare_worker", "course_title": "保育师岗前培训", "hours": "64.0"},
        provider=provider,
        issued_on=dt.date(2026, 11, 22),
        render=False,
    )
    assert created
    assert certificate.number == "PXQJPX2026000001"
    assert certificate.status_index == 0
    assert certificate.expires_on == dt.date(2027, 3, 31)  # in-service rule: 31 March of the next year
    snap = certificate.snapshot
    assert snap == {
        "kind": "training",
        "type_name": "培训合格证书",
        "number": "PXQJPX2026000001",
        "holder_name": "张*华",
        "holder_name_full": "张丽华",
        "id_type": snap["id_type"],
        "id_number_masked": holder.id_number_masked,
        "occupation": "childcare_worker",
        "occupation_label": snap["occupation_label"],
        "direction": "--",
        "level": 0,
        "level_label": "",
        "course_title": "保育师岗前培训",
        "hours": "64.0",
        "issuer": "曲靖市职业培训学校",
        "issuer_code": "QJPX",
        "issued_on": "2026-11-22",
        "expires_on": "2027-03-31",
        "photo": False,
    }
    assert "居民身份证" in snap["id_type"] and "保育师" in snap["occupation_label"]
    assert "*" in snap["id_number_masked"]
    assert certificate.digest == payload.snapshot_digest(snap).hex()
    claims, _body, _sig = payload.decode(certificate.payload)
    assert (claims.number, claims.status_index, claims.holder, claims.occupation, claims.level) == (
        certificate.number,
        0,
        "张*华",
        "childcare_worker",
        0,
    )
    assert (claims.issued_on, claims.expires_on, claims.digest.hex()) == (
        certificate.issued_on,
        certificate.expires_on,
        certificate.digest,
    )
    assert claims.kind == payload.Kind.TRAINING
    assert _verifies(certificate)
    assert certificate.provider == provider and certificate.occupation == "childcare_worker"
    entry = ModelLogEntry.objects.get(action="certificates.certificate.issue", object_id=str(certificate.pk))
    assert entry.data["number"] == certificate.number
    assert "张丽华" not in str(entry.data)


def test_issue_twice_gives_one_certificate():
    holder = f.PersonFactory()
    kwargs = {
        "type": certificate_type(),
        "holder": holder,
        "achievement_key": "completion:7",
        "snapshot_fields": {"course_title": "x"},
        "render": False,
    }
    first, created = certificate_issue(**kwargs)
    again, created_again = certificate_issue(**kwargs)
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Certificate.objects.count() == 1
    assert Counter.objects.get(scope="status_index").value == 1  # the second call allocated nothing


def test_each_certificate_gets_the_next_serial_and_status_index():
    provider = f.TrainingProviderFactory(body_code="AB12")
    numbers = [
        issue_certificate(provider=provider, issued_on=dt.date(2026, 5, 1)).number,
        issue_certificate(provider=provider, issued_on=dt.date(2026, 6, 1)).number,
        issue_certificate(provider=provider, issued_on=dt.date(2027, 1, 2)).number,
    ]
    assert numbers == ["PXAB122026000001", "PXAB122026000002", "PXAB122027000001"]
    assert sorted(Certificate.objects.values_list("status_index", flat=True)) == [0, 1, 2]


def test_skill_and_award_numbers():
    body = f.TrainingProviderFactory(body_code="QJPX", kind="assessment", region=f.CountyFactory(code="530302"))
    skill = issue_certificate(type_code="skill", provider=body, level=3, issued_on=dt.date(2026, 11, 22))
    assert skill.number == "SQJPX53530302263000001" and len(skill.number) == 22
    assert skill.expires_on is None and skill.level == 3
    assert "三级" in skill.snapshot["level_label"]
    assert payload.decode(skill.payload)[0].level == 3
    employer = f.TrainingProviderFactory(body_code="EMP1", kind="training", region=f.CountyFactory(code="530381"))
    assert issue_certificate(type_code="skill", provider=employer, level=5).number.startswith("YEMP153530381")
    award = issue_certificate(type_code="award", issued_on=dt.date(2026, 3, 1), occupation="")
    assert award.number == "HJ2026000001" and award.provider is None
    assert award.snapshot["issuer"] == "托育从业人员培训与评价平台"


def test_skill_certificate_needs_an_assessment_body():
    with pytest.raises(ValidationError):
        certificate_issue(
            type=certificate_type("skill"),
            holder=f.PersonFactory(),
            achievement_key="skill:1",
            snapshot_fields={"level": 3},
            render=False,
        )


def test_fixed_term_validity():
    type = CertificateType.objects.create(
        code="director", kind=1, name="负责人岗位培训合格证书", number_prefix="FZ", validity="years", validity_years=3
    )
    certificate, _ = certificate_issue(
        type=type,
        holder=f.PersonFactory(),
        achievement_key="x",
        snapshot_fields={},
        issued_on=dt.date(2028, 2, 29),
        render=False,
    )
    assert certificate.expires_on == dt.date(2031, 2, 28)
    assert certificate.number.startswith("FZ0000")


def test_an_inactive_type_issues_nothing():
    type = certificate_type("award")
    type.active = False
    type.save()
    with pytest.raises(ValidationError):
        issue_certificate(type_code="award")


def test_snapshot_stays_frozen_after_person_and_course_edits():
    person = f.PersonFactory(name="张丽华")
    course = make_course(title="保育师岗前培训")
    completion = make_completion(person=person, course=course)
    certificate = issue_for_completion(completion_id=completion.pk)
    before = (dict(certificate.snapshot), certificate.digest, certificate.payload)
    person.name = "王芳"
    person.save()
    course.title = "改过的课程名"
    course.required_hours = Decimal("10")
    course.save_revision().publish()
    assert issue_for_completion(completion_id=completion.pk).pk == certificate.pk
    certificate.refresh_from_db()
    assert (certificate.snapshot, certificate.digest, certificate.payload) == before
    assert certificate.snapshot["holder_name_full"] == "张丽华"
    assert certificate.snapshot["course_title"] == "保育师岗前培训"


def test_the_photo_is_frozen_with_the_certificate():
    person = f.PersonFactory()
    person.photo.save("p.jpg", ContentFile(b"\xff\xd8first photo"))
    certificate = issue_certificate(holder=person)
    assert certificate.snapshot["photo"] is True
    person.photo.save("p2.jpg", ContentFile(b"\xff\xd8second photo"))
    certificate.refresh_from_db()
    with certificate.photo.open("rb") as file:
        assert file.read() == b"\xff\xd8first photo"
    assert not certificate.photo.path.startswith(settings.MEDIA_ROOT)
    with pytest.raises(ValueError):
        certificate.photo.url  # noqa: B018  (private files have no URL)


def test_a_banned_holder_is_refused(zh):
    person = f.PersonFactory(name="李小红")
    person_ban(person=person, reason="虐待儿童", decided_on=dt.date(2026, 1, 5), decided_by="曲靖市卫生健康委")
    with pytest.raises(BannedHolder) as exc:
        issue_certificate(holder=person)
    assert "李*红" in exc.value.messages[0]
    assert not Certificate.objects.exists()


def test_the_first_issuance_creates_the_signing_key_sealed():
    assert not SigningKey.objects.exists()
    certificate = issue_certificate()
    key = SigningKey.objects.get()
    assert key.status == SigningKey.Status.ACTIVE and certificate.signing_key == key
    assert key.kid == signing.key_id_text(signing.key_id(bytes(key.public_key)))
    private = signing.unseal(bytes(key.sealed_private_key), settings.CERTIFICATE_KEY_ENCRYPTION_KEYS)
    assert signing.public_raw(private) == bytes(key.public_key)
    raw = private.private_bytes_raw()
    assert raw not in bytes(key.sealed_private_key)
    entries = ModelLogEntry.objects.filter(action__startswith="certificates.key")
    assert entries.exists() and all(raw.hex() not in str(e.data) for e in entries)


# --- course completions ---------------------------------------------------------------------------------------


def test_issue_for_completion_certifies_the_course(zh):
    provider = f.TrainingProviderFactory(body_code="QJPX", name="曲靖市职业培训学校")
    course = make_course(provider=provider, title="保育师岗前培训", occupation="infant_carer")
    completed_at = timezone.make_aware(dt.datetime(2026, 11, 20, 10, 0))
    completion = make_completion(course=course, hours="64.0", completed_at=completed_at)
    certificate = issue_for_completion(completion_id=completion.pk)
    assert certificate.achievement_key == f"completion:{completion.pk}"
    assert certificate.type.code == "training" and certificate.holder == completion.person
    assert certificate.issued_on == dt.date(2026, 11, 20)
    assert certificate.number == "PXQJPX2026000001"
    snap = certificate.snapshot
    assert (snap["course_title"], snap["hours"], snap["occupation"], snap["issuer"], snap["issuer_code"]) == (
        "保育师岗前培训",
        "64.0",
        "infant_carer",
        "曲靖市职业培训学校",
        "QJPX",
    )
    assert snap["training_kind"] == "pre_job"
    assert issue_for_completion(completion_id=completion.pk).pk == certificate.pk
    assert Certificate.objects.count() == 1
    assert not selectors.completions_without_certificate().exists()


def test_issue_for_completion_refusals_return_none():
    assert issue_for_completion(completion_id=999999) is None
    completion = make_completion()
    person_ban(person=completion.person, reason="x", decided_on=dt.date(2026, 1, 1), decided_by="卫健委")
    assert issue_for_completion(completion_id=completion.pk) is None
    assert selectors.completions_without_certificate().get() == completion
