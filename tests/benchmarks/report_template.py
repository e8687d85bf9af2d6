"""Databases of the reports benchmark: the template database holding the province-scale dataset of
:mod:`.report_db` (built once per generator version) and the clone each run measures (``ensure_database``)."""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import subprocess
import sys
import time
from urllib.parse import urlparse, urlunparse

from tests.benchmarks import report_db
from tests.benchmarks import report_sql as sql
from tests.benchmarks.report_db import AS_OF, FRESH_APPS, ROOT, SCALE, TEMPLATE_PREFIX


def generator_version() -> str:
    """Changes whenever the generator's code or the scale does: the template database is keyed by it."""
    source = inspect.getsource(report_db)
    generator = source[source.index("# ---- Python-side rows") :]
    return hashlib.sha256(f"{inspect.getsource(sql)}|{generator}|{SCALE}|{AS_OF}".encode()).hexdigest()[:10]


def _url_with(database_url: str, name: str) -> str:
    return urlunparse(urlparse(database_url)._replace(path=f"/{name}"))


def connect(database_url: str, own: bool = False):
    """An autocommit connection to the server's ``postgres`` database (or to ``database_url``'s own with ``own``)."""
    import psycopg

    url = urlparse(database_url)
    return psycopg.connect(host=url.hostname or "127.0.0.1", port=url.port or 5432, user=url.username or "postgres",
                           password=url.password or None, dbname=url.path.lstrip("/") if own else "postgres",
                           autocommit=True)  # fmt: skip


def _databases(admin) -> set[str]:
    return {name for (name,) in admin.execute("SELECT datname FROM pg_database")}


def _drop(admin, name: str) -> None:
    if name in _databases(admin):
        admin.execute(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE false ALLOW_CONNECTIONS true')
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def run(*args: str, env: dict, timeout: float = 1800) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
    return done.stdout


def subprocess_env(database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="tests.benchmarks.bench_settings",
               PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1", BENCH_REPORT_SCALE=str(SCALE))  # fmt: skip
    return env


def ensure_database(database_url: str, log=print) -> dict:
    """A fresh copy of the dataset at ``database_url``, fully migrated: cloned from the template database of this
    generator version (built first if missing, and older versions' templates dropped). Returns what it did."""
    name = urlparse(database_url).path.lstrip("/")
    family = f"{TEMPLATE_PREFIX}_s{SCALE:g}_".replace(".", "p")  # one template per scale
    template = family + generator_version()
    info = {"template": template, "built": None}
    with connect(database_url) as admin:
        if template not in _databases(admin):
            for old in sorted(n for n in _databases(admin) if n.startswith(family)):
                log(f"dropping {old} (another generator version)")
                _drop(admin, old)
            building = f"{template}_building"
            _drop(admin, building)
            admin.execute(f'CREATE DATABASE "{building}"')
            env = subprocess_env(_url_with(database_url, building))
            log(f"building {template}: migrate all apps but {FRESH_APPS}* …")
            t0 = time.perf_counter()
            run(sys.executable, "-m", "tests.benchmarks.report_db", "migrate-template", env=env)
            migrate_s = time.perf_counter() - t0
            log("generating the dataset …")
            info["built"] = json.loads(run(sys.executable, "-m", "tests.benchmarks.report_db", "generate", env=env))
            info["built"]["timings"]["migrate"] = round(migrate_s, 1)
            admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
            admin.execute(f'ALTER DATABASE "{template}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false')
        t0 = time.perf_counter()
        _drop(admin, name)
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        info["clone_s"] = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    run(sys.executable, "manage.py", "migrate", "-v0", env=subprocess_env(database_url))
    with connect(database_url, own=True) as clone:
        clone.execute("ANALYZE")  # the tables the migrations just created and filled (configuration)
    info["migrate_s"] = round(time.perf_counter() - t0, 1)
    return info
