"""Verify API under load: gunicorn on PostgreSQL against a bare Django JSON GET view (RUN_BENCHMARKS=1).

1. A fresh database ``tuoyu_bench_verify`` is created, migrated and given ``BENCH_VERIFY_CERTS`` valid
   certificates (``certificate_db issue``: ``certificate_issue`` one by one, no PDFs) in subprocesses; the
   test's own database is not used.
2. gunicorn (``BENCH_WORKERS`` sync workers) serves the product plus ``/bench/bare-get/<payload>``
   (``bench_settings_certificates`` / ``bench_urls_verify``) on loopback. The verify rate limit
   (``CERTIFICATES_VERIFY_API_RATE``, 60/min per client in production) is raised to 1,000,000/min there: the
   load comes from one address, and the limiter still counts every request in the cache as it does in
   production.
3. A separate load-generator process (``certificate_load``), ``BENCH_CONCURRENCY`` anonymous clients at max
   rate, in ``BENCH_ROUNDS`` rounds of ``BENCH_CEILING_SECONDS`` each, in turns: the bare view, then
   ``GET /api/v1/certificates/verify/<payload>`` cycling over the pool (every answer must be 200 and
   ``"status": "valid"``, and the verification log must hold one row per answer).

4. Then the latency under a given load (open loop): verify requests at a steady ``BENCH_VERIFY_RATE`` per second
   (default: half the verify ceiling just measured) for ``BENCH_STEADY_SECONDS``. At saturation the latency of
   a closed loop of 16 clients is mostly queueing (16 / rate by Little's law), so the p99 target is read here.

The table shows each round and the medians. Targets: verify >= 50 % of the bare ceiling, verify p99 < 50 ms at
the steady load. Knobs: BENCH_VERIFY_CERTS (1000), BENCH_ROUNDS (3), BENCH_CEILING_SECONDS (10), BENCH_WORKERS (5),
BENCH_CONCURRENCY (16), BENCH_STEADY_SECONDS (10), BENCH_VERIFY_RATE (0 = half the verify ceiling),
BENCH_CACHE_URL (redis://127.0.0.1:6379/7), BENCH_VERIFY_DATABASE_URL (postgres://postgres@127.0.0.1:5432/tuoyu_bench_verify),
BENCH_PORT (18322).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

import pytest

from tests.benchmarks.certificate_procs import bench_env, fresh_database, gunicorn, run

pytestmark = pytest.mark.benchmark

CERTS = int(os.environ.get("BENCH_VERIFY_CERTS", "1000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CEILING_SECONDS = float(os.environ.get("BENCH_CEILING_SECONDS", "10"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "5"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
DATABASE_URL = os.environ.get("BENCH_VERIFY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tuoyu_bench_verify")
PORT = int(os.environ.get("BENCH_PORT", "18322"))
STEADY_SECONDS = float(os.environ.get("BENCH_STEADY_SECONDS", "10"))
STEADY_RATE = float(os.environ.get("BENCH_VERIFY_RATE", "0"))  # 0: STEADY_SHARE of the verify ceiling
STEADY_SHARE = 0.5
TARGET_RATIO = 0.5
TARGET_P99_MS = 50.0


def _load(mode: str, setup_file: Path, seconds: float, env: dict, knob: float = CONCURRENCY) -> dict:
    out = run(sys.executable, "-m", "tests.benchmarks.certificate_load", mode, str(setup_file), str(PORT),
              str(seconds), str(knob), env=env, timeout=seconds + 120)  # fmt: skip
    return json.loads(out)


def test_verify_api_under_load():
    env = bench_env(DATABASE_URL)
    fresh_database(DATABASE_URL, env)
    setup = Path(tempfile.mkdtemp(prefix="tuoyu-bench-verify-")) / "certificates.json"
    run(sys.executable, "-m", "tests.benchmarks.certificate_db", "issue", str(CERTS), str(setup), env=env)

    runs: dict[str, list[dict]] = {"bare": [], "verify": []}
    with gunicorn(PORT, WORKERS, env) as server:
        # Warm up each worker's connection, imports and caches (key set, URL resolver).
        _load("ceiling-bare-get", setup, 2, env)
        warm = _load("ceiling-verify", setup, 2, env)
        for _ in range(ROUNDS):
            runs["bare"].append(_load("ceiling-bare-get", setup, CEILING_SECONDS, env))
            runs["verify"].append(_load("ceiling-verify", setup, CEILING_SECONDS, env))
        rate = STEADY_RATE or round(STEADY_SHARE * statistics.median(r["rate"] for r in runs["verify"]))
        steady = _load("steady-verify", setup, STEADY_SECONDS, env, rate)
    logged = json.loads(run(sys.executable, "-m", "tests.benchmarks.certificate_db", "verify-log", env=env))

    def median(name: str, field: str) -> float:
        return statistics.median(r[field] for r in runs[name])

    lines = [
        "",
        f"Verify API: {CERTS} valid certificates; gunicorn {WORKERS} sync workers, PostgreSQL; "
        f"{CONCURRENCY} concurrent clients at max rate, {ROUNDS} rounds of {CEILING_SECONDS:g} s per view",
        "| run | round | requests | 200 | other statuses | req/s | p50 ms | p99 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, label in (("bare", "bare JSON GET view"), ("verify", "verify API")):
        for i, r in enumerate(runs[name], start=1):
            other = {k: v for k, v in r["statuses"].items() if k != "200"} or "-"
            lines.append(f"| {label} | {i} | {r['requests']} | {r['ok']} | {other} | {r['rate']:.1f} | "
                         f"{r['p50_ms']:.1f} | {r['p99_ms']:.1f} |")  # fmt: skip
        lines.append(f"| {label} | median | | | | {median(name, 'rate'):.1f} | {median(name, 'p50_ms'):.1f} | "
                     f"{median(name, 'p99_ms'):.1f} |")  # fmt: skip
    lines.append(f"| verify API, steady {rate:g}/s offered | - | {steady['requests']} | {steady['ok']} | "
                 f"{({k: v for k, v in steady['statuses'].items() if k != '200'} or '-')} | {steady['rate']:.1f} | "
                 f"{steady['p50_ms']:.1f} | {steady['p99_ms']:.1f} |")  # fmt: skip
    ratio = median("verify", "rate") / median("bare", "rate")
    p99 = steady["p99_ms"]
    lines.append(f"verify / bare = {ratio:.2f} (target >= {TARGET_RATIO:g}); verify p99 at a steady {rate:g}/s "
                 f"= {p99:.1f} ms (target < {TARGET_P99_MS:g} ms; at saturation, {CONCURRENCY} clients, it is "
                 f"{median('verify', 'p99_ms'):.1f} ms, mostly queueing); verification log: {logged}")  # fmt: skip
    print("\n".join(lines))

    assert "Traceback" not in server["errors"], server["errors"][-3000:]
    for r in runs["bare"] + runs["verify"]:
        assert r["ok"] > 0 and set(r["statuses"]) == {"200"}, r["statuses"]
    assert steady["ok"] > 0 and set(steady["statuses"]) == {"200"}, steady["statuses"]
    for r in [*runs["verify"], steady]:
        assert r["valid"] == r["ok"], f"{r['ok'] - r['valid']} verify answers were not 'valid'"
    answered = warm["ok"] + sum(r["ok"] for r in runs["verify"]) + steady["ok"]
    assert logged == {"api:valid": answered}, (logged, answered)
    assert ratio >= TARGET_RATIO, f"verify ceiling is {ratio:.2f} of the bare view's (target >= {TARGET_RATIO:g})"
    assert p99 < TARGET_P99_MS, f"verify p99 {p99:.1f} ms at a steady {rate:g}/s (target < {TARGET_P99_MS:g} ms)"
