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
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lms.learning.choices import Occupation, TrainingKind
from lms.registry.models import Region

from .. import frames
from ..models import INDICATOR_CHOICES
from . import sources
from .scope import institutions_frame, units_frame

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
        Indicator("people_trained", LABELS["people_trained"], _("people"), "people", COUNT),
        Indicator("in_service_compliance", LABELS["in_service_compliance"], "%", "rate"),
        Indicator("health_check_compliance", LABELS["health_check_compliance"], "%", "rate"),
        Indicator("staff_ratio", LABELS["staff_ratio"], _("institutions"), "below", COUNT, higher_is_better=False),
    )
}


def _unit_columns(by: str) -> list[tuple[str, str]]:
    columns = [("code", gettext("Code")), ("name", gettext("Name"))]
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


# --- computations: (region, by, year, on, institutions, units) -> frame ------------------------------------


def _certified_rate(region, by, year, on, institutions, units):
    staff = frames.with_units(sources.certified_staff(region, on), institutions)
    return frames.certified_rate(staff, units)


def _health_checks(region, by, year, on, institutions, units):
    staff = frames.with_units(sources.checked_staff(region, on), institutions)
    return frames.health_check_compliance(staff, units)


def _attribution(region, year, on, institutions) -> pd.DataFrame:
    return frames.with_units(sources.year_staff(region, year, on), institutions)[["person_id", "unit"]]


def _person_times(region, by, year, on, institutions, units):
    events = frames.training_events(sources.ledger_events(region, year, on))
    return frames.training_person_times(
        events,
        _attribution(region, year, on, institutions),
        units,
        kinds=TrainingKind.values,
        occupations=Occupation.values,
        director_kinds=(TrainingKind.DIRECTOR,),
    )


def _people_trained(region, by, year, on, institutions, units):
    events = frames.training_events(sources.ledger_events(region, year, on))
    return frames.people_trained(events, _attribution(region, year, on, institutions), units)


def _in_service(region, by, year, on, institutions, units):
    requirements = sources.requirements()
    posts = sorted(set(requirements["post"]))
    staff = frames.with_units(sources.on_duty_staff(region, on, posts), institutions)
    hours = sources.person_hours(region, year, sorted(set(requirements["kind"])))
    return frames.in_service_compliance(staff, requirements, hours, units)


def _staff_ratio(region, by, year, on, institutions, units):
    ratios = sources.ratios()
    counts = sources.child_counts(region, on, list(ratios))
    per_institution = frames.staff_ratio(counts, sources.caregivers(region, on), ratios)
    per_institution = frames.with_units(per_institution, institutions)
    if by == "institution":
        units = units[units["unit"].isin(per_institution["unit"])]
    return frames.staff_ratio_summary(per_institution, units)


COMPUTE: dict[str, Callable[..., pd.DataFrame]] = {
    "certified_rate": _certified_rate,
    "training_person_times": _person_times,
    "people_trained": _people_trained,
    "in_service_compliance": _in_service,
    "health_check_compliance": _health_checks,
    "staff_ratio": _staff_ratio,
}


def compute(code: str, region: Region, by: str, year: int, on: date) -> pd.DataFrame:
    """The indicator's frame: the unit columns (``unit``, ``id``, ``code``, ``name`` [, ``region``]) and its
    figures, one row per unit of ``by`` under ``region``."""
    institutions = institutions_frame(region, by)
    units = units_frame(region, by, institutions)
    return COMPUTE[code](region, by, year, on, institutions, units)
