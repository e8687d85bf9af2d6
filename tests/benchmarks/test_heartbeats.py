"""Heartbeat benchmark: simulated learners' players against gunicorn on PostgreSQL (RUN_BENCHMARKS=1).

1. A fresh database ``tuoyu_bench`` is created, migrated and filled (``heartbeat_db setup``) in
   subprocesses; the test's own database is not used.
2. gunicorn serves the product plus a bare JSON view (``bench_settings``/``bench_urls``) on loopback.
3. A separate load-generator process (``heartbeat_load``): the bare view's ceiling, the heartbeat
   endpoint's ceiling (both at max rate, same client), then BENCH_LEARNERS players each sending a
   heartbeat every 10 s for BENCH_SECONDS.
4. The credit check: the seconds and hours in the database are exactly what the players were
   entitled to under the progress rules, given when their heartbeats could have reached the server.

Knobs: BENCH_LEARNERS (500), BENCH_SECONDS (60), BENCH_CEILING_SECONDS (8), BENCH_ROUNDS (3), BENCH_WORKERS (5),
BENCH_CONCURRENCY (16), BENCH_VIDEO_SECONDS (40), BENCH_DATABASE_URL
(postgres://postgres@127.0.0.1:5432/tuoyu_bench), BENCH_PORT (18321).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from lms.learning import progress as rules

pytestmark = pytest.mark.benchmark

ROOT = Path(__file__).resolve().parents[2]
LEARNERS = int(os.environ.get("BENCH_LEARNERS", "500"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
CEILING_SECONDS = float(os.environ.get("BENCH_CEILING_SECONDS", "8"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "5"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
VIDEO_SECONDS = float(os.environ.get("BENCH_VIDEO_SECONDS", "40"))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tuoyu_bench")
PORT = int(os.environ.get("BENCH_PORT", "18321"))
RATIO = 0.9  # the course's default share of a video to watch


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DATABASE_URL=DATABASE_URL, DJANGO_SETTINGS_MODULE="tests.benchmarks.bench_settings",
               MEDIA_ROOT=tempfile.mkdtemp(prefix="tuoyu-bench-media-"), PYTHONPATH=str(ROOT))  # fmt: skip
    return env


def _run(*args: str, env: dict, timeout: float = 600) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done.stdout


def _fresh_database(env: dict) -> None:
    url = urlparse(DATABASE_URL)
    name, admin = url.path.lstrip("/"), env | {"PGPASSWORD": url.password or ""}
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        _run("psql", "-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres",
             "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql, env=admin)  # fmt: skip
    _run(sys.executable, "manage.py", "migrate", "-v0", env=env)


def _wait_for_port(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn exited"
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("gunicorn did not start")


def _load(mode: str, setup_file: str, seconds: float, env: dict) -> dict:
    out = _run(sys.executable, "-m", "tests.benchmarks.heartbeat_load", mode, setup_file, str(PORT), str(seconds),
               str(CONCURRENCY), env=env, timeout=seconds + 120)  # fmt: skip
    return json.loads(out)


def _median_run(runs: list[dict]) -> dict:
    """The run with the median rate (its latencies and counts are reported with it)."""
    return sorted(runs, key=lambda r: r["rate"])[len(runs) // 2]


def entitlement(beats: list[dict], durations: dict[int, float]) -> tuple[dict[int, float], dict[int, float]]:
    """Bounds of what the server must have credited per lesson, from the player's send/receive times.

    The server applies a heartbeat at some moment between its send and its receive; the budget of a
    heartbeat depends on the time since the learner's previous applied one, which therefore lies in
    [sent_k - received_(k-1), received_k - sent_(k-1)]. With an idle server both bounds agree.
    """
    low, high = {}, {}
    previous = None
    for beat in beats:
        if beat["status"] != 200:
            if beat["status"] == 0:  # unknown whether it was applied: it may have credited its segment
                high[beat["lesson"]] = high.get(beat["lesson"], 0.0) + beat["seg"]
            continue
        if previous is None:
            b_low = b_high = rules.budget(None)
        else:
            b_low = rules.budget(max(0.0, beat["sent"] - previous["recv"]))
            b_high = rules.budget(beat["recv"] - previous["sent"])
        low[beat["lesson"]] = low.get(beat["lesson"], 0.0) + min(beat["seg"], b_low)
        high[beat["lesson"]] = high.get(beat["lesson"], 0.0) + min(beat["seg"], b_high)
        previous = beat
    return low, high


def test_heartbeats_under_load(capsys):
    env = _env()
    _fresh_database(env)
    work = Path(tempfile.mkdtemp(prefix="tuoyu-bench-"))
    ceiling_learners = max(CONCURRENCY * 8, 64)
    _run(sys.executable, "-m", "tests.benchmarks.heartbeat_db", "setup", str(LEARNERS + ceiling_learners),
         str(VIDEO_SECONDS), str(work / "all.json"), env=env)  # fmt: skip
    setup = json.loads((work / "all.json").read_text())
    paced_setup = setup | {"learners": setup["learners"][:LEARNERS]}
    ceiling_setup = setup | {"learners": setup["learners"][LEARNERS:]}
    (work / "paced.json").write_text(json.dumps(paced_setup))
    (work / "ceiling.json").write_text(json.dumps(ceiling_setup))

    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "tests.benchmarks.bench_wsgi:application", "--bind", f"127.0.0.1:{PORT}",
         "--workers", str(WORKERS), "--worker-class", "sync", "--backlog", "2048", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        _wait_for_port(PORT, server)
        # Warm up each worker's connection and imports.
        _load("ceiling-bare", str(work / "ceiling.json"), 2, env)
        # Alternating rounds (bare, heartbeat, bare, ...): the machine's noise hits both alike; medians.
        rounds = [
            (_load("ceiling-bare", str(work / "ceiling.json"), CEILING_SECONDS, env),
             _load("ceiling-heartbeat", str(work / "ceiling.json"), CEILING_SECONDS, env))
            for _ in range(ROUNDS)
        ]  # fmt: skip
        bare = _median_run([b for b, _h in rounds])
        hb_ceiling = _median_run([h for _b, h in rounds])
        paced = _load("paced", str(work / "paced.json"), SECONDS, env)
    finally:
        server.terminate()
        try:
            _, errors = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            _, errors = server.communicate()
    credited = json.loads(_run(sys.executable, "-m", "tests.benchmarks.heartbeat_db", "verify", env=env))

    endpoint_found = hb_ceiling["statuses"].get("404", 0) < hb_ceiling["requests"]
    lines = [
        "",
        f"Heartbeats: {LEARNERS} learners x 1 heartbeat / 10 s for {SECONDS:.0f} s; gunicorn {WORKERS} sync "
        f"workers, PostgreSQL; ceilings with {CONCURRENCY} concurrent clients for {CEILING_SECONDS:.0f} s",
        "| run | requests | 200 | other statuses | req/s | p50 ms | p99 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in (("bare JSON view, max rate", bare), ("heartbeat, max rate", hb_ceiling),
                    (f"heartbeat, {LEARNERS} players", paced)):  # fmt: skip
        other = {k: v for k, v in r["statuses"].items() if k != "200"} or "-"
        lines.append(f"| {name} | {r['requests']} | {r['ok']} | {other} | {r['rate']:.1f} | "
                     f"{r['p50_ms']:.1f} | {r['p99_ms']:.1f} |")  # fmt: skip
    ratio = hb_ceiling["rate"] / bare["rate"] if bare["rate"] else 0.0
    per_round = ", ".join(f"{h['rate'] / b['rate']:.2f}" for b, h in rounds if b["rate"])
    lines.append(f"heartbeat ceiling / bare ceiling = {ratio:.2f} (medians of {ROUNDS} alternating rounds of "
                 f"{CEILING_SECONDS:.0f} s; per round {per_round})")  # fmt: skip
    lines.append(f"offered paced rate {paced['offered_rate']:.1f}/s")

    with capsys.disabled():
        print("\n".join(lines))
    assert bare["ok"] > 0 and not {k for k in bare["statuses"] if k.startswith(("5", "0"))}, bare
    if not endpoint_found:
        pytest.skip("POST /learn/api/heartbeat/ is not there yet; only the bare view was measured")

    # ---- the credit check ----
    lessons, durations = setup["lessons"], dict(zip(setup["lessons"], setup["durations"], strict=True))
    entitled_low = entitled_high = db_total = 0.0
    mismatches, credited_lessons = [], 0
    for learner in paced["learners"]:
        low, high = entitlement(learner["beats"], durations)
        got = {int(k): v for k, v in credited["watched"].get(str(learner["person"]), {}).items()}
        for lesson in lessons:
            g, lo, hi = got.get(lesson, 0.0), low.get(lesson, 0.0), high.get(lesson, 0.0)
            entitled_low, entitled_high, db_total = entitled_low + lo, entitled_high + hi, db_total + g
            if not lo - 1e-6 <= g <= hi + 1e-6:
                mismatches.append((learner["person"], lesson, g, lo, hi))
        hours = credited["hours"].get(str(learner["person"]), [])
        should = got.get(lessons[0], 0.0) + 0.5 >= RATIO * durations[lessons[0]]
        credited_lessons += len(hours)
        if len(hours) != int(should):
            mismatches.append((learner["person"], "hours", hours, should))
    with capsys.disabled():
        print(f"credited video seconds in the database: {db_total:.1f}; players' entitlement: "
              f"{entitled_low:.1f} .. {entitled_high:.1f}; lessons credited (1 h each): {credited_lessons}; "
              f"mismatches: {len(mismatches)}")  # fmt: skip
    assert not mismatches, mismatches[:10]
    assert not {k for k in paced["statuses"] if k != "200"}, paced["statuses"]
    assert "Traceback" not in (errors or ""), errors[-3000:]
    assert paced["rate"] >= 0.9 * paced["offered_rate"] * (1 - rules.HEARTBEAT_SECONDS / SECONDS), paced
