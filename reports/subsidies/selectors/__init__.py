"""Who sees and does what with subsidy claims (built on registry scoping), and the reads the views need.

* platform admins — everything;
* HR officers — batches (and their claims, objections) filed in their region and below, the policies that apply
  there, the insurance records of people employed there; they review, publish, mark paid and export, and they
  (with platform admins) are the only ones who see bank account numbers in full;
* provider staff — their own providers' batches, which they build and submit;
* caregivers — their own claims, on the front site;
* everyone else (health officers, inspectors, institution admins) — nothing here.

A county HR officer's prefix is the six-digit county code, so batches of another county never match.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from lms.registry.models import Person, Region, Role, TrainingProvider
from lms.registry.selectors import user_scope, visible

from ..models import Claim, ClaimBatch, InsuranceRecord, Objection, SubsidyPolicy

REVIEW_ROLES = frozenset({Role.HR_OFFICER})


def _prefix_q(path: str, prefixes) -> Q:
    return reduce(or_, (Q(**{f"{path}__startswith": p}) for p in prefixes), Q(pk__in=[]))


def hr_prefixes(user) -> list[str]:
    """Region code prefixes of the user's HR officer grants."""
    scope = user_scope(user)
    return [p for role in REVIEW_ROLES & set(scope.region_prefixes) for p in scope.region_prefixes[role]]


def is_platform_admin(user) -> bool:
    return user_scope(user).is_platform_admin


def can_review(user) -> bool:
    """HR officers and platform admins review claims, run public notices, mark payments and export."""
    return is_platform_admin(user) or bool(hr_prefixes(user))


def can_see_bank_details(user) -> bool:
    return can_review(user)


def can_file(user) -> bool:
    """Provider staff (and platform admins) build claim batches."""
    scope = user_scope(user)
    return scope.is_platform_admin or bool(scope.provider_ids)


def can_use_subsidies_admin(user) -> bool:
    return can_review(user) or can_file(user)


def providers_for(user) -> QuerySet:
    """Providers the user files claims for."""
    scope = user_scope(user)
    if scope.is_platform_admin:
        return TrainingProvider.objects.all()
    return TrainingProvider.objects.filter(pk__in=scope.provider_ids)


def batches_for(user) -> QuerySet:
    """Batches the user may see in the admin."""
    scope = user_scope(user)
    qs = ClaimBatch.objects.select_related("provider", "claimant", "region", "created_by")
    if scope.is_platform_admin:
        return qs
    q = _prefix_q("region__code", hr_prefixes(user))
    if scope.provider_ids:
        q |= Q(provider_id__in=scope.provider_ids)
    return qs.filter(q)


def _in_hr_region(qs: QuerySet, user, path: str = "region__code") -> QuerySet:
    """``qs`` for platform admins; the rows whose region (``path``) is in the user's HR region otherwise."""
    if is_platform_admin(user):
        return qs
    prefixes = hr_prefixes(user)
    return qs.filter(_prefix_q(path, prefixes)) if prefixes else qs.none()


def batches_reviewable_by(user) -> QuerySet:
    """Batches the user may review (approve, reject, publish, mark paid, export)."""
    return _in_hr_region(ClaimBatch.objects.all(), user)


def batches_fileable_by(user) -> QuerySet:
    """Batches the user may build and submit (their providers' batches)."""
    qs = ClaimBatch.objects.filter(provider__isnull=False)
    if is_platform_admin(user):
        return qs
    scope = user_scope(user)
    return qs.filter(provider_id__in=scope.provider_ids) if scope.provider_ids else qs.none()


def claims_for(user) -> QuerySet:
    return Claim.objects.filter(batch__in=batches_for(user))


def objections_for(user) -> QuerySet:
    return Objection.objects.filter(claim__batch__in=batches_reviewable_by(user))


def batch_objection(batch: ClaimBatch, objection_pk: int) -> Objection | None:
    """An objection to one of the batch's claims (None if the id belongs to another batch)."""
    return Objection.objects.filter(pk=objection_pk, claim__batch=batch).first()


def own_claims(person: Person) -> QuerySet:
    """A caregiver's claims, newest first (filed by themselves or by a provider)."""
    return (
        Claim.objects.select_related("batch", "certificate", "certificate__type", "batch__provider")
        .filter(person=person)
        .order_by("-created_at", "-id")
    )


# --- policies and insurance -------------------------------------------------------------------------------------


def _ancestor_codes(prefix: str) -> list[str]:
    """Codes of the regions above a scope prefix (province "53" -> "530000"; city "5303" -> "530000", "530300")."""
    codes = []
    if len(prefix) >= 4:
        codes.append(prefix[:2] + "0000")
    if len(prefix) >= 6:
        codes.append(prefix[:4] + "00")
    if len(prefix) == 9:
        codes.append(prefix[:6])
    return codes


def policies_for(user) -> QuerySet:
    """Policies the user may see: those of their region and below, and those of the regions above it (which
    apply there too). Provider staff see the policies that apply to their providers' regions."""
    qs = SubsidyPolicy.objects.select_related("region")
    if is_platform_admin(user):
        return qs
    prefixes = hr_prefixes(user)
    prefixes += [r.scope_prefix for r in Region.objects.filter(providers__in=providers_for(user))]
    if not prefixes:
        return qs.none()
    ancestors = [code for p in prefixes for code in _ancestor_codes(p)]
    return qs.filter(_prefix_q("region__code", prefixes) | Q(region__code__in=ancestors))


def policies_editable_by(user) -> QuerySet:
    return _in_hr_region(SubsidyPolicy.objects.all(), user)


def policy_regions_for(user) -> QuerySet:
    """Regions the user may set policies for."""
    return _in_hr_region(Region.objects.all(), user, "code")


def insurance_people_for(user) -> QuerySet:
    """People whose insurance records the user may see and record (HR officers: employed in their region)."""
    if is_platform_admin(user):
        return Person.objects.all()
    if not hr_prefixes(user):
        return Person.objects.none()
    return visible(user, Person)


def insurance_records_for(user) -> QuerySet:
    if not can_review(user):
        return InsuranceRecord.objects.none()
    qs = InsuranceRecord.objects.select_related("person", "recorded_by")
    if is_platform_admin(user):
        return qs
    return qs.filter(person__in=insurance_people_for(user))
