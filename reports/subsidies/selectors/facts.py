"""The facts a claim check needs, read from the database into ``rules`` dataclasses, and the certificates a
provider or a caregiver may claim for."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet

from certificates.models import Certificate, Kind
from lms.learning.models import CourseCompletion, ProviderCatalogue
from lms.registry.models import Person, Region, TrainingProvider
from lms.registry.selectors import on_duty_q

from .. import rules
from ..models import Claim, InsuranceRecord, PolicyRate, SubsidyPolicy, WorkingDayOverride
from . import _prefix_q

CLAIMABLE_KINDS = (Kind.TRAINING, Kind.SKILL)


def certificate_facts(certificate: Certificate) -> rules.CertificateFacts:
    return rules.CertificateFacts(
        id=certificate.pk,
        kind=Kind(certificate.type.kind).code,
        occupation=certificate.occupation,
        level=certificate.level,
        issued_on=certificate.issued_on,
        status=certificate.status,
        expires_on=certificate.expires_on,
    )


def held_claims(person_id: int) -> tuple[rules.HeldClaim, ...]:
    rows = Claim.objects.filter(person_id=person_id, status__in=Claim.HELD).values_list(
        "pk", "subsidy_type", "occupation", "level", "claimed_on", "certificate_id", "status"
    )
    return tuple(
        rules.HeldClaim(
            id=pk,
            subsidy_type=subsidy_type,
            occupation=occupation,
            level=level,
            year=claimed_on.year,
            certificate_id=certificate_id,
            paid=status == Claim.Status.PAID,
        )
        for pk, subsidy_type, occupation, level, claimed_on, certificate_id, status in rows
    )


def person_facts(person_id: int) -> rules.PersonFacts:
    insured = tuple(
        InsuranceRecord.objects.filter(person_id=person_id).values_list("first_month", "last_month").order_by("pk")
    )
    skill = Certificate.objects.select_related("type").filter(holder_id=person_id, type__kind=Kind.SKILL)
    return rules.PersonFacts(
        insured=insured,
        skill_certificates=tuple(certificate_facts(c) for c in skill),
        held=held_claims(person_id),
    )


def policy_for(*, subsidy_type: str, region: Region, on: date) -> SubsidyPolicy | None:
    """The active policy of ``subsidy_type`` for claims filed in ``region`` on certificates dated ``on``: the one
    of the nearest region (county before city before province), then the most recent."""
    candidates = [
        p
        for p in SubsidyPolicy.objects.select_related("region").filter(
            subsidy_type=subsidy_type, active=True, effective_from__lte=on
        )
        if p.covers(on) and region.code.startswith(p.region.scope_prefix)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda p: (len(p.region.scope_prefix), p.effective_from, p.pk))


def rate_for(policy: SubsidyPolicy, *, occupation: str, level: int) -> Decimal | None:
    return (
        PolicyRate.objects.filter(policy=policy, occupation=occupation, level=level)
        .values_list("amount", flat=True)
        .first()
    )


def working_day_overrides(start: date, days: int = 120) -> dict[date, bool]:
    end = date.fromordinal(start.toordinal() + days)
    return dict(WorkingDayOverride.objects.filter(day__gte=start, day__lte=end).values_list("day", "working"))


# --- what may be claimed ----------------------------------------------------------------------------------------


def trainees_q(provider: TrainingProvider) -> Q:
    """Certificates (Q over Certificate) of the provider's trainees: those it issued, and those held by people who
    completed one of its courses (a skill certificate is issued by the assessment body, not the provider)."""
    paths = list(ProviderCatalogue.objects.filter(provider=provider).values_list("path", flat=True))
    completed = CourseCompletion.objects.filter(Q(person=OuterRef("holder_id")) & _prefix_q("course__path", paths))
    return Q(provider=provider) | Q(Exists(completed)) if paths else Q(provider=provider)


def claimable_certificates(provider: TrainingProvider) -> QuerySet:
    """Training and skill certificates of the provider's trainees, newest first (the checks decide which pass)."""
    return (
        Certificate.objects.select_related("type", "holder")
        .filter(type__kind__in=CLAIMABLE_KINDS)
        .filter(trainees_q(provider))
        .order_by("-issued_on", "-id")
    )


def own_claimable_certificates(person: Person) -> QuerySet:
    return (
        Certificate.objects.select_related("type")
        .filter(holder=person, type__kind__in=CLAIMABLE_KINDS)
        .order_by("-issued_on", "-id")
    )


def employer_region(person: Person, on: date) -> Region | None:
    """The region of the person's current employer (the first on-duty employment), where they file claims."""
    employment = (
        person.employments.filter(on_duty_q(on))
        .select_related("institution__region")
        .order_by("start_date", "pk")
        .first()
    )
    return employment.institution.region if employment else None
