"""Who may see and run which competition, register whom, and see which entries.

* Organizers: platform admins (every competition) and the HR and health bureau officers of the organizing
  region or above it (a province officer runs the province's and its cities' competitions): they see and
  change the competitions whose region code starts with one of their region prefixes.
* Units: institution admins and training provider staff see (never change) the competitions that are not
  drafts and whose region covers their unit's region, register their people and see their own entries.
* Everybody else (caregivers, judges, inspectors, anonymous visitors) sees no competition here: judges reach
  their stations through :mod:`.judging`, the public the scoreboard and published results through :mod:`.board`.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from lms.learning.models import Enrollment, ProviderCatalogue
from lms.registry.models import Employment, Institution, Person, Role, TrainingProvider
from lms.registry.selectors import on_duty_q, user_scope, visible

from ..choices import Group
from ..models import Competition, Entry, Track

ORGANIZER_ROLES = (Role.HR_OFFICER, Role.HEALTH_OFFICER)


def _prefixes_q(field: str, prefixes) -> Q:
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in prefixes), Q(pk__in=[]))


def organizer_prefixes(user) -> tuple[str, ...]:
    """The region code prefixes over which ``user`` organizes competitions (HR and health officers)."""
    scope = user_scope(user)
    return tuple(p for role in ORGANIZER_ROLES for p in scope.region_prefixes.get(role, ()))


def covering_codes(region_code: str) -> set[str]:
    """The codes of the regions that cover a unit's region: its province, city, county and itself."""
    code = region_code or ""
    codes = {code}
    if len(code) >= 6:
        codes |= {f"{code[:2]}0000", f"{code[:4]}00", code[:6]}
    return codes


def _unit_region_codes(scope) -> set[str]:
    codes: set[str] = set()
    if scope.institution_ids:
        codes |= set(Institution.objects.filter(pk__in=scope.institution_ids).values_list("region__code", flat=True))
    if scope.provider_ids:
        codes |= set(TrainingProvider.objects.filter(pk__in=scope.provider_ids).values_list("region__code", flat=True))
    return codes


def competitions_for(user, action: str = "view") -> QuerySet:
    """Competitions on which ``user`` may take ``action`` ("view", or "change" for organizers)."""
    qs = Competition.objects.select_related("region")
    scope = user_scope(user)
    if scope.is_platform_admin:
        return qs
    q = _prefixes_q("region__code", organizer_prefixes(user))
    if action == "view":
        covering = set().union(*(covering_codes(c) for c in _unit_region_codes(scope)))
        if covering:
            q |= Q(region__code__in=covering) & ~Q(status=Competition.Status.DRAFT)
    return qs.filter(q)


def can_manage(user, competition: Competition) -> bool:
    """Whether ``user`` organizes ``competition`` (platform admin, or an HR / health officer over its region)."""
    scope = user_scope(user)
    if scope.is_platform_admin:
        return True
    return any(competition.region.code.startswith(p) for p in organizer_prefixes(user))


def units_for(user) -> tuple[QuerySet, QuerySet]:
    """The institutions and training providers for which ``user`` registers contestants."""
    scope = user_scope(user)
    if scope.is_platform_admin:
        return Institution.objects.all(), TrainingProvider.objects.all()
    return (
        Institution.objects.filter(pk__in=scope.institution_ids),
        TrainingProvider.objects.filter(pk__in=scope.provider_ids),
    )


def may_register_for(user, *, institution=None, provider=None) -> bool:
    institutions, providers = units_for(user)
    if institution is not None:
        return institutions.filter(pk=institution.pk).exists()
    if provider is not None:
        return providers.filter(pk=provider.pk).exists()
    return False


def provider_students(provider_ids) -> QuerySet:
    """People enrolled in a course of these providers (the learners a school or provider may enter)."""
    paths = list(ProviderCatalogue.objects.filter(provider_id__in=provider_ids).values_list("path", flat=True))
    enrolled = Enrollment.objects.filter(_prefixes_q("course__path", paths)).values("person_id")
    return Person.objects.filter(pk__in=enrolled)


def registrable_people(user, track: Track) -> QuerySet:
    """People ``user`` may register in ``track``: staff tracks, those on duty today at the user's institutions;
    student tracks, the people the user sees and the learners of the user's providers."""
    scope = user_scope(user)
    if track.group == Group.STAFF:
        institutions, _providers = units_for(user)
        on_duty = Employment.objects.filter(
            on_duty_q(timezone.localdate()), person=OuterRef("pk"), institution__in=institutions
        )
        return Person.objects.filter(Exists(on_duty)).order_by("name", "pk")
    people = visible(user, Person)
    if scope.provider_ids and not scope.is_platform_admin:
        people = Person.objects.filter(Q(pk__in=people.values("pk")) | Q(pk__in=provider_students(scope.provider_ids)))
    return people.order_by("name", "pk")


def unit_entries_q(user) -> Q:
    scope = user_scope(user)
    return Q(institution_id__in=scope.institution_ids) | Q(provider_id__in=scope.provider_ids)


def entries_for(user, competition: Competition) -> QuerySet:
    """The organizer: every entry of the competition; unit staff: their units' entries; anybody else: none."""
    qs = Entry.objects.filter(competition=competition).select_related(
        "person", "track", "institution", "provider", "stopped_after"
    )
    if can_manage(user, competition):
        return qs
    scope = user_scope(user)
    if not (scope.institution_ids or scope.provider_ids):
        return qs.none()
    return qs.filter(unit_entries_q(user))


def code_mapping(competition: Competition) -> list[dict]:
    """The organizer's key to the codes (二次加密): code, drawn number, name, masked ID number, unit and track.

    Only for organizers (views check :func:`can_manage` and audit ``competitions.mapping.view``)."""
    entries = (
        Entry.objects.filter(competition=competition)
        .exclude(code="")
        .select_related("person", "track", "institution", "provider")
        .order_by("track__sort_order", "track_id", "draw_number", "pk")
    )
    return [
        {
            "entry_id": e.pk,
            "code": e.code,
            "draw_number": e.draw_number,
            "name": e.person.name,
            "id_number_masked": e.person.id_number_masked,
            "unit": str(e.unit),
            "track": e.track.name,
            "track_id": e.track_id,
        }
        for e in entries
    ]
