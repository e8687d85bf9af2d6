"""Contestant codes (二次加密, pure: no database).

The draw happens twice: each approved entry of a track first draws a number (抽签号, a random permutation of
1..n), then a second code replaces it on every judging screen and on the scoreboard. Codes are
:data:`CODE_LENGTH` characters of :data:`ALPHABET`, which leaves out the characters people confuse when they
read a code aloud or off a badge (0/O, 1/I). The randomness comes from the caller (``random.Random`` in tests,
``random.SystemRandom`` in the service) so a draw can be repeated in a test and is unpredictable in earnest.
"""

from __future__ import annotations

import random
from collections.abc import Sequence, Set

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, no 1/I
CODE_LENGTH = 4
CODE_SPACE = len(ALPHABET) ** CODE_LENGTH


def draw_numbers(entry_ids: Sequence[int], rng: random.Random) -> dict[int, int]:
    """Entry id -> drawn number: a random permutation of ``1..len(entry_ids)``."""
    numbers = list(range(1, len(entry_ids) + 1))
    rng.shuffle(numbers)
    return dict(zip(entry_ids, numbers, strict=True))


def random_code(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(CODE_LENGTH))


def second_codes(count: int, rng: random.Random, *, taken: Set[str] = frozenset()) -> list[str]:
    """``count`` distinct codes, none of them in ``taken`` (the codes already given in the competition)."""
    if count < 0:
        raise ValueError("count must not be negative")
    taken = {code.upper() for code in taken}
    if count > CODE_SPACE - len(taken):
        raise ValueError("not enough codes left")
    codes: list[str] = []
    seen = set(taken)
    while len(codes) < count:
        code = random_code(rng)
        if code not in seen:
            seen.add(code)
            codes.append(code)
    return codes
