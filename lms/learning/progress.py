"""Server-side rules of learning progress (pure: no database).

The browser only *reports* what it played; these functions decide what counts:

* a heartbeat reports a played segment ``[start, end]`` of a video (media seconds);
* a segment is clipped to the video and to the wall-clock budget since the learner's previous
  accepted heartbeat (across all tabs and devices), so skipping forward, fast-forwarding or two
  tabs playing at once cannot earn more than real time;
* accepted segments are merged into the set of watched intervals, so replayed heartbeats and
  rewinds add nothing;
* a lesson counts when each video's watched share reaches the course's ratio (or, without video,
  the verified reading time reaches the minimum) and its gates are passed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

HEARTBEAT_SECONDS = 10  # the player reports every 10 s
MAX_GAP_SECONDS = 15  # the most credit one heartbeat can carry (a pause does not bank time)
TOLERANCE_SECONDS = 1.0  # network jitter

Interval = list[float]  # [start, end], JSON-friendly


def merge(intervals: Iterable[Sequence[float]]) -> list[Interval]:
    """Union of intervals, sorted, touching ones joined."""
    out: list[Interval] = []
    for start, end in sorted((float(a), float(b)) for a, b in intervals if b > a):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return out


def covered(intervals: Iterable[Sequence[float]]) -> float:
    return sum(end - start for start, end in merge(intervals))


def budget(seconds_since_last: float | None) -> float:
    """The most media time one heartbeat may credit, given the wall time since the previous one."""
    if seconds_since_last is None or seconds_since_last < 0:
        seconds_since_last = MAX_GAP_SECONDS
    return min(seconds_since_last, MAX_GAP_SECONDS) + TOLERANCE_SECONDS


@dataclass(frozen=True)
class Accepted:
    intervals: list[Interval]
    seconds: float  # newly covered media seconds
    position: float  # where to resume


def apply_heartbeat(
    intervals: Sequence[Sequence[float]], *, start: float, end: float, duration: float, allowance: float
) -> Accepted:
    """Add the reported segment ``[start, end]`` to ``intervals`` within ``allowance`` seconds."""
    start = max(0.0, min(float(start), duration))
    end = max(0.0, min(float(end), duration))
    if end <= start or allowance <= 0:
        return Accepted(merge(intervals), 0.0, end if end else start)
    end = min(end, start + allowance)  # never more than real time since the last heartbeat
    before = covered(intervals)
    merged = merge([*intervals, [start, end]])
    return Accepted(merged, covered(merged) - before, end)


def video_done(intervals: Sequence[Sequence[float]], duration: float, ratio: Decimal | float) -> bool:
    if duration <= 0:
        return True
    # the last second of a video rarely reaches the server: allow one heartbeat's rounding
    return covered(intervals) + 0.5 >= float(ratio) * duration


@dataclass(frozen=True)
class LessonRule:
    videos: dict[str, float]  # media id -> duration (s)
    gates: tuple[str, ...]  # gate block ids
    ratio: Decimal
    dwell_seconds: int  # reading time for a lesson without video


@dataclass(frozen=True)
class LessonTarget:
    """What a heartbeat needs of a live lesson and its course: small, cacheable, no page object."""

    lesson_id: int
    title: str
    hours: Decimal
    course_id: int
    course_kind: str
    rule: LessonRule


def lesson_done(rule: LessonRule, *, watched: dict[str, list], dwell_seconds: int, gates_passed: Iterable[str]) -> bool:
    if not set(rule.gates) <= set(gates_passed):
        return False
    if rule.videos:
        return all(video_done(watched.get(mid, []), d, rule.ratio) for mid, d in rule.videos.items())
    return dwell_seconds >= rule.dwell_seconds


def video_percent(intervals: Sequence[Sequence[float]], duration: float) -> int:
    if duration <= 0:
        return 100
    return min(100, int(covered(intervals) * 100 // duration))


@dataclass(frozen=True)
class QuizResult:
    correct: int
    total: int
    passed: bool
    per_question: list[bool]


def grade(questions: Sequence[dict], answers: Sequence[Iterable[int]], pass_ratio: Decimal | float) -> QuizResult:
    """All-or-nothing per question: the chosen answers must be exactly the correct ones."""
    per_question = []
    for i, question in enumerate(questions):
        right = {j for j, choice in enumerate(question["choices"]) if choice["correct"]}
        chosen = set(answers[i]) if i < len(answers) else set()
        per_question.append(bool(right) and chosen == right)
    correct = sum(per_question)
    total = len(questions)
    passed = total > 0 and correct >= float(pass_ratio) * total - 1e-9
    return QuizResult(correct, total, passed, per_question)
