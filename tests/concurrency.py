"""Running calls at the same moment in threads, for race tests on PostgreSQL (real row locks and constraints)."""

from __future__ import annotations

import threading

from django.db import connection


def race(calls) -> tuple[list, list]:
    """Start every call at once (a barrier), each in its own thread and database connection; returns the
    results and the exceptions raised, in the order they finished."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors
