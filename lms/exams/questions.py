"""What a valid question looks like, and its answer written as text (pure: no database).

Used by ``services.bank`` (create/update), the XLSX template (``bank_file``) and the admin form, so that a question
is held to the same rules however it arrives. The answer as text is the template's 答案 column:

* single choice — one option letter: ``B``;
* multiple choice — two or more letters, with or without separators: ``ACD``, ``A,C,D``, ``A、C、D``;
* true or false — ``对``/``错`` (also 正确/错误, √/×, 是/否, T/F, true/false);
* fill in the blank — the blanks separated by ``;`` (or ``；``), each blank's accepted alternatives separated by ``|``
  (or ``｜``): ``2|两|二;体育|户外体育``;
* short answer — the reference answer / marking guide (stored in ``reference_answer``; ``answer`` stays ``[]``).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from .choices import MultipleRule, QuestionType

OPTION_KEYS = "ABCDEF"
MIN_OPTIONS = 2
CHOICE_TYPES = frozenset({QuestionType.SINGLE, QuestionType.MULTIPLE})
TRUE_WORDS = frozenset({"对", "正确", "√", "✓", "✔", "是", "t", "true", "y", "yes", "1"})
FALSE_WORDS = frozenset({"错", "错误", "×", "✗", "✘", "x", "否", "f", "false", "n", "no", "0"})
# a blank in a stem: a run of underscores, or empty brackets (half- or full-width)
_BLANK_MARK = re.compile(r"_{2,}|＿{2,}|[(（][\s\u3000]*[)）]")
_KEY_SEPARATORS = re.compile(r"[\s,，、;；/]+")
_BLANK_SEPARATOR = re.compile(r"[;；]")
_ALTERNATIVE_SEPARATOR = re.compile(r"[|｜]")


class AnswerError(ValueError):
    """The answer text cannot be read for the question's type (the message is translated, for the user)."""


def blank_count(stem: str) -> int:
    """The number of blanks marked in a fill-in-the-blank stem (0 when the stem marks none)."""
    return len(_BLANK_MARK.findall(stem or ""))


def parse_answer(qtype: str, text: str) -> tuple[list, str]:
    """``(answer, reference_answer)`` from the answer written as text; raises :class:`AnswerError`."""
    text = (text or "").strip()
    if qtype == QuestionType.SHORT_ANSWER:
        return [], text
    if not text:
        raise AnswerError(_("The answer is missing."))
    if qtype in CHOICE_TYPES:
        letters = "".join(_KEY_SEPARATORS.split(text.upper().replace("，", ",")))
        if not letters.isascii() or not letters.isalpha():
            raise AnswerError(_("Write the answer as option letters, for example “B” or “ACD”."))
        return sorted(set(letters)), ""
    if qtype == QuestionType.TRUE_FALSE:
        word = text.lower()
        if word in TRUE_WORDS:
            return [True], ""
        if word in FALSE_WORDS:
            return [False], ""
        raise AnswerError(_("Write the answer of a true-or-false question as “对” or “错”."))
    if qtype == QuestionType.FILL_BLANK:
        blanks = []
        for part in _BLANK_SEPARATOR.split(text):
            alternatives = [a.strip() for a in _ALTERNATIVE_SEPARATOR.split(part) if a.strip()]
            if not alternatives:
                raise AnswerError(_("A blank has no accepted answer (two “;” in a row, or one at the end)."))
            blanks.append(alternatives)
        return blanks, ""
    raise AnswerError(_("Unknown question type."))


def format_answer(qtype: str, answer: list, reference_answer: str = "") -> str:
    """The answer written as text (the inverse of :func:`parse_answer`)."""
    if qtype == QuestionType.SHORT_ANSWER:
        return reference_answer
    if qtype in CHOICE_TYPES:
        return "".join(answer)
    if qtype == QuestionType.TRUE_FALSE:
        return "对" if answer and answer[0] else "错"
    if qtype == QuestionType.FILL_BLANK:
        return ";".join("|".join(alternatives) for alternatives in answer)
    return ""


def options_from_texts(texts: list[str]) -> list[dict]:
    """Options A, B, C… from their texts in order (trailing empty texts dropped)."""
    texts = [("" if t is None else str(t)).strip() for t in texts]
    while texts and not texts[-1]:
        texts.pop()
    return [{"key": OPTION_KEYS[i], "text": t} for i, t in enumerate(texts)]


def question_errors(
    *,
    qtype: str,
    stem: str,
    options: list,
    answer: list,
    multiple_rule: str = MultipleRule.ALL_OR_NOTHING,
    reference_answer: str = "",
) -> dict[str, list[str]]:
    """Field name -> problems (translated) of a question; empty when it is valid."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if qtype not in QuestionType.values:
        add("type", _("Unknown question type."))
        return errors
    if not (stem or "").strip():
        add("stem", _("The question text is missing."))
    if multiple_rule not in MultipleRule.values:
        add("multiple_rule", _("Unknown marking rule for multiple choice."))
    if qtype in CHOICE_TYPES:
        _check_choice(qtype, options, answer, add)
    else:
        if options:
            add("options", _("Only choice questions have options."))
        if qtype == QuestionType.TRUE_FALSE and not (
            isinstance(answer, list) and len(answer) == 1 and isinstance(answer[0], bool)
        ):
            add("answer", _("The answer of a true-or-false question is true or false."))
        elif qtype == QuestionType.FILL_BLANK:
            _check_blanks(stem, answer, add)
        elif qtype == QuestionType.SHORT_ANSWER:
            if answer:
                add("answer", _("A short-answer question has no automatic answer: use the reference answer."))
            if not (reference_answer or "").strip():
                add("reference_answer", _("Give a reference answer or marking guide for the markers."))
    return errors


def _check_choice(qtype, options, answer, add) -> None:
    shaped = isinstance(options, list) and all(
        isinstance(o, dict) and isinstance(o.get("key"), str) and isinstance(o.get("text"), str) for o in options
    )
    if not shaped:
        add("options", _("The options are malformed."))
        return
    keys = [o["key"] for o in options]
    if not MIN_OPTIONS <= len(options) <= len(OPTION_KEYS):
        add(
            "options",
            _("A choice question has %(min)d to %(max)d options (A to %(last)s).")
            % {"min": MIN_OPTIONS, "max": len(OPTION_KEYS), "last": OPTION_KEYS[-1]},
        )
    elif keys != list(OPTION_KEYS[: len(keys)]):
        add("options", _("The options must be A, B, C… in order, without gaps."))
    if any(not o["text"].strip() for o in options):
        add("options", _("Every option needs a text."))
    elif len({o["text"].strip() for o in options}) != len(options):
        add("options", _("Two options have the same text."))
    if not isinstance(answer, list) or not all(isinstance(k, str) for k in answer):
        add("answer", _("The answer is malformed."))
        return
    if len(set(answer)) != len(answer):
        add("answer", _("An option letter appears twice in the answer."))
    if not set(answer) <= set(keys):
        add(
            "answer",
            _("The answer must use the letters of the options (%(keys)s).") % {"keys": "".join(keys)},
        )
    if qtype == QuestionType.SINGLE and len(answer) != 1:
        add("answer", _("A single-choice question has exactly one correct option."))
    if qtype == QuestionType.MULTIPLE and len(answer) < 2:
        add("answer", _("A multiple-choice question has at least two correct options."))


def _check_blanks(stem, answer, add) -> None:
    shaped = (
        isinstance(answer, list)
        and answer
        and all(isinstance(b, list) and b and all(isinstance(a, str) and a.strip() for a in b) for b in answer)
    )
    if not shaped:
        add("answer", _("Give at least one accepted answer for every blank."))
        return
    marked = blank_count(stem)
    if marked and marked != len(answer):
        add(
            "answer",
            _("The question text has %(marked)d blanks but the answer gives %(given)d.")
            % {"marked": marked, "given": len(answer)},
        )
