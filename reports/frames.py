"""Pure pandas computations of the bureau indicators (no database, no Django): see docs/reports.md.

Every function takes plain DataFrames whose columns are documented on it and returns a new DataFrame; the
selectors (``reports.selectors``) load those inputs with one query per source and turn the results into
tables. All group-bys are vectorised: no Python loop runs per row.

Conventions:

* ``unit`` is the row key of a table: a region code for area rows (province, city, county, township) or an
  institution id for institution rows. :func:`unit_codes` maps region codes to the code of their ancestor at a
  level, using the GB/T 2260 prefix hierarchy (province ``53`` + ``0000``, city ``5303`` + ``00``, county
  ``530302``, township nine digits).
* ``units`` (the rows wanted, in display order) has a ``unit`` column and any descriptive columns (code, name);
  each result keeps those rows and order, with zeros where a unit has no data.
* A person counts once per unit: someone with two on-duty posts in one county is one person of that county.
* Rates are percentages rounded to two decimals, NaN where the denominator is zero.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date

import numpy as np
import pandas as pd

AREA_LEVELS = ("province", "city", "county", "township")
NO_UNIT = ""  # the unit of institutions registered above the level asked for (e.g. at a county, by township)


def unit_codes(region_codes: pd.Series, level: str) -> pd.Series:
    """The code of each region's ancestor (or itself) at ``level``; :data:`NO_UNIT` for a region above it.

    >>> unit_codes(pd.Series(["530302001", "530302"]), "city").tolist()
    ['530300', '530300']
    """
    codes = region_codes.astype(str)
    if level == "province":
        return codes.str[:2] + "0000"
    if level == "city":
        return codes.str[:4] + "00"
    if level == "county":
        return codes.str[:6]
    if level == "township":
        return codes.where(codes.str.len() == 9, NO_UNIT)
    raise ValueError(f"unknown area level {level!r}")


def with_units(facts: pd.DataFrame, institutions: pd.DataFrame) -> pd.DataFrame:
    """``facts`` (with ``institution_id``) joined to ``institutions`` (``institution_id``, ``unit``): adds ``unit``
    and drops facts of institutions not listed."""
    mapping = pd.Series(institutions["unit"].to_numpy(), index=institutions["institution_id"].to_numpy())
    out = facts.assign(unit=facts["institution_id"].map(mapping))
    return out[out["unit"].notna()]


def _on_units(units: pd.DataFrame, figures: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """``units`` (in order) with ``figures`` (indexed by unit) joined; missing figures are 0 (integers stay int)."""
    out = units.join(figures, on="unit")
    for column in columns:
        out[column] = out[column].fillna(0)
        if pd.api.types.is_integer_dtype(figures[column].dtype):
            out[column] = out[column].astype("int64")
    return out.reset_index(drop=True)


def rate(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """``numerator / denominator`` in percent, two decimals; NaN where the denominator is 0."""
    denominator = denominator.astype(float)
    return (100 * numerator.astype(float) / denominator.where(denominator > 0)).round(2)


def person_rate(
    facts: pd.DataFrame, units: pd.DataFrame, *, flag: str, total: str = "staff", counted: str | None = None
) -> pd.DataFrame:
    """Share of distinct people per unit for whom ``flag`` holds.

    ``facts``: ``unit``, ``person_id``, ``flag`` (bool) — one row per on-duty post (several per person allowed;
    the person counts once per unit, flagged if any of their rows is). Returns ``units`` with ``total`` (people),
    ``counted`` (people flagged; named ``flag`` by default) and ``rate``.
    """
    counted = counted or flag
    codes, uniques = pd.factorize(facts["unit"])
    people = facts["person_id"].to_numpy(dtype=np.int64)
    flagged = facts[flag].to_numpy(dtype=bool)
    if len(people):
        # one row per (unit, person): sort by (unit, person) with flagged rows first and keep the first of each
        key = codes.astype(np.int64) * (int(people.max()) + 1) + people
        order = np.lexsort((~flagged, key))
        first = np.ones(len(order), dtype=bool)
        first[1:] = key[order][1:] != key[order][:-1]
        codes, flagged = codes[order[first]], flagged[order[first]]
    figures = pd.DataFrame(
        {
            total: np.bincount(codes, minlength=len(uniques)).astype("int64"),
            counted: np.bincount(codes, weights=flagged, minlength=len(uniques)).astype("int64"),
        },
        index=pd.Index(uniques, name="unit"),
    )
    out = _on_units(units, figures, [total, counted])
    out["rate"] = rate(out[counted], out[total])
    return out


def certified_rate(staff: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """持证上岗率: ``staff`` has ``unit``, ``person_id``, ``certified`` (holds a valid qualifying certificate on
    the date) for on-duty staff in qualifying posts. Returns ``units`` + ``staff``, ``certified``, ``rate``."""
    return person_rate(staff, units, flag="certified")


def health_check_compliance(staff: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Health checks: ``staff`` has ``unit``, ``person_id``, ``checked`` (a health certificate valid on the
    date). Returns ``units`` + ``staff``, ``checked``, ``rate``."""
    return person_rate(staff, units, flag="checked")


def training_events(ledger: pd.DataFrame) -> pd.DataFrame:
    """Net training per person and training event, positive only.

    ``ledger``: ``person_id``, ``kind``, ``event`` (the course, or the day for credits without a course),
    ``occupation`` (the course's, "" if none), ``hours`` (float; corrections are negative) — one row per entry
    or already summed per event. Returns one row per (person, kind, event) with net ``hours`` > 0: one
    person-time (人次) each. (:func:`course_event_counts` does the same on integer arrays and sums the events
    per person, kind and course into ``count`` rows: what ``reports.selectors.sources.ledger_events`` uses.)
    """
    keys = ["person_id", "kind", "event", "occupation"]
    events = ledger.groupby(keys, sort=False, as_index=False)["hours"].sum()
    return events[events["hours"] > 0].reset_index(drop=True)


def course_event_counts(
    person: np.ndarray, kind: np.ndarray, course: np.ndarray, day: np.ndarray, tenths: np.ndarray
) -> pd.DataFrame:
    """Person-times per person, kind and course from ledger entries given as integer arrays (the same
    definition as :func:`training_events`, vectorised with numpy for millions of entries).

    One element per ledger entry: ``person``, ``kind`` (any integer code), ``course`` (0 = none), ``day`` (the
    day as a number for entries without a course; any constant, e.g. 0, for course entries), ``tenths`` (hours
    x 10, so that sums are exact; corrections are negative). A training event is a (person, kind, course, day);
    each event whose net hours are positive is one person-time. Returns one row per (person_id, kind, course)
    with person-times: ``count`` and ``hours`` (float, the net hours of those events).
    """
    columns = ["person_id", "kind", "course", "count", "hours"]
    if not len(person):
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "hours" else "int64") for c in columns})
    order = np.lexsort((day, course, kind, person))
    keys = [np.asarray(a, dtype=np.int64)[order] for a in (person, kind, course, day)]

    def starts(arrays: list[np.ndarray]) -> np.ndarray:
        new = np.zeros(len(arrays[0]), dtype=bool)
        new[0] = True
        for a in arrays:
            new[1:] |= a[1:] != a[:-1]
        return np.flatnonzero(new)

    events = starts(keys)
    net = np.add.reduceat(np.asarray(tenths, dtype=np.int64)[order], events)
    positive = net > 0
    person_k, kind_k, course_k = (a[events][positive] for a in keys[:3])
    net = net[positive]
    if not len(net):
        return course_event_counts(*(np.empty(0, dtype=np.int64),) * 5)
    groups = starts([person_k, kind_k, course_k])
    return pd.DataFrame(
        {
            "person_id": person_k[groups],
            "kind": kind_k[groups],
            "course": course_k[groups],
            "count": np.diff(np.append(groups, len(net))).astype(np.int64),
            "hours": np.add.reduceat(net, groups) / 10,
        }
    )


def _attributed(events: pd.DataFrame, attribution: pd.DataFrame) -> pd.DataFrame:
    """``events`` with the ``unit`` of their person (the last attribution row of each person wins), weighted
    by ``count`` (1 per row if absent); events of people without a unit are dropped."""
    mapping = attribution.drop_duplicates("person_id", keep="last").set_index("person_id")["unit"]
    facts = events.assign(unit=events["person_id"].map(mapping))
    if "count" not in facts:
        facts["count"] = 1
    return facts[facts["unit"].notna()]


def _counts_by(facts: pd.DataFrame, column: str, values: list[str]) -> pd.DataFrame:
    """Person-times per unit (rows) and value of ``column`` (columns ``values``, zeros where none)."""
    table = facts.groupby(["unit", column], sort=False, observed=True)["count"].sum().unstack(fill_value=0)
    return table.reindex(columns=values, fill_value=0)


def training_person_times(
    events: pd.DataFrame,
    attribution: pd.DataFrame,
    units: pd.DataFrame,
    *,
    kinds: Iterable[str],
    occupations: Iterable[str],
    director_kinds: Iterable[str] = ("director",),
) -> pd.DataFrame:
    """Person-times (人次) and hours per unit, by training kind and occupation.

    ``events``: ``person_id``, ``kind``, ``occupation``, ``hours`` and optionally ``count`` (how many
    person-times the row stands for; 1 if absent) — e.g. the output of :func:`training_events`.
    ``attribution``: ``person_id``, ``unit`` — the unit each person counts in (their last row; people without
    one are not counted). Returns ``units`` + ``person_times``, ``hours``, ``director`` (person-times of
    ``director_kinds``: 负责人), ``care`` (all other kinds: 保健/保育), ``kind_<kind>`` per kind and
    ``occupation_<occupation>`` per occupation (person-times).
    """
    kinds, occupations, director_kinds = list(kinds), list(occupations), set(director_kinds)
    facts = _attributed(events, attribution)
    grouped = facts.groupby("unit", sort=False)
    figures = pd.DataFrame({"person_times": grouped["count"].sum(), "hours": grouped["hours"].sum().astype(float)})
    by_kind = _counts_by(facts, "kind", kinds)
    figures["director"] = by_kind[[k for k in kinds if k in director_kinds]].sum(axis=1)
    figures["care"] = by_kind[[k for k in kinds if k not in director_kinds]].sum(axis=1)
    for kind in kinds:
        figures[f"kind_{kind}"] = by_kind[kind]
    by_occupation = _counts_by(facts, "occupation", occupations)
    for occupation in occupations:
        figures[f"occupation_{occupation}"] = by_occupation[occupation]
    columns = list(figures.columns)
    figures = figures.fillna(0)
    ints = [c for c in columns if c != "hours"]
    figures[ints] = figures[ints].astype("int64")
    out = _on_units(units, figures, columns)
    out["hours"] = out["hours"].astype(float).round(1)
    return out


def people_trained(events: pd.DataFrame, attribution: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Distinct people with at least one person-time per unit. ``events`` and ``attribution`` as for
    :func:`training_person_times`. Returns ``units`` + ``people``, ``hours``."""
    facts = _attributed(events, attribution)
    grouped = facts.groupby("unit", sort=False)
    figures = pd.DataFrame({"people": grouped["person_id"].nunique(), "hours": grouped["hours"].sum().astype(float)})
    out = _on_units(units, figures, ["people", "hours"])
    out["people"] = out["people"].astype("int64")
    out["hours"] = out["hours"].astype(float).round(1)
    return out


def in_service_compliance(
    staff: pd.DataFrame, requirements: pd.DataFrame, hours: pd.DataFrame, units: pd.DataFrame
) -> pd.DataFrame:
    """Annual in-service compliance: on-duty staff whose posts have yearly hour requirements, and how many meet
    every requirement of every post they hold.

    ``staff``: ``unit``, ``person_id``, ``post``. ``requirements``: ``post``, ``kind``, ``required`` (hours per
    year). ``hours``: ``person_id``, ``kind``, ``hours`` (the person's hours of that kind in the year). Staff in
    posts without requirements are left out. Returns ``units`` + ``staff``, ``compliant``, ``rate``.
    """
    needed = staff.merge(requirements, on="post", how="inner")
    needed = needed.merge(hours, on=["person_id", "kind"], how="left")
    needed["met"] = needed["hours"].fillna(0).astype(float) >= needed["required"].astype(float)
    per_person = needed.groupby(["unit", "person_id"], sort=False, as_index=False)["met"].min()
    return person_rate(per_person, units, flag="met", counted="compliant")


def staff_ratio(counts: pd.DataFrame, caregivers: pd.DataFrame, ratios: Mapping[str, int]) -> pd.DataFrame:
    """Per institution with a child count: caregivers required by the ratios and the shortfall.

    ``counts``: ``institution_id`` and one column per child group in ``ratios`` (children). ``caregivers``:
    ``institution_id``, ``person_id`` (on-duty caregivers; each person once per institution). ``ratios``: child
    group -> children per caregiver. Each group needs ``ceil(children / ratio)`` caregivers. Returns ``counts`` +
    ``children``, ``required``, ``caregivers``, ``shortfall`` (≥ 0), ``below`` (bool).
    """
    out = counts.copy()
    groups = list(ratios)
    out["children"] = out[groups].sum(axis=1).astype("int64")
    required = sum(np.ceil(out[g].astype(float) / ratios[g]) for g in groups) if groups else 0
    out["required"] = pd.Series(required, index=out.index).astype("int64")
    per_institution = caregivers.drop_duplicates(["institution_id", "person_id"]).groupby("institution_id").size()
    out["caregivers"] = out["institution_id"].map(per_institution).fillna(0).astype("int64")
    out["shortfall"] = (out["required"] - out["caregivers"]).clip(lower=0)
    out["below"] = out["shortfall"] > 0
    return out


def staff_ratio_summary(institutions: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """:func:`staff_ratio` rows (with ``unit``) summed per unit: ``institutions`` (with a child count), ``below``
    (institutions below the ratio), ``children``, ``required``, ``caregivers``, ``shortfall``."""
    columns = ["institutions", "below", "children", "required", "caregivers", "shortfall"]
    facts = institutions.assign(institutions=1, below=institutions["below"].astype("int64"))
    figures = facts.groupby("unit", sort=False)[columns].sum().astype("int64")
    return _on_units(units, figures, columns)


# --- targets ---------------------------------------------------------------------------------------------------


def linear_projection(points: Iterable[tuple[date, float]], target_date: date) -> float | None:
    """The value at ``target_date`` of the least-squares line through ``points`` (date, value); the value itself
    for a single point, None for none. Points with a NaN value are ignored."""
    clean = [(d.toordinal(), float(v)) for d, v in points if v is not None and not math.isnan(float(v))]
    if not clean:
        return None
    xs = np.array([x for x, _ in clean], dtype=float)
    ys = np.array([y for _, y in clean], dtype=float)
    if len(set(xs)) == 1:
        return float(ys.mean())
    slope, intercept = np.polyfit(xs, ys, 1)
    return float(slope * target_date.toordinal() + intercept)


def projections(history: pd.DataFrame, target_date: date) -> pd.Series:
    """Per unit, the :func:`linear_projection` of its history to ``target_date``.

    ``history``: ``unit``, ``on`` (date), ``value``. Vectorised least squares per unit (closed form). Returns a
    Series indexed by unit (NaN for a unit without values).
    """
    frame = history.dropna(subset=["value"]).copy()
    if frame.empty:
        return pd.Series(dtype=float)
    frame["x"] = frame["on"].map(date.toordinal).astype(float)
    frame["y"] = frame["value"].astype(float)
    grouped = frame.groupby("unit", sort=False)
    mean_x, mean_y = grouped["x"].transform("mean"), grouped["y"].transform("mean")
    frame["sxy"] = (frame["x"] - mean_x) * (frame["y"] - mean_y)
    frame["sxx"] = (frame["x"] - mean_x) ** 2
    sums = frame.groupby("unit", sort=False)[["sxy", "sxx", "x", "y"]].agg(
        {"sxy": "sum", "sxx": "sum", "x": "mean", "y": "mean"}
    )
    slope = (sums["sxy"] / sums["sxx"].where(sums["sxx"] > 0)).fillna(0)
    return sums["y"] + slope * (target_date.toordinal() - sums["x"])


def will_miss(projected: pd.Series, target: float, *, higher_is_better: bool = True) -> pd.Series:
    """Whether each projection falls short of ``target`` (above it when lower is better); a missing projection
    counts as a miss."""
    values = projected.astype(float)
    met = values >= float(target) if higher_is_better else values <= float(target)
    return ~met
