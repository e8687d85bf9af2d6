"""The chief judge's overview of a station, as the template shows it: a row per contestant code with each
judge's total (or its state), the outliers and the station score."""

from __future__ import annotations

from lms.exams.selectors.practical import display_name

from ..selectors.judging import chief_rows


def _cell(sheet) -> dict:
    if sheet is None:
        return {"sheet": None, "state": "none"}
    if sheet.locked:
        state = "locked"
    elif sheet.marks:
        state = "draft"
    else:
        state = "todo"
    return {"sheet": sheet, "state": state, "outlier": bool(sheet.outlier and sheet.locked)}


def chief_context(station, judge) -> dict:
    judges, rows = chief_rows(station)
    table = []
    for row in rows:
        cells = [_cell(row.sheets.get(j.pk)) for j in judges]
        table.append({"row": row, "code": row.code, "cells": cells, "score": row.score, "outlier": row.outlier})
    return {
        "station": station,
        "competition": station.track.competition,
        "judge": judge,
        "judges": [(j, display_name(j.user)) for j in judges],
        "table": table,
        "flagged": sum(1 for r in table if r["outlier"]),
        "scored": sum(1 for r in table if r["score"] is not None),
    }
