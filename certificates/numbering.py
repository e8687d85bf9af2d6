"""Certificate number formats (pure: no database).

A number is a *prefix* (everything but the serial) plus a zero-padded serial; serials are counted per prefix
(``services.counters``), so numbers are unique as long as each prefix has its own sequence.

* Skill level certificate (职业技能等级证书, DESIGN.md §3), 22 characters:
  ``[Y|S]`` (Y = employer-run assessment 用人单位, S = social training and assessment body 社会培训评价组织)
  + body code (4) + province (2) + site (6, the assessment site's county-level division code)
  + year (2) + level (1) + serial (6), e.g. ``S QJPX 53 530302 26 3 000001``.
* Training certificate (培训合格证书): ``PX`` + body code (4) + year (4) + serial (6), 16 characters.
* Award certificate (竞赛获奖证书): ``HJ`` + year (4) + serial (6), 12 characters.

Every number is ``[0-9A-Z]`` only, as the signed payload requires.
"""

from __future__ import annotations

import re

SERIAL_DIGITS = 6
MAX_SERIAL = 10**SERIAL_DIGITS - 1
NO_BODY_CODE = "0000"  # certificates issued by the platform itself, not by a provider
_CODE_RE = re.compile(r"[0-9A-Z]+")


class NumberError(ValueError):
    """A part of a number is malformed, or a sequence ran out of serials."""


def _code(value: str, length: int, what: str) -> str:
    value = (value or "").strip().upper()
    if len(value) != length or not _CODE_RE.fullmatch(value):
        raise NumberError(f"{what} must be {length} characters [0-9A-Z], got {value!r}")
    return value


def _digits(value: str, length: int, what: str) -> str:
    if len(value) != length or not value.isdigit() or not value.isascii():
        raise NumberError(f"{what} must be {length} digits, got {value!r}")
    return value


def _year(year: int) -> int:
    if not 2000 <= year <= 2099:
        raise NumberError(f"year out of range: {year}")
    return year


def body_code(value: str | None) -> str:
    """A provider's 4-character body code, upper-cased (``0000`` when there is none)."""
    return _code(value, 4, "body code") if value else NO_BODY_CODE


def skill_prefix(*, assessor: str, body: str, region_code: str, year: int, level: int) -> str:
    """``[Y|S]`` + body (4) + province (2) + site (6) + year (2) + level (1): 16 characters."""
    if assessor not in ("Y", "S"):
        raise NumberError(f"assessor must be Y or S, got {assessor!r}")
    if not 1 <= level <= 5:
        raise NumberError(f"level must be 1..5, got {level}")
    site = _digits((region_code or "")[:6], 6, "site code")
    return f"{assessor}{_code(body, 4, 'body code')}{site[:2]}{site}{_year(year) % 100:02d}{level}"


def training_prefix(*, prefix: str = "PX", body: str, year: int) -> str:
    """``PX`` + body (4) + year (4): 10 characters."""
    return f"{_code(prefix, 2, 'prefix')}{_code(body, 4, 'body code')}{_year(year):04d}"


def award_prefix(*, prefix: str = "HJ", year: int) -> str:
    """``HJ`` + year (4): 6 characters."""
    return f"{_code(prefix, 2, 'prefix')}{_year(year):04d}"


def with_serial(prefix: str, serial: int) -> str:
    if not 1 <= serial <= MAX_SERIAL:
        raise NumberError(f"serial {serial} out of range for {prefix} (1..{MAX_SERIAL})")
    return f"{prefix}{serial:0{SERIAL_DIGITS}d}"


def counter_scope(prefix: str) -> str:
    """The counter that numbers certificates sharing ``prefix``."""
    return f"number:{prefix}"
