"""Automatic marking of objective questions (pure: no database).

Answers and responses share one shape per question type (answers are stored on ``Question.answer`` and frozen in
``AttemptQuestion.snapshot["answer"]``; responses are what the candidate's page saves):

==============  ==============================  =========================================
type            answer                          response
==============  ==============================  =========================================
single          ``["B"]``                       ``["B"]`` (or ``"B"``)
multiple        ``["A", "C"]``                  ``["C", "A"]`` (order and repeats ignored)
true_false      ``[true]``                      ``[true]`` (or ``true``)
fill_blank      ``[["2", "两"], ["体育"]]``     ``["２", "体育。"]`` one text per blank
short_answer    ``[]`` (+ reference answer)     ``["free text"]`` (or ``"free text"``)
==============  ==============================  =========================================

:func:`clean_response` turns whatever the page sent into that shape, or ``None`` when the response is missing or
malformed (a bad shape counts as unanswered: it never raises). :func:`score` gives the points earned as a
``Decimal`` rounded to 0.01, or ``None`` for a short answer (a marker decides).

Marking rules:

* single, true/false — all the points for the right answer, else 0;
* multiple, ``all_or_nothing`` — all the points when exactly the right options are chosen, else 0;
* multiple, ``partial`` — any wrong option chosen → 0; otherwise points × chosen-right ÷ all-right;
* fill in the blank — the points are split evenly between the blanks; a blank is right when its text matches one
  of the accepted texts after :func:`normalise` (full-width/half-width, spaces, latin case, trailing punctuation).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

SINGLE, MULTIPLE, TRUE_FALSE, FILL_BLANK, SHORT_ANSWER = (
    "single",
    "multiple",
    "true_false",
    "fill_blank",
    "short_answer",
)
ALL_OR_NOTHING, PARTIAL = "all_or_nothing", "partial"
CENT = Decimal("0.01")
MAX_TEXT = 2000  # characters kept of one typed answer

_SPACES = re.compile(r"\s+")
_LEADING_QUOTES = "\"'“‘「『《〈（([【"
_KEPT_AT_END = "%‰#"  # punctuation that is part of the answer ("50%")


def _wordish(char: str) -> bool:
    """A letter or digit of a script written with spaces between words (not Chinese, Japanese or Korean)."""
    return char.isalnum() and unicodedata.east_asian_width(char) not in ("W", "F")


def _normalise_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    words = _SPACES.sub(" ", text).strip()
    text = "".join(c for i, c in enumerate(words) if c != " " or (_wordish(words[i - 1]) and _wordish(words[i + 1])))
    while text and unicodedata.category(text[-1]).startswith("P") and text[-1] not in _KEPT_AT_END:
        text = text[:-1].rstrip()
    while text and text[0] in _LEADING_QUOTES:
        text = text[1:].lstrip()
    return text


def normalise(text: str) -> str:
    """The comparable form of a typed answer.

    NFKC folds full-width letters, digits and punctuation to half-width and U+3000 to a space; all whitespace is
    collapsed, and dropped unless it separates two latin (or other spaced-script) words; letters are case-folded;
    opening quotes and brackets at the start and punctuation at the end (``。``, ``.``, ``；``, closing quotes) are
    ignored. Idempotent.
    """
    text = str(text)
    for _ in range(4):  # a step can expose more to fold (a combining mark next to a dropped space…)
        folded = _normalise_once(text)
        if folded == text:
            break
        text = folded
    return text


def _points(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _keys(value) -> list[str] | None:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(k, str) for k in value):
        return None
    keys = sorted({k.strip().upper() for k in value if k.strip()})
    return keys or None


def clean_response(qtype: str, response, *, option_keys=None, blanks: int | None = None):
    """``response`` in its canonical shape for ``qtype``, or ``None`` if missing or malformed.

    ``option_keys`` (choice questions) and ``blanks`` (fill in the blank) make the check strict: a key not among
    the options, or the wrong number of blanks, is malformed. Unfilled blanks are kept as ``""`` as long as one
    blank is filled.
    """
    if response is None:
        return None
    if qtype in (SINGLE, MULTIPLE):
        keys = _keys(response)
        if keys is None or (qtype == SINGLE and len(keys) != 1):
            return None
        if option_keys is not None and not set(keys) <= {str(k).upper() for k in option_keys}:
            return None
        return keys
    if qtype == TRUE_FALSE:
        if isinstance(response, list | tuple) and len(response) == 1:
            response = response[0]
        return [response] if isinstance(response, bool) else None
    if qtype == FILL_BLANK:
        if isinstance(response, str):
            response = [response]
        if not isinstance(response, list | tuple) or not all(isinstance(t, str) for t in response):
            return None
        if blanks is not None and len(response) != blanks:
            return None
        texts = [t.strip()[:MAX_TEXT] for t in response]
        return texts if any(texts) else None
    if qtype == SHORT_ANSWER:
        if isinstance(response, list | tuple) and len(response) == 1:
            response = response[0]
        if not isinstance(response, str) or not response.strip():
            return None
        return [response.strip()[: MAX_TEXT * 5]]
    return None


def is_answered(qtype: str, response, **shape) -> bool:
    """Whether the candidate gave an answer of the right shape (for the answered count)."""
    return clean_response(qtype, response, **shape) is not None


def _fill_blank_correct(answer, texts: list[str]) -> int:
    right = 0
    for accepted, text in zip(answer, texts, strict=False):
        alternatives = accepted if isinstance(accepted, list | tuple) else [accepted]
        typed = normalise(text)
        if typed and typed in {normalise(a) for a in alternatives}:
            right += 1
    return right


def score(*, qtype: str, answer, response, points, rule: str = ALL_OR_NOTHING, option_keys=None) -> Decimal | None:
    """Points earned (``Decimal``, 0.01) for ``response``; ``None`` for a short answer (marked by hand).

    Unanswered or malformed responses earn 0. ``answer`` is trusted (validated when the question was saved).
    """
    if qtype == SHORT_ANSWER:
        return None
    full = _points(points)
    zero = _points(0)
    blanks = len(answer) if qtype == FILL_BLANK else None
    given = clean_response(qtype, response, option_keys=option_keys, blanks=blanks)
    if given is None:
        return zero
    if qtype == SINGLE:
        return full if given == _keys(answer) else zero
    if qtype == TRUE_FALSE:
        return full if given == [bool(answer[0])] else zero
    if qtype == MULTIPLE:
        right = set(_keys(answer) or ())
        chosen = set(given)
        if chosen == right:
            return full
        if rule != PARTIAL or not chosen <= right or not right:
            return zero
        return _points(full * len(chosen) / len(right))
    if qtype == FILL_BLANK:
        if not answer:
            return zero
        return _points(full * _fill_blank_correct(answer, given) / len(answer))
    return zero


def score_snapshot(snapshot: Mapping, response, points) -> Decimal | None:
    """:func:`score` for a frozen question (``AttemptQuestion.snapshot``)."""
    keys = [o.get("key") for o in snapshot.get("options") or ()] or None
    return score(
        qtype=snapshot["type"],
        answer=snapshot.get("answer") or [],
        response=response,
        points=points,
        rule=snapshot.get("rule") or ALL_OR_NOTHING,
        option_keys=keys,
    )
