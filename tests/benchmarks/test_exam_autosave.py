"""Exam autosave benchmark: simulated candidates of one sitting against gunicorn on PostgreSQL (RUN_BENCHMARKS=1).

1. A fresh database ``tuoyu_bench_exam`` is created, migrated and filled (``exam_db setup``) in subprocesses:
   one sitting, BENCH_EXAM_CANDIDATES candidates (+ others for the ceilings), each with a started attempt of
   BENCH_EXAM_QUESTIONS questions drawn by the real service.
2. gunicorn serves the product plus the bare JSON view (``bench_settings``/``bench_urls``) on loopback.
3. A separate load generator (``exam_load``): alternating rounds of the bare view's ceiling and the autosave
   endpoint's ceiling (max rate, same client; medians), then the sitting: every candidate answers every question
   (with changes of mind, late stale copies and replays) at BENCH_EXAM_RATE saves/s offered in all.
4. The count: every candidate's questions in the database hold exactly the newest answer sent (seq and response),
   every new save was applied once and every replay or stale copy was refused as already saved.

Targets: autosave ceiling ≥ 40 % of the bare ceiling, sitting p99 < 150 ms, zero lost or duplicated answers.

Knobs: BENCH_EXAM_CANDIDATES (1000), BENCH_EXAM_QUESTIONS (100), BENCH_EXAM_RATE (0 = 60 % of the measured
autosave ceiling), BENCH_CEILING_SECONDS (8), BENCH_ROUNDS (3), BENCH_WORKERS (5), BENCH_CONCURRENCY (16),
BENCH_EXAM_DATABASE_URL (postgres://postgres@127.0.0.1:5432/tuoyu_bench_exam), BENCH_CACHE_URL
(redis://127.0.0.1:6379/8), BENCH_PORT (18323).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from .test_heartbeats import ROOT, _fresh_database, _median_run, _run, _wait_for_port

pytestmark = pytest.mark.benchmark

CANDIDATES = int(os.environ.get("BENCH_EXAM_CANDIDATES", "1000"))
QUESTIONS = int(os.environ.get("BENCH_EXAM_QUESTIONS", "100"))
RATE = float(os.environ.get("BENCH_EXAM_RATE", "0"))
CEILING_SECONDS = float(os.environ.get("BENCH_CEILING_SECONDS", "8"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "5"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
DATABASE_URL = os.environ.get("BENCH_EXAM_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tuoyu_bench_exam")
PORT = int(os.environ.get("BENCH_PORT", "18323"))
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/8")
TARGET_RATIO, TARGET_P99_MS = 0.40, 150.0


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    # The cache on Redis, as in production: per-process memory caches hold 300 entries, fewer than the sitting's
    # sessions and papers, so every worker would keep evicting and re-reading them from the database.
    env.update(CACHE_URL=CACHE_URL, DATABASE_URL=DATABASE_URL, DJANGO_SETTINGS_MODULE="tests.benchmarks.bench_settings",
               MEDIA_ROOT=tempfile.mkdtemp(prefix="tuoyu-bench-media-"), PYTHONPATH=str(ROOT))  # fmt: skip
    return env


def _load(mode: str, setup_file: Path, seconds: float, env: dict, rate: float = 0.0) -> dict:
    out = _run(sys.executable, "-m", "tests.benchmarks.exam_load", mode, str(setup_file), str(PORT), str(seconds),
               str(CONCURRENCY), str(rate), env=env, timeout=seconds + 300)  # fmt: skip
    return json.loads(out)


def _row(name: str, r: dict) -> str:
    other = {k: v for k, v in r["statuses"].items() if k != "200"} or "-"
    return (
        f"| {name} | {r['requests']} | {r['ok']} | {other} | {r['rate']:.1f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} |"
    )


def test_exam_autosave_under_load(capsys):
    env = _env()
    _fresh(env)
    work = Path(tempfile.mkdtemp(prefix="tuoyu-bench-exam-"))
    ceiling_candidates = max(CONCURRENCY * 8, 64)
    _run(sys.executable, "-m", "tests.benchmarks.exam_db", "setup", str(CANDIDATES + ceiling_candidates),
         str(QUESTIONS), str(work / "all.json"), env=env, timeout=3600)  # fmt: skip
    setup = json.loads((work / "all.json").read_text())
    (work / "sitting.json").write_text(json.dumps(setup | {"candidates": setup["candidates"][:CANDIDATES]}))
    (work / "ceiling.json").write_text(json.dumps(setup | {"candidates": setup["candidates"][CANDIDATES:]}))

    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "tests.benchmarks.bench_wsgi:application", "--bind", f"127.0.0.1:{PORT}",
         "--workers", str(WORKERS), "--worker-class", "sync", "--backlog", "2048", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        _wait_for_port(PORT, server)
        _load("ceiling-bare", work / "ceiling.json", 2, env)  # warm up connections and imports
        _load("ceiling-save", work / "ceiling.json", 2, env)  # and each worker's cached papers
        rounds = [
            (_load("ceiling-bare", work / "ceiling.json", CEILING_SECONDS, env),
             _load("ceiling-save", work / "ceiling.json", CEILING_SECONDS, env))
            for _ in range(ROUNDS)
        ]  # fmt: skip
        bare = _median_run([b for b, _s in rounds])
        save_ceiling = _median_run([s for _b, s in rounds])
        rate = RATE or round(0.6 * save_ceiling["rate"], 1)
        expected_seconds = CANDIDATES * QUESTIONS * 1.1 / rate
        sitting = _load("sitting", work / "sitting.json", expected_seconds * 3 + 60, env, rate)
    finally:
        server.terminate()
        try:
            _, errors = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            _, errors = server.communicate()
    stored = json.loads(_run(sys.executable, "-m", "tests.benchmarks.exam_db", "verify", env=env, timeout=600))

    ratio = save_ceiling["rate"] / bare["rate"] if bare["rate"] else 0.0
    per_round = ", ".join(f"{s['rate'] / b['rate']:.2f}" for b, s in rounds if b["rate"])
    lines = [
        "",
        f"Exam autosave: {CANDIDATES} candidates x {QUESTIONS} questions in one sitting; gunicorn {WORKERS} sync "
        f"workers, PostgreSQL; ceilings with {CONCURRENCY} concurrent clients, {ROUNDS} alternating rounds of "
        f"{CEILING_SECONDS:.0f} s",
        "| run | requests | 200 | other statuses | req/s | p50 ms | p99 ms |",
        "|---|---|---|---|---|---|---|",
        _row("bare JSON view, max rate", bare),
        _row("autosave, max rate", save_ceiling),
        _row(f"sitting: {CANDIDATES} candidates, offered {rate:.0f}/s", sitting),
        f"autosave ceiling / bare ceiling = {ratio:.2f} (per round {per_round}); sitting sustained "
        f"{sitting['rate']:.1f} saves/s over {sitting['elapsed']:.0f} s",
    ]

    # ---- the count ----
    answered = lost = wrong = 0
    applied = expected_applied = stale_ok = stale_sent = 0
    for record in sitting["candidates"]:
        rows = {position: (seq, response) for position, seq, response in stored[str(record["attempt"])]}
        if len(rows) != QUESTIONS:
            wrong += 1
        for position, (seq, response) in record["final"].items():
            got = rows.get(int(position))
            if got is None or got[1] is None:
                lost += 1
            elif list(got) != [seq, response]:
                wrong += 1
        answered += sum(1 for _seq, response in rows.values() if response is not None)
        applied, expected_applied = applied + record["applied"], expected_applied + record["expected_applied"]
        stale_ok, stale_sent = stale_ok + record["stale_ok"], stale_sent + record["stale_sent"]
    lines.append(
        f"answers in the database: {answered} (expected {CANDIDATES * QUESTIONS}); lost {lost}, wrong {wrong}; "
        f"new saves applied {applied} of {expected_applied}; replays and stale copies refused {stale_ok} of "
        f"{stale_sent}"
    )
    with capsys.disabled():
        print("\n".join(lines))

    assert "Traceback" not in (errors or ""), errors[-3000:]
    assert not {k for k in sitting["statuses"] if k != "200"}, sitting["statuses"]
    assert answered == CANDIDATES * QUESTIONS and lost == wrong == 0
    assert applied == expected_applied and stale_ok == stale_sent
    assert ratio >= TARGET_RATIO, f"autosave ceiling ratio {ratio:.2f} < {TARGET_RATIO}"
    assert sitting["p99_ms"] < TARGET_P99_MS, f"sitting p99 {sitting['p99_ms']:.1f} ms"


def _fresh(env: dict) -> None:
    """``test_heartbeats._fresh_database`` on this benchmark's database."""
    from . import test_heartbeats

    saved = test_heartbeats.DATABASE_URL
    test_heartbeats.DATABASE_URL = DATABASE_URL
    try:
        _fresh_database(env)
        _run(sys.executable, "manage.py", "shell", "-c", "from django.core.cache import cache; cache.clear()", env=env)
    finally:
        test_heartbeats.DATABASE_URL = saved
