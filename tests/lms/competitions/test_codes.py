"""Contestant codes: drawn numbers and second codes (pure, no database)."""

import random

import pytest

from lms.competitions.codes import ALPHABET, CODE_LENGTH, draw_numbers, second_codes


def test_the_alphabet_leaves_out_confusable_characters():
    assert not set("01OI") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 32
    assert CODE_LENGTH == 4


def test_drawn_numbers_are_a_permutation_of_1_to_n():
    ids = [101, 205, 307, 409, 512, 613, 777]
    numbers = draw_numbers(ids, random.Random(7))
    assert set(numbers) == set(ids)
    assert sorted(numbers.values()) == list(range(1, 8))


def test_the_draw_is_random_but_repeatable_with_a_seed():
    ids = list(range(1, 21))
    assert draw_numbers(ids, random.Random(3)) == draw_numbers(ids, random.Random(3))
    assert draw_numbers(ids, random.Random(3)) != draw_numbers(ids, random.Random(4))
    assert draw_numbers([], random.Random(3)) == {}


def test_second_codes_are_distinct_and_well_formed():
    found = second_codes(500, random.Random(1))
    assert len(found) == len(set(found)) == 500
    for code in found:
        assert len(code) == CODE_LENGTH
        assert set(code) <= set(ALPHABET)


def test_second_codes_avoid_those_already_taken():
    first = second_codes(50, random.Random(5))
    again = second_codes(50, random.Random(5), taken=set(first))
    assert not set(first) & set(again)
    assert len(set(again)) == 50


def test_a_nearly_full_code_space_still_gives_distinct_codes():
    class Small(random.Random):
        """Draws only from the first two letters, so most codes collide."""

        def choice(self, seq):
            return seq[self.randrange(2)]

    found = second_codes(16, Small(2), taken=set())
    assert len(set(found)) == 16  # all 2**4 codes of A and B
    with pytest.raises(ValueError):
        second_codes(-1, random.Random(1))
