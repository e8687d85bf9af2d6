"""Bulk issuance of 10,000 certificates (signatures + rows) against the bare Ed25519 signing loop.

* issue: the admin's bulk path, ``services.batch_create`` (one batch of 10,000 course completions) then
  ``services.batch_issue_run`` (what the batch task runs: committed chunks of 100, each certificate through
  ``completion_certificate`` → ``certificate_issue``: number and status index counters, frozen snapshot and
  digest, Ed25519 signature, row insert, audit entry, and the PDF render task queued on commit);
* bare: ``signing.sign(key, payload.to_bytes(claims))`` over the same claims (decoded from the issued
  payloads outside the timing; the signatures must come out identical).

PDFs are not rendered here. The batch path has no switch for that (``certificate_issue(render=False)`` is
not reachable from ``batch_issue_run``), so Celery is pointed at kombu's in-memory transport for the
duration: every ``render_pdf_task.delay`` is serialised and published as in production, to a queue that
nothing consumes (the table shows the messages and the time spent publishing them). The Redis round trip
of a real broker is left out; ``test_certificate_pdfs`` measures rendering through real workers.

Each is run ``BENCH_REPEATS`` times (default 3) from no certificates, in turns; the table shows medians.
SQLite (in memory, ``cms.settings.test``) by default, PostgreSQL when ``DATABASE_URL`` is set.
Target: issue / bare <= 10. Knobs: ``BENCH_CERTS`` (10000), ``BENCH_REPEATS`` (3), ``BENCH_PROFILE=1``
(cProfile one issue run first).
"""

from __future__ import annotations

import os
import statistics
import time
from collections import Counter as Tally

import pytest
from django.db import connection

from certificates import payload, signing
from certificates.models import Certificate, Counter, IssuanceBatch
from certificates.services import batch_create, batch_issue_run, key_rotate
from certificates.services.keys import private_key

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db(transaction=True)]

CERTS = int(os.environ.get("BENCH_CERTS", "10000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
TARGET_RATIO = 10.0


@pytest.fixture
def memory_broker():
    """Celery publishes to kombu's in-memory transport (not eagerly in process) while the test runs."""
    from kombu.transport import memory

    from cms.celery import app

    saved = {k: app.conf[k] for k in ("task_always_eager", "broker_url", "result_backend")}

    def fresh_pool():
        if app._pool is not None:  # a pool bound to another broker URL
            app._pool.force_close_all()
            app._pool = None
        app.amqp._producer_pool = None

    fresh_pool()
    app.conf.update(task_always_eager=False, broker_url="memory://", result_backend=None)
    memory.Channel.queues.clear()
    yield memory.Channel.queues
    memory.Channel.queues.clear()
    fresh_pool()
    app.conf.update(saved)


def _queued(queues) -> Tally:
    """Task names of the messages waiting in the in-memory queues."""
    return Tally(message["headers"]["task"] for q in queues.values() for message in list(q.queue))


def _no_certificates() -> None:
    """Back to no certificates, numbers and audit entries (plain DELETEs: nothing else refers to them here)."""
    from wagtail.models import ModelLogEntry

    for qs in (
        Certificate.objects.all(),
        IssuanceBatch.objects.all(),
        Counter.objects.all(),
        ModelLogEntry.objects.filter(action__startswith="certificates."),
    ):
        qs._raw_delete(qs.db)


def test_bulk_issuance_within_10x_of_bare_signing(memory_broker, monkeypatch):
    from cms.celery import app
    from tests.benchmarks.certificate_db import completions

    publishing = [0.0]  # seconds spent publishing task messages during the current issue run
    send_task = app.send_task

    def timed_send_task(*args, **kwargs):
        start = time.perf_counter()
        try:
            return send_task(*args, **kwargs)
        finally:
            publishing[0] += time.perf_counter() - start

    monkeypatch.setattr(app, "send_task", timed_send_task)

    admin, ids = completions(CERTS)
    key = key_rotate()  # the signing key exists before the timing, as in any running installation
    private = private_key(key)

    def issue() -> None:
        batch = batch_create(completion_ids=ids, actor=admin)
        batch = batch_issue_run(batch_id=batch.pk)
        assert (batch.issued, batch.failed) == (CERTS, 0), batch.errors[:3]

    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        _no_certificates()
        cProfile.runctx("issue()", globals(), locals(), sort=os.environ.get("BENCH_PROFILE_SORT", "tottime"))

    def timed_issue() -> None:
        _no_certificates()
        memory_broker.clear()
        publishing[0] = 0.0
        start, cpu = time.perf_counter(), time.process_time()
        issue()
        times["issue"].append(time.perf_counter() - start)
        cpu_times["issue"].append(time.process_time() - cpu)
        queueing.append(publishing[0])

    # One issue run first: its payloads give the bare loop the same claims.
    times, queueing = {"issue": [], "bare": []}, []
    cpu_times = {"issue": [], "bare": []}  # this process's CPU seconds: steadier than wall time on a busy machine
    timed_issue()
    queued = _queued(memory_broker)
    assert queued["certificates.tasks.batch_issue_task"] == 1, queued
    assert any("render" in name for name in queued), f"no PDF render queued: {dict(queued)}"
    issued = list(Certificate.objects.order_by("pk").values_list("payload", flat=True))
    decoded = [payload.decode(text) for text in issued]
    claims = [c for c, _body, _signature in decoded]
    assert len({c.number for c in claims}) == CERTS

    def bare() -> list[bytes]:
        return [signing.sign(private, payload.to_bytes(c)) for c in claims]

    signatures = bare()
    assert signatures == [signature for _c, _body, signature in decoded]  # the same bodies, signed alike

    for turn in range(2 * REPEATS - 1):  # bare, issue, bare, issue, bare (after the first issue)
        if turn % 2:
            timed_issue()
        else:
            start, cpu = time.perf_counter(), time.process_time()
            bare()
            times["bare"].append(time.perf_counter() - start)
            cpu_times["bare"].append(time.process_time() - cpu)
    assert Certificate.objects.count() == CERTS
    assert list(Certificate.objects.order_by("pk").values_list("payload", flat=True)) == issued  # deterministic

    issue_s, bare_s = statistics.median(times["issue"]), statistics.median(times["bare"])
    ratio = issue_s / bare_s
    vendor = f"{connection.vendor} ({connection.settings_dict['NAME']})"
    lines = [
        "",
        f"Certificate issuance benchmark: {CERTS} certificates through batch_create + batch_issue_run "
        f"(render tasks published to memory://, not rendered); median of {REPEATS}; {vendor}",
        f"{'run':<8}{'median s':>10}{'certs/s':>10}{'us/cert':>10}   runs s",
        *(
            f"{name:<8}{statistics.median(t):>10.3f}{CERTS / statistics.median(t):>10.0f}"
            f"{statistics.median(t) / CERTS * 1e6:>10.0f}   {', '.join(f'{x:.3f}' for x in t)}"
            for name, t in times.items()
        ),
        f"issue / bare = {ratio:.2f} (target <= {TARGET_RATIO:g}); in this process's CPU time "
        f"{statistics.median(cpu_times['issue']):.3f} s / {statistics.median(cpu_times['bare']):.3f} s = "
        f"{statistics.median(cpu_times['issue']) / statistics.median(cpu_times['bare']):.2f}",
        f"of the issue run, publishing the task "
        f"messages ({', '.join(f'{n} {name}' for name, n in sorted(queued.items()))}) to memory:// took "
        f"{statistics.median(queueing):.3f} s (median)",
    ]
    print("\n".join(lines))
    assert ratio <= TARGET_RATIO, f"bulk issuance {ratio:.1f}x the bare signing loop (target <= {TARGET_RATIO:g}x)"
