"""Automatic marking (lms.exams.grading): normalisation of typed answers and the points of each objective type."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.exams.grading import clean_response, is_answered, normalise, score, score_snapshot

D = Decimal


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("２", "2"),  # full-width digit
        ("ＡＢＣ", "abc"),  # full-width latin, case-folded
        ("　七步洗手法　", "七步洗手法"),  # ideographic spaces around
        ("七步 洗手法", "七步洗手法"),  # a space between Chinese characters is noise
        ("七步\u3000\u3000洗手法", "七步洗手法"),
        ("hand   washing", "hand washing"),  # a space between latin words is kept (once)
        ("Hand Washing.", "hand washing"),
        ("体育。", "体育"),  # trailing full stop ignored
        ("体育！！", "体育"),
        ("“体育”", "体育"),  # quotes around
        ("37 ℃", "37°c"),  # ℃ folds to °C, space dropped next to a symbol
        ("50%", "50%"),  # a percent sign is part of the answer
        ("ＯＲＳ口服补液盐", "ors口服补液盐"),
        ("", ""),
        ("  。 ", ""),
    ],
)
def test_normalise(typed, expected):
    assert normalise(typed) == expected


@given(st.text(max_size=30))
def test_normalise_is_idempotent(text):
    assert normalise(normalise(text)) == normalise(text)


@pytest.mark.parametrize(
    ("qtype", "response", "shape", "expected"),
    [
        ("single", ["b"], {}, ["B"]),
        ("single", "C", {}, ["C"]),
        ("single", ["A", "B"], {}, None),  # two keys for a single choice
        ("single", ["E"], {"option_keys": "ABCD"}, None),  # not an option
        ("single", [], {}, None),
        ("single", {"key": "A"}, {}, None),
        ("single", [1], {}, None),
        ("multiple", ["C", "A", "A"], {}, ["A", "C"]),
        ("multiple", ["A", "Z"], {"option_keys": "ABCD"}, None),
        ("true_false", [True], {}, [True]),
        ("true_false", False, {}, [False]),
        ("true_false", ["true"], {}, None),  # a string is not a boolean
        ("true_false", [True, False], {}, None),
        ("fill_blank", ["2", " 体育 "], {"blanks": 2}, ["2", "体育"]),
        ("fill_blank", ["2"], {"blanks": 2}, None),  # wrong number of blanks
        ("fill_blank", ["", " "], {"blanks": 2}, None),  # nothing typed
        ("fill_blank", ["2", ""], {"blanks": 2}, ["2", ""]),  # one blank left empty is still an answer
        ("fill_blank", [2, "x"], {}, None),
        ("short_answer", "  先洗手  ", {}, ["先洗手"]),
        ("short_answer", [" "], {}, None),
        ("short_answer", 42, {}, None),
        ("unknown", ["A"], {}, None),
        ("single", None, {}, None),
    ],
)
def test_clean_response(qtype, response, shape, expected):
    assert clean_response(qtype, response, **shape) == expected
    assert is_answered(qtype, response, **shape) is (expected is not None)


def test_single_choice():
    assert score(qtype="single", answer=["B"], response=["B"], points="2") == D("2.00")
    assert score(qtype="single", answer=["B"], response="b", points="2") == D("2.00")
    assert score(qtype="single", answer=["B"], response=["A"], points="2") == D("0.00")
    assert score(qtype="single", answer=["B"], response=None, points="2") == D("0.00")
    assert score(qtype="single", answer=["B"], response=["B", "C"], points="2") == D("0.00")


def test_true_false():
    assert score(qtype="true_false", answer=[False], response=[False], points="1") == D("1.00")
    assert score(qtype="true_false", answer=[False], response=[True], points="1") == D("0.00")
    assert score(qtype="true_false", answer=[True], response="true", points="1") == D("0.00")  # bad shape


@pytest.mark.parametrize(
    ("response", "all_or_nothing", "partial"),
    [
        (["A", "C", "D"], "3.00", "3.00"),  # exactly right
        (["D", "A", "C"], "3.00", "3.00"),  # order does not matter
        (["A", "C"], "0.00", "2.00"),  # 2 of 3 right, none wrong: 3 × 2/3
        (["A"], "0.00", "1.00"),  # 3 × 1/3
        (["A", "B"], "0.00", "0.00"),  # a wrong option chosen: nothing
        (["A", "B", "C", "D"], "0.00", "0.00"),  # everything chosen, one wrong
        ([], "0.00", "0.00"),
        ("garbage", "0.00", "0.00"),
    ],
)
def test_multiple_choice(response, all_or_nothing, partial):
    kwargs = {"qtype": "multiple", "answer": ["A", "C", "D"], "response": response, "points": D("3")}
    assert score(rule="all_or_nothing", **kwargs) == D(all_or_nothing)
    assert score(rule="partial", **kwargs) == D(partial)


def test_partial_credit_rounds_to_cents():
    # 2 points, 1 of 3 right: 0.666… → 0.67
    assert score(qtype="multiple", answer=["A", "B", "C"], response=["B"], points="2", rule="partial") == D("0.67")


def test_fill_blank_points_split_between_blanks():
    answer = [["2", "两", "二"], ["体育", "户外体育"]]
    assert score(qtype="fill_blank", answer=answer, response=["２", "体育。"], points="4") == D("4.00")
    assert score(qtype="fill_blank", answer=answer, response=["两", "游戏"], points="4") == D("2.00")
    assert score(qtype="fill_blank", answer=answer, response=["", "户外 体育"], points="4") == D("2.00")
    assert score(qtype="fill_blank", answer=answer, response=["3", "游戏"], points="4") == D("0.00")
    assert score(qtype="fill_blank", answer=answer, response=["2"], points="4") == D("0.00")  # wrong shape


def test_fill_blank_three_blanks_rounds():
    answer = [["a"], ["b"], ["c"]]
    assert score(qtype="fill_blank", answer=answer, response=["A", "x", "x"], points="1") == D("0.33")
    assert score(qtype="fill_blank", answer=answer, response=["A", "B", "x"], points="1") == D("0.67")


def test_short_answer_needs_a_marker():
    assert score(qtype="short_answer", answer=[], response=["先洗手"], points="10") is None


def test_score_snapshot_uses_the_snapshot_letters_and_rule():
    snapshot = {
        "type": "multiple",
        "options": [{"key": k, "text": k} for k in "ABCD"],
        "answer": ["B", "D"],
        "rule": "partial",
    }
    assert score_snapshot(snapshot, ["D"], D("2")) == D("1.00")
    assert score_snapshot(snapshot, ["D", "E"], D("2")) == D("0.00")  # E is not an option: malformed


@given(
    chosen=st.sets(st.sampled_from("ABCDEF")),
    right=st.sets(st.sampled_from("ABCDEF"), min_size=1),
    points=st.decimals(min_value=D("0.5"), max_value=D("10"), places=1),
)
def test_multiple_choice_never_more_than_the_points(chosen, right, points):
    for rule in ("all_or_nothing", "partial"):
        got = score(qtype="multiple", answer=sorted(right), response=sorted(chosen), points=points, rule=rule)
        assert D(0) <= got <= points
        if chosen - right:
            assert got == 0
