"""Person, employment, health-check and role services: validation, idempotency and audit entries."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override
from wagtail.models import ModelLogEntry

from lms.registry import crypto, services
from lms.registry.models import Employment, HealthCheck, Person, Post, Role, RoleGrant
from tests.factories import (
    CountyFactory,
    InstitutionFactory,
    PersonFactory,
    UserFactory,
    make_id_number,
)

pytestmark = pytest.mark.django_db

ID = make_id_number(serial=11)


@pytest.fixture(autouse=True)
def _english():
    with override("en"):
        yield


def actions(obj) -> list[str]:
    return list(ModelLogEntry.objects.for_instance(obj).order_by("pk").values_list("action", flat=True))


def register(**kw):
    kw = {"name": "张小华", "id_number": ID, **kw}
    return services.person_register(**kw)


# --- person_register / person_update -------------------------------------------------------------


def test_person_register_derives_everything():
    actor = UserFactory()
    person = register(id_number=" " + ID.lower() + " ", phone="+86 138 1234 5678", actor=actor)
    assert person.id_number == ID
    assert person.id_number_hash == crypto.lookup_hash(ID)
    assert person.id_number_masked == ID[:6] + "********" + ID[-4:]
    assert (person.birth_date, person.gender) == (date(1990, 1, 1), "F")
    assert (person.phone, person.phone_masked) == ("13812345678", "138****5678")
    entry = ModelLogEntry.objects.for_instance(person).get()
    assert (entry.action, entry.user) == ("registry.person.register", actor)


def test_person_register_refuses_duplicates_and_bad_input():
    register()
    with pytest.raises(ValidationError) as exc:
        register(name="别人")
    assert "id_number" in exc.value.error_dict
    for kwargs, field in [
        ({"id_number": ID[:17] + "0"}, "id_number"),
        ({"name": "  "}, "name"),
        ({"id_number": make_id_number(serial=12), "phone": "123"}, "phone"),
    ]:
        with pytest.raises(ValidationError) as exc:
            register(**kwargs)
        assert field in exc.value.error_dict
    assert Person.objects.count() == 1


def test_person_update_changes_and_audits_only_what_changed():
    person = register(phone="13812345678")
    services.person_update(person=person, name="张小华", phone="13812345678")
    assert actions(person) == ["registry.person.register"]  # nothing changed: no entry
    other = make_id_number(serial=13, gender="M")
    services.person_update(person=person, name=" 张晓华 ", id_number=other, phone="13900001111")
    person.refresh_from_db()
    assert (person.name, person.id_number, person.gender, person.phone) == ("张晓华", other, "M", "13900001111")
    assert person.id_number_hash == crypto.lookup_hash(other)
    entry = ModelLogEntry.objects.for_instance(person).order_by("pk").last()
    assert entry.action == "registry.person.update"
    assert entry.data == {"fields": ["name", "id_number", "phone"]}


def test_person_update_refuses_someone_elses_id_number():
    person = register()
    other = PersonFactory()
    with pytest.raises(ValidationError):
        services.person_update(person=person, id_number=other.id_number)
    person.refresh_from_db()
    assert person.id_number == ID


# --- employment_register / employment_update -----------------------------------------------------


def employ(institution, **kw):
    kw = {"name": "张小华", "id_number": ID, "post": Post.CAREGIVER, "start_date": date(2024, 3, 1), **kw}
    return services.employment_register(institution=institution, **kw)


def test_employment_register_registers_person_once_and_is_idempotent():
    institution = InstitutionFactory()
    emp, created = employ(institution, phone="13812345678")
    assert created
    assert emp.person.id_number == ID and emp.person.phone == "13812345678"
    again, created_again = employ(institution, phone="13812345678")
    assert (again.pk, created_again) == (emp.pk, False)
    assert (Person.objects.count(), Employment.objects.count()) == (1, 1)
    assert actions(emp) == ["registry.employment.register"]
    assert actions(emp.person) == ["registry.person.register"]


def test_employment_register_updates_end_date_of_the_same_spell():
    institution = InstitutionFactory()
    emp, _ = employ(institution)
    same, created = employ(institution, end_date=date(2024, 12, 31))
    assert not created and same.pk == emp.pk
    emp.refresh_from_db()
    assert emp.end_date == date(2024, 12, 31)
    assert actions(emp) == ["registry.employment.register", "registry.employment.update"]


def test_known_person_at_a_second_institution():
    first, second = InstitutionFactory(), InstitutionFactory()
    employ(first)
    emp, created = employ(second, post=Post.HEALTH)
    assert created
    assert Person.objects.count() == 1 and emp.person.employments.count() == 2


def test_employment_register_refuses_name_mismatch():
    institution = InstitutionFactory()
    employ(institution)
    with pytest.raises(ValidationError) as exc:
        employ(institution, name="李四", start_date=date(2024, 5, 1))
    message = exc.value.error_dict["name"][0].messages[0]
    assert "张*华" in message and "张小华" not in message  # the registered name is masked
    assert Employment.objects.count() == 1


def test_employment_register_refuses_end_before_start():
    with pytest.raises(ValidationError) as exc:
        employ(InstitutionFactory(), end_date=date(2024, 2, 1))
    assert "end_date" in exc.value.error_dict
    assert not Person.objects.exists()  # nothing half-written


def test_employment_register_refuses_unknown_post():
    with pytest.raises(ValidationError) as exc:
        employ(InstitutionFactory(), post="chef")
    assert "post" in exc.value.error_dict
    assert not Employment.objects.exists()


def test_employment_update():
    institution = InstitutionFactory()
    emp, _ = employ(institution)
    services.employment_update(employment=emp, post=Post.DIRECTOR, start_date=date(2024, 4, 1), end_date=None)
    emp.refresh_from_db()
    assert (emp.post, emp.start_date) == (Post.DIRECTOR, date(2024, 4, 1))
    with pytest.raises(ValidationError):
        services.employment_update(
            employment=emp, post=Post.DIRECTOR, start_date=date(2024, 4, 1), end_date=date(2024, 1, 1)
        )
    twin, _ = employ(institution, start_date=date(2024, 5, 1))
    with pytest.raises(ValidationError):  # would duplicate the first spell
        services.employment_update(employment=twin, post=Post.DIRECTOR, start_date=date(2024, 4, 1), end_date=None)
    assert actions(emp) == ["registry.employment.register", "registry.employment.update"]


# --- health checks and roles ------------------------------------------------------------------------


def test_health_check_record_is_idempotent():
    person = PersonFactory()
    day = date.today() - timedelta(days=10)
    check, created = services.health_check_record(person=person, checked_on=day, certificate_number="A1")
    again, created_again = services.health_check_record(person=person, checked_on=day, certificate_number="A1")
    assert created and not created_again and again.pk == check.pk
    assert HealthCheck.objects.count() == 1
    assert "registry.health_check.record" in actions(check)
    with pytest.raises(ValidationError):
        services.health_check_record(person=person, checked_on=date.today() + timedelta(days=1))


def test_role_grant_is_idempotent_validated_and_audited():
    user, actor, county = UserFactory(), UserFactory(), CountyFactory()
    grant = services.role_grant(user=user, role=Role.HEALTH_OFFICER, region=county, actor=actor)
    assert services.role_grant(user=user, role=Role.HEALTH_OFFICER, region=county).pk == grant.pk
    assert actions(grant) == ["registry.role.grant"]
    with pytest.raises(ValidationError):
        services.role_grant(user=user, role=Role.INSTITUTION_ADMIN, region=county)
    services.role_revoke(grant=grant, actor=actor)
    assert not RoleGrant.objects.exists()
    assert ModelLogEntry.objects.filter(action="registry.role.revoke", user=actor).exists()


def test_person_link_user_gives_one_login_per_person():
    person, other = PersonFactory(), PersonFactory()
    user = UserFactory()
    services.person_link_user(person=person, user=user)
    services.person_link_user(person=person, user=user)  # idempotent
    assert ModelLogEntry.objects.filter(action="registry.person.link_user").count() == 1
    with pytest.raises(ValidationError):
        services.person_link_user(person=other, user=user)
    person.refresh_from_db()
    assert person.user == user


def test_person_update_sets_and_clears_the_photo_with_an_audit_entry(settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    person = PersonFactory()
    services.person_update(person=person, photo=SimpleUploadedFile("p.jpg", b"\xff\xd8\xff", "image/jpeg"))
    person.refresh_from_db()
    assert person.photo.name.startswith("people/photos/")
    services.person_update(person=person, name=person.name)  # photo left alone
    person.refresh_from_db()
    assert person.photo
    services.person_update(person=person, photo=False)  # the form's "clear" box
    person.refresh_from_db()
    assert not person.photo
    entries = ModelLogEntry.objects.filter(action="registry.person.update", object_id=str(person.pk))
    assert [e.data["fields"] for e in entries.order_by("timestamp")] == [["photo"], ["photo"]]
