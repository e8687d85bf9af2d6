"""factory-boy factories for the workforce registry, shared by unit, HTTP, browser and Celery tests.

Every factory produces rows that pass the project's own validators:

* regions form a consistent GB/T 2260 chain — ``ProvinceFactory`` (云南省 530000) →
  ``CityFactory`` (5303xx… under the province prefix) → ``CountyFactory`` (six digits under the
  city prefix) → ``TownshipFactory`` (nine digits under the county code);
* institutions and providers carry a valid 统一社会信用代码 built with
  :func:`make_credit_code` (GB 32100 check character over a GB 11714 organisation code);
* people get a valid 18-character ID number from :func:`make_id_number` and their stored
  fields (encrypted, hashed, masked, birth date, gender, phone) come from
  ``services.people.id_fields``/``phone_fields``, exactly as the services store them. Pass
  ``id_number="…"``/``phone="…"`` to choose them; read the clear values back from
  ``person.id_number``/``person.phone``. To go through the audited service instead, use
  :func:`register_person`.

Typical use::

    county = CountyFactory()                        # with its city and province
    inst = InstitutionFactory(region=county)
    emp = EmploymentFactory(institution=inst)       # and a new person
    grant = RoleGrantFactory(health_officer=True, region=county)
    admin = RoleGrantFactory(institution_admin=True, institution=inst).user
"""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from lms.registry import services
from lms.registry.models import (
    Employment,
    HealthCheck,
    Institution,
    Person,
    Post,
    Region,
    Role,
    RoleGrant,
    RosterImport,
    TrainingProvider,
)
from lms.registry.services.people import id_fields, phone_fields
from lms.registry.validators import id_check_char, org_code_check_char, parse_id_number, uscc_check_char

DEFAULT_PASSWORD = "pass-for-tests-1"


# --- pure helpers (also handy in unit tests) ------------------------------------------------------


def make_id_number(
    region_code: str = "530302", born: dt.date = dt.date(1990, 1, 1), serial: int = 1, gender: str = "F"
) -> str:
    """A valid GB 11643 ID number: region + birth date + 3-digit serial (odd = male) + check char."""
    seq = serial % 100 * 10 + (1 if gender == "M" else 2)
    first17 = f"{region_code}{born:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def make_credit_code(region_code: str = "530302", serial: int = 1, prefix: str = "52") -> str:
    """A valid GB 32100 unified social credit code (prefix 52 = 民政·社会服务机构, 91 = enterprise)."""
    org8 = f"{serial:08d}"
    first17 = f"{prefix}{region_code}{org8}{org_code_check_char(org8)}"
    return first17 + uscc_check_char(first17)


def make_phone(serial: int = 1) -> str:
    return f"139{serial % 10**8:08d}"


# --- regions ---------------------------------------------------------------------------------------


class ProvinceFactory(factory.django.DjangoModelFactory):
    """云南省 by default (get-or-create on the code, so several cities share one province)."""

    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "530000"
    name = "云南省"
    level = Region.Level.PROVINCE
    parent = None


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    parent = factory.SubFactory(ProvinceFactory)
    level = Region.Level.CITY
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code[:2]}{n % 70 + 30:02d}00")
    name = factory.Sequence(lambda n: f"测试市{n}")


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    parent = factory.SubFactory(CityFactory)
    level = Region.Level.COUNTY
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code[:4]}{n % 98 + 2:02d}")
    name = factory.Sequence(lambda n: f"测试区{n}")


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    parent = factory.SubFactory(CountyFactory)
    level = Region.Level.TOWNSHIP
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code}{n % 999 + 1:03d}")
    name = factory.Sequence(lambda n: f"测试街道{n}")


# --- organisations ---------------------------------------------------------------------------------


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"阳光托育中心{n}")
    region = factory.SubFactory(CountyFactory)
    credit_code = factory.LazyAttributeSequence(lambda o, n: make_credit_code(o.region.code[:6], 10_000 + n, "52"))
    kind = Institution.Kind.INCLUSIVE
    capacity = 60


class TrainingProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingProvider

    name = factory.Sequence(lambda n: f"职业培训学校{n}")
    kind = TrainingProvider.Kind.TRAINING
    body_code = factory.Sequence(lambda n: f"P{n % 1000:03d}")
    region = factory.SubFactory(CountyFactory)
    credit_code = factory.LazyAttributeSequence(lambda o, n: make_credit_code(o.region.code[:6], 50_000 + n, "91"))


# --- people ----------------------------------------------------------------------------------------


class PersonFactory(factory.django.DjangoModelFactory):
    """A person with a valid, encrypted ID number (``id_number``) and optional ``phone``."""

    class Meta:
        model = Person
        exclude = ("region_code", "born", "sex")

    class Params:
        region_code = "530302"
        born = factory.Sequence(lambda n: dt.date(1975, 1, 1) + dt.timedelta(days=n % 10_000))
        sex = "F"

    name = factory.Sequence(lambda n: f"张{'小华明丽芳静'[n % 6]}{n}")
    id_number = factory.LazyAttributeSequence(lambda o, n: make_id_number(o.region_code, o.born, n, o.sex))
    phone = ""

    @classmethod
    def _create(cls, model_class, *args, id_number: str, phone: str = "", **kwargs):
        kwargs.update(id_fields(parse_id_number(id_number)))
        kwargs.update(phone_fields(phone))
        return super()._create(model_class, *args, **kwargs)

    @classmethod
    def _build(cls, model_class, *args, id_number: str, phone: str = "", **kwargs):
        kwargs.update(id_fields(parse_id_number(id_number)))
        kwargs.update(phone_fields(phone))
        return super()._build(model_class, *args, **kwargs)


def register_person(*, name: str = "李小红", id_number: str | None = None, phone: str = "", actor=None) -> Person:
    """Create a person through ``services.person_register`` (validated and audited)."""
    return services.person_register(
        name=name, id_number=id_number or make_id_number(serial=7), phone=phone, actor=actor
    )


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    person = factory.SubFactory(PersonFactory)
    institution = factory.SubFactory(InstitutionFactory)
    post = Post.CAREGIVER
    start_date = dt.date(2024, 3, 1)
    end_date = None


class HealthCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthCheck

    person = factory.SubFactory(PersonFactory)
    checked_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=30))
    certificate_number = factory.Sequence(lambda n: f"JK{n:06d}")
    issued_by = "麒麟区疾病预防控制中心"


# --- users and roles -------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    """A user whose password is :data:`DEFAULT_PASSWORD`. ``UserFactory(is_superuser=True)`` = platform admin."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    is_active = True
    is_staff = False
    is_superuser = False

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):  # noqa: N805
        obj.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class RoleGrantFactory(factory.django.DjangoModelFactory):
    """A role over one scope. Default: health officer of a new county; use the traits for the others:
    ``RoleGrantFactory(hr_officer=True, region=…)``, ``inspector=True``, ``institution_admin=True``
    (``institution=…``), ``provider_staff=True`` (``provider=…``)."""

    class Meta:
        model = RoleGrant

    user = factory.SubFactory(UserFactory)
    role = Role.HEALTH_OFFICER
    region = factory.SubFactory(CountyFactory)
    institution = None
    provider = None

    class Params:
        health_officer = factory.Trait(role=Role.HEALTH_OFFICER)
        hr_officer = factory.Trait(role=Role.HR_OFFICER)
        inspector = factory.Trait(role=Role.INSPECTOR)
        institution_admin = factory.Trait(
            role=Role.INSTITUTION_ADMIN, region=None, institution=factory.SubFactory(InstitutionFactory)
        )
        provider_staff = factory.Trait(
            role=Role.PROVIDER_STAFF, region=None, provider=factory.SubFactory(TrainingProviderFactory)
        )


class RosterImportFactory(factory.django.DjangoModelFactory):
    """A previewed roster import row (no upload content; use ``services.roster_preview`` for real ones)."""

    class Meta:
        model = RosterImport

    institution = factory.SubFactory(InstitutionFactory)
    uploaded_by = factory.SubFactory(UserFactory)
    filename = factory.Sequence(lambda n: f"roster-{n}.csv")
    content_sha256 = "0" * 64
    total_rows = 0
