"""Two providers, each with a staff member, a health officer and a platform admin — all through the services."""

from __future__ import annotations

from dataclasses import dataclass

from lms.learning import services
from lms.learning.models import ProviderCatalogue
from lms.registry.models import Role
from lms.registry.services import role_grant
from tests import factories as f


@dataclass
class AuthoringWorld:
    provider_a: object
    provider_b: object
    staff_a: object
    staff_b: object
    officer: object
    admin: object
    section_a: ProviderCatalogue
    section_b: ProviderCatalogue


def build_authoring_world(capture_on_commit) -> AuthoringWorld:
    """Grant the roles through ``role_grant`` so that the role events set up the Wagtail groups."""
    provider_a = f.TrainingProviderFactory(name="曲靖市托育培训中心")
    provider_b = f.TrainingProviderFactory(name="宣威市职业培训学校")
    staff_a = f.UserFactory(username="author_a")
    staff_b = f.UserFactory(username="author_b")
    officer = f.UserFactory(username="officer")
    admin = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    with capture_on_commit(execute=True):
        role_grant(user=staff_a, role=Role.PROVIDER_STAFF, provider=provider_a, actor=admin)
        role_grant(user=staff_b, role=Role.PROVIDER_STAFF, provider=provider_b, actor=admin)
        role_grant(user=officer, role=Role.HEALTH_OFFICER, region=f.CountyFactory(), actor=admin)
    services.course_templates_seed()
    return AuthoringWorld(
        provider_a=provider_a,
        provider_b=provider_b,
        staff_a=staff_a,
        staff_b=staff_b,
        officer=officer,
        admin=admin,
        section_a=ProviderCatalogue.objects.get(provider=provider_a),
        section_b=ProviderCatalogue.objects.get(provider=provider_b),
    )
