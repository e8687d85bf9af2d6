"""The dashboard's choices (indicator, year, region, level, date) from the query string, checked against the user.

A region outside the user's reporting scope, or one that does not exist, is a 404: an officer of one county
learns nothing about another. Anything else that does not parse falls back to the defaults.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.registry.models import Region

from ..selectors import statistics as stats

FIRST_YEAR = 2020
INDENT = "\u00a0\u00a0"  # per level below the top region in the region select
LEVEL_LABELS = {
    "province": _("Province"),
    "city": _("City"),
    "county": _("County / district"),
    "township": _("Township / subdistrict"),
    "institution": _("Institution"),
}


def child_levels(region: Region) -> list[str]:
    """The levels a region's table may be broken down by: every level below its own, institutions last."""
    return list(stats.LEVELS[region.level :])


def default_level(region: Region) -> str:
    return child_levels(region)[0]


def this_year() -> int:
    return timezone.localdate().year


def years() -> list[int]:
    return list(range(this_year(), FIRST_YEAR - 1, -1))


@dataclass(frozen=True)
class Params:
    indicator: str
    year: int
    region: Region
    by: str
    on: dt.date | None = None  # None: the end of the year, or today

    @property
    def spec(self) -> stats.Indicator:
        return stats.INDICATORS[self.indicator]

    def query(self, **changes) -> str:
        """The query string of these choices with ``changes`` (``region`` as a code; None drops a key)."""
        values = {
            "indicator": self.indicator,
            "year": self.year,
            "region": self.region.code,
            "by": self.by,
            "on": self.on.isoformat() if self.on else None,
        }
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})


class DashboardForm(forms.Form):
    """The choices form above the chart (a GET form: every view of the dashboard has its own URL)."""

    indicator = forms.ChoiceField(label=_("Indicator"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    region = forms.ChoiceField(label=_("Region"))
    by = forms.ChoiceField(label=_("Broken down by"))
    on = forms.DateField(
        label=_("On date"),
        required=False,
        help_text=_("Empty: the end of the year, or today."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, params: Params, regions: list[Region], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(code, spec.label) for code, spec in stats.INDICATORS.items()]
        self.fields["year"].choices = [(y, str(y)) for y in years()]
        top = min((r.level for r in regions), default=params.region.level)
        choices = [(r.code, INDENT * (r.level - top) + r.name) for r in regions]
        if params.region.code not in {code for code, _label in choices}:
            choices.append((params.region.code, params.region.name))  # reached by drill-down (a township)
        self.fields["region"].choices = choices
        self.fields["by"].choices = [(level, LEVEL_LABELS[level]) for level in child_levels(params.region)]


def selectable_regions(user) -> list[Region]:
    """The regions offered in the form: the user's top regions and what lies below them down to counties
    (townships are reached by drilling down)."""
    return list(stats.regions_for(user).filter(level__lte=Region.Level.COUNTY).order_by("code"))


def top_region(user) -> Region:
    tops = stats.top_regions(user)
    if not tops:
        raise Http404
    return tops[0]


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def parse_date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def region_or_404(user, code: str) -> Region:
    region = stats.regions_for(user).filter(code=code).first()
    if region is None:
        raise Http404
    return region


def parse(request) -> Params:
    """The choices of the query string, with defaults for whatever is missing or malformed."""
    data = request.GET
    code = data.get("region", "")
    region = region_or_404(request.user, code) if code else top_region(request.user)
    indicator = data.get("indicator") if data.get("indicator") in stats.INDICATORS else next(iter(stats.INDICATORS))
    year = _int(data.get("year"), this_year())
    if year not in years():
        year = this_year()
    by = data.get("by") if data.get("by") in child_levels(region) else default_level(region)
    return Params(indicator=indicator, year=year, region=region, by=by, on=parse_date(data.get("on")))
