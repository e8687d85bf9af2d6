"""Listings and exports show choice labels in Chinese and never a clear ID number."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, registry_world):
    client.force_login(registry_world.users["health_officer"])
    return client


def test_institution_listing_shows_type_labels_in_chinese(officer_client, registry_world, zh):
    html = officer_client.get(reverse("institutions:index")).content.decode()
    institution = registry_world.a.institution
    assert institution.get_kind_display() in html  # e.g. 公办, not "public"
    assert f">{institution.kind}<" not in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_people_export_is_masked_with_chinese_labels(officer_client, registry_world, zh, fmt):
    response = officer_client.get(reverse("people:index") + f"?export={fmt}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(body)).active
        rows = [[str(c) if c is not None else "" for c in r] for r in sheet.iter_rows(values_only=True)]
    person = registry_world.a.person
    flat = "\n".join(",".join(r) for r in rows)
    assert "性别" in rows[0] and person.get_gender_display() in flat
    assert person.id_number_masked in flat and person.id_number not in flat
    # only people in the officer's county
    assert registry_world.b.person.id_number_masked not in flat
