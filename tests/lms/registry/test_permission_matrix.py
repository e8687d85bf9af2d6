"""The scoping policy as one table: every role × every kind of object, inside and outside its scope.

Every scoped user's scope is county A of ``registry_world`` (see tests/conftest.py); objects of
county B are outside. Letters: v = view, a = add, c = change, d = delete. "Add" on a row means
"may add rows like this one here" (``selectors.visible(user, Model, "add")``).
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from lms.registry import selectors
from lms.registry.models import (
    Employment,
    HealthCheck,
    Institution,
    Person,
    Region,
    RoleGrant,
    RosterImport,
    TrainingProvider,
)
from tests.factories import EmploymentFactory, RoleGrantFactory, TownshipFactory

pytestmark = pytest.mark.django_db

MODELS = {
    Region: "county",
    Institution: "institution",
    TrainingProvider: "provider",
    Person: "person",
    Employment: "employment",
    HealthCheck: "health_check",
    RoleGrant: "grant",
    RosterImport: "roster_import",
}

# fmt: off
# What each role may do INSIDE its scope (county A / its institution / its provider / itself).
INSIDE = {
    #                   Region  Institution  Provider  Person  Employment  HealthCheck  RoleGrant  RosterImport
    "platform_admin":    ("vacd", "vacd",     "vacd",   "vacd", "vacd",     "vacd",      "vacd",    "vacd"),
    "health_officer":    ("v",    "vc",       "v",      "v",    "v",        "v",         "",        ""),
    "hr_officer":        ("v",    "v",        "vc",     "v",    "v",        "v",         "",        ""),
    "inspector":         ("v",    "v",        "v",      "v",    "v",        "v",         "",        ""),
    "institution_admin": ("",     "vc",       "",       "vc",   "vacd",     "vacd",      "",        "va"),
    "provider_staff":    ("",     "",         "vc",     "",     "",         "",          "",        ""),
    "caregiver":         ("",     "v",        "",       "v",    "v",        "v",         "",        ""),
}
# OUTSIDE its scope (county B) only the platform admin may do anything.
OUTSIDE = {role: ("vacd",) * 8 if role == "platform_admin" else ("",) * 8 for role in INSIDE}
# fmt: on

ACTIONS = {"v": "view", "a": "add", "c": "change", "d": "delete"}

CASES = [
    pytest.param(role, side, model, letter, id=f"{role}-{side}-{model.__name__}-{ACTIONS[letter]}")
    for role in INSIDE
    for side, table in (("a", INSIDE), ("b", OUTSIDE))
    for model in MODELS
    for letter in ACTIONS
]


@pytest.mark.parametrize(("role", "side", "model", "letter"), CASES)
def test_matrix(registry_world, role, side, model, letter):
    user = registry_world.users[role]
    obj = getattr(getattr(registry_world, side), MODELS[model])
    expected = letter in (INSIDE if side == "a" else OUTSIDE)[role][list(MODELS).index(model)]
    assert selectors.can_on(user, ACTIONS[letter], obj) is expected
    # the row-level answer and the listing agree
    assert selectors.visible(user, model, ACTIONS[letter]).filter(pk=obj.pk).exists() is expected
    # whoever may act on a row may act on the model
    if expected:
        assert selectors.can(user, ACTIONS[letter], model)


def test_the_table_covers_every_role_and_model():
    assert set(INSIDE) == set(selectors.CAPABILITIES) | {"platform_admin"}
    for role, models in selectors.CAPABILITIES.items():
        for model, actions in models.items():
            assert {ACTIONS[c] for c in INSIDE[role][list(MODELS).index(model)]} == actions, (role, model)


FULL_DATA = {
    "platform_admin": True,
    "institution_admin": True,
    "hr_officer": True,
    "health_officer": False,
    "inspector": False,
    "provider_staff": False,
    "caregiver": False,
}


@pytest.mark.parametrize(("role", "expected"), FULL_DATA.items())
def test_can_see_full_personal_data(users_by_role, role, expected):
    assert selectors.can_see_full_personal_data(users_by_role[role]) is expected


def test_anonymous_and_inactive_users_see_nothing(registry_world):
    inactive = registry_world.users["health_officer"]
    inactive.is_active = False
    inactive.save()
    for user in (AnonymousUser(), inactive):
        assert not selectors.can_see_full_personal_data(user)
        for model in MODELS:
            assert not selectors.visible(user, model).exists()


# --- listings: exactly the in-scope rows --------------------------------------------------------


@pytest.mark.parametrize("role", ["health_officer", "hr_officer", "inspector", "institution_admin"])
def test_people_listing(registry_world, role):
    w = registry_world
    seen = set(selectors.visible(w.users[role], Person))
    assert seen == {w.a.person, w.colleague}


def test_caregiver_sees_only_self_not_colleagues(registry_world):
    w, user = registry_world, registry_world.users["caregiver"]
    assert set(selectors.visible(user, Person)) == {w.a.person}
    assert set(selectors.visible(user, Employment)) == {w.a.employment}
    assert set(selectors.visible(user, Institution)) == {w.a.institution}
    assert selectors.person_for_user(user) == w.a.person


def test_region_roles_reach_townships_and_not_the_city(registry_world):
    w, user = registry_world, registry_world.users["inspector"]
    assert set(selectors.visible(user, Region)) == {w.a.county, w.a.township}
    deeper = TownshipFactory(parent=w.a.county)
    assert selectors.can_on(user, "view", deeper)
    assert not selectors.can_on(user, "view", w.city)


def test_city_officer_sees_both_counties(registry_world):
    w = registry_world
    user = RoleGrantFactory(health_officer=True, region=w.city).user
    assert set(selectors.visible(user, Institution)) == {w.a.institution, w.b.institution}
    assert selectors.visible(user, Person).count() == 3


def test_former_staff_stay_in_scope(registry_world):
    w = registry_world
    leaver = EmploymentFactory(institution=w.a.institution, end_date=w.a.employment.start_date).person
    assert selectors.can_on(w.users["institution_admin"], "change", leaver)
    assert not selectors.can_on(w.users["institution_admin"], "view", w.b.person)


def test_two_roles_add_up(registry_world):
    w = registry_world
    user = w.users["inspector"]
    RoleGrantFactory(user=user, provider_staff=True, provider=w.b.provider)
    user = type(user).objects.get(pk=user.pk)  # fresh scope
    assert selectors.can_on(user, "change", w.b.provider)
    assert not selectors.can_on(user, "change", w.a.provider)  # inspector is read-only in A
    assert selectors.can_on(user, "view", w.a.provider)


def test_roster_institutions(registry_world):
    w = registry_world
    assert list(selectors.institutions_for_roster(w.users["institution_admin"])) == [w.a.institution]
    assert set(selectors.institutions_for_roster(w.users["platform_admin"])) == {w.a.institution, w.b.institution}
    for role in ("health_officer", "hr_officer", "inspector", "provider_staff", "caregiver"):
        assert not selectors.institutions_for_roster(w.users[role]).exists(), role
