"""Who may do what in the bank admin: Wagtail permission policies over ``selectors.bank`` scoping.

Provider staff act on their providers' rows and view the platform's (``provider`` empty); platform admins act on
everything. Row checks on an instance need no query (the owning provider id is on the row or its bank).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from wagtail.permission_policies.base import BasePermissionPolicy

from lms.registry.models import Role
from lms.registry.selectors import user_scope

from ..models import Blueprint, KnowledgeArea, Question, QuestionBank
from ..selectors import bank as selectors

VIEW = "view"


class ScopedPolicy(BasePermissionPolicy):
    """Model rights from the role; rows from ``rows(user, action)`` and ``owner(instance) -> provider id``."""

    provider_actions = frozenset({"view", "add", "change", "delete"})

    def __init__(self, model, *, rows: Callable, owner: Callable, provider_actions=None):
        super().__init__(model)
        self.rows, self.owner = rows, owner
        if provider_actions is not None:
            self.provider_actions = frozenset(provider_actions)

    def user_has_permission(self, user, action):
        scope = user_scope(user)
        return scope.is_platform_admin or (bool(scope.provider_ids) and action in self.provider_actions)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        scope = user_scope(user)
        if scope.is_platform_admin:
            return True
        provider_id = self.owner(instance)
        return provider_id in scope.provider_ids or (action == VIEW and provider_id is None)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return self.model.objects.none()
        return self.rows(user, action)

    def instances_user_has_any_permission_for(self, user, actions):
        qs = self.model.objects.none()
        for action in actions:
            qs = qs | self.instances_user_has_permission_for(user, action)
        return qs

    def users_with_any_permission(self, actions):
        return (
            get_user_model().objects.filter(Q(is_superuser=True) | Q(role_grants__role=Role.PROVIDER_STAFF)).distinct()
        )


class SuperuserPolicy(BasePermissionPolicy):
    """Platform admins only (knowledge areas are shared data)."""

    def user_has_permission(self, user, action):
        return user_scope(user).is_platform_admin

    def user_has_any_permission(self, user, actions):
        return user_scope(user).is_platform_admin

    def instances_user_has_permission_for(self, user, action):
        return self.model.objects.all() if user_scope(user).is_platform_admin else self.model.objects.none()

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_superuser=True)


def bank_policy() -> ScopedPolicy:
    return ScopedPolicy(
        QuestionBank,
        rows=selectors.banks_for,
        owner=lambda bank: bank.provider_id,
        provider_actions={"view", "add", "change"},  # a bank and its questions are deleted by platform admins
    )


def question_policy() -> ScopedPolicy:
    return ScopedPolicy(Question, rows=selectors.questions_for, owner=lambda q: q.bank.provider_id)


def blueprint_policy() -> ScopedPolicy:
    return ScopedPolicy(Blueprint, rows=selectors.blueprints_for, owner=lambda b: b.provider_id)


def knowledge_area_policy() -> SuperuserPolicy:
    return SuperuserPolicy(KnowledgeArea)


def scoped_object(policy: BasePermissionPolicy, user, pk, action: str = VIEW):
    """The row ``pk`` if the user may ``action`` it: 404 when they cannot even see it, 403 when only see it."""
    instance = policy.instances_user_has_permission_for(user, VIEW).filter(pk=pk).first()
    if instance is None:
        raise Http404
    if action != VIEW and not policy.user_has_permission_for_instance(user, action, instance):
        raise PermissionDenied
    return instance


class ScopedObjectMixin:
    """Generic views' ``get_object`` through the viewset's permission policy (``object_action`` on the row)."""

    object_action = VIEW

    def get_object(self, queryset=None):
        pk = unquote(str(self.kwargs[self.pk_url_kwarg]))
        return scoped_object(self.permission_policy, self.request.user, pk, self.object_action)
