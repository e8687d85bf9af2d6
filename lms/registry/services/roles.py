"""Granting and revoking back-office roles."""

from __future__ import annotations

from django.db import transaction

from .. import audit
from ..events import role_granted, role_revoked
from ..models import RoleGrant


def _send_on_commit(signal, grant: RoleGrant) -> None:
    data = {
        "user_id": grant.user_id,
        "role": grant.role,
        "region_id": grant.region_id,
        "institution_id": grant.institution_id,
        "provider_id": grant.provider_id,
    }
    transaction.on_commit(lambda: signal.send(sender=RoleGrant, **data))


@transaction.atomic
def role_grant(*, user, role: str, region=None, institution=None, provider=None, actor=None) -> RoleGrant:
    """Give ``user`` ``role`` over one scope (idempotent)."""
    existing = RoleGrant.objects.filter(
        user=user, role=role, region=region, institution=institution, provider=provider
    ).first()
    if existing:
        return existing
    grant = RoleGrant(user=user, role=role, region=region, institution=institution, provider=provider)
    grant.full_clean()
    grant.save()
    audit.record(grant, "registry.role.grant", actor=actor, role=role, scope=str(grant.scope))
    _send_on_commit(role_granted, grant)
    return grant


@transaction.atomic
def role_revoke(*, grant: RoleGrant, actor=None) -> None:
    audit.record(grant, "registry.role.revoke", actor=actor, role=grant.role, scope=str(grant.scope))
    _send_on_commit(role_revoked, grant)
    grant.delete()
