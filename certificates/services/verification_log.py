"""Writing the verification log: one row per check, written at once or in small batches.

At once (``CERTIFICATES_VERIFY_LOG_BATCH = 0``, the default of the embedded setup and the tests): one lean
INSERT per check, inside the caller's transaction if there is one.

In batches (production sets ``CERTIFICATES_VERIFY_LOG_BATCH``, e.g. 50): a scan appends its row to a
per-process buffer and answers without touching the database; the buffer is written as one multi-row INSERT
when it holds a batch, and otherwise by a background thread every ``CERTIFICATES_VERIFY_LOG_DELAY`` seconds
(default 1) and when the process exits. Under an inspection campaign this takes the one database write off
every scan (the verify endpoint's hot path). The price: rows appear up to a second late, and a process
killed outright (SIGKILL, out of memory) loses the rows of its last second; a graceful stop or restart of a
worker writes them. Nothing else depends on the log (it is for audit and statistics, not for decisions).

On PostgreSQL each write is committed with ``synchronous_commit = off`` in the same round trip: a database
crash could lose the last fraction of a second of log rows (never corrupt anything), and no scan or flush
waits for a disk flush. The rows that matter (certificates, revocations, audit entries) keep the server's
synchronous commit.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg.pq import TransactionStatus

from lms.registry import bulk_insert

from ..models import VerificationLog

logger = logging.getLogger(__name__)

DB = DEFAULT_DB_ALIAS
IDLE = TransactionStatus.IDLE

_lock = threading.Lock()
_pending: list[dict] = []
_flusher: threading.Thread | None = None


def log_row(row: dict) -> None:
    """Record one check (``row``: VerificationLog column values by attribute name)."""
    batch = getattr(settings, "CERTIFICATES_VERIFY_LOG_BATCH", 0)
    connection = connections[DB]
    if not batch or connection.in_atomic_block or not connection.get_autocommit():
        write([row])  # inside a transaction: commits (or rolls back) with it
        return
    with _lock:
        _pending.append(row)
        full = len(_pending) >= batch
        _start_flusher()
    if full:
        flush()


def flush() -> int:
    """Write the buffered rows now (the batch size was reached, the delay passed, or the process exits); the
    number written. A failed batch is retried row by row, and a row that still fails is logged and dropped
    (a background write must not fail somebody else's scan)."""
    with _lock:
        rows = _pending[:]
        _pending.clear()
    if not rows:
        return 0
    try:
        write(rows)
        return len(rows)
    except Exception:
        written = 0
        for row in rows:
            try:
                write([row])
                written += 1
            except Exception:
                logger.exception("verification log row dropped: %s", {k: row[k] for k in ("at", "status", "channel")})
        return written


def write(rows: list[dict]) -> None:
    """One multi-row INSERT; on PostgreSQL in autocommit, committed asynchronously in the same round trip."""
    connection = connections[DB]
    if (
        connection.vendor != "postgresql"
        or connection.settings_dict["OPTIONS"].get("server_side_binding")
        or connection.in_atomic_block
        or not connection.get_autocommit()
    ):
        bulk_insert.insert_rows(VerificationLog, rows, using=DB)
        return
    _write_async_commit(connection, rows)


def _write_async_commit(connection, rows: list[dict]) -> None:
    """``BEGIN; SET LOCAL synchronous_commit TO OFF; INSERT …; COMMIT`` sent as one query string (Django's
    psycopg cursors bind parameters client-side, so several statements may share one ``execute``)."""
    meta = VerificationLog._meta
    quote = connection.ops.quote_name
    names = list(rows[0])
    columns = ", ".join(quote(meta.get_field(name.removesuffix("_id")).column) for name in names)
    one = "(" + ", ".join(["%s"] * len(names)) + ")"
    values = ", ".join([one] * len(rows))
    table = quote(meta.db_table)
    sql = f"BEGIN; SET LOCAL synchronous_commit TO OFF; INSERT INTO {table} ({columns}) VALUES {values}; COMMIT"  # noqa: S608
    params = [row[name] for row in rows for name in names]
    with connection.cursor() as cursor:
        try:
            cursor.execute(sql, params)
        except Exception:
            if connection.connection.info.transaction_status != IDLE:
                cursor.execute("ROLLBACK")  # leave the connection as Django expects it: autocommit, no transaction
            raise


def _start_flusher() -> None:
    """Start this process's background writer once (called with ``_lock`` held)."""
    global _flusher
    if _flusher is not None and _flusher.is_alive():
        return
    _flusher = threading.Thread(target=_flush_forever, name="verification-log", daemon=True)
    _flusher.start()


def _flush_forever() -> None:
    delay = float(getattr(settings, "CERTIFICATES_VERIFY_LOG_DELAY", 1.0))
    while True:
        time.sleep(delay)
        try:
            if flush():
                connections[DB].close_if_unusable_or_obsolete()  # this thread's own connection
        except Exception:  # pragma: no cover - flush already logs what it drops
            logger.exception("verification log flush failed")


def _after_fork() -> None:
    """A forked child (e.g. a pre-loading server's worker) starts with no thread and no parent's rows."""
    global _flusher
    _flusher = None
    _pending.clear()


os.register_at_fork(after_in_child=_after_fork)
atexit.register(flush)
