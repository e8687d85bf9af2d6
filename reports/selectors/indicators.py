"""The indicators: what each one counts, its columns, and how its frame is computed from the sources.

``compute(code, region, by, year, on)`` returns the indicator's frame (one row per unit of ``by`` under
``region``); ``reports.selectors.statistics`` wraps it into a :class:`~reports.selectors.statistics.Table`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd
from django.utils import timezone
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from lms.learning.choices import Occupation, TrainingKind
from lms.registry.models import Region

from .. import frames
from ..models import INDICATOR_CHOICES
from . import sources
from .scope import institutions_frame, units_frame, with_unit

RATE, COUNT = "rate", "count"


def default_date(year: int, on: date | None = None) -> date:
    """The report date: ``on`` if given, else the end of ``year`` or today if that is earlier."""
    if on is not None:
        return on
    return min(timezone.localdate(), date(year, 12, 31))


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str  # lazy translation
    unit: str  # lazy translation: "%", "person-times", ...
    value_key: str  # the column holding the indicator's main figure (charts, targets)
    kind: str = RATE  # RATE: a share at a date; COUNT: a number over a year
    higher_is_better: bool = True

    @property
    def per_year(self) -> bool:
        return self.kind == COUNT or self.code == "in_service_compliance"


LABELS = dict(INDICATOR_CHOICES)
INDICATORS: dict[str, Indicator] = {
    indicator.code: indicator
    for indicator in (
        Indicator("certified_rate", LABELS["certified_rate"], "%", "rate"),
        Indicator("training_person_times", LABELS["training_person_times"], _("person-times"), "person_times", COUNT),
        Indicator("people_trained", LABELS["people_trained"], pgettext_lazy("unit", "people"), "people", COUNT),
        Indicator("in_service_compliance", LABELS["in_service_compliance"], "%", "rate"),
        Indicator("health_check_compliance", LABELS["health_check_compliance"], "%", "rate"),
        Indicator("staff_ratio", LABELS["staff_ratio"], _("institutions"), "below", COUNT, higher_is_better=False),
    )
}


def _unit_columns(by: str) -> list[tuple[str, str]]:
    columns = [("code", gettext("Code")), ("name", pgettext("report table column", "Name"))]
    if by == "institution":
        columns.append(("region", gettext("Region")))
    return columns


def columns(code: str, by: str) -> list[tuple[str, str]]:
    """(key, translated header) of the indicator's table, in display order."""
    figures = {
        "certified_rate": [
            ("staff", gettext("On-duty staff in qualifying posts")),
            ("certified", gettext("Certified staff")),
            ("rate", gettext("Certified-staff rate (%)")),
        ],
        "training_person_times": [
            ("person_times", gettext("Person-times")),
            ("hours", gettext("Hours")),
            ("director", gettext("Director training person-times")),
            ("care", gettext("Health-care and caregiver person-times")),
            *[(f"kind_{value}", str(label)) for value, label in TrainingKind.choices],
            *[(f"occupation_{value}", str(label)) for value, label in Occupation.choices],
        ],
        "people_trained": [("people", gettext("People trained")), ("hours", gettext("Hours"))],
        "in_service_compliance": [
            ("staff", gettext("On-duty staff with yearly hours required")),
            ("compliant", gettext("Staff meeting the yearly hours")),
            ("rate", gettext("Compliance rate (%)")),
        ],
        "health_check_compliance": [
            ("staff", gettext("On-duty staff")),
            ("checked", gettext("With a valid health check")),
            ("rate", gettext("Compliance rate (%)")),
        ],
        "staff_ratio": [
            ("institutions", gettext("Institutions with child counts")),
            ("below", gettext("Institutions below the staff ratio")),
            ("children", gettext("Children")),
            ("required", gettext("Caregivers required")),
            ("caregivers", gettext("On-duty caregivers")),
            ("shortfall", gettext("Caregivers short")),
        ],
    }[code]
    return _unit_columns(by) + figures


# --- computations ------------------------------------------------------------------------------------------
# Each indicator loads its sources once (``load(region, year, on) -> dict`` of frames keyed by institution or
# person) and builds a frame per level from them (``build(data, institutions, units, by)``), so that several
# levels (county and institution, for a drill-down or a report pack) cost one load.


def _load_certified(region, year, on):
    return {"staff": sources.certified_staff(region, on)}


def _build_certified(data, institutions, units, by):
    return frames.certified_rate(frames.with_units(data["staff"], institutions), units)


def _load_health(region, year, on):
    return {"staff": sources.checked_staff(region, on)}


def _build_health(data, institutions, units, by):
    return frames.health_check_compliance(frames.with_units(data["staff"], institutions), units)


def _load_training(region, year, on):
    return {
        "events": sources.ledger_events(region, year, on),
        "staff": sources.year_staff(region, year, on),
    }


def _attribution(data, institutions) -> pd.DataFrame:
    return frames.with_units(data["staff"], institutions)[["person_id", "unit"]]


def _build_person_times(data, institutions, units, by):
    return frames.training_person_times(
        data["events"],
        _attribution(data, institutions),
        units,
        kinds=TrainingKind.values,
        occupations=Occupation.values,
        director_kinds=(TrainingKind.DIRECTOR,),
    )


def _build_people_trained(data, institutions, units, by):
    return frames.people_trained(data["events"], _attribution(data, institutions), units)


def _load_in_service(region, year, on):
    requirements = sources.requirements()
    return {
        "requirements": requirements,
        "staff": sources.on_duty_staff(region, on, sorted(set(requirements["post"]))),
        "hours": sources.person_hours(region, year, sorted(set(requirements["kind"]))),
    }


def _build_in_service(data, institutions, units, by):
    staff = frames.with_units(data["staff"], institutions)
    return frames.in_service_compliance(staff, data["requirements"], data["hours"], units)


def _load_staff_ratio(region, year, on):
    ratios = sources.ratios()
    counts = sources.child_counts(region, on, list(ratios))
    return {"institutions": frames.staff_ratio(counts, sources.caregivers(region, on), ratios)}


def _build_staff_ratio(data, institutions, units, by):
    per_institution = frames.with_units(data["institutions"], institutions)
    if by == "institution":  # only institutions with a child count
        units = units[units["unit"].isin(per_institution["unit"])]
    return frames.staff_ratio_summary(per_institution, units)


LOAD: dict[str, Callable[..., dict]] = {
    "certified_rate": _load_certified,
    "training_person_times": _load_training,
    "people_trained": _load_training,
    "in_service_compliance": _load_in_service,
    "health_check_compliance": _load_health,
    "staff_ratio": _load_staff_ratio,
}
BUILD: dict[str, Callable[..., pd.DataFrame]] = {
    "certified_rate": _build_certified,
    "training_person_times": _build_person_times,
    "people_trained": _build_people_trained,
    "in_service_compliance": _build_in_service,
    "health_check_compliance": _build_health,
    "staff_ratio": _build_staff_ratio,
}


def compute_levels(code: str, region: Region, levels: list[str], year: int, on: date) -> dict[str, pd.DataFrame]:
    """The indicator's frame per level in ``levels``, from one load of its sources: the unit columns (``unit``,
    ``id``, ``code``, ``name`` [, ``region``]) and the figures, one row per unit of the level under ``region``."""
    data = LOAD[code](region, year, on)
    institutions = institutions_frame(region, with_names="institution" in levels)
    result = {}
    for by in levels:
        located = with_unit(institutions, by)
        result[by] = BUILD[code](data, located, units_frame(region, by, located), by)
    return result


def compute(code: str, region: Region, by: str, year: int, on: date) -> pd.DataFrame:
    """:func:`compute_levels` for one level."""
    return compute_levels(code, region, [by], year, on)[by]
