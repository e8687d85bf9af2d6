"""Celery tasks and the events that start them (tasks run eagerly in tests)."""

from __future__ import annotations

import hashlib

import pytest

from certificates import render
from certificates.models import Certificate, IssuanceBatch
from certificates.services import batch_create, batch_issue_run
from certificates.services import batches as batch_services
from certificates.tasks import batch_issue_task, render_pdf_task, renewal_reminders_task
from lms.learning.models import Enrollment
from lms.learning.services import completion_check
from lms.registry.services import person_ban
from tests import factories as f

from .factories import issue_certificate, make_completion, make_course, make_enrollment

pytestmark = pytest.mark.django_db


def test_a_completed_course_earns_its_certificate_with_a_pdf(django_capture_on_commit_callbacks):
    provider = f.TrainingProviderFactory(body_code="QJPX", name="曲靖市职业培训学校")
    enrollment = make_enrollment(course=make_course(provider=provider, title="保育师岗前培训"))
    with django_capture_on_commit_callbacks(execute=True):
        completion = completion_check(enrollment=enrollment)
    assert completion is not None
    certificate = Certificate.objects.get()
    assert certificate.achievement_key == f"completion:{completion.pk}"
    assert certificate.snapshot["course_title"] == "保育师岗前培训"
    assert certificate.pdf and certificate.pdf_sha256
    with certificate.pdf.open("rb") as file:
        content = file.read()
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == certificate.pdf_sha256
    # the event again (a redelivered task) changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        from lms.learning.events import course_completed
        from lms.learning.models import CourseCompletion

        course_completed.send(
            sender=CourseCompletion, completion_id=completion.pk, person_id=completion.person_id, course_id=0
        )
    assert Certificate.objects.count() == 1


def test_a_failing_render_never_breaks_the_learners_request(django_capture_on_commit_callbacks, monkeypatch):
    def broken(**kwargs):
        raise render.FontMissing("no CJK font")

    monkeypatch.setattr(render, "certificate_pdf", broken)
    enrollment = make_enrollment()
    with django_capture_on_commit_callbacks(execute=True):
        completion_check(enrollment=enrollment)  # does not raise
    certificate = Certificate.objects.get()
    assert not certificate.pdf
    assert Enrollment.objects.get(pk=enrollment.pk).status == Enrollment.Status.COMPLETED


def test_render_task_is_idempotent_and_forced_after_renewal():
    certificate = issue_certificate()
    first = render_pdf_task.delay(certificate.pk).get()
    certificate.refresh_from_db()
    name = certificate.pdf.name
    assert render_pdf_task.delay(certificate.pk).get() == first
    certificate.refresh_from_db()
    assert certificate.pdf.name == name
    assert render_pdf_task.delay(certificate.pk, force=True).get() == first  # deterministic output
    assert render_pdf_task.delay(10**9).get() is None


def test_renewal_reminders_task_runs():
    assert renewal_reminders_task.delay().get() == {"renewed": 0, "reminded": 0}


# --- bulk issuance ---------------------------------------------------------------------------------------------


@pytest.fixture
def completions():
    course = make_course()
    done = [make_completion(course=course) for _ in range(4)]
    banned = done[2].person
    person_ban(person=banned, reason="虐待儿童", decided_on=banned.created_at.date(), decided_by="卫健委")
    return done


def test_batch_issues_reports_progress_and_refusals(completions, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = batch_create(completion_ids=[c.pk for c in completions] + [completions[0].pk, 10**9])
    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.done, batch.issued, batch.failed) == ("finished", 5, 5, 3, 2)
    assert batch.percent == 100 and batch.finished_at
    assert {e["item"] for e in batch.errors} == {completions[2].pk, 10**9}
    assert Certificate.objects.count() == 3


def test_a_batch_rerun_after_a_dead_worker_issues_nothing_twice(completions, monkeypatch):
    batch = IssuanceBatch.objects.create(item_ids=[c.pk for c in completions], total=len(completions))
    real = batch_services.completions_certify
    calls = {"n": 0}

    def dies_in_the_second_chunk(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker lost")
        return real(**kwargs)

    monkeypatch.setattr(batch_services, "completions_certify", dies_in_the_second_chunk)
    with pytest.raises(RuntimeError):
        batch_issue_run(batch_id=batch.pk, chunk_size=2)
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.issued) == ("failed", 2, 2)  # the first chunk committed
    assert Certificate.objects.count() == 2
    batch_issue_task.delay(batch.pk).get()  # the re-run continues after the last committed chunk
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.issued, batch.failed) == ("finished", 4, 3, 1)
    assert Certificate.objects.count() == 3
    # even from scratch (counters lost), nothing is issued twice
    IssuanceBatch.objects.filter(pk=batch.pk).update(done=0, issued=0, failed=0, errors=[], status="pending")
    batch_issue_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.done, batch.issued, batch.failed) == (4, 0, 1)
    assert Certificate.objects.count() == 3


def test_an_empty_batch_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        batch_create(completion_ids=[])
