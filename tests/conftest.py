"""Shared fixtures. Factories live in :mod:`tests.factories`.

``registry_world`` builds one city with two counties and everything a scoping test needs on both
sides of the county line; ``users_by_role`` is its ``users`` mapping (role name -> user).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.utils import translation

from lms.registry.models import Role
from lms.registry.selectors import CAREGIVER, PLATFORM_ADMIN
from tests import factories as f

ROLE_NAMES = (
    PLATFORM_ADMIN,
    Role.HEALTH_OFFICER.value,
    Role.HR_OFFICER.value,
    Role.INSPECTOR.value,
    Role.INSTITUTION_ADMIN.value,
    Role.PROVIDER_STAFF.value,
    CAREGIVER,
)


@dataclass
class Side:
    """The objects on one side of the county line."""

    county: object
    township: object
    institution: object
    provider: object
    person: object  # employed at ``institution``
    employment: object
    health_check: object
    roster_import: object
    grant: object  # a role grant scoped here (held by a user who is not among ``users``)


@dataclass
class RegistryWorld:
    province: object
    city: object
    a: Side  # county A: where every scoped user's scope is
    b: Side  # county B: outside every scoped user's scope
    users: dict[str, object] = field(default_factory=dict)
    colleague: object = None  # another person employed at institution A (not the caregiver)


def _side(city, code: str, name: str) -> Side:
    county = f.CountyFactory(parent=city, code=code, name=name)
    township = f.TownshipFactory(parent=county)
    institution = f.InstitutionFactory(region=township)
    provider = f.TrainingProviderFactory(region=county)
    person = f.PersonFactory(region_code=code)
    employment = f.EmploymentFactory(person=person, institution=institution)
    return Side(
        county=county,
        township=township,
        institution=institution,
        provider=provider,
        person=person,
        employment=employment,
        health_check=f.HealthCheckFactory(person=person),
        roster_import=f.RosterImportFactory(institution=institution),
        grant=f.RoleGrantFactory(inspector=True, region=county),
    )


def _db_order(item) -> int:
    """pytest-django's order: database tests in a rolled-back transaction, then transactional ones, then the rest."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    if (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))) or (
        "transactional_db" in fixtures or "live_server" in fixtures
    ):
        return 1
    return 0 if marker or "db" in fixtures else 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Order the tests again as pytest-django does, after pytest's own reordering of session-scoped parameters
    (Playwright's ``browser_name``) has mixed them: a transactional test empties the database when it ends (the
    next ``serialized_rollback`` test restores it first), so no rolled-back test may run after one."""
    items.sort(key=_db_order)


@pytest.fixture(autouse=True)
def _content_types_after_flush(request):
    """A transactional test without ``serialized_rollback`` may start on the database a ``serialized_rollback``
    test emptied (that flush skips post_migrate): recreate the content types and forget cached ids."""
    marker = request.node.get_closest_marker("django_db")
    if not marker or not marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback"):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)


@pytest.fixture
def registry_world(db) -> RegistryWorld:
    """曲靖市 with 麒麟区 (A) and 宣威市 (B); one user per role, every scoped role scoped to A.

    * ``platform_admin`` — superuser;
    * ``health_officer``, ``hr_officer``, ``inspector`` — region grants on county A;
    * ``institution_admin`` — of ``a.institution`` (in a township of county A);
    * ``provider_staff`` — of ``a.provider``;
    * ``caregiver`` — no grant, linked to ``a.person`` (employed at ``a.institution``).
    """
    province = f.ProvinceFactory()
    city = f.CityFactory(parent=province, code="530300", name="曲靖市")
    world = RegistryWorld(
        province=province,
        city=city,
        a=_side(city, "530302", "麒麟区"),
        b=_side(city, "530381", "宣威市"),
    )
    world.colleague = f.EmploymentFactory(institution=world.a.institution).person
    users = {PLATFORM_ADMIN: f.UserFactory(username=PLATFORM_ADMIN, is_superuser=True, is_staff=True)}
    for role in (Role.HEALTH_OFFICER, Role.HR_OFFICER, Role.INSPECTOR):
        users[role.value] = f.RoleGrantFactory(user__username=role.value, role=role, region=world.a.county).user
    users[Role.INSTITUTION_ADMIN.value] = f.RoleGrantFactory(
        user__username="institution_admin", institution_admin=True, institution=world.a.institution
    ).user
    users[Role.PROVIDER_STAFF.value] = f.RoleGrantFactory(
        user__username="provider_staff", provider_staff=True, provider=world.a.provider
    ).user
    caregiver = f.UserFactory(username=CAREGIVER)
    world.a.person.user = caregiver
    world.a.person.save(update_fields=["user"])
    users[CAREGIVER] = caregiver
    world.users = users
    return world


@pytest.fixture
def users_by_role(registry_world) -> dict:
    """Role name (``selectors.PLATFORM_ADMIN``, ``Role.*`` values, ``selectors.CAREGIVER``) -> user."""
    return registry_world.users


@pytest.fixture
def today() -> dt.date:
    return dt.date.today()


@pytest.fixture
def zh():
    """Run the test with Simplified Chinese active (the platform's default language)."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    yield
    cache.clear()
