"""Issuing many certificates at once: same rows and rules as one at a time, far fewer queries."""

from __future__ import annotations

import datetime as dt

import pytest
from wagtail.models import ModelLogEntry

from certificates import payload, selectors, signing
from certificates.models import Certificate
from certificates.services import IssueRequest, certificate_issue, certificates_issue_many, completions_certify
from certificates.services import bulk as bulk_services
from lms.registry.services import person_ban
from tests import factories as f

from .factories import certificate_type, make_completion, make_course

pytestmark = pytest.mark.django_db


def requests(people, key="completion:1", provider=None):
    return [
        IssueRequest(
            holder=p,
            achievement_key=key,
            snapshot_fields={"course_title": "保育师岗前培训", "occupation": "childcare_worker"},
            issued_on=dt.date(2026, 11, 22),
            provider=provider,
        )
        for p in people
    ]


def test_many_at_once_like_one_at_a_time(django_assert_max_num_queries):
    provider = f.TrainingProviderFactory(body_code="QJPX")
    people = [f.PersonFactory() for _ in range(20)]
    single, _ = certificate_issue(
        type=certificate_type(), holder=people[0], render=False, **_kw(requests(people[:1], provider=provider)[0])
    )
    with django_assert_max_num_queries(20):
        outcomes = certificates_issue_many(type=certificate_type(), requests=requests(people, provider=provider))
    assert [o.created for o in outcomes] == [False] + [True] * 19
    assert outcomes[0].certificate == single
    numbers = [o.certificate.number for o in outcomes]
    assert numbers == [f"PXQJPX2026{n:06d}" for n in range(1, 21)]
    assert [o.certificate.status_index for o in outcomes] == list(range(20))
    for outcome in outcomes:
        cert = Certificate.objects.get(pk=outcome.certificate.pk)
        claims, body, signature = payload.decode(cert.payload)
        assert claims.number == cert.number and claims.digest.hex() == cert.digest
        assert cert.digest == payload.snapshot_digest(cert.snapshot).hex()
        public = selectors.verification_keys()[signing.key_id_text(claims.key_id)]
        assert signing.verify(public, body, signature)
    entries = ModelLogEntry.objects.filter(action="certificates.certificate.issue")
    assert entries.count() == 20
    assert len({e.uuid for e in entries if e.object_id != str(single.pk)}) == 1  # one action, one uuid
    again = certificates_issue_many(type=certificate_type(), requests=requests(people, provider=provider))
    assert not any(o.created for o in again) and Certificate.objects.count() == 20


def _kw(request):
    return {
        "achievement_key": request.achievement_key,
        "snapshot_fields": request.snapshot_fields,
        "issued_on": request.issued_on,
        "provider": request.provider,
    }


def test_refusals_and_repeats_are_reported_in_order():
    people = [f.PersonFactory() for _ in range(3)]
    person_ban(person=people[1], reason="x", decided_on=dt.date(2026, 1, 1), decided_by="卫健委")
    skill = IssueRequest(holder=people[2], achievement_key="skill:1", snapshot_fields={"level": 3})  # no body
    reqs = requests(people) + [requests(people[:1])[0]]
    outcomes = certificates_issue_many(type=certificate_type(), requests=reqs, render=False)
    assert [(o.created, bool(o.error)) for o in outcomes] == [
        (True, False),
        (False, True),
        (True, False),
        (False, False),
    ]
    assert outcomes[3].certificate == outcomes[0].certificate
    assert "终身禁入" in outcomes[1].error or "lifetime ban" in outcomes[1].error
    outcome = certificates_issue_many(type=certificate_type("skill"), requests=[skill])[0]
    assert outcome.certificate is None and outcome.error
    assert Certificate.objects.count() == 2


def test_a_concurrent_insert_falls_back_to_one_at_a_time(monkeypatch):
    people = [f.PersonFactory() for _ in range(3)]
    real = bulk_services.plan

    def racing(type, request):
        if request.holder == people[1]:  # another worker issues this one after our reads, before our insert
            certificate_issue(type=type, holder=people[1], render=False, **_kw(request))
        return real(type, request)

    monkeypatch.setattr(bulk_services, "plan", racing)
    outcomes = certificates_issue_many(type=certificate_type(), requests=requests(people), render=False)
    assert [o.created for o in outcomes] == [True, False, True]
    assert Certificate.objects.count() == 3
    assert len({o.certificate.pk for o in outcomes}) == 3


def test_completions_certify_renders_after_commit(django_capture_on_commit_callbacks, monkeypatch):
    rendered = []
    monkeypatch.setattr("certificates.tasks.render_pdf_task.delay", lambda pk, **kw: rendered.append(pk))
    monkeypatch.setattr("certificates.tasks.render_pdfs_task.delay", rendered.extend)
    provider = f.TrainingProviderFactory(body_code="QJPX", name="曲靖市职业培训学校")
    course = make_course(provider=provider, title="保育师岗前培训")
    completions = [make_completion(course=course) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = completions_certify(completions=completions)
    assert sorted(rendered) == sorted(o.certificate.pk for o in outcomes)
    assert {o.certificate.snapshot["issuer"] for o in outcomes} == {"曲靖市职业培训学校"}
    assert {o.certificate.achievement_key for o in outcomes} == {f"completion:{c.pk}" for c in completions}
    assert not selectors.completions_without_certificate().exists()
