"""Who may use the competitions admin: organizers (platform admins, HR and health officers) manage the
competitions of their regions; institution admins and provider staff only register contestants.

Rows always come from ``selectors``: ``competitions_for(user, "change")`` for organizers' pages (another city's
competition is a 404), ``competitions_for(user)`` and ``units_for(user)`` for the registration pages.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.messages import error as message_error
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from wagtail.permission_policies.base import BasePermissionPolicy

from lms.registry.models import Role
from lms.registry.selectors import user_scope

from .. import selectors
from ..models import Competition

ORGANIZER_ROLES = frozenset({Role.HR_OFFICER, Role.HEALTH_OFFICER})


def is_organizer(user) -> bool:
    """Platform admins and HR / health officers (the rows they manage: ``selectors.competitions_for``)."""
    scope = user_scope(user)
    return scope.is_platform_admin or bool(ORGANIZER_ROLES & set(scope.region_prefixes))


def is_unit_staff(user) -> bool:
    """Institution admins and provider staff: those who register contestants."""
    scope = user_scope(user)
    return bool(scope.institution_ids or scope.provider_ids)


class CompetitionPolicy(BasePermissionPolicy):
    """Organizers only; a competition is theirs when ``selectors.can_manage``; deleted only while a draft
    without entries."""

    def __init__(self):
        super().__init__(Competition)

    def user_has_permission(self, user, action):
        return is_organizer(user)

    def user_has_any_permission(self, user, actions):
        return is_organizer(user)

    def user_has_permission_for_instance(self, user, action, instance):
        if not is_organizer(user) or not selectors.can_manage(user, instance):
            return False
        if action == "delete":
            return instance.status == Competition.Status.DRAFT and not instance.entries.exists()
        return True

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_permission_for(self, user, action):
        if not is_organizer(user):
            return Competition.objects.none()
        rows = selectors.competitions_for(user, "change")
        return rows.filter(status=Competition.Status.DRAFT) if action == "delete" else rows

    def instances_user_has_any_permission_for(self, user, actions):
        return self.instances_user_has_permission_for(user, "change")

    def users_with_any_permission(self, actions):
        return (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(role_grants__role__in=ORGANIZER_ROLES), is_active=True)
            .distinct()
        )


def managed_competition(request, pk: int) -> Competition:
    """The competition ``pk`` if the user organizes it, else 404 (never says that it exists)."""
    user = request.user
    competition = (
        selectors.competitions_for(user, "change").filter(pk=pk).select_related("region").first()
        if is_organizer(user)
        else None
    )
    if competition is None or not selectors.can_manage(user, competition):
        raise Http404
    return competition


def add_errors(form, exc: ValidationError) -> None:
    """A service's ``ValidationError`` on the form (fields it knows, the rest on top)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def show_errors(request, exc: ValidationError, prefix: str = "") -> None:
    """A service's refusal as error messages at the top of the page."""
    for message in exc.messages:
        message_error(request, f"{prefix}{message}")
