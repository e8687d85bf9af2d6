"""Certificate PDFs through real Celery workers on Redis and PostgreSQL, against rendering in a plain loop.

1. A fresh database ``tuoyu_bench_pdf`` is created, migrated and given ``BENCH_PDFS`` certificates (plus a few
   for warming up) without PDFs (``certificate_db issue``), in subprocesses; the test's own database is not
   used.
2. ``BENCH_PDF_WORKERS`` worker processes (``celery -A cms worker --pool=solo``, as ``tests/test_celery_worker.py``
   starts one) consume a queue private to this run on ``BENCH_BROKER_URL`` (Redis; the product's
   settings keep task results there too).
3. In turns, ``BENCH_REPEATS`` times (the PDFs are forgotten between runs):

   * **workers** (``certificate_db pdf-queue``): one process queues ``render_pdf_task`` for every certificate,
     as ``certificate_issue`` does on commit, and polls the database until every PDF is stored: from the
     first message to the last stored PDF, each task loading its certificate, rendering (``certificate_pdf``),
     storing the file in the private certificate storage and the row's hash under a row lock, with its audit
     entry;
   * **loop** (``certificate_db pdf-loop``): ``render.certificate_pdf`` called in a loop in one process on the
     same snapshots and verify URLs (loaded beforehand), nothing stored.

The table shows medians: certificates per second end to end and per worker process, the loop's, and the loop
÷ per-worker ratio (what queueing, loading and storing add to each worker's rendering; 1.0 = nothing).
Knobs: BENCH_PDFS (500), BENCH_PDF_WORKERS (2), BENCH_REPEATS (3), BENCH_BROKER_URL
(redis://127.0.0.1:6379/14), BENCH_PDF_DATABASE_URL (postgres://postgres@127.0.0.1:5432/tuoyu_bench_pdf).
Skipped when Redis is not reachable (unless REQUIRE_SERVICES=1).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.benchmarks.certificate_procs import ROOT, bench_env, fresh_database, run

pytestmark = pytest.mark.benchmark

PDFS = int(os.environ.get("BENCH_PDFS", "500"))
WORKERS = int(os.environ.get("BENCH_PDF_WORKERS", "2"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")
DATABASE_URL = os.environ.get("BENCH_PDF_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tuoyu_bench_pdf")
WAIT_SECONDS = 600


def _require_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    except (redis.exceptions.RedisError, OSError) as exc:
        reason = f"Redis is not reachable at {BROKER_URL}: {exc}"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason} (REQUIRE_SERVICES=1)")
        pytest.skip(reason)


@contextmanager
def _workers(count: int, queue: str, env: dict):
    """``count`` solo-pool workers on ``queue``, answering pings before the block starts."""
    from celery import Celery

    client = Celery("tuoyu-bench-client", broker=BROKER_URL, backend=BROKER_URL)
    logs = [Path(tempfile.gettempdir()) / f"{queue}-{i}.log" for i in range(count)]
    procs = []
    try:
        for i, log in enumerate(logs):
            with log.open("wb") as out:
                procs.append(subprocess.Popen(  # noqa: S603
                    [sys.executable, "-m", "celery", "-A", "cms", "worker", "--pool=solo", "--without-heartbeat",
                     "--without-mingle", "--without-gossip", "-Q", queue, "-n", f"{queue}-{i}@%h", "-l", "WARNING"],
                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                ))  # fmt: skip
        deadline, ready = time.monotonic() + 60, set()
        while len(ready) < count:
            for proc, log in zip(procs, logs, strict=True):
                assert proc.poll() is None, f"a Celery worker exited:\n{log.read_text(errors='replace')}"
            ready |= {name for reply in client.control.ping(timeout=1) for name in reply if name.startswith(queue)}
            assert time.monotonic() < deadline, f"only {len(ready)} of {count} workers answered within 60 s"
        yield logs
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        client.close()


def test_pdfs_through_celery_workers():
    _require_redis()
    env = bench_env(DATABASE_URL, CELERY_BROKER_URL=BROKER_URL)
    fresh_database(DATABASE_URL, env)
    work = Path(tempfile.mkdtemp(prefix="tuoyu-bench-pdf-"))
    warm = 2 * WORKERS
    run(sys.executable, "-m", "tests.benchmarks.certificate_db", "issue", str(PDFS + warm), str(work / "all.json"),
        env=env)  # fmt: skip
    everything = json.loads((work / "all.json").read_text())["certificates"]
    (work / "warm.json").write_text(json.dumps({"certificates": everything[:warm]}))
    (work / "run.json").write_text(json.dumps({"certificates": everything[warm:]}))

    def step(command: str, *args: str) -> dict:
        out = run(sys.executable, "-m", "tests.benchmarks.certificate_db", command, *args, env=env,
                  timeout=WAIT_SECONDS + 60)  # fmt: skip
        return json.loads(out) if out.strip() else {}

    queue = f"tuoyu-bench-pdf-{uuid.uuid4().hex[:10]}"
    runs: dict[str, list[dict]] = {"workers": [], "loop": []}
    with _workers(WORKERS, queue, env) as logs:
        step("pdf-queue", str(work / "warm.json"), queue, str(WAIT_SECONDS))  # imports, font, connections
        for turn in range(REPEATS):
            if turn:
                step("pdf-reset", str(work / "run.json"))
            runs["workers"].append(step("pdf-queue", str(work / "run.json"), queue, str(WAIT_SECONDS)))
            runs["loop"].append(step("pdf-loop", str(work / "run.json")))
        worker_logs = "\n".join(log.read_text(errors="replace") for log in logs)
    for log in logs:
        log.unlink(missing_ok=True)

    workers_s = statistics.median(r["seconds"] for r in runs["workers"])
    loop_s = statistics.median(r["seconds"] for r in runs["loop"])
    e2e_rate, loop_rate = PDFS / workers_s, PDFS / loop_s
    per_worker = e2e_rate / WORKERS
    ratio = loop_rate / per_worker
    each = {name: ", ".join(f"{r['seconds']:.2f}" for r in rs) for name, rs in runs.items()}
    lines = [
        "",
        f"Certificate PDFs: {PDFS} certificates; {WORKERS} Celery worker processes (solo pool) on {BROKER_URL}, "
        f"PostgreSQL; median of {REPEATS}",
        "| run | median s | certificates/s | per process /s | ms per PDF and process | runs s |",
        "|---|---|---|---|---|---|",
        f"| render_pdf_task on {WORKERS} workers, end to end | {workers_s:.2f} | {e2e_rate:.1f} | {per_worker:.1f} | "
        f"{1000 / per_worker:.1f} | {each['workers']} |",
        f"| certificate_pdf() loop, 1 process | {loop_s:.2f} | {loop_rate:.1f} | {loop_rate:.1f} | "
        f"{1000 / loop_rate:.1f} (median {statistics.median(r['median_ms'] for r in runs['loop']):.1f}) | "
        f"{each['loop']} |",
        f"loop / per-worker = {ratio:.2f} (queue + load + store overhead per worker process: "
        f"{1000 / per_worker - 1000 / loop_rate:.1f} ms per certificate); "
        f"PDF size ~{runs['workers'][0]['sample_bytes']:.0f} bytes; queueing {PDFS} tasks took "
        f"{statistics.median(r['queue_seconds'] for r in runs['workers']):.2f} s",
    ]
    print("\n".join(lines))

    for r in runs["workers"]:
        assert r["stored"] == PDFS, r
    assert "Traceback" not in worker_logs, worker_logs[-3000:]
