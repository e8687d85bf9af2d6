"""``manage.py seed_demo_certificates``: every kind and status through the real services, idempotent, and wired
into ``manage.py start``."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from certificates import demo
from certificates.models import Certificate, IssuanceBatch, Kind
from certificates.verification import certificate_status
from lms.learning.models import CourseCompletion

AS_OF = date(2026, 6, 30)
pytestmark = pytest.mark.django_db


@pytest.fixture
def learning_demo():
    call_command("seed_demo", "--institutions", "24", "--staff", "400", "--as-of", AS_OF.isoformat(), stdout=StringIO())
    call_command("seed_demo_learning", "--no-ffmpeg", "--as-of", AS_OF.isoformat(), stdout=StringIO())


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo_certificates", "--as-of", AS_OF.isoformat(), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def state() -> list[tuple]:
    return sorted(
        Certificate.objects.values_list(
            "holder__id_number_hash", "achievement_key", "number", "status", "expires_on", "payload", "pdf_sha256"
        )
    )


def statuses() -> dict[str, int]:
    out: dict[str, int] = {}
    for status, expires_on in Certificate.objects.values_list("status", "expires_on"):
        key = certificate_status(status=status, expires_on=expires_on, today=AS_OF).value
        out[key] = out.get(key, 0) + 1
    return out


def test_every_completion_kind_and_status(learning_demo):
    out = seed()
    assert "Seeded certificate demo" in out
    # every completion is certified, through one bulk batch
    completions = CourseCompletion.objects.count()
    assert completions > 20
    assert Certificate.objects.filter(achievement_key__startswith="completion:").count() == completions
    batch = IssuanceBatch.objects.get()
    assert (batch.status, batch.done, batch.failed) == (IssuanceBatch.Status.FINISHED, batch.total, 0)
    # kinds: skill levels with 22-character numbers, an award
    skills = Certificate.objects.filter(type__kind=Kind.SKILL).order_by("level")
    assert [(c.occupation, c.level) for c in skills] == [
        ("childcare_worker", 3),
        ("childcare_worker", 4),
        ("infant_carer", 5),
    ]
    assert all(len(c.number) == 22 and c.number.startswith("SYNPJ53") for c in skills)
    assert all(c.achievement_key == f"demo-skill:{c.holder_id}" for c in skills)
    assert Certificate.objects.filter(type__kind=Kind.AWARD).count() == 1
    # statuses
    found = statuses()
    assert {"valid", "expired", "revoked", "suspended"} <= set(found)
    assert found["revoked"] == 1 and found["suspended"] == 1
    revoked = Certificate.objects.get(status=Certificate.Status.REVOKED)
    assert revoked.revocation_reason == Certificate.Reason.FRAUD
    assert revoked.achievement_key.startswith("completion:")
    expired = Certificate.objects.get(achievement_key__startswith="demo-expired:")
    assert expired.expires_on < AS_OF and expired.type.validity == "in_service_hours"
    for label in ("skill", "award", "expired", "revoked", "suspended"):
        assert f"  {label}" in out
    assert "/V/" in out


def test_caregiver_has_a_valid_certificate_with_a_pdf_and_only_theirs_are_rendered(learning_demo):
    seed()
    own = Certificate.objects.filter(holder__user__username="caregiver")
    assert {c.type.kind for c in own} == {Kind.TRAINING, Kind.SKILL, Kind.AWARD}
    valid = [c for c in own if certificate_status(status=c.status, expires_on=c.expires_on, today=AS_OF) == "valid"]
    assert valid
    for certificate in own:
        assert certificate.pdf and certificate.pdf_sha256
        with certificate.pdf.open("rb") as file:
            assert file.read(4) == b"%PDF"
    assert not Certificate.objects.exclude(holder__user__username="caregiver").exclude(pdf="").exists()


def test_idempotent(learning_demo):
    seed()
    before = state()
    out = seed()
    assert state() == before
    assert "0 completion certificates, 0 skill, 0 award, 0 expired, 0 revoked, 0 suspended" in out
    assert IssuanceBatch.objects.count() == 1


def test_new_completions_are_certified_on_the_next_run(learning_demo):
    seed()
    certificate = Certificate.objects.filter(achievement_key__startswith="completion:").exclude(
        status=Certificate.Status.REVOKED
    )[0]
    certificate.delete()  # as if the completion had happened after the first run
    out = seed()
    assert "1 completion certificates" in out
    assert statuses()["revoked"] == 1


def test_reset_starts_again_and_clear_only_deletes(learning_demo, django_capture_on_commit_callbacks):
    seed()
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    out = seed("--reset")
    assert "Deleted certificate data" in out
    assert sorted(Certificate.objects.values_list("number", flat=True)) == numbers
    assert IssuanceBatch.objects.count() == 1
    files = [c.pdf for c in Certificate.objects.exclude(pdf="")]
    assert files and all(f.storage.exists(f.name) for f in files)
    with django_capture_on_commit_callbacks(execute=True):
        seed("--clear")
    assert not Certificate.objects.exists()
    assert not any(f.storage.exists(f.name) for f in files)


def test_needs_the_learning_demo(db):
    with pytest.raises(CommandError, match="seed_demo"):
        seed()


def test_refused_without_demo_data_allowed(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="DEMO_DATA_ALLOWED"):
        seed()


def test_renders_are_deferred_only_inside_the_context():
    from certificates import tasks

    original = tasks.render_pdf_task.delay
    with demo.deferred_rendering() as calls:
        tasks.render_pdf_task.delay(7)
        tasks.render_pdf_task.delay(8, force=True)
    assert calls == [(7, False), (8, True)]
    assert tasks.render_pdf_task.delay == original


def test_start_seeds_the_certificates_after_the_courses(db, monkeypatch):
    from cms.management.commands import start

    calls = []
    monkeypatch.setattr(start, "call_command", lambda name, *a, **kw: calls.append(name))
    call_command("start", "--no-serve", stdout=StringIO())
    assert calls == [
        "migrate",
        "seed_demo",
        "seed_demo_learning",
        "seed_demo_certificates",
        "seed_demo_exams",
        "seed_demo_reports",
        "seed_demo_subsidies",
        "seed_demo_competitions",
    ]
