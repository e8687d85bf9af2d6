"""reports.services: targets and child counts (validated, audited), and progress against cumulative targets."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from lms.learning.choices import HoursSource, TrainingKind
from lms.learning.models import HoursEntry
from reports import services
from reports.models import ChildCount, Target
from reports.selectors import statistics


def test_target_set_creates_updates_and_audits(registry_world):
    admin = registry_world.users["platform_admin"]
    county = registry_world.a.county
    target = services.target_set(region=county, indicator="certified_rate", year=2026, value=Decimal("75"), actor=admin)
    assert (target.region_id, target.target_date, target.measure) == ("530302", dt.date(2026, 12, 31), "")
    again = services.target_set(region=county, indicator="certified_rate", year=2026, value=Decimal("80"), actor=admin)
    assert again.pk == target.pk and again.value == Decimal("80")
    entries = ModelLogEntry.objects.filter(action="reports.target.set", object_id=str(target.pk))
    assert entries.count() == 2 and entries.first().user == admin
    services.target_delete(target=again, actor=admin)
    assert not Target.objects.filter(pk=target.pk).exists()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"indicator": "nope", "value": Decimal("1")},
        {"indicator": "certified_rate", "value": Decimal("101")},
        {"indicator": "certified_rate", "value": Decimal("-1")},
        {"indicator": "training_person_times", "value": Decimal("5"), "measure": "nope"},
        {"indicator": "training_person_times", "value": Decimal("5"), "from_year": 2027},
    ],
)
def test_target_set_refuses_bad_targets(registry_world, kwargs):
    with pytest.raises(ValidationError):
        services.target_set(region=registry_world.a.county, year=2026, **kwargs)


def test_child_count_record_is_one_per_day_and_audited(registry_world):
    institution = registry_world.a.institution
    day = dt.date(2026, 3, 1)
    count = services.child_count_record(institution=institution, counted_on=day, infants=3, younger=5, older=7)
    services.child_count_record(institution=institution, counted_on=day, infants=4, younger=5, older=7)
    assert ChildCount.objects.get(pk=count.pk).total == 16
    assert ModelLogEntry.objects.filter(action="reports.child_count.record").count() == 2
    with pytest.raises(ValidationError):
        services.child_count_record(institution=institution, counted_on=day, infants=-1, younger=0, older=0)
    admin = registry_world.users["platform_admin"]
    services.child_count_delete(count=ChildCount.objects.get(pk=count.pk), actor=admin)
    assert not ChildCount.objects.filter(pk=count.pk).exists()
    deleted = ModelLogEntry.objects.get(action="reports.child_count.delete", object_id=str(count.pk))
    assert deleted.user == admin and deleted.data["counted_on"] == "2026-03-01"


def credit(person, year, hours="4", kind=TrainingKind.IN_SERVICE):
    HoursEntry.objects.create(
        person=person,
        year=year,
        occurred_on=dt.date(year, 3, 1),
        kind=kind,
        source=HoursSource.MANUAL,
        hours=Decimal(hours),
        key=f"t:{HoursEntry.objects.count()}",
    )


def test_cumulative_person_time_targets_count_every_year_since_the_first(registry_world):
    w = registry_world
    services.target_set(
        region=w.a.county,
        indicator="training_person_times",
        measure="care",
        year=2026,
        from_year=2024,
        value=Decimal("4"),
    )
    credit(w.a.person, 2024)
    credit(w.colleague, 2025)
    credit(w.a.person, 2026)
    progress = statistics.target_progress(
        None, region=w.city, indicator="training_person_times", measure="care", year=2026, on=dt.date(2026, 6, 30)
    )
    by_code = {p.region.code: p for p in progress}
    a = by_code["530302"]
    # one person-time in each of 2024, 2025 and the first half of 2026: 3 so far. Least squares through
    # (day 0, 0), (365, 1), (730, 2), (911, 3) counted from 2024-01-01: mean x 501.5, mean y 1.5,
    # Sxy 1549, Sxx 490036.75 -> slope 0.0031610/day; at 2026-12-31 (day 1095) 1.5 + 0.0031610 * 593.5 = 3.38
    assert a.actual == 3.0
    assert a.target == Decimal("4")
    assert a.projected == 3.38
    assert a.will_miss
    assert by_code["530381"].target is None  # count targets are not inherited
