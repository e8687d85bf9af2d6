"""A passed, published skill level result (exams) earns a 职业技能等级证书 with a 22-character number."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from certificates.models import Certificate, Kind
from certificates.services.skill import result_key, skill_certificate_for_result
from certificates.tasks import issue_for_level_result_task
from lms.exams.services.results import level_result_decide, level_results_publish
from lms.learning.choices import Occupation, SkillLevel
from lms.registry.models import TrainingProvider
from lms.registry.services import person_ban
from tests import factories as f
from tests.lms.exams.factories import graded_attempt
from tests.lms.exams.practical_factories import assessment_body, scored_candidate, session_with_panel

from .factories import certificate_type

pytestmark = pytest.mark.django_db

PASS = [(20, 20, 30)] * 3
FAIL = [(10, 10, 10)] * 3


@pytest.fixture
def admin():
    return f.UserFactory(is_superuser=True)


@pytest.fixture
def body():
    county = f.CountyFactory(code="530302", parent=f.CityFactory(code="530300"))
    return assessment_body(name="曲靖市职业技能评价中心", body_code="QJPJ", region=county)


def decided(body, admin, *, practical=PASS, theory=80, name="张丽华"):
    certificate_type("skill")
    person = f.PersonFactory(name=name)
    session = session_with_panel(provider=body)
    attempt = graded_attempt(person=person, score=theory, level=SkillLevel.LEVEL_4)
    candidate = scored_candidate(session, practical, person=person)
    return level_result_decide(attempt=attempt, practical=candidate, actor=admin)


def publish(result, admin, capture):
    with capture(execute=True):
        level_results_publish(results=[result], actor=admin)
    result.refresh_from_db()
    return result


def test_publishing_a_pass_issues_the_skill_certificate(client, body, admin, django_capture_on_commit_callbacks):
    result = publish(decided(body, admin), admin, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(achievement_key=f"skill-result:{result.pk}")
    assert certificate.holder == result.person and certificate.type.kind == Kind.SKILL
    assert certificate.provider == body and certificate.issued_on == timezone.localdate(result.published_at)
    assert len(certificate.number) == 22
    year = timezone.localdate(result.published_at).year % 100
    assert re.fullmatch(rf"SQJPJ53530302{year:02d}4\d{{6}}", certificate.number), certificate.number
    snapshot = certificate.snapshot
    assert (snapshot["occupation"], snapshot["level"], snapshot["direction"]) == (Occupation.CHILDCARE_WORKER, 4, "--")
    assert snapshot["issuer"] == "曲靖市职业技能评价中心" and snapshot["issuer_code"] == "QJPJ"
    assert snapshot["holder_name"] == "张*华"
    data = client.get(f"/api/v1/certificates/verify/{certificate.payload}").json()
    assert data["status"] == "valid"
    assert data["certificate"]["number"] == certificate.number
    page = client.get(f"/V/{certificate.payload}", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert 'data-status="valid"' in page and "有效" in page


def test_issuance_is_idempotent(body, admin, django_capture_on_commit_callbacks):
    result = publish(decided(body, admin), admin, django_capture_on_commit_callbacks)
    first = Certificate.objects.get(achievement_key=result_key(result.pk))
    assert issue_for_level_result_task.delay(result.pk).get() == first.pk
    assert skill_certificate_for_result(result_id=result.pk) == first
    assert Certificate.objects.filter(holder=result.person).count() == 1


def test_a_failed_result_earns_nothing(body, admin, django_capture_on_commit_callbacks):
    result = publish(decided(body, admin, practical=FAIL), admin, django_capture_on_commit_callbacks)
    assert not result.passed
    assert skill_certificate_for_result(result_id=result.pk) is None
    assert not Certificate.objects.exists()


def test_an_unpublished_pass_earns_nothing_yet(body, admin):
    result = decided(body, admin)
    assert result.passed and skill_certificate_for_result(result_id=result.pk) is None
    assert skill_certificate_for_result(result_id=result.pk + 1000) is None


def test_a_provider_that_is_not_an_assessment_body_issues_nothing(body, admin, django_capture_on_commit_callbacks):
    result = decided(body, admin)
    TrainingProvider.objects.filter(pk=body.pk).update(kind=TrainingProvider.Kind.TRAINING)
    publish(result, admin, django_capture_on_commit_callbacks)
    assert not Certificate.objects.exists()


def test_a_banned_holder_gets_no_certificate(body, admin, django_capture_on_commit_callbacks):
    result = decided(body, admin)
    with django_capture_on_commit_callbacks(execute=True):
        person_ban(person=result.person, reason="虐待儿童", decided_on=dt.date(2026, 1, 1), decided_by="卫健委")
    publish(result, admin, django_capture_on_commit_callbacks)
    assert not Certificate.objects.exists()
