"""Authoring: providers a user may author for, course templates."""

from __future__ import annotations

from django.db.models import QuerySet

from lms.registry.selectors import user_scope


def authoring_providers(user) -> QuerySet:
    """Training providers in whose catalogue section ``user`` may author courses."""
    from lms.registry.models import TrainingProvider

    scope = user_scope(user)
    if scope.is_platform_admin:
        return TrainingProvider.objects.order_by("name")
    return TrainingProvider.objects.filter(pk__in=scope.provider_ids).order_by("name")


def course_templates() -> QuerySet:
    """Course templates any author may start a course from (they are national outlines, not secrets)."""
    from ..models import CourseTemplate

    return CourseTemplate.objects.prefetch_related("modules").order_by("name")
