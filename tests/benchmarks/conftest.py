"""Benchmarks: pytest tests marked ``benchmark``, left out of the normal suite.

They are collected only when ``RUN_BENCHMARKS=1`` (see README.md here); otherwise they are
deselected, so ``python3 manage.py runtests`` never spends minutes on them.
"""

from __future__ import annotations

import os

import pytest


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


@pytest.fixture
def benchmark_report(request):
    """Collects table lines and prints them once the test is done (use ``-s`` to see them live)."""
    lines: list[str] = []
    yield lines
    if lines:
        request.config.get_terminal_writer().line("\n" + "\n".join(lines))
