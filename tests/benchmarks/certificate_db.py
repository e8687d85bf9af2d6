"""Database side of the certificate benchmarks: building the world, and the steps run in subprocesses.

The in-process issuance benchmark (``test_certificate_issuance``) imports :func:`completions`; the PDF and
verify benchmarks run the commands below in subprocesses with ``DJANGO_SETTINGS_MODULE`` pointing at their
own database (``bench_settings_certificates``), so their test process never touches it.

``python -m tests.benchmarks.certificate_db issue N OUT.json``
    N course completions (one course, N holders), each certified through ``certificate_issue`` (the
    training type, the course's provider, ``render=False``); writes the certificate ids and payloads.
``python -m tests.benchmarks.certificate_db pdf-queue IN.json QUEUE TIMEOUT``
    Queues ``render_pdf_task`` for every certificate of IN.json on QUEUE (the running workers' private
    queue) and waits until every PDF is stored; prints the end-to-end seconds and a check of the stored PDFs.
``python -m tests.benchmarks.certificate_db pdf-loop IN.json``
    The baseline: ``render.certificate_pdf`` in a loop in this one process, on the same snapshots and verify
    URLs (loaded before the timing); prints the seconds and the median per document.
``python -m tests.benchmarks.certificate_db pdf-reset IN.json``
    Forget the stored PDFs (files and fields) so that the next run renders them again.
``python -m tests.benchmarks.certificate_db verify-log``
    How many verification log rows the API wrote, by result.

Everything is deterministic within a day: names, ID numbers, the completion date (yesterday) and thus
numbers, snapshots and payloads (Ed25519 signatures are deterministic; only the key is new in each database).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as time_of_day
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.benchmarks.bench_settings_certificates")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "秀英丽敏静芳娜玉兰华红梅霞燕萍"


def _id_number(n: int) -> str:
    from lms.registry.validators import id_check_char

    born = date(1970, 1, 1) + timedelta(days=n % 10950)
    first17 = f"530302{born:%Y%m%d}{n // 10950:03d}"
    return first17 + id_check_char(first17)


def _name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)] + GIVEN[(i // 7) % len(GIVEN)]


def completions(n: int) -> tuple[object, list[int]]:
    """A training provider's course and ``n`` holders who completed it (bulk-written, no certificates):
    returns (the platform admin who issues, the completion ids in order)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from wagtail.models import Page

    from certificates.models import CertificateType
    from lms.learning.models import CourseCompletion, CoursePage, Enrollment, ProviderCatalogue, TrainingCatalogue
    from lms.registry.models import Person
    from lms.registry.services.people import id_fields
    from lms.registry.validators import parse_id_number
    from tests import factories as f

    if not CertificateType.objects.filter(code="training", active=True).exists():  # flushed by an earlier test
        from importlib import import_module

        for row in import_module("certificates.migrations.0002_seed_certificate_types").TYPES:
            CertificateType.objects.get_or_create(code=row["code"], defaults={**row, "layout": row["code"]})
    root = Page.get_first_root_node()
    catalogue = root.add_child(instance=TrainingCatalogue(title="培训课程", slug="bench-courses"))
    provider = f.TrainingProviderFactory(name="曲靖市职业培训学校", body_code="QJPX")
    section = catalogue.add_child(instance=ProviderCatalogue(title=provider.name, slug="bench-p", provider=provider))
    course = section.add_child(
        instance=CoursePage(title="婴幼儿回应性照护", slug="bench-cert-course", kind="pre_job",
                            occupation="childcare_worker", required_hours=Decimal("64.0"))
    )  # fmt: skip
    admin = get_user_model().objects.create_user("bench-cert-admin", password="x-Bench-123", is_superuser=True)
    people = Person.objects.bulk_create(
        [Person(name=_name(i), **id_fields(parse_id_number(_id_number(i)))) for i in range(n)], batch_size=1000
    )
    # Every completion yesterday at 10:00: the same numbers and snapshots in every run of a day, and training
    # certificates (valid to 31 March of the next year) are valid whenever the benchmark runs.
    done = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=1), time_of_day(10, 0)))
    enrollments = Enrollment.objects.bulk_create(
        [Enrollment(person=p, course=course, status=Enrollment.Status.COMPLETED, completed_at=done) for p in people],
        batch_size=1000,
    )
    rows = CourseCompletion.objects.bulk_create(
        [
            CourseCompletion(enrollment=e, person=p, course=course, hours=Decimal("64.0"), completed_at=done)
            for e, p in zip(enrollments, people, strict=True)
        ],
        batch_size=1000,
    )
    return admin, [c.pk for c in rows]


def issue(n: int, out: str) -> None:
    """N certificates, issued one by one through ``certificate_issue`` (no PDF queued); their ids and payloads."""
    from django.utils import timezone

    from certificates import selectors
    from certificates.services import certificate_issue
    from lms.learning.models import CourseCompletion
    from lms.registry.models import TrainingProvider

    admin, ids = completions(n)
    type = selectors.training_type()
    provider = TrainingProvider.objects.select_related("region").get(body_code="QJPX")
    certificates = []
    for completion in CourseCompletion.objects.select_related("person", "course").filter(pk__in=ids).order_by("pk"):
        certificate, created = certificate_issue(
            type=type,
            holder=completion.person,
            achievement_key=selectors.completion_key(completion.pk),
            snapshot_fields={"occupation": "childcare_worker", "course_title": completion.course.title,
                             "hours": f"{completion.hours:.1f}", "training_kind": completion.course.kind},
            actor=admin,
            issued_on=timezone.localdate(completion.completed_at),
            provider=provider,
            render=False,
        )  # fmt: skip
        assert created
        certificates.append({"id": certificate.pk, "payload": certificate.payload, "number": certificate.number})
    with open(out, "w") as fh:
        json.dump({"certificates": certificates}, fh)


def _ids(path: str) -> list[int]:
    with open(path) as fh:
        return [c["id"] for c in json.load(fh)["certificates"]]


def pdf_queue(path: str, queue: str, timeout: float) -> None:
    """Queue a render per certificate (what ``certificate_issue`` does on commit) and wait until every PDF is
    stored (the row's hash is set last, in the render's transaction); polls the database every 20 ms, so the
    wait does not depend on task results being kept."""
    from certificates.models import Certificate
    from certificates.tasks import render_pdf_task

    ids = _ids(path)
    pending = Certificate.objects.filter(pk__in=ids, pdf_sha256="")
    assert pending.count() == len(ids), "PDFs left from a previous run"
    start = time.perf_counter()
    for pk in ids:
        render_pdf_task.apply_async(args=[pk], queue=queue)
    queued = time.perf_counter() - start
    deadline = time.monotonic() + timeout
    while pending.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"{pending.count()} of {len(ids)} PDFs not stored after {timeout:.0f} s")
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    stored = Certificate.objects.filter(pk__in=ids).exclude(pdf="").exclude(pdf_sha256="")
    sizes = [c.pdf.size for c in stored.only("pdf")[:20]]
    json.dump({"seconds": elapsed, "queue_seconds": queued, "count": len(ids), "stored": stored.count(),
               "sample_bytes": statistics.median(sizes) if sizes else 0}, sys.stdout)  # fmt: skip


def pdf_loop(path: str) -> None:
    """``certificate_pdf`` in a loop on the same inputs as the tasks (snapshot, verify URL, no photo)."""
    from certificates import render
    from certificates.models import Certificate
    from certificates.services.documents import certificate_verify_url, document_snapshot

    certificates = Certificate.objects.filter(pk__in=_ids(path)).order_by("pk")
    inputs = [(document_snapshot(c), certificate_verify_url(c)) for c in certificates]
    assert not any(c.photo for c in certificates)
    render.certificate_pdf(snapshot=inputs[0][0], verify_url=inputs[0][1], photo=None)  # font loaded, as in a worker
    times = []
    start = time.perf_counter()
    for snapshot, url in inputs:
        t0 = time.perf_counter()
        render.certificate_pdf(snapshot=snapshot, verify_url=url, photo=None)
        times.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    json.dump({"seconds": elapsed, "count": len(inputs), "median_ms": statistics.median(times) * 1000}, sys.stdout)


def pdf_reset(path: str) -> None:
    from certificates.models import Certificate

    certificates = Certificate.objects.filter(pk__in=_ids(path)).exclude(pdf="")
    for certificate in certificates:
        certificate.pdf.storage.delete(certificate.pdf.name)
    Certificate.objects.filter(pk__in=_ids(path)).update(pdf="", pdf_sha256="")


def verify_log() -> None:
    from django.db.models import Count

    from certificates.models import VerificationLog

    rows = VerificationLog.objects.values("channel", "status").annotate(n=Count("id"))
    json.dump({f"{r['channel']}:{r['status']}": r["n"] for r in rows}, sys.stdout)


if __name__ == "__main__":
    import django

    django.setup()
    command, args = sys.argv[1], sys.argv[2:]
    if command == "issue":
        issue(int(args[0]), args[1])
    elif command == "pdf-queue":
        pdf_queue(args[0], args[1], float(args[2]))
    elif command == "pdf-loop":
        pdf_loop(args[0])
    elif command == "pdf-reset":
        pdf_reset(args[0])
    elif command == "verify-log":
        verify_log()
    else:
        raise SystemExit(f"unknown command {command!r}")
