"""Reads of the competitions app and who may see what (``from lms.competitions import selectors``).

* :mod:`.scope` — organizers and units: ``competitions_for``, ``can_manage``, ``units_for``,
  ``registrable_people``, ``entries_for``, ``code_mapping``;
* :mod:`.judging` — rounds' participants and the judges' pages: ``judge_stations``, ``judge_of``, ``judge_rows``,
  ``chief_rows``, ``sheet_for``, ``sheet_for_chief``;
* :mod:`.board` — the public scoreboard and results: ``scoreboard``, ``public_results``.
"""

from .board import public_results, scoreboard, scoreboard_version
from .judging import (
    ChiefRow,
    JudgeRow,
    chief_rows,
    judge_of,
    judge_rows,
    judge_stations,
    ordered_rounds,
    previous_round,
    round_entries,
    sheet_for,
    sheet_for_chief,
    sheet_state,
    station_criteria,
    station_maxima,
)
from .scope import (
    can_manage,
    code_mapping,
    competitions_for,
    entries_for,
    may_register_for,
    registrable_people,
    units_for,
)

__all__ = [
    "ChiefRow",
    "JudgeRow",
    "can_manage",
    "chief_rows",
    "code_mapping",
    "competitions_for",
    "entries_for",
    "judge_of",
    "judge_rows",
    "judge_stations",
    "may_register_for",
    "ordered_rounds",
    "previous_round",
    "public_results",
    "registrable_people",
    "round_entries",
    "scoreboard",
    "scoreboard_version",
    "sheet_for",
    "sheet_for_chief",
    "sheet_state",
    "station_criteria",
    "station_maxima",
    "units_for",
]
