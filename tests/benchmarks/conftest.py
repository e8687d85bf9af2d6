"""Benchmarks: pytest tests marked ``benchmark``, left out of the normal suite.

They are collected only when ``RUN_BENCHMARKS=1`` (see README.md here); otherwise they are
deselected, so ``python3 manage.py runtests`` never spends minutes on them.
"""

from __future__ import annotations

import os


def pytest_configure(config):
    config.addinivalue_line("markers", "benchmark: timing run, only with RUN_BENCHMARKS=1 (tests/benchmarks)")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("RUN_BENCHMARKS") == "1":
        return
    here = os.path.dirname(__file__)
    deselected = [i for i in items if "benchmark" in i.keywords or str(i.path).startswith(here)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [i for i in items if i not in deselected]
