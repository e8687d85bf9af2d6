"""The dashboard's tables: the indicator table, the trend over years and the progress against targets.

Each is a :class:`~reports.selectors.statistics.Table`, so the screen, the XLSX and the CSV downloads show the
same figures (``reports.exports`` writes the files). :func:`display` turns a table into formatted rows for the
template, with the drill-down link of each row.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date

import pandas as pd
from django.utils.formats import number_format
from django.utils.translation import gettext, pgettext

from .. import frames
from ..selectors import statistics as stats
from ..selectors.targets import history
from .params import FIRST_YEAR, Params

TREND_YEARS = 5
SHOWN_ROWS = 500  # rows of a table on the page (a province by institution has ~30k: download them)


def own_level(params: Params) -> str:
    return stats.LEVELS[params.region.level - 1]


def main_tables(user, params: Params) -> tuple[stats.Table, stats.Table]:
    """The chosen table (by ``params.by``) and the region's own row for the same year, from one load."""
    own = own_level(params)
    found = stats.indicator_tables(
        user,
        params.indicator,
        region=params.region,
        levels=list(dict.fromkeys([params.by, own])),
        year=params.year,
        on=params.on,
    )
    return found[params.by], found[own]


def main_target(params: Params, year: int | None = None):
    """The target of the indicator's main figure for the region and year; a rate target of an ancestor applies
    below it (a city's 70% holds in each of its counties), a number target only where it was set."""
    inherit = params.spec.kind != "count"
    return stats.target_for(params.region, params.indicator, year or params.year, inherit=inherit)


def _value(table: stats.Table) -> float | None:
    frame = table.frame
    if frame.empty or table.value_key not in frame:
        return None
    return number(frame[table.value_key].iloc[0])


def trend_table(user, params: Params, table: stats.Table, own: stats.Table) -> stats.Table:
    """The region's main figure in each of the last years up to the chosen one, with the year's target.
    ``table`` is the chosen year's indicator table (for the figure's header), ``own`` the region's own row in it."""
    level = own_level(params)
    rows = []
    for year in range(max(FIRST_YEAR, params.year - TREND_YEARS + 1), params.year + 1):
        if year == params.year:
            value = _value(own)
        else:
            value = _value(stats.indicator_table(user, params.indicator, region=params.region, by=level, year=year))
        target = main_target(params, year)
        rows.append({"year": str(year), "value": value, "target": float(target.value) if target else None})
    target = main_target(params)
    return stats.Table(
        indicator=f"{params.indicator}_trend",
        title=gettext("%(indicator)s · %(region)s · by year")
        % {"indicator": params.spec.label, "region": params.region.name},
        columns=[("year", gettext("Year")), ("value", figure_header(table, "")), ("target", gettext("Target"))],
        frame=pd.DataFrame(rows, columns=["year", "value", "target"]),
        target=target.value if target else None,
        value_key="value",
        unit=str(params.spec.unit),
        meta={"region": params.region.code, "region_name": params.region.name, "by": level},
    )


def trend_projection(params: Params, own: stats.TargetProgress) -> dict:
    """What the trend chart adds after its last year: the region's projection to a target date still ahead
    (``date``, ``value``, ``target``), unless the target is cumulative over years (the chart shows each year's
    figure, not running totals); else an empty dict."""
    target = main_target(params)
    on = stats.default_date(params.year, params.on)
    if target is None or target.from_year or own.projected is None or target.target_date <= on:
        return {}
    return {"date": target.target_date, "value": own.projected, "target": target.value}


def figure_header(table: stats.Table, measure: str) -> str:
    """The header of a target's measure ("" = the table's main figure)."""
    return str(dict(table.columns).get(measure or table.value_key, table.title))


def own_progress(params: Params, measure: str = "") -> stats.TargetProgress:
    """The chosen region's own progress against its target (``stats.target_progress`` gives its children's),
    computed the same way: the figure's history, a least-squares line read at the target date."""
    spec = params.spec
    target = stats.target_for(params.region, params.indicator, params.year, measure, inherit=spec.kind != "count")
    on = stats.default_date(params.year, params.on)
    points = history(
        params.indicator,
        measure or spec.value_key,
        params.region,
        own_level(params),
        params.year,
        on,
        target.from_year if target else None,
    )
    actual = number(points.loc[points["on"] == on, "value"].iloc[0]) if (points["on"] == on).any() else None
    projected = None
    if target is not None:
        value = frames.linear_projection(zip(points["on"], points["value"], strict=True), target.target_date)
        projected = None if value is None else round(value, 2)
    miss = target is not None and bool(
        frames.will_miss(
            pd.Series([projected], dtype=float), target.value, higher_is_better=spec.higher_is_better
        ).iloc[0]
    )
    return stats.TargetProgress(
        region=params.region,
        actual=actual,
        target=target.value if target else None,
        target_date=target.target_date if target else None,
        projected=projected,
        will_miss=miss,
    )


def progress_tables(
    user, params: Params, table: stats.Table, own: stats.TargetProgress | None = None
) -> list[tuple[stats.Table, list]]:
    """Progress of the child regions against each target of the indicator in the chosen year (the main figure,
    and the measures the region has targets for, e.g. director and care person-times): the actual figure, the
    target, the projection to the target date and whether it will be missed. Tables without any target in their
    rows are left out. The first row is the region itself (``own``: its progress on the main figure, if already
    computed). Returns (table, regions that will miss) pairs."""
    out = []
    for measure in ["", *sorted(m for m in table.targets if m)]:
        rows = [own if own is not None and not measure else own_progress(params, measure)]
        rows += stats.target_progress(
            user, region=params.region, indicator=params.indicator, year=params.year, measure=measure, on=params.on
        )
        if not any(row.target is not None for row in rows):
            continue
        whole = gettext("%(region)s (whole region)")
        frame = pd.DataFrame(
            [
                {
                    "unit": row.region.code,
                    "code": row.region.code,
                    "name": whole % {"region": row.region.name} if row.region == params.region else row.region.name,
                    "actual": row.actual,
                    "target": None if row.target is None else float(row.target),
                    "target_date": row.target_date,
                    "projected": row.projected,
                    "will_miss": row.will_miss if row.target is not None else None,
                }
                for row in rows
            ],
            columns=["unit", "code", "name", "actual", "target", "target_date", "projected", "will_miss"],
        )
        figure = figure_header(table, measure)
        progress = stats.Table(
            indicator=f"{params.indicator}_progress{'_' + measure if measure else ''}",
            title=gettext("Progress against the target: %(figure)s · %(region)s · %(year)s")
            % {"figure": figure, "region": params.region.name, "year": params.year},
            columns=[
                ("code", gettext("Code")),
                ("name", pgettext("report table column", "Name")),
                ("actual", gettext("Actual")),
                ("target", gettext("Target")),
                ("target_date", gettext("Target date")),
                ("projected", gettext("Projected at the target date")),
                ("will_miss", gettext("Will miss the target")),
            ],
            frame=frame,
            target=None,
            value_key="actual",
            unit=str(params.spec.unit),
            meta={"region": params.region.code, "measure": measure, "year": params.year},
        )
        out.append((progress, [row.region for row in rows if row.target is not None and row.will_miss]))
    return out


def number(value) -> float | None:
    """A figure for a chart: float, or None for nothing (NaN, None)."""
    if value is None or pd.isna(value):
        return None
    return float(value)


# --- display -----------------------------------------------------------------------------------------------


def cell(value) -> str:
    """A value as the page shows it: numbers localised (one decimal for fractions), yes/no, "–" for none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if hasattr(value, "item"):  # numpy scalar
        return cell(value.item())
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    if isinstance(value, float):
        if value.is_integer():
            return number_format(int(value), force_grouping=True)
        return number_format(value, decimal_pos=1, force_grouping=True)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def display(table: stats.Table, *, link: Callable[[dict], str] | None = None) -> dict:
    """Headers and formatted rows of ``table`` for the template; ``link(row)`` gives a row's drill-down URL. At
    most :data:`SHOWN_ROWS` rows are shown (``more``: how many are left out; the downloads have them all)."""
    keys = [key for key, _label in table.columns]
    records = table.frame.head(SHOWN_ROWS).to_dict("records")
    return {
        "title": table.title,
        "headers": [str(label) for _key, label in table.columns],
        "rows": [{"cells": [cell(r.get(k)) for k in keys], "href": link(r) if link else ""} for r in records],
        "more": max(0, len(table.frame) - SHOWN_ROWS),
    }
