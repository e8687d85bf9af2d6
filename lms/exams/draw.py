"""A candidate's paper: a seeded random draw that satisfies a blueprint (pure: no database).

Inputs are plain data: the blueprint's :class:`Section` list (in the blueprint's order) and the candidate pool of
:class:`PoolQuestion` (``selectors.bank.draw_inputs`` builds both). :func:`draw` returns the paper as a list of
:class:`Drawn` questions.

* **Reproducible**: the same seed, sections and pool always give the same paper (the pool is sorted by id first and
  ``random.Random`` is seeded with the string, which is stable across processes and machines). Different seeds
  give different papers whenever the pool allows it.
* **Each section gets exactly its count**, every question at most once on a paper. A question that fits two
  sections (say "single choice" and "single choice, 安全健康管理") is drawn for one of them only. Sections are served
  most specific first (area and difficulty, then one of them, then neither), and when a question another section
  already took is the only way to fill a section, the draw moves that section to another of its questions
  (augmenting paths of a bipartite matching), so the draw fails only when no paper at all can satisfy the blueprint.
* **Uniform within a section**: without overlapping sections, every eligible question of a section is equally
  likely to be drawn for it.
* **Order of the paper**: as printed papers of 职业技能等级认定 are laid out, grouped by type — 判断题, 单选题,
  多选题, 填空题, 简答题 (:data:`TYPE_ORDER`) — and shuffled within each type, so sections by knowledge area or
  difficulty are not visible as blocks. Positions run 1..N.
* **Options**: each choice question gets a random permutation of its options (identity when the blueprint does not
  shuffle options); :func:`shuffle_options` applies it and relabels the options A, B, C… in the candidate's order,
  remapping the answer, so that the snapshot, the page and :mod:`lms.exams.grading` all speak the candidate's letters.

When the pool cannot satisfy the blueprint, :class:`DrawError` lists every section that falls short with how many
questions it needs and how many it can get (its eligible questions minus those more specific sections must take).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

TYPE_ORDER = ("true_false", "single", "multiple", "fill_blank", "short_answer")
CHOICE_TYPES = frozenset({"single", "multiple"})
OPTION_KEYS = "ABCDEFGH"


@dataclass(frozen=True)
class Section:
    """``count`` questions of ``type`` (of ``area`` and ``difficulty`` when not None), ``points`` each."""

    type: str
    count: int
    points: Decimal
    area: int | None = None
    difficulty: int | None = None

    @property
    def specificity(self) -> int:
        return (self.area is not None) + (self.difficulty is not None)

    def accepts(self, q: PoolQuestion) -> bool:
        return (
            q.type == self.type
            and (self.area is None or q.area == self.area)
            and (self.difficulty is None or q.difficulty == self.difficulty)
        )


@dataclass(frozen=True)
class PoolQuestion:
    id: int
    type: str
    area: int | None
    difficulty: int
    level: int | None = None  # None = every level
    option_count: int = 0


@dataclass(frozen=True)
class Drawn:
    position: int  # 1-based, on the paper
    question_id: int
    points: Decimal
    section: int  # index of the section in the blueprint's order
    option_order: tuple[int, ...] = ()  # option indexes in the candidate's order (empty: not a choice question)


@dataclass(frozen=True)
class Shortfall:
    section: int  # index in the blueprint's order
    needed: int
    available: int  # what the section can get once more specific sections are served
    eligible: int  # questions of the pool that fit the section


class DrawError(ValueError):
    """The pool cannot satisfy the blueprint; ``shortfalls`` lists each failing section (blueprint order)."""

    def __init__(self, shortfalls: Sequence[Shortfall]):
        self.shortfalls = list(shortfalls)
        super().__init__(
            "; ".join(
                f"section {s.section + 1}: needs {s.needed}, {s.available} available ({s.eligible} eligible)"
                for s in self.shortfalls
            )
        )


def _eligible(sections: Sequence[Section], pool: Sequence[PoolQuestion], level: int | None) -> list[list[int]]:
    usable = [q for q in pool if level is None or q.level is None or q.level == level]
    return [[q.id for q in usable if s.accepts(q)] for s in sections]


class _Matcher:
    """Capacitated bipartite matching of sections to questions, filled in a given order with augmenting paths."""

    def __init__(self, eligible: list[list[int]]):
        self.eligible = eligible
        self.owner: dict[int, int] = {}  # question id -> section index
        self.taken: list[list[int]] = [[] for _ in eligible]
        self._next = [0] * len(eligible)  # questions before this index in eligible[s] are all taken

    def _free(self, s: int) -> int | None:
        ids = self.eligible[s]
        while self._next[s] < len(ids) and ids[self._next[s]] in self.owner:
            self._next[s] += 1
        return ids[self._next[s]] if self._next[s] < len(ids) else None

    def _assign(self, s: int, qid: int) -> None:
        previous = self.owner.get(qid)
        if previous is not None:
            self.taken[previous].remove(qid)
        self.owner[qid] = s
        self.taken[s].append(qid)

    def _augment(self, s: int, seen: set[int]) -> bool:
        """Give section ``s`` one more question, moving other sections to other questions if need be."""
        seen.add(s)
        free = self._free(s)
        if free is not None:
            self._assign(s, free)
            return True
        for qid in self.eligible[s]:
            other = self.owner[qid]
            if other != s and other not in seen and self._augment(other, seen):
                # ``other`` took a replacement: hand ``qid`` over to ``s``
                self._assign(s, qid)
                return True
        return False

    def fill(self, s: int, count: int) -> int:
        for got in range(count):
            if not self._augment(s, set()):
                return got
        return count


def _serve_order(sections: Sequence[Section]) -> list[int]:
    return sorted(range(len(sections)), key=lambda i: (-sections[i].specificity, i))


def check(sections: Sequence[Section], pool: Sequence[PoolQuestion], *, level: int | None = None) -> list[Shortfall]:
    """The sections the pool cannot satisfy (empty when a draw is always possible). Does not depend on any seed."""
    eligible = _eligible(sections, sorted(pool, key=lambda q: q.id), level)
    matcher = _Matcher(eligible)
    shortfalls = []
    for i in _serve_order(sections):
        got = matcher.fill(i, sections[i].count)
        if got < sections[i].count:
            shortfalls.append(Shortfall(i, sections[i].count, got, len(eligible[i])))
    return sorted(shortfalls, key=lambda s: s.section)


def draw(
    sections: Sequence[Section],
    pool: Sequence[PoolQuestion],
    seed: str,
    *,
    level: int | None = None,
    shuffle_options: bool = True,
) -> list[Drawn]:
    """The paper for ``seed`` (see the module docstring); raises :class:`DrawError` if the pool falls short.

    ``level``, when given, leaves out questions of another level (questions without a level fit every level).
    """
    rng = random.Random(f"exams.draw:{seed}")
    by_id = {q.id: q for q in pool}
    eligible = _eligible(sections, sorted(pool, key=lambda q: q.id), level)
    for ids in eligible:
        rng.shuffle(ids)
    matcher = _Matcher(eligible)
    shortfalls = []
    for i in _serve_order(sections):
        got = matcher.fill(i, sections[i].count)
        if got < sections[i].count:
            shortfalls.append(Shortfall(i, sections[i].count, got, len(eligible[i])))
    if shortfalls:
        raise DrawError(sorted(shortfalls, key=lambda s: s.section))

    papers: dict[str, list[tuple[int, int]]] = {}
    for i, section in enumerate(sections):
        papers.setdefault(section.type, []).extend((qid, i) for qid in sorted(matcher.taken[i]))
    drawn: list[Drawn] = []
    ordered_types = [t for t in TYPE_ORDER if t in papers] + sorted(t for t in papers if t not in TYPE_ORDER)
    for qtype in ordered_types:
        group = papers[qtype]
        rng.shuffle(group)
        for qid, i in group:
            n = by_id[qid].option_count if qtype in CHOICE_TYPES else 0
            order = list(range(n))
            if shuffle_options and n:
                # its own generator: the questions drawn do not depend on whether options are shuffled
                random.Random(f"exams.options:{seed}:{qid}").shuffle(order)
            drawn.append(Drawn(len(drawn) + 1, qid, sections[i].points, i, tuple(order)))
    return drawn


def shuffle_options(options: Sequence[dict], answer: Sequence, order: Sequence[int]) -> tuple[list[dict], list]:
    """The options in the candidate's ``order``, relabelled A, B, C…, and the answer in the new letters.

    Each option keeps its bank key as ``"source"`` (for item statistics). With an empty ``order`` the options and
    answer come back unchanged.
    """
    if not order:
        return [dict(o) for o in options], list(answer)
    relabel = {}
    shuffled = []
    for new_index, old_index in enumerate(order):
        option = options[old_index]
        key = OPTION_KEYS[new_index]
        relabel[option["key"]] = key
        shuffled.append({"key": key, "text": option["text"], "source": option["key"]})
    return shuffled, sorted(relabel[k] for k in answer)


# --- blueprint arithmetic -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BlueprintProblem:
    code: str  # "total_mismatch" | "pass_above_total" | "no_sections"
    total: Decimal = Decimal(0)  # the sections' sum (count × points)
    expected: Decimal = Decimal(0)


def blueprint_problems(
    sections: Sequence[Section], *, total_points: Decimal, pass_mark: Decimal
) -> list[BlueprintProblem]:
    """What is wrong with a blueprint's arithmetic: the sections must add up to the total, the pass mark ≤ total."""
    problems = []
    total_points, pass_mark = Decimal(total_points), Decimal(pass_mark)
    if not sections:
        problems.append(BlueprintProblem("no_sections", expected=total_points))
    else:
        total = sum((Decimal(s.points) * s.count for s in sections), Decimal(0))
        if total != total_points:
            problems.append(BlueprintProblem("total_mismatch", total=total, expected=total_points))
    if pass_mark > total_points:
        problems.append(BlueprintProblem("pass_above_total", total=pass_mark, expected=total_points))
    return problems
