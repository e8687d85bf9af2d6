"""Reads of the certificates app, and who may see or manage which certificates (built on registry scoping).

Caches: the verification key set and the status-list bitstrings are cached (Redis in production). Services
drop them when they change (:func:`keys_cache_drop` after a key rotation or withdrawal, :func:`status_cache_drop`
after a revocation, suspension or reinstatement); anything else that caches data derived from the status lists
(e.g. the signed status-list credentials) should put :func:`status_version` into its cache key.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.core.cache import cache
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from lms.learning.models import CourseCompletion
from lms.registry.models import Person, Role
from lms.registry.selectors import user_scope as registry_user_scope
from lms.registry.selectors import visible

from .. import statuslist
from ..models import Certificate, CertificateType, Kind, SigningKey

KEYS_CACHE_KEY = "certificates:verification-keys"
KEYS_CACHE_SECONDS = 60
STATUS_VERSION_KEY = "certificates:status-version"
STATUS_CACHE_SECONDS = 600
CLAIMS_CACHE_SECONDS = 300
NOT_FOUND = "-"  # cached "no such certificate" (a genuinely signed payload of a deleted certificate)
CLAIMS_MEMO_SIZE = 4096  # per process; emptied when full
_claims_memo: dict[str, Certificate | str] = {}
UNFETCHED = object()  # "the caller has not read this cache entry"
PURPOSES = ("revocation", "suspension")
MANAGING_ROLES = frozenset({Role.HEALTH_OFFICER, Role.HR_OFFICER})
_PURPOSE_STATUS = {"revocation": Certificate.Status.REVOKED, "suspension": Certificate.Status.SUSPENDED}


# --- keys -------------------------------------------------------------------------------------------------------


def active_key() -> SigningKey | None:
    """The key that signs new certificates (None before the first issuance or rotation)."""
    return SigningKey.objects.filter(status=SigningKey.Status.ACTIVE).first()


def verification_keys() -> dict[str, bytes]:
    """Key id (``kid`` text) -> raw public key, for every key that verifies (active and rotated). Cached."""
    keys = cache.get(KEYS_CACHE_KEY)
    if keys is None:
        rows = SigningKey.objects.filter(status__in=[SigningKey.Status.ACTIVE, SigningKey.Status.ROTATED])
        keys = {kid: bytes(public) for kid, public in rows.values_list("kid", "public_key")}
        cache.set(KEYS_CACHE_KEY, keys, KEYS_CACHE_SECONDS)
    return keys


def verification_key(kid: str, keys: dict[str, bytes] | None = None) -> bytes | None:
    """The raw public key of ``kid`` if it verifies; the cached set (or ``keys``) first, the database when it is
    not there (a key created a moment ago by another process may not be in a cached set yet)."""
    public = (verification_keys() if keys is None else keys).get(kid)
    if public is None:
        public = (
            SigningKey.objects.filter(kid=kid, status__in=[SigningKey.Status.ACTIVE, SigningKey.Status.ROTATED])
            .values_list("public_key", flat=True)
            .first()
        )
    return bytes(public) if public is not None else None


def verification_state_keys(claims) -> list[str]:
    """The cache keys :func:`verification_state` reads for ``claims`` (to read them with something else)."""
    return [KEYS_CACHE_KEY, STATUS_VERSION_KEY, _claims_key(claims)]


def verification_state(kid: str, claims, found: dict | None = None) -> tuple[bytes | None, str, object]:
    """What a verification reads from the cache, in one round trip: the public key of ``kid`` (as
    :func:`verification_key`), the current :func:`status_version` and the cache entry of the certificate the
    ``claims`` name (pass it on to :func:`certificate_for_claims`; ``None`` if absent). ``found``: the values of
    :func:`verification_state_keys` when the caller has read them already."""
    if found is None:
        found = cache.get_many(verification_state_keys(claims))
    keys, version = found.get(KEYS_CACHE_KEY), found.get(STATUS_VERSION_KEY)
    cached = found.get(_claims_key(claims))
    return verification_key(kid, keys), version if version is not None else status_version(), cached


def keys_cache_drop() -> None:
    cache.delete(KEYS_CACHE_KEY)


# --- verification -----------------------------------------------------------------------------------------------


def _claims_key(claims) -> str:
    return f"certificates:claims:{claims.status_index}:{claims.number}"


def certificate_for_claims(claims, version: str | None = None, cached=UNFETCHED) -> Certificate | None:
    """The certificate a decoded payload names (same number and status index), with its type.

    Cached (every scan of the same QR code on the verify page and API, under load) together with the status
    version it was read under; revocation, suspension, reinstatement, renewal and re-signing change the version
    after commit (``status_cache_drop``), so an entry of another version is read again from the database and a
    changed certificate is never served from the cache. A small per-process memo keyed by the version sits in
    front (no unpickling for a repeated scan; the returned instance is shared, read it only). The caller
    compares ``certificate.digest`` with ``claims.digest`` and checks the signature. ``version`` and ``cached``
    are the status version and cache entry when the caller has read them already (:func:`verification_state`).
    """
    version = version or status_version()
    memo_key = f"{version}:{claims.status_index}:{claims.number}"
    found = _claims_memo.get(memo_key)
    if found is None:
        if cached is UNFETCHED:
            cached = cache.get(_claims_key(claims))
        if isinstance(cached, tuple) and len(cached) == 2 and cached[0] == version:
            found = cached[1]
        else:
            # every field loaded: the verify page reads the photo's name, and a deferred field would cost a
            # query on each cached hit
            found = (
                Certificate.objects.select_related("type")
                .filter(number=claims.number, status_index=claims.status_index)
                .first()
            ) or NOT_FOUND
            cache.set(_claims_key(claims), (version, found), CLAIMS_CACHE_SECONDS)
        if len(_claims_memo) >= CLAIMS_MEMO_SIZE:
            _claims_memo.clear()
        _claims_memo[memo_key] = found
    return None if found == NOT_FOUND else found


def certificate_by_number(number: str) -> Certificate | None:
    return Certificate.objects.select_related("type", "signing_key").filter(number=number.strip().upper()).first()


# --- status lists -----------------------------------------------------------------------------------------------


def status_version() -> str:
    """Changes whenever a certificate's status, expiry or payload changes (part of every status cache key)."""
    version = cache.get(STATUS_VERSION_KEY)
    if version is None:
        version = str(time.time_ns())
        cache.add(STATUS_VERSION_KEY, version, None)
        version = cache.get(STATUS_VERSION_KEY, version)
    return version


def status_cache_drop() -> None:
    """Make every cached status bitstring stale (a new, never used version)."""
    cache.set(STATUS_VERSION_KEY, str(time.time_ns()), None)


def status_list_count() -> int:
    """How many status lists are in use (at least one): list ``n`` holds indexes ``n * LIST_SIZE ...``."""
    last = Certificate.objects.order_by("-status_index").values_list("status_index", flat=True).first()
    return 1 if last is None else last // statuslist.LIST_SIZE + 1


def status_indexes(list_no: int, purpose: str) -> list[int]:
    """Bit positions set in list ``list_no`` for ``purpose`` ("revocation" or "suspension"), uncached."""
    if purpose not in _PURPOSE_STATUS:
        raise ValueError(f"unknown status purpose {purpose!r}")
    start = list_no * statuslist.LIST_SIZE
    indexes = Certificate.objects.filter(
        status=_PURPOSE_STATUS[purpose], status_index__gte=start, status_index__lt=start + statuslist.LIST_SIZE
    ).values_list("status_index", flat=True)
    return [index - start for index in indexes]


def status_bits(list_no: int, purpose: str) -> bytes:
    """The bitstring of list ``list_no`` for ``purpose`` (bit i set = certificate with index i is revoked or
    suspended). Cached until the next status change."""
    key = f"certificates:status-bits:{status_version()}:{list_no}:{purpose}"
    bits = cache.get(key)
    if bits is None:
        bits = statuslist.bitstring(status_indexes(list_no, purpose))
        cache.set(key, bits, STATUS_CACHE_SECONDS)
    return bits


# --- who sees and manages what ----------------------------------------------------------------------------------


def _prefix_q(path: str, prefixes) -> Q:
    return reduce(or_, (Q(**{f"{path}__startswith": p}) for p in prefixes), Q(pk__in=[]))


def _region_prefixes(scope, roles) -> list[str]:
    return [p for role in roles & set(scope.region_prefixes) for p in scope.region_prefixes[role]]


def certificates_for(user) -> QuerySet:
    """Certificates ``user`` may see: platform admins all; otherwise those of the people the user may see
    (registry scoping: own certificates for caregivers, staff for institution admins, region for officers and
    inspectors), plus those issued by the user's provider (provider staff) or by providers in the user's region."""
    scope = registry_user_scope(user)
    qs = Certificate.objects.select_related("type")
    if scope.is_platform_admin:
        return qs
    q = Q(holder__in=visible(user, Person))
    if scope.provider_ids:
        q |= Q(provider_id__in=scope.provider_ids)
    prefixes = _region_prefixes(scope, set(scope.region_prefixes))
    if prefixes:
        q |= _prefix_q("provider__region__code", prefixes)
    return qs.filter(q)


def certificates_manageable_by(user) -> QuerySet:
    """Certificates ``user`` may revoke, suspend, reinstate or renew: platform admins all; health and HR officers
    those of people employed (now or before) at institutions in their region, and those issued by providers there.
    """
    scope = registry_user_scope(user)
    qs = Certificate.objects.all()
    if scope.is_platform_admin:
        return qs
    prefixes = _region_prefixes(scope, MANAGING_ROLES)
    if not prefixes:
        return qs.none()
    return qs.filter(
        _prefix_q("holder__employments__institution__region__code", prefixes)
        | _prefix_q("provider__region__code", prefixes)
    ).distinct()


def can_manage(user, certificate: Certificate) -> bool:
    return certificates_manageable_by(user).filter(pk=certificate.pk).exists()


def holder_certificates(person) -> QuerySet:
    """A person's certificates, newest first (their "my certificates")."""
    return Certificate.objects.select_related("type").filter(holder=person).order_by("-issued_on", "-id")


def holds_valid_certificate(person_id: int, occupation: str, level: int) -> bool:
    """Whether the person holds a valid skill certificate of ``occupation`` at ``level`` or higher (1 is highest).

    Registered with ``lms.learning.prerequisites`` for courses that require a certificate.
    """
    today = timezone.localdate()
    return (
        Certificate.objects.filter(
            holder_id=person_id,
            type__kind=Kind.SKILL,
            status=Certificate.Status.VALID,
            occupation=occupation,
            level__gte=1,
            level__lte=level,
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .exists()
    )


# --- issuance and renewal ---------------------------------------------------------------------------------------


def training_type() -> CertificateType | None:
    """The type that certifies course completions (the first active training type)."""
    return CertificateType.objects.filter(kind=Kind.TRAINING, active=True).order_by("pk").first()


def completion_key(completion_id: int) -> str:
    return f"completion:{completion_id}"


def completions_without_certificate() -> QuerySet:
    """Course completions that have no certificate yet (of any type), oldest first."""
    key = Concat(Value("completion:"), Cast(OuterRef("pk"), CharField()), output_field=CharField())
    has_certificate = Certificate.objects.filter(achievement_key=key, holder_id=OuterRef("person_id"))
    return CourseCompletion.objects.filter(~Exists(has_certificate)).order_by("completed_at", "pk")


def expiring_certificates(*, on: date | None = None, days: int = 30) -> QuerySet:
    """Valid certificates that expire within ``days`` from ``on`` (today), soonest first."""
    on = on or timezone.localdate()
    return (
        Certificate.objects.select_related("type", "holder", "holder__user")
        .filter(status=Certificate.Status.VALID, expires_on__gte=on, expires_on__lte=on + timedelta(days=days))
        .order_by("expires_on", "pk")
    )


def lapsed_renewable_certificates(*, on: date | None = None, within_days: int = 366) -> QuerySet:
    """Valid certificates that expired in the last ``within_days`` and whose type renews on in-service hours
    (they are re-validated once the holder meets the rule)."""
    on = on or timezone.localdate()
    return (
        Certificate.objects.select_related("type", "holder")
        .filter(
            status=Certificate.Status.VALID,
            type__validity=CertificateType.Validity.IN_SERVICE_HOURS,
            expires_on__lt=on,
            expires_on__gte=on - timedelta(days=within_days),
        )
        .order_by("expires_on", "pk")
    )
