"""What the judges' tablet pages read from a form: marks per criterion and the time used (``mm:ss``)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FIELD = "mark-{}"
TIME_FIELD = "time"

_MM_SS = re.compile(r"^\s*(\d{1,3})\s*[:：]\s*([0-5]?\d)\s*$")
_MINUTES = re.compile(r"^\s*(\d{1,3})\s*$")


def parse_time(text: str) -> int | None:
    """Seconds from ``"mm:ss"`` (or whole minutes, ``"12"``); None when empty; ValidationError otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    if match := _MM_SS.match(text):
        return int(match[1]) * 60 + int(match[2])
    if match := _MINUTES.match(text):
        return int(match[1]) * 60
    raise ValidationError(_("Enter the time used as minutes:seconds, e.g. 12:30."), code="time")


def format_time(seconds: int | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def criteria_rows(criteria, marks: dict) -> list[dict]:
    return [
        {"criterion": c, "name": FIELD.format(c.pk), "value": marks.get(str(c.pk), ""), "max": c.max_points}
        for c in criteria
    ]


def posted_marks(post, criteria) -> dict[str, str]:
    return {str(c.pk): post.get(FIELD.format(c.pk), "").strip() for c in criteria}
