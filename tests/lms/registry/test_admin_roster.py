"""Roster import pages over HTTP (template, upload → preview → commit), mixed roles, and the front site."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from lms.registry.models import Employment, Person, RosterImport
from tests.factories import EmploymentFactory, make_id_number

pytestmark = pytest.mark.django_db

TEMPLATE_HEADERS = ["姓名", "身份证号", "手机号", "岗位", "入职日期", "离职日期", "健康体检日期"]


def roster_csv() -> bytes:
    rows = [
        TEMPLATE_HEADERS,
        ["陈一", make_id_number(serial=91), "13800000001", "保育人员", "2024-03-01", "", "2025-01-10"],
        ["陈二", make_id_number(serial=92, gender="M"), "", "负责人", "2024-03-01", "", ""],
        ["陈三", "123", "", "保育人员", "2024-03-01", "", ""],
    ]
    return ("\r\n".join(",".join(r) for r in rows)).encode("gbk")


@pytest.fixture
def admin_client(client, users_by_role):
    client.force_login(users_by_role["institution_admin"])
    return client


def test_template_download_is_a_valid_xlsx(admin_client):
    response = admin_client.get(reverse("registry_roster_template", args=["xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    sheet = wb.worksheets[0]
    assert [c.value for c in sheet[1]] == TEMPLATE_HEADERS
    assert sheet["B2"].number_format == "@"  # ID column formatted as text
    assert len(wb.worksheets) == 2  # the notes sheet


def test_csv_template_round_trips_through_the_reader(admin_client):
    from lms.registry.roster_file import read_roster

    response = admin_client.get(reverse("registry_roster_template", args=["csv"]))
    table = read_roster(response.content, "template.csv")
    assert table.header == TEMPLATE_HEADERS and len(table.rows) == 1


def test_upload_preview_commit_flow(registry_world, admin_client, django_capture_on_commit_callbacks):
    w = registry_world
    assert admin_client.get(reverse("registry_roster_upload")).status_code == 200
    before = (Person.objects.count(), Employment.objects.count())
    upload = SimpleUploadedFile("花名册.csv", roster_csv(), content_type="text/csv")
    response = admin_client.post(reverse("registry_roster_upload"), {"institution": w.a.institution.pk, "file": upload})
    assert response.status_code == 302
    roster = RosterImport.objects.exclude(pk=w.a.roster_import.pk).get(institution=w.a.institution)
    assert response["Location"] == reverse("registry_roster_detail", args=[roster.pk])
    assert (Person.objects.count(), Employment.objects.count()) == before  # dry run

    page = admin_client.get(response["Location"]).content.decode()
    assert 'data-testid="roster-errors"' in page and 'data-testid="commit"' in page
    assert (roster.total_rows, roster.valid_rows) == (3, 2)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("registry_roster_detail", args=[roster.pk]))
    assert response.status_code == 302
    roster.refresh_from_db()
    assert roster.status == "committed" and roster.created_count == 2 and roster.content_encrypted is None
    assert (Person.objects.count(), Employment.objects.count()) == (before[0] + 2, before[1] + 2)
    page = admin_client.get(reverse("registry_roster_detail", args=[roster.pk])).content.decode()
    assert 'data-testid="roster-result"' in page and 'data-testid="commit"' not in page

    # committing again changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("registry_roster_detail", args=[roster.pk]))
    assert (Person.objects.count(), Employment.objects.count()) == (before[0] + 2, before[1] + 2)

    errors = admin_client.get(reverse("registry_roster_errors", args=[roster.pk]))
    assert errors.status_code == 200 and errors.content.startswith(b"\xef\xbb\xbf")


def test_upload_to_another_institution_refused(registry_world, admin_client):
    w = registry_world
    upload = SimpleUploadedFile("r.csv", roster_csv(), content_type="text/csv")
    response = admin_client.post(reverse("registry_roster_upload"), {"institution": w.b.institution.pk, "file": upload})
    assert response.status_code == 200  # form error: not a choice
    assert not RosterImport.objects.filter(institution=w.b.institution).exclude(pk=w.b.roster_import.pk).exists()


def test_xls_upload_refused_by_the_form(registry_world, admin_client):
    upload = SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0", content_type="application/vnd.ms-excel")
    response = admin_client.post(
        reverse("registry_roster_upload"), {"institution": registry_world.a.institution.pk, "file": upload}
    )
    assert response.status_code == 200
    assert RosterImport.objects.count() == 2  # only the two from the fixture


def test_other_institutions_roster_not_found(registry_world, admin_client):
    w = registry_world
    assert admin_client.get(reverse("registry_roster_detail", args=[w.b.roster_import.pk])).status_code == 404
    assert admin_client.get(reverse("registry_roster_errors", args=[w.b.roster_import.pk])).status_code == 404
    assert admin_client.get(reverse("registry_roster_detail", args=[w.a.roster_import.pk])).status_code == 200


@pytest.mark.parametrize("role", ["health_officer", "hr_officer", "inspector", "provider_staff"])
def test_roster_pages_refused_to_other_roles(client, users_by_role, role):
    client.force_login(users_by_role[role])
    assert client.get(reverse("registry_roster_upload")).status_code != 200
    assert client.get(reverse("registry_roster_template", args=["xlsx"])).status_code != 200


def test_admin_of_a_who_works_in_b_cannot_add_staff_to_b(registry_world, client):
    """Roles add up for reading, but being a caregiver at B gives no right to add B's staff."""
    w = registry_world
    admin = w.users["institution_admin"]
    EmploymentFactory(person__user=admin, institution=w.b.institution)
    client.force_login(admin)
    response = client.post(
        reverse("employments:add"),
        {
            "institution": w.b.institution.pk,
            "name": "周新人",
            "id_number": make_id_number(serial=79),
            "post": "caregiver",
            "start_date": "2025-01-02",
        },
    )
    assert response.status_code == 200
    assert not Person.objects.filter(name="周新人").exists()


# --- front site ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/me/"])
def test_front_pages_show_caregiver_masked_record(registry_world, client, path):
    w = registry_world
    client.force_login(w.users["caregiver"])
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="person-card"' in html
    assert w.a.person.id_number_masked in html and w.a.person.id_number not in html
    assert w.a.institution.name in html


def test_front_page_for_visitors_and_me_requires_login(registry_world, client):
    assert client.get("/").status_code == 200
    assert client.get("/me/").status_code == 302


def test_admin_who_is_also_a_caregiver_cannot_record_own_health_check_elsewhere(registry_world, client):
    w = registry_world
    admin = w.users["institution_admin"]
    me = EmploymentFactory(person__user=admin, institution=w.b.institution).person
    client.force_login(admin)
    response = client.post(reverse("health_checks:add"), {"person": me.pk, "checked_on": "2025-01-02"})
    assert response.status_code == 200
    assert not me.health_checks.exists()
    response = client.post(reverse("health_checks:add"), {"person": w.colleague.pk, "checked_on": "2025-01-02"})
    assert response.status_code == 302
    assert w.colleague.health_checks.exists()
