"""Front-site views (mobile-first): the caregiver's own record, language switch support."""

from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.utils import timezone

from certificates.views.holder import holder_summary
from lms.learning import selectors as learning_selectors
from lms.registry import selectors


def home_context(request) -> dict:
    """What the home page shows the visitor: their roles and, for caregivers, their record."""
    user = request.user
    scope = selectors.user_scope(user)
    context = {"is_back_office": scope.is_back_office}
    person = selectors.person_for_user(user) if user.is_authenticated else None
    if person:
        context.update(_person_context(person))
    return context


def _person_context(person) -> dict:
    today = timezone.localdate()
    check = person.health_checks.first()
    return {
        "person": person,
        "employments": selectors.current_employments(person, today),
        "health_check": check,
        "health_check_valid": bool(check and check.is_valid_on(today)),
        # this year's training hours vs the yearly requirement of the person's post(s)
        "hours_status": learning_selectors.hours_vs_requirement(person, today.year),
        "year": today.year,
        "certificate_counts": holder_summary(person),
    }


@login_required
def my_record(request):
    person = selectors.person_for_user(request.user)
    context = _person_context(person) if person else {"person": None}
    return TemplateResponse(request, "cms/my_record.html", context)
