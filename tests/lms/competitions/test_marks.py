"""Judging arithmetic of a competition (pure, no database)."""

from decimal import Decimal as D

import pytest

from lms.competitions import marks
from lms.exams.choices import Aggregation


def totals(*values):
    return [D(str(v)) for v in values]


# --- station score ----------------------------------------------------------------------------------------------


def test_five_judges_drop_the_highest_and_the_lowest():
    # 70 and 99 dropped: (80 + 82 + 85) / 3 = 82.333…
    assert marks.station_score(totals(85, 70, 99, 80, 82), Aggregation.TRIMMED_MEAN) == D("82.33")


def test_seven_judges_drop_only_one_highest_and_one_lowest():
    # 60 and 95 dropped: (75 + 78 + 80 + 81 + 84) / 5 = 79.6
    assert marks.station_score(totals(60, 75, 78, 80, 81, 84, 95), Aggregation.TRIMMED_MEAN) == D("79.60")


def test_four_judges_take_the_plain_mean():
    # (70 + 80 + 85 + 99) / 4 = 83.5: nothing is dropped below five judges
    assert marks.station_score(totals(70, 80, 85, 99), Aggregation.TRIMMED_MEAN) == D("83.50")


def test_other_aggregations_are_the_competitions_choice():
    five = totals(85, 70, 99, 80, 82)
    assert marks.station_score(five, Aggregation.MEAN) == D("83.20")  # 416 / 5
    assert marks.station_score(five, Aggregation.MEDIAN) == D("82.00")


def test_station_scores_round_half_up():
    # (80.01 + 80.02) / 2 = 80.015 -> 80.02 (half up, not to even)
    assert marks.station_score(totals("80.01", "80.02"), Aggregation.MEAN) == D("80.02")
    with pytest.raises(ValueError):
        marks.station_score([], Aggregation.MEAN)


# --- outliers ---------------------------------------------------------------------------------------------------


def test_a_judge_far_from_the_others_mean_is_flagged():
    # judge 5: the others' mean is (80 + 82 + 81 + 79) / 4 = 80.5, 20.5 points away
    # judge 2: the others' mean is (80 + 81 + 79 + 60) / 4 = 75, 7 points away: not flagged
    found = marks.outliers({1: D("80"), 2: D("82"), 3: D("81"), 4: D("79"), 5: D("60")}, D("10"))
    assert found == {5}


def test_exactly_the_threshold_away_is_not_an_outlier():
    # judge 3: the others' mean is 80, 10 points away; the threshold is "more than"
    assert marks.outliers({1: D("80"), 2: D("80"), 3: D("90")}, D("10")) == set()
    assert marks.outliers({1: D("80"), 2: D("80"), 3: D("90.01")}, D("10")) == {3}


def test_fewer_than_three_judges_flag_nobody():
    assert marks.outliers({1: D("20"), 2: D("95")}, D("10")) == set()
    assert marks.outliers({}, D("10")) == set()


def test_with_three_judges_one_far_total_makes_the_others_look_far_too():
    # 50 vs the others' mean (90 + 92) / 2 = 91: flagged; but 90 vs (50 + 92) / 2 = 71 and 92 vs 70 are also
    # more than 15 away: with three judges, the chief judge decides who is out of line
    assert marks.outliers({1: D("50"), 2: D("90"), 3: D("92")}, D("15")) == {1, 2, 3}


# --- round score and time ---------------------------------------------------------------------------------------


def test_round_score_is_the_weighted_mean_of_the_stations():
    assert marks.round_score([(D("80"), D("1")), (D("90"), D("1"))]) == D("85.00")
    # (80 × 2 + 91 × 1) / 3 = 83.666…
    assert marks.round_score([(D("80"), D("2")), (D("91"), D("1"))]) == D("83.67")
    assert marks.round_score([(D("77.5"), D("1"))]) == D("77.50")


def test_stations_weighted_zero_fall_back_to_the_plain_mean():
    assert marks.round_score([(D("80"), D("0")), (D("90"), D("0"))]) == D("85.00")
    with pytest.raises(ValueError):
        marks.round_score([])


def test_median_time_ignores_missing_timings():
    assert marks.median_time([300, None, 320, 310]) == 310
    assert marks.median_time([300, 301]) == 301  # 300.5 rounded half up
    assert marks.median_time([300, 302, 310, 400]) == 306
    assert marks.median_time([None, None]) is None
    assert marks.median_time([]) is None
