"""Granting and revoking back-office roles."""

from __future__ import annotations

from django.db import transaction

from .. import audit
from ..models import RoleGrant


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
    return grant


@transaction.atomic
def role_revoke(*, grant: RoleGrant, actor=None) -> None:
    audit.record(grant, "registry.role.revoke", actor=actor, role=grant.role, scope=str(grant.scope))
    grant.delete()
