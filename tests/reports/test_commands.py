"""``manage.py export_report`` and ``manage.py seed_demo_reports`` (on a small registry demo)."""

from __future__ import annotations

import io
import json
from datetime import date
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from lms.registry.models import Region
from reports.models import ChildCount, ReportPack, Target
from reports.selectors import statistics
from tests import factories as f

AS_OF = date(2026, 6, 30)
pytestmark = pytest.mark.django_db


@pytest.fixture
def registry_demo():
    call_command("seed_demo", "--institutions", "24", "--staff", "300", "--as-of", AS_OF.isoformat(), stdout=StringIO())


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo_reports", "--as-of", AS_OF.isoformat(), *args, stdout=out)
    return out.getvalue()


def export(*args: str) -> str:
    out = StringIO()
    call_command("export_report", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_reports_is_idempotent_and_feeds_the_staff_ratio(registry_demo):
    assert "Reports demo" in seed()
    counts = sorted(ChildCount.objects.values_list("institution_id", "counted_on", "infants", "younger", "older"))
    targets = sorted(Target.objects.values_list("region_id", "indicator", "year", "value"))
    assert 0 < len(counts) < 24
    assert all(day == date(2026, 6, 1) for _, day, *_ in counts)
    county_targets = Target.objects.filter(source="Demo", indicator="certified_rate", year=2026)
    assert county_targets.count() == Region.objects.filter(parent__code="530300").count()
    assert county_targets.get(region_id="530302").value == 75
    seed()
    assert (
        sorted(ChildCount.objects.values_list("institution_id", "counted_on", "infants", "younger", "older")) == counts
    )
    assert sorted(Target.objects.values_list("region_id", "indicator", "year", "value")) == targets
    city = Region.objects.get(code="530300")
    table = statistics.indicator_table(None, "staff_ratio", region=city, by="city", year=2026, on=AS_OF)
    assert table.frame["institutions"].iloc[0] == len(counts)
    progress = statistics.target_progress(None, region=city, indicator="people_trained", year=2026, on=AS_OF)
    assert all(p.target is not None for p in progress)


def test_seed_demo_reports_needs_the_registry_demo(db):
    with pytest.raises(CommandError, match="seed_demo"):
        seed()


def test_registry_reset_deletes_child_counts_and_packs(registry_demo):
    seed()
    city = Region.objects.get(code="530300")
    pack = ReportPack(region=city, month=date(2026, 6, 1), sha256="0" * 64)
    pack.file.save("pack.xlsx", ContentFile(b"x"), save=True)
    call_command("seed_demo", "--reset", "--institutions", "24", "--staff", "300", stdout=StringIO())
    assert not ChildCount.objects.exists()
    assert not ReportPack.objects.exists()


@pytest.fixture
def small_world(registry_world):
    return registry_world


def test_export_report_writes_xlsx_csv_and_json(small_world, tmp_path):
    xlsx, csv, out_json = tmp_path / "r.xlsx", tmp_path / "r.csv", tmp_path / "r.json"
    message = export("certified_rate", "--region", "530300", "--year", "2025", "--format", "xlsx", "--out", str(xlsx))
    assert "2 rows" in message
    sheet = load_workbook(io.BytesIO(xlsx.read_bytes())).worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 3  # header + two counties
    export("certified_rate", "--region", "530300", "--year", "2025", "--format", "csv", "--out", str(csv))
    assert csv.read_bytes().startswith(b"\xef\xbb\xbf")
    export(
        "training_person_times",
        *("--region", "530302", "--by", "institution", "--year", "2025", "--format", "json", "--out", str(out_json)),
    )
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["indicator"] == "training_person_times"
    assert [row["id"] for row in data["rows"]] == [small_world.a.institution.pk]


def test_export_report_applies_a_users_scope(small_world, tmp_path):
    out = tmp_path / "r.json"
    args = ("certified_rate", "--year", "2025", "--format", "json", "--out", str(out))
    export(*args, "--region", "530302", "--user", "health_officer")
    with pytest.raises(CommandError, match="may not report"):
        export(*args, "--region", "530381", "--user", "health_officer")
    with pytest.raises(CommandError, match="No region"):
        export(*args, "--region", "539999")
    with pytest.raises(CommandError, match="No user"):
        export(*args, "--region", "530302", "--user", "nobody")


def test_export_report_to_stdout(small_world):
    f.EmploymentFactory(institution=small_world.b.institution)
    text = export("certified_rate", "--region", "530381", "--year", "2025", "--format", "csv", "--out", "-")
    assert text.splitlines()[1].split(",")[-3:] == ["2", "0", "0.0"]
