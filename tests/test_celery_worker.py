"""A roster commit travels through a real broker to a real ``celery -A cms worker`` process.

The rest of the suite runs Celery tasks eagerly in process; this test starts a worker
subprocess on Redis (``redis://127.0.0.1:6379/15``, a private queue per run) against a database
the worker can open too:

* PostgreSQL (``DATABASE_URL=postgres://...``): the live test database, with ``transactional_db``
  so that what the test writes is committed and visible to the worker;
* SQLite: the test database is in memory, which no other process can see, so for this test the
  ``default`` connection is pointed at a temporary file database, migrated in a subprocess.

Without Redis the test is skipped, unless ``REQUIRE_SERVICES=1`` (CI), where it fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connections

ROOT = Path(__file__).resolve().parent.parent
BROKER_URL = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
TASK = "lms.registry.tasks.roster_import_commit"

# transaction=True: what the test writes is committed, so that the worker (another process) sees it.
pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _require_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    except (redis.exceptions.RedisError, OSError) as exc:
        reason = f"Redis is not reachable at {BROKER_URL}: {exc}"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason} (REQUIRE_SERVICES=1)")
        pytest.skip(reason)


def _is_sqlite() -> bool:
    return connections["default"].vendor == "sqlite"


def _postgres_url(sd: dict) -> str:
    auth = quote(sd.get("USER") or "", safe="")
    if sd.get("PASSWORD"):
        auth += ":" + quote(sd["PASSWORD"], safe="")
    host = sd.get("HOST") or "localhost"
    port = f":{sd['PORT']}" if sd.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{sd['NAME']}"


def _worker_env(database_url: str) -> dict[str, str]:
    """Settings for worker and migrate subprocesses: dev settings with the test's keys and database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        "SECRET_KEY": settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "PERSONAL_ID_HASH_KEY": settings.PERSONAL_ID_HASH_KEY,
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_RESULT_BACKEND": BROKER_URL,
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def _clear_model_caches() -> None:
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@contextmanager
def _file_sqlite_default(path: Path):
    """Point the ``default`` connection at a migrated SQLite file for the duration of the block."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    url = f"sqlite:///{path}"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=_worker_env(url),
        check=True,
        timeout=300,
    )
    original = connections["default"]
    wrapper = DatabaseWrapper({**original.settings_dict, "NAME": str(path)}, alias="default")
    connections["default"] = wrapper
    _clear_model_caches()
    try:
        yield url
    finally:
        wrapper.close()
        connections["default"] = original
        _clear_model_caches()


@pytest.fixture
def worker_database(tmp_path, django_db_blocker):
    """The DATABASE_URL the worker should use; the test's own ORM writes land in the same database."""
    _require_redis()
    if _is_sqlite():
        with django_db_blocker.unblock(), _file_sqlite_default(tmp_path / "worker.sqlite3") as url:
            yield url
    else:
        # An earlier transactional test may have flushed the content types this process has cached.
        _clear_model_caches()
        yield _postgres_url(connections["default"].settings_dict)


@pytest.fixture
def celery_client():
    """A Celery app that only sends (never runs tasks eagerly), with a queue private to this run."""
    from celery import Celery

    client = Celery("tuoyu-test-client", broker=BROKER_URL, backend=BROKER_URL)
    client.conf.update(task_serializer="json", accept_content=["json"], result_serializer="json")
    client.queue = f"tuoyu-test-{uuid.uuid4().hex[:10]}"
    yield client
    client.close()


@pytest.fixture
def celery_worker(worker_database, celery_client):
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"{celery_client.queue}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "cms",
                "worker",
                "--pool=solo",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "-Q",
                celery_client.queue,
                "-n",
                f"{celery_client.queue}@%h",
                "-l",
                "WARNING",
            ],
            cwd=ROOT,
            env=_worker_env(worker_database),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the Celery worker exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
            replies = celery_client.control.ping(timeout=1)
            if any(name.startswith(f"{celery_client.queue}@") for reply in replies for name in reply):
                break
            if time.monotonic() > deadline:
                pytest.fail(f"the Celery worker did not answer within 60 s:\n{log.read_text(errors='replace')}")
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.unlink(missing_ok=True)


def _credit_code(serial: int, region: str) -> str:
    from lms.registry.validators import org_code_check_char, uscc_check_char

    org = f"{serial:08d}"
    first17 = f"52{region}{org}{org_code_check_char(org)}"
    return first17 + uscc_check_char(first17)


def _id_number(serial: int) -> str:
    from lms.registry.validators import id_check_char

    first17 = f"530302199{serial % 10}0{1 + serial % 9}1{serial % 10}{serial:03d}"[:17]
    return first17 + id_check_char(first17)


def _world():
    from django.contrib.auth import get_user_model

    from lms.registry import services
    from lms.registry.models import Institution, Region, Role

    province = Region.objects.create(code="530000", name="云南省", level=Region.Level.PROVINCE)
    city = Region.objects.create(code="530300", name="曲靖市", level=Region.Level.CITY, parent=province)
    county = Region.objects.create(code="530302", name="麒麟区", level=Region.Level.COUNTY, parent=city)
    institution = Institution.objects.create(
        name="麒麟区阳光托育中心",
        credit_code=_credit_code(12345678, county.code),
        kind=Institution.Kind.INCLUSIVE,
        region=county,
    )
    admin = get_user_model().objects.create_user("roster-admin", password="x-Secret-123")
    services.role_grant(user=admin, role=Role.INSTITUTION_ADMIN, institution=institution)
    return institution, admin


def _roster_csv(rows: int) -> bytes:
    lines = ["姓名,身份证号,手机号,岗位,入职日期,离职日期,健康体检日期"]
    for i in range(rows):
        lines.append(f"员工{i:03d},{_id_number(i)},1381234{i:04d},保育人员,2024-03-01,,2025-02-20")
    lines.append(f"坏行,{_id_number(999)[:17]}{'0' if _id_number(999)[17] != '0' else '1'},,保育人员,2024-03-01,,")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_roster_commit_runs_on_a_real_worker_and_is_idempotent(celery_worker, celery_client):
    from lms.registry import services
    from lms.registry.models import Employment, HealthCheck, Person, RosterImport
    from lms.registry.tasks import roster_import_commit

    institution, admin = _world()
    roster = services.roster_preview(institution=institution, data=_roster_csv(5), filename="花名册.csv", actor=admin)
    assert (roster.total_rows, roster.error_rows) == (6, 1)
    assert Person.objects.count() == 0  # a preview writes no staff data

    sent = []

    def delay_through_broker(roster_id):
        sent.append(celery_client.send_task(TASK, args=[roster_id], queue=celery_client.queue))
        return sent[-1]

    # The service's own path: claim the roster, then on commit queue the task (here: through Redis).
    with mock.patch.object(roster_import_commit, "delay", side_effect=delay_through_broker):
        assert services.roster_start_commit(roster=roster, actor=admin)
    assert len(sent) == 1, "roster_start_commit should queue exactly one task once its transaction commits"
    result = sent[0].get(timeout=60)
    assert result == {"status": "committed", "created": 5, "updated": 0}

    roster.refresh_from_db()
    assert roster.status == RosterImport.Status.COMMITTED
    assert roster.content_encrypted is None
    assert (roster.created_count, roster.error_rows) == (5, 1)
    assert Person.objects.count() == 5
    assert Employment.objects.filter(institution=institution).count() == 5
    assert HealthCheck.objects.count() == 5

    # The same task delivered twice more (a replay, a double click): nothing changes.
    again = [celery_client.send_task(TASK, args=[roster.pk], queue=celery_client.queue) for _ in range(2)]
    for r in again:
        assert r.get(timeout=60) == {"status": "committed", "created": 5, "updated": 0}
    assert Person.objects.count() == 5
    assert Employment.objects.count() == 5
    assert HealthCheck.objects.count() == 5
    assert set(Person.objects.values_list("id_number_masked", flat=True)) == {
        f"{_id_number(i)[:6]}********{_id_number(i)[-4:]}" for i in range(5)
    }
