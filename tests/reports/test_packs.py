"""Monthly report packs: built once per region and month with their SHA-256, by the beat task for every officer
region, downloaded by officers of the region (and above) only, checked against the hash on download."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import pytest
from celery.exceptions import Retry
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from certificates.models.storage import PrivateFileSystemStorage
from lms.registry.models import Role
from lms.registry.selectors import PLATFORM_ADMIN
from reports import packs, tasks
from reports.models import ReportPack
from reports.selectors import statistics as stats
from tests import factories as f

pytestmark = pytest.mark.django_db

MONTH = date(2025, 10, 1)


@pytest.fixture(autouse=True)
def pack_storage(tmp_path, monkeypatch):
    """Pack files in a temporary directory (the field's storage is resolved once, at import)."""
    storage = PrivateFileSystemStorage(location=str(tmp_path))
    monkeypatch.setattr(ReportPack._meta.get_field("file"), "storage", storage)
    return storage


def read(pack: ReportPack) -> bytes:
    with pack.file.open("rb") as handle:
        return handle.read()


@pytest.mark.parametrize(
    ("today", "month"),
    [
        (date(2026, 11, 1), date(2026, 10, 1)),
        (date(2026, 1, 1), date(2025, 12, 1)),
        (date(2026, 3, 31), date(2026, 2, 1)),
    ],
)
def test_previous_month(today, month):
    assert packs.previous_month(today) == month


def test_a_pack_has_every_indicator_table_and_its_hash(registry_world):
    county = registry_world.a.county
    pack = packs.pack_build(region=county, month=date(2025, 10, 17))
    assert pack.month == MONTH
    content = read(pack)
    assert pack.sha256 == hashlib.sha256(content).hexdigest()
    workbook = load_workbook(io.BytesIO(content))
    assert len(workbook.worksheets) == len(stats.INDICATORS) * 2  # by township and by institution
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2" and sheet.cell(1, 1).font.bold
    names = {row[1] for sheet in workbook.worksheets for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert registry_world.a.township.name in names and registry_world.a.institution.name in names
    assert registry_world.b.township.name not in names and registry_world.b.institution.name not in names
    entry = ModelLogEntry.objects.get(action="reports.pack.build", object_id=str(pack.pk))
    assert entry.data["sha256"] == pack.sha256


def test_building_again_returns_the_stored_pack(registry_world, pack_storage):
    first = packs.pack_build(region=registry_world.a.county, month=MONTH)
    again = packs.pack_build(region=registry_world.a.county, month=date(2025, 10, 31))
    assert again.pk == first.pk and again.sha256 == first.sha256
    assert ReportPack.objects.count() == 1
    assert len(pack_storage.listdir("packs")[1]) == 1


def test_a_concurrent_builder_keeps_the_first_pack_and_drops_its_file(registry_world, pack_storage, monkeypatch):
    county = registry_world.a.county
    content = packs.pack_content

    def racing(**kwargs):
        """Another worker stores the month's pack while this one is computing."""
        result = content(**kwargs)
        monkeypatch.setattr(packs, "pack_content", content)
        packs.pack_build(region=county, month=MONTH)
        return result

    monkeypatch.setattr(packs, "pack_content", racing)
    pack = packs.pack_build(region=county, month=MONTH)
    assert ReportPack.objects.get().pk == pack.pk
    assert len(pack_storage.listdir("packs")[1]) == 1  # the loser's file is deleted


def test_the_monthly_task_builds_one_pack_per_officer_region_once(registry_world):
    city = registry_world.city
    f.RoleGrantFactory(role=Role.HEALTH_OFFICER, region=city)
    result = tasks.build_monthly_packs_task.delay("2025-10-05").get()
    assert sorted(result["built"]) == sorted([registry_world.a.county.code, city.code])  # not the inspector's B
    assert result["existing"] == [] and result["failed"] == []
    again = tasks.build_monthly_packs_task.delay("2025-10-05").get()
    assert again["built"] == [] and sorted(again["existing"]) == sorted(result["built"])
    assert ReportPack.objects.filter(month=MONTH).count() == 2
    city_sheets = load_workbook(io.BytesIO(read(ReportPack.objects.get(region=city)))).worksheets
    counties = {row[1] for row in city_sheets[0].iter_rows(min_row=2, values_only=True)}
    assert counties == {registry_world.a.county.name, registry_world.b.county.name}


def test_the_task_is_retried_when_a_region_fails(registry_world, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(packs, "pack_content", broken)
    with pytest.raises(Retry) as raised:
        tasks.build_monthly_packs_task.apply(args=["2025-10-05"], throw=True)
    assert isinstance(raised.value.exc, tasks.PacksIncomplete)
    assert not ReportPack.objects.exists()


# --- the admin list and download ---------------------------------------------------------------------------


@pytest.fixture
def two_packs(registry_world):
    return (
        packs.pack_build(region=registry_world.a.county, month=MONTH),
        packs.pack_build(region=registry_world.b.county, month=MONTH),
    )


def login(client, registry_world, role):
    client.force_login(registry_world.users[role])
    return client


def test_officer_lists_and_downloads_only_their_region_packs(client, registry_world, two_packs):
    mine, other = two_packs
    c = login(client, registry_world, Role.HEALTH_OFFICER.value)
    response = c.get(reverse("reports_packs:index"))
    assert response.status_code == 200
    assert list(response.context["packs"]) == [mine]
    download = c.get(reverse("reports_packs:download", args=[mine.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert download["X-Content-SHA256"] == mine.sha256
    assert hashlib.sha256(download.content).hexdigest() == mine.sha256
    assert c.get(reverse("reports_packs:download", args=[other.pk])).status_code == 404


def test_an_officer_without_packs_is_told_when_the_first_comes(client, registry_world):
    c = login(client, registry_world, Role.HEALTH_OFFICER.value)
    c.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = c.get(reverse("reports_packs:index"))
    assert response.status_code == 200
    assert "No report packs yet" in response.content.decode()


def test_hr_officer_and_platform_admin(client, registry_world, two_packs):
    mine, other = two_packs
    hr = login(client, registry_world, Role.HR_OFFICER.value)
    assert list(hr.get(reverse("reports_packs:index")).context["packs"]) == [mine]
    admin = login(client, registry_world, PLATFORM_ADMIN)
    assert set(admin.get(reverse("reports_packs:index")).context["packs"]) == {mine, other}
    assert admin.get(reverse("reports_packs:download", args=[other.pk])).status_code == 200


def test_inspector_gets_no_packs(client, registry_world, two_packs):
    c = login(client, registry_world, Role.INSPECTOR.value)
    assert c.get(reverse("reports_packs:download", args=[two_packs[0].pk])).status_code in (302, 403)
    assert not packs.packs_for(registry_world.users[Role.INSPECTOR.value]).exists()


def test_a_damaged_file_is_not_served(client, registry_world, two_packs, pack_storage):
    mine = two_packs[0]
    with open(pack_storage.path(mine.file.name), "ab") as handle:
        handle.write(b"tampered")
    c = login(client, registry_world, Role.HEALTH_OFFICER.value)
    response = c.get(reverse("reports_packs:download", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("reports_packs:index")
