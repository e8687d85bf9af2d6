"""Process plumbing shared by the certificate benchmarks that run servers: a fresh PostgreSQL database,
the environment of their subprocesses, gunicorn. Built on ``test_heartbeats``' helpers (``_run``,
``_wait_for_port``) so every benchmark starts its processes the same way."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from tests.benchmarks.test_heartbeats import _run, _wait_for_port

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.benchmarks.bench_settings_certificates"

__all__ = ["ROOT", "bench_env", "fresh_database", "gunicorn", "run"]

run = _run


def bench_env(database_url: str, **extra: str) -> dict:
    """The subprocesses' environment: the benchmark settings on ``database_url``, private file directories."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.pop("CELERY_BROKER_URL", None)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE=SETTINGS,
        MEDIA_ROOT=tempfile.mkdtemp(prefix="tuoyu-bench-media-"),
        CERTIFICATE_FILES_ROOT=tempfile.mkdtemp(prefix="tuoyu-bench-certificates-"),
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def fresh_database(database_url: str, env: dict) -> None:
    """Drop, create and migrate the benchmark's own PostgreSQL database, and empty its cache (which may hold
    the previous run's certificates under the same numbers)."""
    url = urlparse(database_url)
    name, admin = url.path.lstrip("/"), env | {"PGPASSWORD": url.password or ""}
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        run("psql", "-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres",
            "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql, env=admin)  # fmt: skip
    run(sys.executable, "manage.py", "migrate", "-v0", env=env)
    run(sys.executable, "manage.py", "shell", "-c", "from django.core.cache import cache; cache.clear()", env=env)


@contextmanager
def gunicorn(port: int, workers: int, env: dict):
    """gunicorn (sync workers) serving ``bench_wsgi`` with the benchmark settings on 127.0.0.1:``port``;
    yields a dict that receives the server's stderr (``"errors"``) once it has stopped."""
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "tests.benchmarks.bench_wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--worker-class", "sync", "--backlog", "2048", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    out = {"errors": ""}
    try:
        _wait_for_port(port, server)
        yield out
    finally:
        server.terminate()
        try:
            _, out["errors"] = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            _, out["errors"] = server.communicate()
