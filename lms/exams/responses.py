"""The check of a candidate's response before it is saved (pure: no database).

Responses take the shapes :mod:`lms.exams.grading` defines (``grading.clean_response`` gives the canonical
form): ``["B"]``, ``["A", "C"]``, ``[true]``, ``["两", "体育"]`` (one text per blank), ``["free text"]``.
Autosave is stricter than grading: a response of the wrong shape (a key that is not an option, the wrong number
of blanks, a number where text is expected) is refused with an error instead of being counted as unanswered,
and an empty response (nothing chosen, every blank empty, blank text) is stored as ``None``: the question
counts as unanswered again.
"""

from __future__ import annotations

from typing import Any

from . import grading
from .choices import QuestionType

MAX_CHARS = 10_000  # one request's text, whatever the type (grading keeps less of it)

# (type, option keys in the candidate's order, number of blanks)
Shape = tuple[str, tuple[str, ...], int]


class BadResponse(ValueError):
    pass


def is_empty(response: Any) -> bool:
    if response is None or response == "" or response == []:
        return True
    if isinstance(response, str):
        return not response.strip()
    return isinstance(response, list) and all(isinstance(v, str) and not v.strip() for v in response)


def clean(shape: Shape, response: Any) -> Any:
    """The response as stored (``None`` when empty), or :class:`BadResponse`."""
    qtype, keys, blanks = shape
    if is_empty(response):
        return None
    if len(str(response)) > MAX_CHARS:
        raise BadResponse("response too long")
    value = grading.clean_response(
        qtype,
        response,
        option_keys=keys if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE) else None,
        blanks=blanks if qtype == QuestionType.FILL_BLANK else None,
    )
    if value is None:
        raise BadResponse(f"not a valid {qtype} response")
    return value
