"""The seeded random draw of a paper (lms.exams.draw): exact counts, no duplicates, reproducible, uniform enough,
and a clear shortfall per section when the pool cannot satisfy the blueprint."""

from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.exams.draw import (
    TYPE_ORDER,
    BlueprintProblem,
    DrawError,
    PoolQuestion,
    Section,
    Shortfall,
    blueprint_problems,
    check,
    draw,
    shuffle_options,
)

D = Decimal
ETHICS, SAFETY, CARE = 1, 2, 3


def pool_of(qtype, n, *, start, area=CARE, difficulty=2, level=None, options=4):
    return [
        PoolQuestion(start + i, qtype, area, difficulty, level, options if qtype in ("single", "multiple") else 0)
        for i in range(n)
    ]


@pytest.fixture
def paper_pool():
    return (
        pool_of("true_false", 30, start=1)
        + pool_of("single", 40, start=100)
        + pool_of("single", 10, start=200, area=SAFETY)
        + pool_of("single", 10, start=300, area=SAFETY, difficulty=3)
        + pool_of("multiple", 20, start=400, options=5)
        + pool_of("fill_blank", 8, start=500)
        + pool_of("short_answer", 5, start=600)
    )


PAPER = [
    Section("single", 30, D("1")),
    Section("single", 5, D("1"), area=SAFETY),
    Section("single", 5, D("1"), area=SAFETY, difficulty=3),
    Section("true_false", 20, D("1")),
    Section("multiple", 10, D("2")),
    Section("fill_blank", 4, D("2.5")),
    Section("short_answer", 2, D("5")),
]


def test_paper_has_exact_counts_positions_and_points(paper_pool):
    paper = draw(PAPER, paper_pool, "seed-1")
    assert [d.position for d in paper] == list(range(1, 77))
    assert len({d.question_id for d in paper}) == 76  # no duplicates
    per_section = Counter(d.section for d in paper)
    assert per_section == {i: s.count for i, s in enumerate(PAPER)}
    by_id = {q.id: q for q in paper_pool}
    for d in paper:
        assert PAPER[d.section].accepts(by_id[d.question_id])
        assert d.points == PAPER[d.section].points
    assert sum(d.points for d in paper) == D("100")


def test_paper_is_grouped_by_type_in_the_printed_order(paper_pool):
    paper = draw(PAPER, paper_pool, "seed-1")
    by_id = {q.id: q for q in paper_pool}
    types = [by_id[d.question_id].type for d in paper]
    assert types == sorted(types, key=TYPE_ORDER.index)
    assert types[0] == "true_false" and types[-1] == "short_answer"
    # within single choice the three sections are mixed, not in blocks
    singles = [d.section for d in paper if by_id[d.question_id].type == "single"]
    assert singles != sorted(singles)


def test_same_seed_same_paper_different_seed_different_paper(paper_pool):
    assert draw(PAPER, paper_pool, "cand-7") == draw(PAPER, paper_pool, "cand-7")
    assert draw(PAPER, list(reversed(paper_pool)), "cand-7") == draw(PAPER, paper_pool, "cand-7")  # pool order
    papers = {tuple((d.question_id, d.option_order) for d in draw(PAPER, paper_pool, f"cand-{n}")) for n in range(20)}
    assert len(papers) == 20


def test_options_are_permuted_per_question(paper_pool):
    paper = draw(PAPER, paper_pool, "opts")
    by_id = {q.id: q for q in paper_pool}
    for d in paper:
        q = by_id[d.question_id]
        assert sorted(d.option_order) == list(range(q.option_count))
    orders = Counter(d.option_order for d in paper if by_id[d.question_id].type == "single")
    assert len(orders) > 5  # not one permutation for everybody
    plain = draw(PAPER, paper_pool, "opts", shuffle_options=False)
    assert all(d.option_order == tuple(range(len(d.option_order))) for d in plain)
    assert [d.question_id for d in plain] == [d.question_id for d in paper]


def test_every_eligible_question_gets_drawn_over_many_seeds(paper_pool):
    seen = Counter()
    for n in range(300):
        seen.update(d.question_id for d in draw(PAPER, paper_pool, f"s{n}"))
    eligible = {q.id for q in paper_pool}
    assert set(seen) == eligible
    # the plain single-choice section draws 30 of 40 (+ leftovers of SAFETY): each about 300 × 30/40 = 225 times
    plain = [seen[qid] for qid in range(100, 140)]
    assert min(plain) > 150 and max(plain) <= 300


def test_uniform_within_a_section():
    pool = pool_of("single", 10, start=1)
    counts = Counter()
    for n in range(2000):
        counts.update(d.question_id for d in draw([Section("single", 3, D("1"))], pool, f"u{n}"))
    # expected 600 each (3/10 of 2000); a fair draw stays well within ±15%
    assert all(510 < c < 690 for c in counts.values()), counts


def test_overlapping_sections_share_the_pool_without_duplicates():
    # 6 single questions, 3 of them SAFETY. "any single × 3" + "SAFETY single × 3" needs all 6:
    # the specific section must get the 3 SAFETY ones, whatever the seed.
    pool = pool_of("single", 3, start=1) + pool_of("single", 3, start=10, area=SAFETY)
    sections = [Section("single", 3, D("1")), Section("single", 3, D("1"), area=SAFETY)]
    for n in range(50):
        paper = draw(sections, pool, f"o{n}")
        assert {d.question_id for d in paper if d.section == 1} == {10, 11, 12}
        assert {d.question_id for d in paper if d.section == 0} == {1, 2, 3}


def test_crossing_sections_are_resolved_by_moving_a_section():
    # area=SAFETY and difficulty=3 are equally specific and share question 1 (SAFETY, hard).
    # Section 0 needs 2 of {1, 2}; section 1 needs 1 of {1, 3}: only 3 works for section 1 when 0 takes 1.
    pool = [
        PoolQuestion(1, "single", SAFETY, 3, None, 4),
        PoolQuestion(2, "single", SAFETY, 1, None, 4),
        PoolQuestion(3, "single", CARE, 3, None, 4),
    ]
    sections = [Section("single", 2, D("1"), area=SAFETY), Section("single", 1, D("1"), difficulty=3)]
    for n in range(30):
        paper = draw(sections, pool, f"x{n}")
        assert {(d.section, d.question_id) for d in paper} == {(0, 1), (0, 2), (1, 3)}
    assert check(sections, pool) == []


def test_shortfalls_list_each_failing_section_with_needed_and_available(paper_pool):
    sections = [
        Section("single", 50, D("1")),  # 60 singles, but 12 go to the sections below first: 48 left
        Section("single", 12, D("1"), area=SAFETY),  # 20 SAFETY, 7 go to the hard one first: 13 left, fine
        Section("single", 7, D("1"), area=SAFETY, difficulty=3),
        Section("multiple", 25, D("2")),  # only 20
        Section("true_false", 10, D("1")),  # fine
    ]
    with pytest.raises(DrawError) as excinfo:
        draw(sections, paper_pool, "any")
    assert excinfo.value.shortfalls == [
        Shortfall(section=0, needed=50, available=41, eligible=60),
        Shortfall(section=3, needed=25, available=20, eligible=20),
    ]
    assert check(sections, paper_pool) == excinfo.value.shortfalls
    assert "section 1: needs 50, 41 available (60 eligible)" in str(excinfo.value)


def test_level_filter_keeps_questions_for_every_level():
    pool = pool_of("single", 2, start=1, level=None) + pool_of("single", 2, start=10, level=4)
    pool += pool_of("single", 5, start=20, level=5)
    section = [Section("single", 4, D("1"))]
    assert {d.question_id for d in draw(section, pool, "l", level=4)} == {1, 2, 10, 11}
    assert check([Section("single", 5, D("1"))], pool, level=4) == [Shortfall(0, 5, 4, 4)]


def test_empty_pool_fails_every_section():
    sections = [Section("single", 1, D("50")), Section("true_false", 1, D("50"))]
    assert check(sections, []) == [Shortfall(0, 1, 0, 0), Shortfall(1, 1, 0, 0)]


def test_shuffle_options_relabels_in_the_candidates_order():
    options = [{"key": k, "text": t} for k, t in zip("ABCD", ["甲", "乙", "丙", "丁"], strict=True)]
    shuffled, answer = shuffle_options(options, ["B", "D"], (3, 1, 0, 2))
    assert shuffled == [
        {"key": "A", "text": "丁", "source": "D"},
        {"key": "B", "text": "乙", "source": "B"},
        {"key": "C", "text": "甲", "source": "A"},
        {"key": "D", "text": "丙", "source": "C"},
    ]
    assert answer == ["A", "B"]
    assert shuffle_options(options, ["C"], ()) == (options, ["C"])


def test_blueprint_arithmetic():
    assert blueprint_problems(PAPER, total_points=D("100"), pass_mark=D("60")) == []
    assert blueprint_problems(PAPER[:-1], total_points=D("100"), pass_mark=D("60")) == [
        BlueprintProblem("total_mismatch", total=D("90"), expected=D("100"))
    ]
    assert blueprint_problems(PAPER, total_points=D("100"), pass_mark=D("101")) == [
        BlueprintProblem("pass_above_total", total=D("101"), expected=D("100"))
    ]
    assert blueprint_problems([], total_points=D("100"), pass_mark=D("60"))[0].code == "no_sections"


@st.composite
def pools_and_sections(draw_):
    types = ["single", "true_false"]
    pool = [
        PoolQuestion(i, draw_(st.sampled_from(types)), draw_(st.sampled_from([1, 2])), draw_(st.sampled_from([1, 2])))
        for i in range(draw_(st.integers(0, 25)))
    ]
    sections = [
        Section(
            draw_(st.sampled_from(types)),
            draw_(st.integers(1, 6)),
            D("1"),
            draw_(st.sampled_from([None, 1, 2])),
            draw_(st.sampled_from([None, 1, 2])),
        )
        for _ in range(draw_(st.integers(1, 4)))
    ]
    return pool, sections


def _feasible_by_brute_force(pool, sections) -> bool:
    """Exhaustive: can each section get its count of distinct accepted questions? (small cases only)"""

    def place(i, used):
        if i == len(sections):
            return True
        free = [q.id for q in pool if q.id not in used and sections[i].accepts(q)]
        from itertools import combinations

        return any(place(i + 1, used | set(c)) for c in combinations(free, sections[i].count))

    return place(0, frozenset())


@settings(max_examples=150, deadline=None)
@given(pools_and_sections(), st.text(max_size=8))
def test_draw_succeeds_exactly_when_a_paper_exists(case, seed):
    pool, sections = case
    feasible = _feasible_by_brute_force(pool, sections)
    assert (check(sections, pool) == []) is feasible
    if feasible:
        paper = draw(sections, pool, seed)
        assert len({d.question_id for d in paper}) == len(paper) == sum(s.count for s in sections)
        by_id = {q.id: q for q in pool}
        assert all(sections[d.section].accepts(by_id[d.question_id]) for d in paper)
    else:
        with pytest.raises(DrawError):
            draw(sections, pool, seed)
