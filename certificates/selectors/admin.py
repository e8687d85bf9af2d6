"""Who may do what in the certificates back office (reads only, built on registry and certificates scoping).

``certificates.selectors`` decides which certificates a user sees (``certificates_for``) and manages
(``certificates_manageable_by``); this module adds the admin's other questions:

* bulk issuance — platform admins (all), provider staff (completions of their own providers' courses), health
  and HR officers (completions of courses of providers in their region, or of people employed there);
* ZIP downloads of PDFs — platform admins (all) and provider staff (certificates their providers issued);
* the verification log — platform admins (all) and health and HR officers (verifications of the certificates
  they manage);
* signing keys and certificate types — platform admins (superusers) only.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from lms.learning.models import ProviderCatalogue
from lms.registry.models import Employment, TrainingProvider
from lms.registry.selectors import user_scope

from ..models import Certificate, IssuanceBatch, VerificationLog
from . import (
    MANAGING_ROLES,
    _prefix_q,
    _region_prefixes,
    certificates_manageable_by,
    completion_key,
    completions_without_certificate,
)


def officer_prefixes(user) -> list[str]:
    """Region code prefixes of the user's health and HR officer grants."""
    return _region_prefixes(user_scope(user), MANAGING_ROLES)


def is_platform_admin(user) -> bool:
    return user_scope(user).is_platform_admin


def can_see_certificates(user) -> bool:
    """Back-office users: each sees the certificates of their scope (``certificates_for``)."""
    return user_scope(user).is_back_office


def can_manage_any(user) -> bool:
    """Whether the user may change the status of some certificates (admins, health and HR officers)."""
    return is_platform_admin(user) or bool(officer_prefixes(user))


# --- bulk issuance -----------------------------------------------------------------------------------------------


def can_issue_bulk(user) -> bool:
    scope = user_scope(user)
    return scope.is_platform_admin or bool(scope.provider_ids) or bool(officer_prefixes(user))


def _courses_of_providers(providers: QuerySet) -> Q:
    """Completions (Q over CourseCompletion) of courses below the catalogue sections of ``providers``."""
    paths = ProviderCatalogue.objects.filter(provider__in=providers).values_list("path", flat=True)
    return _prefix_q("course__path", list(paths))


def completions_issuable_by(user) -> QuerySet:
    """Course completions without a certificate that ``user`` may certify in bulk, oldest first."""
    scope = user_scope(user)
    qs = completions_without_certificate()
    if scope.is_platform_admin:
        return qs
    q = Q(pk__in=[])
    if scope.provider_ids:
        q |= _courses_of_providers(TrainingProvider.objects.filter(pk__in=scope.provider_ids))
    prefixes = officer_prefixes(user)
    if prefixes:
        q |= _courses_of_providers(TrainingProvider.objects.filter(_prefix_q("region__code", prefixes)))
        employed = Employment.objects.filter(
            Q(person=OuterRef("person_id")) & _prefix_q("institution__region__code", prefixes)
        )
        q |= Q(Exists(employed))
    return qs.filter(q)


def batches_for(user) -> QuerySet:
    """Issuance batches the user may follow, re-run and download: their own; platform admins all."""
    qs = IssuanceBatch.objects.all()
    if is_platform_admin(user):
        return qs
    if not user.is_authenticated or not can_issue_bulk(user):
        return qs.none()
    return qs.filter(created_by=user)


def batch_certificates(batch: IssuanceBatch) -> QuerySet:
    """The certificates a batch issued (or found already issued) for its course completions."""
    keys = [completion_key(pk) for pk in batch.item_ids]
    return Certificate.objects.filter(achievement_key__in=keys)


# --- ZIP downloads -----------------------------------------------------------------------------------------------


def can_download_zip(user) -> bool:
    scope = user_scope(user)
    return scope.is_platform_admin or bool(scope.provider_ids)


def certificates_downloadable_by(user) -> QuerySet:
    """Certificates whose PDFs the user may download in a ZIP: platform admins all, provider staff their own."""
    scope = user_scope(user)
    qs = Certificate.objects.select_related("type")
    if scope.is_platform_admin:
        return qs
    if not scope.provider_ids:
        return qs.none()
    return qs.filter(provider_id__in=scope.provider_ids)


# --- verification log --------------------------------------------------------------------------------------------


def can_see_verifications(user) -> bool:
    return can_manage_any(user)


def verifications_for(user) -> QuerySet:
    """Verification log rows the user may see: platform admins all; health and HR officers those of the
    certificates they manage (rows without a certificate — forgeries, malformed input — only admins)."""
    qs = VerificationLog.objects.select_related("certificate", "user")
    if is_platform_admin(user):
        return qs
    if not officer_prefixes(user):
        return qs.none()
    return qs.filter(certificate__in=certificates_manageable_by(user).values("pk"))
