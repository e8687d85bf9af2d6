"""Ranking, advancement and awards of a competition (pure, no database)."""

from decimal import Decimal as D

import pytest

from lms.competitions import ranking
from lms.competitions.ranking import Standing, UnitAward

PTT = ("practical", "theory", "time")


def standing(entry_id, total, practical=0, theory=0, time=None):
    return Standing(entry_id, D(str(total)), D(str(practical)), D(str(theory)), time)


# --- totals -----------------------------------------------------------------------------------------------------


def test_weighted_total():
    # 75 × 20% + 88.5 × 80% = 15 + 70.8
    assert ranking.weighted_total({1: D("75"), 2: D("88.5")}, {1: D("20"), 2: D("80")}) == D("85.80")
    # 77.78 × 30% + 88.89 × 70% = 23.334 + 62.223 = 85.557
    assert ranking.weighted_total({1: D("77.78"), 2: D("88.89")}, {1: D("30"), 2: D("70")}) == D("85.56")


def test_a_missing_round_counts_zero_and_extra_scores_are_ignored():
    assert ranking.weighted_total({2: D("88.5")}, {1: D("20"), 2: D("80")}) == D("70.80")
    assert ranking.weighted_total({1: D("90"), 9: D("100")}, {1: D("20")}) == D("18.00")


def test_totals_round_half_up():
    # 80.05 × 50% = 40.025 -> 40.03
    assert ranking.weighted_total({1: D("80.05")}, {1: D("50")}) == D("40.03")


# --- rank -------------------------------------------------------------------------------------------------------


def test_fully_equal_contestants_share_a_rank_and_the_next_place_is_skipped():
    ranks = ranking.rank(
        [
            standing(1, 90, 70, 20, 600),
            standing(2, 85, 65, 20, 500),
            standing(3, 85, 65, 20, 500),
            standing(4, 80, 60, 20, 400),
        ],
        PTT,
    )
    assert ranks == {1: 1, 2: 2, 3: 2, 4: 4}


def test_ties_are_broken_by_practical_then_theory_then_time():
    standings = [
        standing("B", 88, 70, 18, 500),
        standing("A", 90, 72, 18, 600),
        standing("C", 88, 72, 16, 500),  # better practical than B and D
        standing("D", 88, 70, 18, 400),  # as B, less time
        standing("E", 85, 68, 17, None),  # no time: after F
        standing("F", 85, 68, 17, 700),
        standing("G", 80, 64, 16, 600),
        standing("H", 80, 64, 16, 600),  # equal to G on everything
        standing("I", 79, 64, 15, 100),
    ]
    assert ranking.rank(standings, PTT) == {
        "A": 1,
        "C": 2,
        "D": 3,
        "B": 4,
        "F": 5,
        "E": 6,
        "G": 7,
        "H": 7,
        "I": 9,
    }


def test_the_order_of_the_keys_is_the_competitions():
    standings = [standing("B", 88, 70, 18, 500), standing("C", 88, 72, 16, 500), standing("D", 88, 70, 18, 400)]
    assert ranking.rank(standings, ("theory", "practical", "time")) == {"D": 1, "B": 2, "C": 3}
    assert ranking.rank(standings, ("time", "practical", "theory")) == {"D": 1, "C": 2, "B": 3}
    # the total alone: all three tied
    assert ranking.rank(standings, ()) == {"B": 1, "C": 1, "D": 1}
    assert ranking.rank([], PTT) == {}


def test_an_unknown_tie_break_is_an_error():
    with pytest.raises(ValueError):
        ranking.rank([standing(1, 80)], ("luck",))


# --- advancement ------------------------------------------------------------------------------------------------

SCORES = {1: D("90"), 2: D("75"), 3: D("60"), 4: D("59.99"), 5: D("75")}


def test_below_the_pass_mark_goes_no_further():
    assert ranking.goes_on(SCORES, pass_mark=D("60"), top=None) == {1, 2, 3, 5}
    assert ranking.goes_on(SCORES, pass_mark=None, top=None) == {1, 2, 3, 4, 5}


def test_top_n_of_those_who_passed_with_ties_on_the_nth_place():
    assert ranking.goes_on(SCORES, pass_mark=D("60"), top=2) == {1, 2, 5}  # 2 and 5 tie for 2nd
    assert ranking.goes_on(SCORES, pass_mark=D("60"), top=3) == {1, 2, 5}  # 3rd place is 75 too
    assert ranking.goes_on(SCORES, pass_mark=D("60"), top=4) == {1, 2, 3, 5}
    assert ranking.goes_on(SCORES, pass_mark=D("60"), top=10) == {1, 2, 3, 5}
    assert ranking.goes_on(SCORES, pass_mark=None, top=1) == {1}
    assert ranking.goes_on(SCORES, pass_mark=D("95"), top=2) == set()


# --- awards -----------------------------------------------------------------------------------------------------


def test_award_counts_round_half_up_each():
    assert ranking.award_counts(10, (D("10"), D("20"), D("30"))) == (1, 2, 3)
    assert ranking.award_counts(15, (D("10"), D("20"), D("30"))) == (2, 3, 5)  # 1.5, 3, 4.5
    assert ranking.award_counts(7, (D("10"), D("20"), D("30"))) == (1, 1, 2)  # 0.7, 1.4, 2.1
    assert ranking.award_counts(0, (D("10"), D("20"), D("30"))) == (0, 0, 0)


def test_a_tie_on_a_boundary_shares_the_better_award_and_the_next_places_shift():
    ranks = {1: 1, 2: 2, 3: 2, 4: 4, 5: 5, 6: 6, 7: 6, 8: 8}
    totals = dict.fromkeys(ranks, D("80"))
    assert ranking.awards(ranks, totals, (2, 2, 2), min_total=D("60")) == {
        1: "first",
        2: "first",
        3: "first",  # tied with the second first prize
        4: "second",  # place 4 is within first + second
        5: "third",
        6: "third",
        7: "third",
    }


def test_a_tie_for_first_place():
    ranks = {"a": 1, "b": 1, "c": 3, "d": 4, "e": 7}
    totals = dict.fromkeys(ranks, D("90"))
    assert ranking.awards(ranks, totals, (1, 2, 3), min_total=D("0")) == {
        "a": "first",
        "b": "first",
        "c": "second",
        "d": "third",
    }


def test_no_prize_below_the_lowest_winning_total():
    ranks = {1: 1, 2: 2, 3: 3}
    totals = {1: D("85"), 2: D("60"), 3: D("59.99")}
    assert ranking.awards(ranks, totals, (1, 1, 1), min_total=D("60")) == {1: "first", 2: "second"}


# --- organization awards ----------------------------------------------------------------------------------------


def unit(n):
    return ("institution", n)


PRIZES = {
    unit(1): ["first", "third"],  # 4 points, a first prize
    unit(2): ["second", "second"],  # 4 points, no first prize
    unit(3): ["first"],  # 3 points, a first prize
    unit(4): ["second", "third"],  # 3 points, best rank 3
    unit(5): ["third", "third", "third"],  # 3 points, best rank 5
    unit(6): [],
    ("provider", 7): ["second", "third"],  # as unit 4
}
BEST = {unit(1): 1, unit(2): 2, unit(3): 1, unit(4): 3, unit(5): 5, unit(6): 9, ("provider", 7): 3}


def test_units_ranked_by_points_then_first_prizes_then_best_rank():
    found = ranking.organization_awards(PRIZES, BEST, count=3, min_prizes=1)
    assert found == [
        UnitAward(unit(1), 1, 4, 2),
        UnitAward(unit(2), 2, 4, 2),
        UnitAward(unit(3), 3, 3, 1),
    ]


def test_units_tied_with_the_last_winner_win_too():
    found = ranking.organization_awards(PRIZES, BEST, count=4, min_prizes=1)
    assert [(a.unit, a.rank) for a in found] == [
        (unit(1), 1),
        (unit(2), 2),
        (unit(3), 3),
        (unit(4), 4),
        (("provider", 7), 4),
    ]


def test_units_need_the_minimum_number_of_prizes():
    found = ranking.organization_awards(PRIZES, BEST, count=10, min_prizes=2)
    assert [(a.unit, a.rank, a.points) for a in found] == [
        (unit(1), 1, 4),
        (unit(2), 2, 4),
        (unit(4), 3, 3),
        (("provider", 7), 3, 3),
        (unit(5), 5, 3),
    ]
    # a unit without prizes never wins, even when no prize is required
    everyone = ranking.organization_awards(PRIZES, BEST, count=10, min_prizes=0)
    assert unit(6) not in [a.unit for a in everyone]
    assert ranking.organization_awards(PRIZES, BEST, count=0, min_prizes=1) == []


# --- upgrades ---------------------------------------------------------------------------------------------------


def test_upgrade_candidates_are_the_top_places():
    ranks = {13: 4, 11: 2, 10: 1, 12: 2}
    assert ranking.upgrade_candidates(ranks, top=2) == [10, 11, 12]
    assert ranking.upgrade_candidates(ranks, top=1) == [10]
    assert ranking.upgrade_candidates(ranks, top=0) == []
    assert ranking.PRIZE_POINTS == {"first": 3, "second": 2, "third": 1}
