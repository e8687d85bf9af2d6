"""The statistics dashboard in the admin: who may open it, region scoping (a county officer never sees another
county: 404), the chart and tables, the drill-down to the staff list with masked IDs, and scoped downloads."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lms.registry.models import Role
from lms.registry.selectors import CAREGIVER, PLATFORM_ADMIN
from reports.models import Target
from tests import factories as f
from tests.certificates.factories import issue_certificate

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
YEAR = timezone.localdate().year
ON = timezone.localdate().isoformat()
DASHBOARD = "reports_dashboard:index"


@pytest.fixture
def world(registry_world):
    """County A: two caregivers, one certified (50%); county B: one caregiver, none certified (0%). The city
    has a certified-rate target of 70% for this year."""
    issue_certificate(holder=registry_world.a.person, issued_on=date(YEAR, 1, 2))
    Target.objects.update_or_create(
        region_id="530300",
        indicator="certified_rate",
        measure="",
        year=YEAR,
        defaults={"value": Decimal("70"), "target_date": date(YEAR + 1, 6, 30)},
    )
    return registry_world


def client_for(client, world, role):
    """The client logged in as ``role``, asking for English pages (tests assert English, never new Chinese)."""
    client.force_login(world.users[role])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def get(client, name=DASHBOARD, args=(), **params):
    return client.get(reverse(name, args=args), {"year": YEAR, "on": ON, **params})


def denied(response) -> bool:
    """Wagtail answers PermissionDenied in the admin with a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def svg(response, testid):
    html = response.content.decode()
    start = html.index(f'data-testid="{testid}"')
    body = html[html.index("<svg", start) : html.index("</svg>", start) + len("</svg>")]
    return ET.fromstring(body)  # noqa: S314 - our own markup


def bar_labels(root):
    return [g.get("data-label") for g in root.iter(f"{SVG}g") if g.get("class") == "chart-row"]


@pytest.mark.parametrize("role", [Role.HEALTH_OFFICER.value, Role.HR_OFFICER.value])
def test_officer_sees_their_county_by_township(client, world, role):
    response = get(client_for(client, world, role))
    assert response.status_code == 200
    assert response.context["params"].region == world.a.county
    root = svg(response, "bar-chart")
    assert root.get("role") == "img"
    assert bar_labels(root) == [world.a.township.name]
    html = response.content.decode()
    assert world.b.county.name not in html and world.b.township.name not in html


@pytest.mark.parametrize("code", ["530381", "530300", "999999"])
def test_officer_gets_404_outside_their_county(client, world, code):
    c = client_for(client, world, Role.HEALTH_OFFICER.value)
    assert get(c, region=code).status_code == 404
    assert get(c, "reports_dashboard:export", args=["table"], region=code, format="csv").status_code == 404


@pytest.mark.parametrize("role", [Role.INSPECTOR.value, Role.INSTITUTION_ADMIN.value, Role.PROVIDER_STAFF.value])
def test_other_back_office_roles_are_refused(client, world, role):
    c = client_for(client, world, role)
    assert denied(get(c))
    assert denied(get(c, "reports_packs:index"))
    assert denied(get(c, "reports_dashboard:staff", args=[world.a.institution.pk]))
    assert denied(get(c, "reports_dashboard:export", args=["table"], format="csv"))


def test_caregiver_cannot_open_the_admin(client, world):
    assert get(client_for(client, world, CAREGIVER)).status_code in (302, 403)


def test_menu_shows_statistics_to_officers_only(client, world):
    url = reverse(DASHBOARD)
    assert url in client_for(client, world, Role.HEALTH_OFFICER.value).get("/admin/").content.decode()
    assert url not in client_for(client, world, Role.INSPECTOR.value).get("/admin/").content.decode()


def test_city_dashboard_has_bars_by_county_with_the_target_line(client, world):
    response = get(client_for(client, world, PLATFORM_ADMIN), region="530300", indicator="certified_rate")
    assert response.status_code == 200
    root = svg(response, "bar-chart")
    rows = {g.get("data-label"): g.get("data-value") for g in root.iter(f"{SVG}g") if g.get("class") == "chart-row"}
    assert rows == {world.a.county.name: "50%", world.b.county.name: "0%"}
    assert [r.get("class") for r in root.iter(f"{SVG}rect")] == ["bar bar--below", "bar bar--below"]
    target = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "chart-target")
    assert target.find(f"{SVG}text").text == "Target 70%"
    # bars drill down to the county's own dashboard
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert any("region=530302" in href for href in links)
    # the trend chart and its table
    trend = svg(response, "trend-chart")
    assert trend.get("role") == "img"
    assert response.context["trend"]["rows"][-1]["cells"][0] == str(YEAR)


def test_progress_lists_the_counties_that_will_miss_the_target(client, world):
    response = get(client_for(client, world, PLATFORM_ADMIN), region="530300", indicator="certified_rate")
    progress = response.context["progress"]
    assert len(progress) == 1
    rows = progress[0]["rows"]
    assert [row["cells"][1] for row in rows] == ["曲靖市 (whole region)", world.a.county.name, world.b.county.name]
    assert [row["cells"][2] for row in rows] == ["33.3", "50", "0"]  # actual (%)
    assert [row["href"] for row in rows][0] == ""  # the region's own row does not link to itself
    assert "region=530302" in rows[1]["href"]
    # 33%, 50% and 0% now, flat: all miss 70%
    assert [r.code for r in progress[0]["missing"]] == ["530300", world.a.county.code, world.b.county.code]
    assert 'data-testid="will-miss"' in response.content.decode()
    # the trend chart continues to the target date with the projection
    assert response.context["projection"]["target"] == Decimal("70")
    dashed = svg(response, "trend-chart").findall(f".//{SVG}polyline")
    assert [line.get("class") for line in dashed][-1] == "chart-line chart-line--projected"


def test_a_county_officer_sees_their_own_count_target(client, world):
    Target.objects.create(
        region_id=world.a.county.code,
        indicator="people_trained",
        year=YEAR,
        value=Decimal("40"),
        target_date=date(YEAR, 12, 31),
    )
    response = get(client_for(client, world, Role.HEALTH_OFFICER.value), indicator="people_trained")
    progress = response.context["progress"]
    assert len(progress) == 1
    own = progress[0]["rows"][0]["cells"]
    assert own[1] == f"{world.a.county.name} (whole region)" and own[3] == "40" and own[6] == "Yes"
    assert [r.code for r in progress[0]["missing"]] == [world.a.county.code]  # nobody trained yet


def test_county_officer_sees_the_city_target_inherited(client, world):
    response = get(client_for(client, world, Role.HEALTH_OFFICER.value), indicator="certified_rate")
    assert response.context["target"] == Decimal("70")
    root = svg(response, "bar-chart")
    assert [g for g in root.iter(f"{SVG}g") if g.get("class") == "chart-target"]


def test_drill_down_from_institutions_to_the_staff_list_with_masked_ids(client, world):
    c = client_for(client, world, Role.HEALTH_OFFICER.value)
    response = get(c, region=world.a.county.code, by="institution")
    staff_url = reverse("reports_dashboard:staff", args=[world.a.institution.pk])
    assert staff_url in response.content.decode()
    response = c.get(staff_url, {"on": ON})
    assert response.status_code == 200
    html = response.content.decode()
    person = world.a.person
    assert person.id_number_masked in html
    assert "*" in person.id_number_masked
    assert world.b.person.name not in html


def test_staff_list_of_another_county_is_404(client, world):
    c = client_for(client, world, Role.HEALTH_OFFICER.value)
    assert c.get(reverse("reports_dashboard:staff", args=[world.b.institution.pk])).status_code == 404
    assert c.get(reverse("reports_dashboard:staff_export", args=[world.b.institution.pk])).status_code == 404
    assert c.get(reverse("reports_dashboard:staff", args=[987654])).status_code == 404


def test_csv_download_is_the_scoped_table_with_a_bom(client, world):
    c = client_for(client, world, Role.HEALTH_OFFICER.value)
    response = get(c, "reports_dashboard:export", args=["table"], indicator="certified_rate", format="csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][1:] == ["Name", "On-duty staff in qualifying posts", "Certified staff", "Certified-staff rate (%)"]
    assert [row[1] for row in rows[1:]] == [world.a.township.name]
    assert world.b.county.name not in content.decode("utf-8-sig")


def test_xlsx_downloads_every_table(client, world):
    c = client_for(client, world, PLATFORM_ADMIN)
    for kind in ("table", "trend", "progress", "all"):
        response = get(c, "reports_dashboard:export", args=[kind], region="530300", format="xlsx")
        assert response.status_code == 200, kind
        workbook = load_workbook(io.BytesIO(response.content))
        sheet = workbook.worksheets[0]
        assert sheet.freeze_panes == "A2"
        assert sheet.cell(1, 1).font.bold
    assert len(load_workbook(io.BytesIO(response.content)).worksheets) == 3  # table, trend, progress
    staff = c.get(reverse("reports_dashboard:staff_export", args=[world.a.institution.pk]), {"format": "csv"})
    assert staff.status_code == 200 and world.a.person.id_number_masked in staff.content.decode("utf-8-sig")


def test_unknown_export_is_404(client, world):
    c = client_for(client, world, PLATFORM_ADMIN)
    assert get(c, "reports_dashboard:export", args=["nonsense"], format="xlsx").status_code == 404
    assert get(c, "reports_dashboard:export", args=["all"], format="csv").status_code == 404


def test_every_indicator_renders(client, world):
    c = client_for(client, world, PLATFORM_ADMIN)
    f.EmploymentFactory(institution=world.b.institution)
    for indicator in (
        "certified_rate",
        "training_person_times",
        "people_trained",
        "in_service_compliance",
        "health_check_compliance",
        "staff_ratio",
    ):
        for by in ("county", "township", "institution"):
            response = get(c, region="530300", indicator=indicator, by=by)
            assert response.status_code == 200, (indicator, by)
            svg(response, "bar-chart")
            svg(response, "trend-chart")


def test_long_tables_show_the_first_rows_and_say_the_rest_is_in_the_downloads(client, world, monkeypatch):
    from reports.views import tables

    monkeypatch.setattr(tables, "SHOWN_ROWS", 1)
    c = client_for(client, world, PLATFORM_ADMIN)
    response = get(c, region="530300", by="county")
    assert len(response.context["table"]["rows"]) == 1 and response.context["table"]["more"] == 1
    assert "One more row is in the downloads." in response.content.decode()
    csv_rows = get(c, "reports_dashboard:export", args=["table"], region="530300", by="county", format="csv")
    assert len(csv_rows.content.decode("utf-8-sig").strip().splitlines()) == 3  # header + both counties


def test_bad_parameters_fall_back_to_defaults(client, world):
    response = client_for(client, world, Role.HEALTH_OFFICER.value).get(
        reverse(DASHBOARD), {"indicator": "nope", "year": "x", "by": "planet", "on": "yesterday"}
    )
    assert response.status_code == 200
    params = response.context["params"]
    assert (params.indicator, params.year, params.by, params.on) == ("certified_rate", YEAR, "township", None)
