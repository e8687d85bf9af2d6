#!/usr/bin/env python3
"""Django's command-line utility, with a self-bootstrap for a fresh machine.

Run with any Python 3.11+ (``python3 manage.py ...``): when it is not already the
project's virtualenv interpreter, this script installs ``uv`` if needed, syncs
``.venv`` from ``uv.lock`` (``uv sync --frozen``) and re-executes itself inside it.
Two verbs are handled here as well as Django's own commands:

* ``python3 manage.py start``    migrate, load demo data once, serve on 127.0.0.1:8000
* ``python3 manage.py runtests`` install test-only system packages, run pytest
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
TOOLS = ROOT / ".tools"
UV_VERSION = "0.13.9"
# Debian packages the browser tests need: a headless browser and CJK fonts.
# chromium + Noto CJK for the browser tests; WenQuanYi Micro Hei (TrueType outlines, which reportlab can embed)
# for certificate PDFs; zbar (QR decoding) and poppler (PDF text) to check the PDFs as a reader would.
TEST_APT_PACKAGES = ["chromium", "fonts-noto-cjk", "fonts-wqy-microhei", "zbar-tools", "poppler-utils"]
TEST_APT_MARKERS = ["/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"]


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _in_project_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def _uv() -> str:
    found = shutil.which("uv")
    if found:
        return found
    uv = TOOLS / "bin" / "uv"
    if not uv.exists():
        print(f"[bootstrap] installing uv {UV_VERSION} into {TOOLS} ...", flush=True)
        subprocess.check_call([sys.executable, "-m", "venv", str(TOOLS)])
        subprocess.check_call([str(TOOLS / "bin" / "python"), "-m", "pip", "install", "-q", f"uv=={UV_VERSION}"])
    return str(uv)


def _bootstrap() -> None:
    """Make sure .venv matches uv.lock, then re-exec inside it."""
    if sys.version_info < (3, 11):
        sys.exit("Python 3.11 or newer is required (found %d.%d)." % sys.version_info[:2])
    if _in_project_venv():
        return
    subprocess.check_call(
        [_uv(), "sync", "--frozen", "--quiet", "--python", sys.executable],
        cwd=ROOT,
        env={**os.environ, "UV_PROJECT_ENVIRONMENT": str(VENV)},
    )
    python = str(_venv_python())
    os.execv(python, [python, str(ROOT / "manage.py"), *sys.argv[1:]])


def _ensure_test_system_packages() -> None:
    """Install the Debian packages the tests need (chromium, CJK fonts, zbar, poppler)."""
    tools = ("chromium", "zbarimg", "pdftotext")
    if all(shutil.which(tool) for tool in tools) and all(Path(marker).exists() for marker in TEST_APT_MARKERS):
        return
    if not shutil.which("apt-get"):
        print("[runtests] apt-get not available: install chromium and CJK fonts yourself.", flush=True)
        return
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print(f"[runtests] installing {' '.join(TEST_APT_PACKAGES)} with apt-get ...", flush=True)
    subprocess.check_call([*prefix, "apt-get", "update", "-qq"], env=env)
    subprocess.check_call(
        [*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *TEST_APT_PACKAGES],
        env=env,
    )


def _runtests(args: list[str]) -> None:
    _ensure_test_system_packages()
    os.chdir(ROOT)
    python = str(_venv_python())
    os.execv(python, [python, "-m", "pytest", *args])


def main() -> None:
    _bootstrap()
    if sys.argv[1:2] == ["runtests"]:
        _runtests(sys.argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
