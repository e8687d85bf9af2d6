"""How a demo candidate answers a drawn question, and how a demo marker marks a short answer (pure: no database).

Used by :mod:`lms.exams.demo_sittings` to simulate the candidates of the completed demo sitting. Each candidate has
an ``ability`` (0..1): the chance of answering an objective question right. Wrong answers look like real ones
(another option, one option too many or too few, the opposite true/false, a plausible wrong fill-in); weak
candidates also leave some questions blank. A short answer restates as many of the reference answer's key points
as the candidate's ability gives, and the marker awards the question's points in proportion, to the half point.

Everything is drawn from the ``random.Random`` passed in, so the same seed gives the same answers.
"""

from __future__ import annotations

import random
import re
from decimal import ROUND_HALF_UP, Decimal

WRONG_FILL_INS = ("不清楚", "3", "适量", "每周一次", "家长", "随时")
NUMBERED_POINT = re.compile(r"^\s*(?:\d+|[一二三四五六七八九十]+)\s*[.、．)）]\s*(.+?)\s*$")
MARK_NOTE = re.compile(r"[（(][^（）()]*分[^（）()]*[）)]")
ENOUGH_POINTS = re.compile(r"答出\D{0,4}?(\d+)\s*点")  # "答出以下任意5点即可得满分"
HALF = Decimal("0.5")


def _blank_chance(ability: float) -> float:
    """Strong candidates answer everything; the weakest leave about one question in twelve blank."""
    return max(0.0, 0.6 - ability) / 5


def response_for(snapshot: dict, ability: float, rng: random.Random):
    """The response a candidate of ``ability`` gives to the frozen question ``snapshot`` (None: left blank).

    Short answers are :func:`short_answer` texts; the other types use the shapes of ``lms.exams.grading``."""
    qtype = snapshot["type"]
    if rng.random() < _blank_chance(ability):
        return None
    if qtype == "short_answer":
        text = short_answer(snapshot.get("reference_answer") or "", ability, rng)
        return [text] if text else None
    right = rng.random() < ability
    answer = snapshot.get("answer") or []
    keys = [option["key"] for option in snapshot.get("options") or ()]
    if qtype == "true_false":
        return [bool(answer[0]) if right else not bool(answer[0])]
    if qtype == "single":
        if right:
            return list(answer)
        return [rng.choice([k for k in keys if k not in answer] or keys)]
    if qtype == "multiple":
        return list(answer) if right else _wrong_multiple(answer, keys, rng)
    if qtype == "fill_blank":
        return [_fill_in(accepted, right or rng.random() < 0.3, rng) for accepted in answer]
    return None


def _wrong_multiple(answer: list[str], keys: list[str], rng: random.Random) -> list[str]:
    """One option too few (partial credit where the rule allows it) or one wrong option added."""
    others = [k for k in keys if k not in answer]
    if len(answer) > 1 and (not others or rng.random() < 0.5):
        dropped = rng.choice(answer)
        return sorted(k for k in answer if k != dropped)
    return sorted([*answer, rng.choice(others)]) if others else list(answer)


def _fill_in(accepted, right: bool, rng: random.Random) -> str:
    alternatives = accepted if isinstance(accepted, list | tuple) else [accepted]
    if right:
        return str(rng.choice(alternatives))
    wrong = [w for w in WRONG_FILL_INS if w not in alternatives]
    return rng.choice(wrong)


def key_points(reference_answer: str) -> list[str]:
    """The key points of a reference answer: its numbered lines, else its sentences (marking notes removed)."""
    lines = [line for line in reference_answer.splitlines() if line.strip()]
    points = [m.group(1) for line in lines if (m := NUMBERED_POINT.match(line))]
    if not points:
        points = [s for s in re.split(r"[；;。\n]", reference_answer) if s.strip()]
    cleaned = [MARK_NOTE.sub("", p).strip(" ；;。，,") for p in points]
    return [p for p in cleaned if p]


def short_answer(reference_answer: str, ability: float, rng: random.Random) -> str:
    """A candidate's short answer: some of the key points, in order, as one paragraph ("" when none)."""
    points = key_points(reference_answer)
    if not points:
        return ""
    quality = min(1.0, max(0.0, rng.gauss(ability, 0.15)))
    n = round(quality * len(points))
    if n == 0:
        n = 1 if rng.random() < 0.6 else 0
    return "；".join(points[:n]) + "。" if n else ""


def short_answer_points(response, reference_answer: str, points: Decimal) -> Decimal:
    """The points a marker gives a short answer: the share of the key points it makes (of those the reference
    answer asks for: "答出5点即可"), to the half point."""
    text = (response or [""])[0] if isinstance(response, list) else str(response or "")
    reference = key_points(reference_answer)
    if not text.strip() or not reference:
        return Decimal("0")
    given = sum(1 for point in reference if point in text)
    enough = ENOUGH_POINTS.search(reference_answer)
    needed = min(int(enough.group(1)), len(reference)) if enough else len(reference)
    raw = Decimal(points) * Decimal(given) / Decimal(max(needed, 1))
    return min(Decimal(points), (raw / HALF).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * HALF)
