"""The pure progress rules: what a reported segment is worth (no database)."""

from decimal import Decimal

import pytest

from lms.learning import progress as p


def test_merge_joins_overlapping_and_touching_segments():
    assert p.merge([[20, 30], [0, 10], [10, 15], [25, 40], [50, 50]]) == [[0, 15], [20, 40]]
    assert p.covered([[0, 10], [5, 20]]) == 20


@pytest.mark.parametrize(
    ("since_last", "expected"),
    [(None, 16.0), (10.0, 11.0), (3.0, 4.0), (300.0, 16.0), (-5.0, 16.0)],
)
def test_budget_is_real_time_capped(since_last, expected):
    assert p.budget(since_last) == expected


def test_segment_is_clipped_to_the_budget_and_the_video():
    accepted = p.apply_heartbeat([], start=0, end=600, duration=60, allowance=11)
    assert accepted.intervals == [[0.0, 11.0]] and accepted.seconds == 11 and accepted.position == 11
    accepted = p.apply_heartbeat([[0, 55]], start=55, end=80, duration=60, allowance=11)
    assert accepted.intervals == [[0.0, 60.0]] and accepted.seconds == 5


def test_replays_and_rewinds_add_nothing():
    watched = [[0.0, 30.0]]
    again = p.apply_heartbeat(watched, start=10, end=20, duration=60, allowance=11)
    assert again.seconds == 0 and again.intervals == watched
    backwards = p.apply_heartbeat(watched, start=20, end=10, duration=60, allowance=11)
    assert backwards.seconds == 0


def test_skip_forward_counts_only_what_is_played_after_the_jump():
    accepted = p.apply_heartbeat([[0, 10]], start=40, end=50, duration=60, allowance=11)
    assert accepted.intervals == [[0, 10], [40, 50]] and p.covered(accepted.intervals) == 20
    assert not p.video_done(accepted.intervals, 60, Decimal("0.9"))


def test_video_done_at_the_ratio():
    assert p.video_done([[0, 54]], 60, Decimal("0.90"))
    assert not p.video_done([[0, 50]], 60, Decimal("0.90"))
    assert p.video_percent([[0, 30]], 60) == 50


def test_lesson_needs_every_video_and_every_gate():
    rule = p.LessonRule(videos={"1": 60, "2": 30}, gates=("g",), ratio=Decimal("0.9"), dwell_seconds=120)
    watched = {"1": [[0, 60]], "2": [[0, 30]]}
    assert not p.lesson_done(rule, watched=watched, dwell_seconds=0, gates_passed=[])
    assert p.lesson_done(rule, watched=watched, dwell_seconds=0, gates_passed=["g"])
    assert not p.lesson_done(rule, watched={"1": [[0, 60]]}, dwell_seconds=999, gates_passed=["g"])
    text = p.LessonRule(videos={}, gates=(), ratio=Decimal("0.9"), dwell_seconds=120)
    assert p.lesson_done(text, watched={}, dwell_seconds=120, gates_passed=[])
    assert not p.lesson_done(text, watched={}, dwell_seconds=119, gates_passed=[])


QUESTIONS = [
    {"choices": [{"correct": True}, {"correct": False}]},
    {"choices": [{"correct": True}, {"correct": True}, {"correct": False}]},
]


def test_grade_is_all_or_nothing_per_question():
    result = p.grade(QUESTIONS, [[0], [0]], Decimal("1"))
    assert result.per_question == [True, False] and not result.passed
    assert p.grade(QUESTIONS, [[0], [1, 0]], Decimal("1")).passed
    assert p.grade(QUESTIONS, [[0]], Decimal("0.5")).passed  # a missing answer is wrong, 1 of 2 is enough here
    assert not p.grade([], [], Decimal("0")).passed
