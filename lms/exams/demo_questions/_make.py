"""Short constructors for the demo questions, so that the data modules read like an exam paper.

Each returns the dict that :func:`lms.exams.demo.seed_exam_content` turns into a ``Question``::

    {"external_id", "type", "stem", "options", "answer", "reference_answer", "explanation",
     "knowledge_area", "difficulty", "level"}

Arguments are in the order a question is read: id, knowledge area code, difficulty (1-3), stem, then options and
answer. ``level`` is ``None`` (every level) unless the content belongs to one level (5, 4 or 3).
"""

from __future__ import annotations

KEYS = "ABCDEFGH"


def _base(external_id: str, qtype: str, area: str, difficulty: int, stem: str, level: int | None) -> dict:
    return {
        "external_id": external_id,
        "type": qtype,
        "stem": stem,
        "options": [],
        "answer": [],
        "reference_answer": "",
        "explanation": "",
        "knowledge_area": area,
        "difficulty": difficulty,
        "level": level,
    }


def _options(texts: list[str]) -> list[dict]:
    return [{"key": KEYS[i], "text": text} for i, text in enumerate(texts)]


def single(
    external_id: str,
    area: str,
    difficulty: int,
    stem: str,
    options: list[str],
    answer: str,
    explanation: str = "",
    *,
    level: int | None = None,
) -> dict:
    """A single-choice question (单选题); ``answer`` is one key, e.g. ``"B"``."""
    q = _base(external_id, "single", area, difficulty, stem, level)
    q.update(options=_options(options), answer=[answer], explanation=explanation)
    return q


def multiple(
    external_id: str,
    area: str,
    difficulty: int,
    stem: str,
    options: list[str],
    answer: str,
    explanation: str = "",
    *,
    level: int | None = None,
) -> dict:
    """A multiple-choice question (多选题); ``answer`` lists the keys, e.g. ``"ACD"``."""
    q = _base(external_id, "multiple", area, difficulty, stem, level)
    q.update(options=_options(options), answer=list(answer), explanation=explanation)
    return q


def judge(
    external_id: str,
    area: str,
    difficulty: int,
    stem: str,
    answer: bool,
    explanation: str = "",
    *,
    level: int | None = None,
) -> dict:
    """A true/false question (判断题)."""
    q = _base(external_id, "true_false", area, difficulty, stem, level)
    q.update(answer=[answer], explanation=explanation)
    return q


def blank(
    external_id: str,
    area: str,
    difficulty: int,
    stem: str,
    answers: list[str | list[str]],
    explanation: str = "",
    *,
    level: int | None = None,
) -> dict:
    """A fill-in-the-blank question (填空题): one ``____`` in the stem per item of ``answers``.

    An item is the accepted answer, or a list of accepted alternatives (``["3", "三"]``).
    """
    q = _base(external_id, "fill_blank", area, difficulty, stem, level)
    q.update(answer=[[a] if isinstance(a, str) else list(a) for a in answers], explanation=explanation)
    return q


def short(
    external_id: str,
    area: str,
    difficulty: int,
    stem: str,
    reference_answer: str,
    explanation: str = "",
    *,
    level: int | None = None,
) -> dict:
    """A short-answer question (简答题), marked by hand against ``reference_answer`` (key points and marks)."""
    q = _base(external_id, "short_answer", area, difficulty, stem, level)
    q.update(reference_answer=reference_answer, explanation=explanation)
    return q
