"""The Wagtail back office over HTTP: scoped listings and object pages, masking, staff entry, access."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.translation import override

from lms.registry.masking import mask_name
from lms.registry.models import Employment, HealthCheck, Person
from tests.factories import make_id_number

pytestmark = pytest.mark.django_db

SCOPED_ROLES = ["health_officer", "hr_officer", "inspector", "institution_admin"]
# viewset name -> attribute of a registry_world side
OBJECTS = {
    "regions": "county",
    "institutions": "institution",
    "providers": "provider",
    "people": "person",
    "employments": "employment",
    "health_checks": "health_check",
    "role_grants": "grant",
}


@pytest.fixture(autouse=True)
def _english():
    with override("en"):
        yield


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def url(name, obj=None):
    return reverse(name, args=[obj.pk]) if obj is not None else reverse(name)


@pytest.mark.parametrize("role", ["platform_admin", *SCOPED_ROLES, "provider_staff"])
def test_admin_home_opens_for_back_office_roles(users_by_role, login, role):
    assert login(users_by_role[role]).get("/admin/").status_code == 200


def test_caregiver_is_refused_the_admin(registry_world, login):
    client = login(registry_world.users["caregiver"])
    response = client.get("/admin/")
    assert response.status_code == 302 and "login" in response["Location"]
    for name in ("people:index", "registry_roster_upload"):
        assert client.get(url(name)).status_code != 200
    assert client.get(url("people:inspect", registry_world.a.person)).status_code != 200


def test_anonymous_is_sent_to_login(client, registry_world):
    response = client.get(url("people:index"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("role", SCOPED_ROLES)
def test_people_listing_shows_only_scope(registry_world, login, role):
    w = registry_world
    html = login(w.users[role]).get(url("people:index")).content.decode()
    assert w.a.person.name in html and w.colleague.name in html
    assert w.b.person.name not in html


@pytest.mark.parametrize("role", ["health_officer", "inspector", "hr_officer"])
def test_institution_listing_shows_only_scope(registry_world, login, role):
    w = registry_world
    html = login(w.users[role]).get(url("institutions:index")).content.decode()
    assert w.a.institution.name in html and w.b.institution.name not in html


def test_platform_admin_lists_everything(registry_world, login):
    w = registry_world
    html = login(w.users["platform_admin"]).get(url("people:index")).content.decode()
    assert w.a.person.name in html and w.b.person.name in html


def test_listing_shows_masked_ids_only(registry_world, login):
    w = registry_world
    for role in ("health_officer", "institution_admin"):
        html = login(w.users[role]).get(url("people:index")).content.decode()
        assert w.a.person.id_number_masked in html
        assert w.a.person.id_number not in html


@pytest.mark.parametrize("role", SCOPED_ROLES)
@pytest.mark.parametrize("viewset", ["institutions", "people", "employments", "health_checks"])
def test_inspect_in_and_out_of_scope(registry_world, login, role, viewset):
    w = registry_world
    client = login(w.users[role])
    inside, outside = getattr(w.a, OBJECTS[viewset]), getattr(w.b, OBJECTS[viewset])
    assert client.get(url(f"{viewset}:inspect", inside)).status_code == 200
    assert client.get(url(f"{viewset}:inspect", outside)).status_code in (403, 404)


@pytest.mark.parametrize(
    ("role", "viewset"),
    [
        ("health_officer", "institutions"),
        ("hr_officer", "providers"),
        ("institution_admin", "institutions"),
        ("institution_admin", "people"),
        ("institution_admin", "employments"),
        ("institution_admin", "health_checks"),
        ("provider_staff", "providers"),
        ("platform_admin", "role_grants"),
    ],
)
def test_edit_in_and_out_of_scope(registry_world, login, role, viewset):
    w = registry_world
    client = login(w.users[role])
    inside, outside = getattr(w.a, OBJECTS[viewset]), getattr(w.b, OBJECTS[viewset])
    assert client.get(url(f"{viewset}:edit", inside)).status_code == 200
    expected_outside = (200,) if role == "platform_admin" else (403, 404)
    assert client.get(url(f"{viewset}:edit", outside)).status_code in expected_outside


@pytest.mark.parametrize(
    ("role", "viewset"),
    [
        ("inspector", "institutions"),
        ("inspector", "people"),
        ("health_officer", "people"),
        ("health_officer", "providers"),
        ("hr_officer", "institutions"),
        ("institution_admin", "regions"),
        ("provider_staff", "institutions"),
        ("institution_admin", "role_grants"),
    ],
)
def test_read_only_roles_cannot_edit_even_in_scope(registry_world, login, role, viewset):
    w = registry_world
    client = login(w.users[role])
    obj = getattr(w.a, OBJECTS[viewset])
    assert client.get(url(f"{viewset}:edit", obj)).status_code != 200
    assert client.post(url(f"{viewset}:edit", obj), {"name": "hacked"}).status_code != 200
    obj.refresh_from_db()
    assert getattr(obj, "name", "") != "hacked"


def test_out_of_scope_delete_refused(registry_world, login):
    w = registry_world
    client = login(w.users["institution_admin"])
    response = client.post(url("employments:delete", w.b.employment))
    assert response.status_code in (403, 404)
    assert Employment.objects.filter(pk=w.b.employment.pk).exists()


def test_inspect_shows_full_id_to_institution_admin_and_masked_to_officer(registry_world, login):
    w = registry_world
    person = w.a.person
    html = login(w.users["institution_admin"]).get(url("people:inspect", person)).content.decode()
    assert person.id_number in html
    html = login(w.users["health_officer"]).get(url("people:inspect", person)).content.decode()
    assert person.id_number_masked in html and person.id_number not in html


def test_inspect_lists_only_visible_employments(registry_world, login):
    w = registry_world
    Employment.objects.create(person=w.a.person, institution=w.b.institution, post="other", start_date=date(2023, 1, 1))
    html = login(w.users["institution_admin"]).get(url("people:inspect", w.a.person)).content.decode()
    assert w.a.institution.name in html and w.b.institution.name not in html


def test_add_employment_registers_person_encrypted(registry_world, login):
    w = registry_world
    client = login(w.users["institution_admin"])
    assert client.get(url("employments:add")).status_code == 200
    id_number = make_id_number(serial=77, gender="M")
    response = client.post(
        url("employments:add"),
        {
            "institution": w.a.institution.pk,
            "name": "周新人",
            "id_number": id_number,
            "phone": "13712345678",
            "post": "caregiver",
            "start_date": "2025-01-02",
            "end_date": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(name="周新人")
    assert person.id_number == id_number and person.id_number_encrypted != id_number
    assert person.employments.get().institution == w.a.institution


def test_add_employment_refused_outside_scope(registry_world, login):
    w = registry_world
    client = login(w.users["institution_admin"])
    response = client.post(
        url("employments:add"),
        {
            "institution": w.b.institution.pk,
            "name": "周新人",
            "id_number": make_id_number(serial=78),
            "post": "caregiver",
            "start_date": "2025-01-02",
        },
    )
    assert response.status_code == 200  # the form comes back with an error
    assert not Person.objects.filter(name="周新人").exists()


def test_add_employment_name_mismatch_is_a_form_error(registry_world, login):
    w = registry_world
    client = login(w.users["institution_admin"])
    response = client.post(
        url("employments:add"),
        {
            "institution": w.a.institution.pk,
            "name": "别的名字",
            "id_number": w.b.person.id_number,
            "post": "caregiver",
            "start_date": "2025-01-02",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert mask_name(w.b.person.name) in html and "别的名字" in html  # "registered as 张**4, not 别的名字"
    assert not Employment.objects.filter(person=w.b.person, institution=w.a.institution).exists()


def test_health_check_form_offers_only_scoped_people(registry_world, login):
    w = registry_world
    client = login(w.users["institution_admin"])
    response = client.post(url("health_checks:add"), {"person": w.b.person.pk, "checked_on": "2025-01-02"})
    assert response.status_code == 200
    assert not HealthCheck.objects.filter(person=w.b.person, checked_on=date(2025, 1, 2)).exists()


def test_person_search_by_full_id_number(registry_world, login):
    w = registry_world
    client = login(w.users["health_officer"])
    html = client.get(url("people:index"), {"q": w.a.person.id_number}).content.decode()
    assert w.a.person.name in html and w.colleague.name not in html
    html = client.get(url("people:index"), {"q": w.b.person.id_number}).content.decode()
    assert w.b.person.name not in html
