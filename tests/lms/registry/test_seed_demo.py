"""``manage.py seed_demo``: valid, deterministic, idempotent demo data with one account per role."""

import re
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from lms.registry import crypto
from lms.registry.masking import mask_id_number, mask_phone
from lms.registry.models import (
    Employment,
    HealthCheck,
    Institution,
    Person,
    Post,
    Region,
    Role,
    RoleGrant,
    TrainingProvider,
)
from lms.registry.validators import parse_id_number, validate_credit_code

AS_OF = date(2026, 6, 30)
SMALL = ["--institutions", "24", "--staff", "240", "--as-of", AS_OF.isoformat()]
QUJING_COUNTIES = {"530302", "530303", "530304", "530322", "530323", "530324", "530325", "530326", "530381"}
ACCOUNTS = ["admin", "health", "hr", "inspector", "institution", "provider", "caregiver"]

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *SMALL, *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "regions": list(Region.objects.order_by("code").values_list("code", "name", "level")),
        "institutions": list(
            Institution.objects.order_by("credit_code").values_list(
                "credit_code", "name", "kind", "region__code", "address", "capacity", "filing_status", "filed_on"
            )
        ),
        "providers": list(
            TrainingProvider.objects.order_by("body_code").values_list("body_code", "name", "credit_code")
        ),
        "people": list(Person.objects.order_by("id_number_hash").values_list("id_number_hash", "name", "phone_masked")),
        "employments": sorted(
            Employment.objects.values_list(
                "person__id_number_hash", "institution__credit_code", "post", "start_date", "end_date"
            )
        ),
        "health": sorted(HealthCheck.objects.values_list("person__id_number_hash", "checked_on", "certificate_number")),
        "caregiver": Person.objects.get(user__username="caregiver").id_number_hash,
    }


def test_regions_follow_gbt2260():
    seed()
    assert Region.objects.get(code="530000").name == "云南省"
    qujing = Region.objects.get(code="530300", level=Region.Level.CITY)
    assert qujing.name == "曲靖市"
    counties = Region.objects.filter(parent=qujing)
    assert set(counties.values_list("code", flat=True)) == QUJING_COUNTIES
    assert counties.get(code="530302").name == "麒麟区"
    for county in counties:
        townships = list(county.children.all())
        assert 3 <= len(townships) <= 6
        for township in townships:
            assert township.level == Region.Level.TOWNSHIP
            assert re.fullmatch(rf"{county.code}\d{{3}}", township.code)
            assert township.name.endswith(("街道", "镇", "乡"))
            township.full_clean()


def test_institutions_and_providers_are_valid():
    seed()
    institutions = list(Institution.objects.select_related("region"))
    assert {i.kind for i in institutions} == set(Institution.Kind.values)
    assert len({i.name for i in institutions}) == len(institutions)
    for inst in institutions:
        assert validate_credit_code(inst.credit_code) == inst.credit_code
        assert inst.credit_code[2:8] == inst.region.code[:6]  # registered in its county
        assert inst.region.level == Region.Level.TOWNSHIP
        assert inst.name.startswith(("曲靖市", inst.region.parent.name)) or inst.kind == Institution.Kind.EMPLOYER
        if inst.kind == Institution.Kind.FAMILY:
            assert 1 <= inst.capacity <= 5
        else:
            assert 20 <= inst.capacity <= 200
        assert (inst.filed_on is not None) == (inst.filing_status == Institution.Filing.FILED)
        inst.full_clean()
    providers = list(TrainingProvider.objects.all())
    assert 2 <= len(providers) <= 3
    assert TrainingProvider.Kind.ASSESSMENT in {p.kind for p in providers}
    for provider in providers:
        assert re.fullmatch(r"[0-9A-Z]{4}", provider.body_code)
        provider.full_clean()


def test_people_have_valid_encrypted_identities():
    seed()
    people = list(Person.objects.all())
    assert 200 <= len(people) <= 300
    for person in people:
        ident = parse_id_number(person.id_number, today=AS_OF)
        assert person.id_number_hash == crypto.lookup_hash(ident.value)
        assert person.id_number_masked == mask_id_number(ident.value)
        assert (person.birth_date, person.gender) == (ident.birth_date, ident.gender)
        assert ident.value.startswith("53")  # born in Yunnan
        age = AS_OF.year - ident.birth_date.year - ((AS_OF.month, AS_OF.day) < (ident.birth_date.timetuple()[1:3]))
        assert 20 <= age <= 58
        assert re.fullmatch(r"1[3-9]\d{9}", person.phone)
        assert person.phone_masked == mask_phone(person.phone)
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,4}", person.name)


def test_employments_and_health_checks():
    seed()
    employments = Employment.objects.all()
    on_duty = employments.filter(end_date__isnull=True)
    for inst in Institution.objects.all():
        assert on_duty.filter(institution=inst, post=Post.DIRECTOR).count() == 1
    assert {e.post for e in employments} == set(Post.values)
    assert on_duty.filter(post=Post.CAREGIVER).count() > employments.count() / 2
    left = employments.filter(end_date__isnull=False).count()
    assert 0 < left < employments.count() * 0.2
    for e in employments:
        assert e.start_date <= AS_OF and (e.end_date is None or e.start_date <= e.end_date < AS_OF)
    checks = HealthCheck.objects.all()
    assert all(c.checked_on <= AS_OF for c in checks)
    latest = {}
    for person_id, checked_on in checks.values_list("person_id", "checked_on"):
        latest[person_id] = max(latest.get(person_id, checked_on), checked_on)
    expired = sum(1 for d in latest.values() if (AS_OF - d).days >= HealthCheck.VALID_DAYS)
    assert 0 < len(latest) < Person.objects.count()  # some people have no health check
    assert 0 < expired < len(latest) / 2


def test_deterministic_and_reset():
    seed()
    first = snapshot()
    seed("--reset")
    assert snapshot() == first
    seed("--reset", "--seed", "7")
    assert snapshot()["people"] != first["people"]
    assert get_user_model().objects.filter(username__in=ACCOUNTS).count() == len(ACCOUNTS)
    assert RoleGrant.objects.count() == 5


def test_second_run_does_not_duplicate():
    seed()
    counts = [m.objects.count() for m in (Region, Institution, Person, Employment, HealthCheck, RoleGrant)]
    out = seed()
    assert "already" in out
    assert [m.objects.count() for m in (Region, Institution, Person, Employment, HealthCheck, RoleGrant)] == counts


def test_every_role_account_can_log_in(client):
    out = seed()
    for username in ACCOUNTS:
        assert username in out
        assert client.login(username=username, password="demo12345"), username
    assert get_user_model().objects.get(username="admin").is_superuser
    grants = {g.user.username: g for g in RoleGrant.objects.select_related("user", "region")}
    assert grants["health"].role == Role.HEALTH_OFFICER and grants["health"].region.code == "530300"
    assert grants["hr"].role == Role.HR_OFFICER and grants["hr"].region.code == "530300"
    assert grants["inspector"].role == Role.INSPECTOR and grants["inspector"].region.code == "530302"
    institution = grants["institution"].institution
    assert grants["institution"].role == Role.INSTITUTION_ADMIN and institution.region.parent.code == "530302"
    assert grants["provider"].role == Role.PROVIDER_STAFF
    assert grants["provider"].provider == TrainingProvider.objects.get(body_code="QJPX")
    caregiver = Person.objects.get(user__username="caregiver")
    assert caregiver.employments.filter(institution=institution, end_date__isnull=True).exists()


def test_custom_password():
    seed("--password", "another-pass-1")
    user = get_user_model().objects.get(username="inspector")
    assert user.check_password("another-pass-1")
    assert not user.check_password("demo12345")


def test_city_scale_defaults():
    out = StringIO()
    call_command("seed_demo", "--as-of", AS_OF.isoformat(), stdout=out)
    assert 140 <= Institution.objects.count() <= 160
    assert 1_800 <= Person.objects.count() <= 2_200
    assert set(Region.objects.filter(level=Region.Level.COUNTY).values_list("code", flat=True)) == QUJING_COUNTIES
    assert "Seeded" in out.getvalue()


def test_refused_where_demo_data_is_not_allowed(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="not allowed"):
        call_command("seed_demo", stdout=StringIO())
    assert not Region.objects.exists()
