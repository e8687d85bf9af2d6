"""The bureau JSON API: token authentication, county scoping, parameters and the OpenAPI document."""

import datetime as dt

import pytest
from django.utils import translation
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lms.registry.models import Role
from reports.selectors.statistics import INDICATORS
from tests.certificates.factories import issue_certificate

URL = "/reports/api/v1/indicators/{}/"


@pytest.fixture
def officer_client(registry_world):
    token = Token.objects.create(user=registry_world.users[Role.HEALTH_OFFICER.value])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_the_api_needs_a_token(registry_world):
    response = APIClient().get(URL.format("certified_rate"), {"region": registry_world.a.county.code})
    assert response.status_code == 401
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert bad.get(URL.format("certified_rate"), {"region": registry_world.a.county.code}).status_code == 401


def test_an_officer_reads_the_certified_rate_of_their_county(registry_world, officer_client):
    issue_certificate(holder=registry_world.a.person, issued_on=dt.date(2025, 1, 5))
    with translation.override("en"):
        response = officer_client.get(
            URL.format("certified_rate"),
            {"region": registry_world.a.county.code, "by": "institution", "on": "2025-06-30"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["indicator"] == "certified_rate"
    assert data["meta"]["by"] == "institution"
    assert data["meta"]["year"] == 2025
    assert {"key": "rate", "label": "Certified-staff rate (%)"} in data["columns"]
    (row,) = data["rows"]
    assert row["id"] == registry_world.a.institution.pk
    assert (row["staff"], row["certified"], row["rate"]) == (2, 1, 50.0)


def test_a_county_officer_never_sees_the_other_county(registry_world, officer_client):
    for code in INDICATORS:
        response = officer_client.get(URL.format(code), {"region": registry_world.b.county.code})
        assert response.status_code == 403, code
        assert "宣威" not in response.content.decode()
    assert officer_client.get(URL.format("certified_rate"), {"region": registry_world.city.code}).status_code == 403
    regions = officer_client.get("/reports/api/v1/regions/").json()
    codes = {r["code"] for r in regions}
    assert registry_world.a.county.code in codes
    assert registry_world.b.county.code not in codes
    progress = officer_client.get(
        "/reports/api/v1/targets/progress/",
        {"region": registry_world.b.county.code, "indicator": "certified_rate", "year": 2026},
    )
    assert progress.status_code == 403


def test_other_roles_are_refused(registry_world):
    client = APIClient()
    client.force_authenticate(registry_world.users[Role.INSPECTOR.value])
    response = client.get(URL.format("certified_rate"), {"region": registry_world.a.county.code})
    assert response.status_code == 403


def test_every_indicator_answers_for_an_admin(registry_world):
    client = APIClient()
    client.force_authenticate(registry_world.users["platform_admin"])
    for code in INDICATORS:
        response = client.get(URL.format(code), {"region": registry_world.city.code, "year": 2025})
        assert response.status_code == 200, (code, response.content)
        assert {row["code"] for row in response.json()["rows"]} == {"530302", "530381"}


def test_bad_parameters_are_400_and_unknown_regions_404(registry_world, officer_client):
    county = registry_world.a.county.code
    assert officer_client.get(URL.format("certified_rate")).status_code == 400
    assert officer_client.get(URL.format("certified_rate"), {"region": county, "by": "village"}).status_code == 400
    assert officer_client.get(URL.format("certified_rate"), {"region": county, "by": "city"}).status_code == 400
    assert officer_client.get(URL.format("certified_rate"), {"region": county, "on": "June"}).status_code == 400
    assert officer_client.get(URL.format("certified_rate"), {"region": "539999"}).status_code == 404


def test_target_progress_endpoint(registry_world):
    client = APIClient()
    client.force_authenticate(registry_world.users["platform_admin"])
    response = client.get(
        "/reports/api/v1/targets/progress/",
        {"region": registry_world.city.code, "indicator": "certified_rate", "year": 2026, "on": "2025-06-30"},
    )
    assert response.status_code == 200, response.content
    rows = {row["region"]: row for row in response.json()}
    assert rows["530302"]["target"] == "70.00"
    assert rows["530302"]["will_miss"] is True  # nobody certified: 0% projects to 0%


def test_openapi_document_is_valid_and_lists_every_indicator(db):
    response = APIClient().get("/reports/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    paths = schema["paths"]
    for code in INDICATORS:
        operation = paths[f"/reports/api/v1/indicators/{code}/"]["get"]
        assert operation["operationId"] == f"indicator_{code}"
        assert {p["name"] for p in operation["parameters"]} >= {"region", "by", "year", "on"}
    assert "/reports/api/v1/targets/progress/" in paths
    assert not any(path.startswith("/admin/") for path in paths)
    assert "tokenAuth" in schema["components"]["securitySchemes"]
