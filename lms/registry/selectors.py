"""Reads of the registry, and *the* place where who-may-see-and-do-what is decided.

Every list, form choice, export and API in the project obtains registry rows through
:func:`visible` (or the helpers built on it) so that region/organisation scoping is enforced
once. The capability table :data:`CAPABILITIES` says which actions a role may take on which
model; :func:`visible` says on which rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone

from . import crypto
from .models import (
    Ban,
    Employment,
    HealthCheck,
    Institution,
    Person,
    Region,
    Role,
    RoleGrant,
    RosterImport,
    TrainingProvider,
)
from .models.roles import REGION_ROLES

CAREGIVER = "caregiver"
PLATFORM_ADMIN = "platform_admin"

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ALL = frozenset({VIEW, ADD, CHANGE, DELETE})
READ = frozenset({VIEW})

# role -> model -> actions. Platform admins (superusers) may do everything and are not listed.
CAPABILITIES: dict[str, dict[type[Model], frozenset[str]]] = {
    Role.INSTITUTION_ADMIN: {
        Institution: frozenset({VIEW, CHANGE}),
        Person: frozenset({VIEW, CHANGE}),
        Employment: ALL,
        HealthCheck: ALL,
        RosterImport: frozenset({VIEW, ADD}),
    },
    Role.PROVIDER_STAFF: {
        TrainingProvider: frozenset({VIEW, CHANGE}),
    },
    Role.INSPECTOR: {
        Region: READ,
        Institution: READ,
        TrainingProvider: READ,
        Person: READ,
        Employment: READ,
        HealthCheck: READ,
    },
    Role.HEALTH_OFFICER: {
        Region: READ,
        Institution: frozenset({VIEW, CHANGE}),
        TrainingProvider: READ,
        Person: READ,
        Employment: READ,
        HealthCheck: READ,
    },
    Role.HR_OFFICER: {
        Region: READ,
        Institution: READ,
        TrainingProvider: frozenset({VIEW, CHANGE}),
        Person: READ,
        Employment: READ,
        HealthCheck: READ,
    },
    CAREGIVER: {
        Person: READ,
        Employment: READ,
        HealthCheck: READ,
        Institution: READ,
    },
}

# Roles whose work needs the full ID number and phone (roster keeping, subsidy payment).
FULL_PERSONAL_DATA_ROLES = frozenset({PLATFORM_ADMIN, Role.INSTITUTION_ADMIN, Role.HR_OFFICER})


@dataclass(frozen=True)
class Scope:
    """What one user's role grants cover, resolved once per request."""

    is_platform_admin: bool = False
    person_id: int | None = None
    # role -> region code prefixes / institution ids / provider ids
    region_prefixes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    institution_ids: tuple[int, ...] = ()
    provider_ids: tuple[int, ...] = ()

    @property
    def roles(self) -> frozenset[str]:
        roles = set(self.region_prefixes)
        if self.institution_ids:
            roles.add(Role.INSTITUTION_ADMIN)
        if self.provider_ids:
            roles.add(Role.PROVIDER_STAFF)
        if self.person_id:
            roles.add(CAREGIVER)
        if self.is_platform_admin:
            roles.add(PLATFORM_ADMIN)
        return frozenset(roles)

    @property
    def is_back_office(self) -> bool:
        return self.is_platform_admin or bool(self.roles - {CAREGIVER})


def user_scope(user) -> Scope:
    """The user's scope, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, "_registry_scope", None)
    if cached is not None:
        return cached
    prefixes: dict[str, list[str]] = {}
    institution_ids, provider_ids = [], []
    for grant in RoleGrant.objects.filter(user=user).select_related("region"):
        if grant.role in REGION_ROLES:
            prefixes.setdefault(grant.role, []).append(grant.region.scope_prefix)
        elif grant.role == Role.INSTITUTION_ADMIN:
            institution_ids.append(grant.institution_id)
        elif grant.role == Role.PROVIDER_STAFF:
            provider_ids.append(grant.provider_id)
    person_id = Person.objects.filter(user=user).values_list("pk", flat=True).first()
    scope = Scope(
        is_platform_admin=user.is_superuser,
        person_id=person_id,
        region_prefixes={role: tuple(p) for role, p in prefixes.items()},
        institution_ids=tuple(institution_ids),
        provider_ids=tuple(provider_ids),
    )
    user._registry_scope = scope
    return scope


def can(user, action: str, model: type[Model]) -> bool:
    """Whether the user may take ``action`` on some rows of ``model``."""
    scope = user_scope(user)
    if scope.is_platform_admin:
        return True
    return any(action in CAPABILITIES.get(role, {}).get(model, ()) for role in scope.roles)


def can_see_full_personal_data(user) -> bool:
    return bool(user_scope(user).roles & FULL_PERSONAL_DATA_ROLES)


def _prefix_q(path: str, prefixes) -> Q:
    return reduce(or_, (Q(**{f"{path}__startswith": p}) for p in prefixes), Q(pk__in=[]))


def _institution_q(scope: Scope, roles: set[str], path: str = "") -> Q:
    """Q over Institution (prefixed by ``path``) for the scopes of ``roles``."""
    q = Q(pk__in=[])
    pre = f"{path}__" if path else ""
    for role in roles & set(scope.region_prefixes):
        q |= _prefix_q(f"{pre}region__code", scope.region_prefixes[role])
    if Role.INSTITUTION_ADMIN in roles and scope.institution_ids:
        q |= Q(**{f"{pre}id__in" if pre else "id__in": scope.institution_ids})
    return q


def _roles_for(scope: Scope, action: str, model: type[Model]) -> set[str]:
    return {role for role in scope.roles if action in CAPABILITIES.get(role, {}).get(model, ())}


def visible(user, model: type[Model], action: str = VIEW) -> QuerySet:
    """Rows of ``model`` on which ``user`` may take ``action``; empty if none."""
    scope = user_scope(user)
    qs = model._default_manager.all()
    if scope.is_platform_admin:
        return qs
    roles = _roles_for(scope, action, model)
    if not roles:
        return qs.none()
    if model is Region:
        prefixes = [p for role in roles & set(scope.region_prefixes) for p in scope.region_prefixes[role]]
        return qs.filter(_prefix_q("code", prefixes))
    if model is Institution:
        q = _institution_q(scope, roles)
        if CAREGIVER in roles:
            q |= Q(employments__person_id=scope.person_id)
        return qs.filter(q).distinct() if CAREGIVER in roles else qs.filter(q)
    if model is TrainingProvider:
        q = Q(pk__in=[])
        for role in roles & set(scope.region_prefixes):
            q |= _prefix_q("region__code", scope.region_prefixes[role])
        if Role.PROVIDER_STAFF in roles:
            q |= Q(id__in=scope.provider_ids)
        return qs.filter(q)
    if model is Employment:
        q = _institution_q(scope, roles, "institution")
        if CAREGIVER in roles:
            q |= Q(person_id=scope.person_id)
        return qs.filter(q)
    if model is Person:
        return qs.filter(_person_q(scope, roles))
    if model is HealthCheck:
        return qs.filter(person__in=Person.objects.filter(_person_q(scope, roles)))
    if model is RosterImport:
        return qs.filter(_institution_q(scope, roles, "institution"))
    return qs.none()


def _person_q(scope: Scope, roles: set[str]) -> Q:
    """People employed (now or before) at an institution in scope, and caregivers themselves."""
    employed = Employment.objects.filter(Q(person=OuterRef("pk")) & _institution_q(scope, roles, "institution"))
    q = Q(Exists(employed))
    if CAREGIVER in roles:
        q |= Q(pk=scope.person_id)
    return q


def can_on(user, action: str, obj: Model) -> bool:
    """Whether ``user`` may take ``action`` on this particular row."""
    return visible(user, type(obj), action).filter(pk=obj.pk).exists()


# --- plain reads used by views ------------------------------------------------------------------


def person_for_user(user) -> Person | None:
    scope = user_scope(user)
    if not scope.person_id:
        return None
    return Person.objects.get(pk=scope.person_id)


def on_duty_q(on, prefix: str = "") -> Q:
    """Employments (under ``prefix``, e.g. ``"employments__"``) running on the date ``on``."""
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


def current_employments(person: Person, on=None) -> QuerySet:
    on = on or timezone.localdate()
    return person.employments.filter(on_duty_q(on)).select_related("institution", "institution__region")


def person_by_id_number(id_number: str) -> Person | None:
    return Person.objects.filter(id_number_hash=crypto.lookup_hash(id_number)).first()


def institutions_for(user, action: str, model: type[Model]) -> QuerySet:
    """Institutions at which ``user`` may take ``action`` on rows of ``model`` (e.g. add employments).

    Unlike ``visible(user, Institution)`` this ignores roles that merely let the user see the
    institution (a caregiver sees their employer but may not add its staff).
    """
    scope = user_scope(user)
    if scope.is_platform_admin:
        return Institution.objects.all()
    return Institution.objects.filter(_institution_q(scope, _roles_for(scope, action, model)))


def people_for(user, action: str, model: type[Model]) -> QuerySet:
    """People for whom ``user`` may take ``action`` on rows of ``model`` (e.g. add health checks)."""
    scope = user_scope(user)
    if scope.is_platform_admin:
        return Person.objects.all()
    roles = _roles_for(scope, action, model)
    return Person.objects.filter(_person_q(scope, roles)) if roles else Person.objects.none()


def institutions_for_roster(user) -> QuerySet:
    """Institutions whose staff roster this user may import."""
    return institutions_for(user, ADD, RosterImport)


def is_banned(person_id: int) -> bool:
    return Ban.objects.filter(person_id=person_id).exists()
