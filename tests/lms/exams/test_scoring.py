"""Practical assessment arithmetic (pure, no database)."""

from decimal import Decimal as D

import pytest

from lms.exams import scoring
from lms.exams.choices import Aggregation


def totals(*values):
    return [D(str(v)) for v in values]


# --- rubrics ----------------------------------------------------------------------------------------------------


def test_rubric_must_add_up_to_100():
    assert scoring.rubric_problem(totals(30, 30, 40)) is None
    assert scoring.rubric_problem(totals("33.5", "33.5", 33)) is None
    assert scoring.rubric_problem(totals(30, 30, 30)) == "criteria do not add up to the full score"
    assert scoring.rubric_problem(totals(50, 60)) == "criteria do not add up to the full score"
    assert scoring.rubric_problem([]) == "no criteria"
    assert scoring.rubric_problem(totals(100, 0)) == "a criterion is worth no points"


# --- marks ------------------------------------------------------------------------------------------------------

MAXIMA = {"1": D("30"), "2": D("30"), "3": D("40")}


def test_marks_within_0_and_max_are_accepted_and_stored_as_exact_strings():
    clean, problems = scoring.clean_marks({"1": "30", "2": 0, "3": "37.5"}, MAXIMA, complete=True)
    assert problems == []
    assert clean == {"1": D("30"), "2": D("0"), "3": D("37.5")}
    assert scoring.sheet_total(clean) == D("67.50")
    assert scoring.as_json(clean) == {"1": "30", "2": "0", "3": "37.5"}


@pytest.mark.parametrize(
    ("value", "code"),
    [("31", "out_of_range"), ("-1", "out_of_range"), ("abc", "not_a_number"), ("1.234", "not_a_number"),
     ("NaN", "not_a_number"), ("Infinity", "not_a_number"), (True, "not_a_number")],
)  # fmt: skip
def test_a_bad_mark_is_named_with_its_maximum(value, code):
    _clean, problems = scoring.clean_marks({"1": value}, MAXIMA, complete=False)
    assert problems == [scoring.MarkProblem("1", code, D("30"))]


def test_drafts_may_leave_criteria_blank_submissions_may_not():
    marks = {"1": "20", "2": "", "3": None}
    clean, problems = scoring.clean_marks(marks, MAXIMA, complete=False)
    assert clean == {"1": D("20")} and problems == []
    _clean, problems = scoring.clean_marks(marks, MAXIMA, complete=True)
    assert [(p.criterion, p.code) for p in problems] == [("2", "missing"), ("3", "missing")]


def test_marks_for_unknown_criteria_are_refused():
    _clean, problems = scoring.clean_marks({"99": "5"}, MAXIMA, complete=False)
    assert problems == [scoring.MarkProblem("99", "unknown")]


# --- panels -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "problem"),
    [(0, "too few examiners"), (1, "too few examiners"), (2, "too few examiners"), (3, None),
     (4, "even number of examiners"), (5, None), (6, "even number of examiners"), (7, None)],
)  # fmt: skip
def test_panel_is_odd_and_at_least_three(n, problem):
    assert scoring.panel_problem(n) == problem


def test_ratio_warns_above_five_candidates_per_examiner():
    assert not scoring.ratio_exceeded(15, 3)
    assert scoring.ratio_exceeded(16, 3)
    assert scoring.ratio_exceeded(1, 0)
    assert not scoring.ratio_exceeded(8, 3, per_examiner=3)
    assert scoring.ratio_exceeded(10, 3, per_examiner=3)


# --- aggregation ------------------------------------------------------------------------------------------------


def test_the_values_match_the_model_choices():
    assert {scoring.MEAN, scoring.TRIMMED_MEAN, scoring.MEDIAN} == set(Aggregation.values)


def test_mean_rounds_half_up_to_cents():
    assert scoring.aggregate(totals(70, 80, 90), Aggregation.MEAN) == D("80.00")
    assert scoring.aggregate(totals(70, 71, 71), Aggregation.MEAN) == D("70.67")
    assert scoring.aggregate(totals("60.005"), Aggregation.MEAN) == D("60.01")


def test_trimmed_mean_drops_the_highest_and_the_lowest_with_five_examiners():
    # 40 and 100 are dropped: (70 + 75 + 80) / 3
    assert scoring.aggregate(totals(100, 70, 40, 80, 75), Aggregation.TRIMMED_MEAN) == D("75.00")
    # one of the equal highest and one of the equal lowest only
    assert scoring.aggregate(totals(90, 90, 60, 60, 75), Aggregation.TRIMMED_MEAN) == D("75.00")
    assert scoring.aggregate(totals(50, 60, 70, 80, 90, 100, 10), Aggregation.TRIMMED_MEAN) == D("70.00")


def test_trimmed_mean_with_fewer_than_five_examiners_is_the_mean():
    assert scoring.aggregate(totals(100, 70, 40), Aggregation.TRIMMED_MEAN) == D("70.00")
    assert scoring.aggregate(totals(100, 70, 40), Aggregation.TRIMMED_MEAN) == scoring.aggregate(
        totals(100, 70, 40), Aggregation.MEAN
    )


def test_median():
    assert scoring.aggregate(totals(100, 62, 61), Aggregation.MEDIAN) == D("62.00")
    assert scoring.aggregate(totals(60, 70, 80, 95), Aggregation.MEDIAN) == D("75.00")


def test_aggregate_refuses_nothing_and_unknown_methods():
    with pytest.raises(ValueError):
        scoring.aggregate([], Aggregation.MEAN)
    with pytest.raises(ValueError):
        scoring.aggregate(totals(60), "mode")


def test_disagreement_is_a_spread_above_the_threshold():
    assert not scoring.disagrees(totals(60, 75), D("15"))
    assert scoring.disagrees(totals(60, "75.5"), D("15"))
    assert not scoring.disagrees([], D("15"))


def test_final_score_passes_at_the_pass_mark():
    final = scoring.final_score(totals(60, 60, 60), method=Aggregation.MEAN, threshold=D("15"), pass_mark=D("60"))
    assert final == scoring.Final(score=D("60.00"), passed=True, disagreement=False)
    final = scoring.final_score(totals(50, 69, 70), method=Aggregation.MEAN, threshold=D("15"), pass_mark=D("60"))
    assert final == scoring.Final(score=D("63.00"), passed=True, disagreement=True)
    final = scoring.final_score(
        totals("59.99", 60, 59), method=Aggregation.MEDIAN, threshold=D("15"), pass_mark=D("60")
    )
    assert final.score == D("59.99") and not final.passed
