"""Provider sections, author/reviewer groups following role grants, templates, the setup command."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from wagtail.models import Collection, GroupPagePermission, Site, Workflow

from lms.learning import services
from lms.learning.models import (
    AnnualHoursRequirement,
    CourseModulePage,
    CoursePage,
    CourseTemplate,
    ProviderCatalogue,
    TrainingCatalogue,
)
from lms.learning.services.authoring import REVIEWERS_GROUP, WORKFLOW_NAME, provider_group
from lms.registry.events import role_granted, role_revoked
from lms.registry.models import Role, RoleGrant
from lms.registry.services import role_grant, role_revoke
from tests import factories as f

from .authoring_world import build_authoring_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    return build_authoring_world(django_capture_on_commit_callbacks)


def test_role_events_are_sent_after_commit(django_capture_on_commit_callbacks):
    seen = []

    def listener(sender, **kwargs):
        seen.append((kwargs["role"], kwargs["user_id"], kwargs["provider_id"]))

    role_granted.connect(listener, dispatch_uid="test-granted")
    role_revoked.connect(listener, dispatch_uid="test-revoked")
    try:
        user, provider = f.UserFactory(), f.TrainingProviderFactory()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            grant = role_grant(user=user, role=Role.PROVIDER_STAFF, provider=provider)
        assert seen == []  # nothing before commit
        for callback in callbacks:
            callback()
        with django_capture_on_commit_callbacks(execute=True):
            role_revoke(grant=grant)
    finally:
        role_granted.disconnect(dispatch_uid="test-granted")
        role_revoked.disconnect(dispatch_uid="test-revoked")
    assert seen == [(Role.PROVIDER_STAFF, user.pk, provider.pk)] * 2


def test_first_staff_grant_sets_up_catalogue_section_group_and_collection(world):
    catalogue = TrainingCatalogue.objects.get()
    home = Site.objects.get(is_default_site=True).root_page
    assert catalogue.get_parent().pk == home.pk
    assert (catalogue.slug, catalogue.title) == ("courses", "培训课程")
    assert world.section_a.get_parent().pk == catalogue.pk

    group = provider_group(world.provider_a)
    assert world.staff_a.groups.filter(pk=group.pk).exists()
    assert not world.staff_b.groups.filter(pk=group.pk).exists()
    codenames = set(GroupPagePermission.objects.filter(group=group).values_list("permission__codename", flat=True))
    assert codenames == {"add_page", "change_page", "lock_page"}  # never publish_page
    assert set(GroupPagePermission.objects.filter(group=group).values_list("page_id", flat=True)) == {
        world.section_a.pk
    }
    collection = Collection.objects.filter(group_permissions__group=group).distinct().get()
    assert collection.name == world.provider_a.name
    perms = set(collection.group_permissions.filter(group=group).values_list("permission__codename", flat=True))
    assert {"add_image", "choose_image", "add_document", "choose_document", "add_media"} <= perms

    assert world.officer.groups.filter(name=REVIEWERS_GROUP).exists()
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert catalogue.get_workflow() == workflow
    assert [t.specific.groups.get().name for t in workflow.tasks] == [REVIEWERS_GROUP]


def test_setup_is_idempotent(world):
    counts = (Group.objects.count(), ProviderCatalogue.objects.count(), Collection.objects.count())
    services.provider_catalogue_ensure(provider=world.provider_a)
    services.learning_setup_ensure()
    call_command("setup_learning", verbosity=0)
    call_command("setup_learning", verbosity=0)
    assert (Group.objects.count(), ProviderCatalogue.objects.count(), Collection.objects.count()) == counts
    assert Workflow.objects.filter(name=WORKFLOW_NAME).count() == 1
    assert CourseTemplate.objects.count() == 2
    assert AnnualHoursRequirement.objects.filter(post="caregiver", kind="in_service").count() == 1


def test_revoking_roles_removes_group_membership(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        role_revoke(grant=RoleGrant.objects.get(user=world.staff_a), actor=world.admin)
        role_revoke(grant=RoleGrant.objects.get(user=world.officer), actor=world.admin)
    assert not world.staff_a.groups.exists()
    assert not world.officer.groups.exists()
    assert not world.section_a.permissions_for_user(world.staff_a).can_edit()


def test_officer_with_two_regions_stays_reviewer_until_last_grant_goes(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        second = role_grant(user=world.officer, role=Role.HEALTH_OFFICER, region=f.CountyFactory())
        role_revoke(grant=second)
    assert world.officer.groups.filter(name=REVIEWERS_GROUP).exists()


def test_grants_made_outside_the_service_are_picked_up_by_setup_command(db):
    grant = f.RoleGrantFactory(provider_staff=True, provider=f.TrainingProviderFactory())
    call_command("setup_learning", "--no-examples", verbosity=0)
    assert grant.user.groups.filter(pk=provider_group(grant.provider).pk).exists()
    assert not AnnualHoursRequirement.objects.exists()


def test_seeded_outlines_have_modules_whose_hours_add_up(world):
    director = CourseTemplate.objects.get(name="托育机构负责人岗位培训")
    titles = [m.title for m in director.modules.all()]
    assert {"政策法规与职业道德", "机构管理", "卫生保健与安全", "婴幼儿发展与照护", "家庭与社区合作"} <= set(titles)
    assert director.min_hours >= 60
    assert sum(m.min_hours for m in director.modules.all()) >= director.min_hours
    caregiver = CourseTemplate.objects.get(name="保育师在职年度培训")
    assert sum(m.min_hours for m in caregiver.modules.all()) == caregiver.min_hours


def test_course_from_template_creates_a_draft_with_module_hours(world):
    template = CourseTemplate.objects.get(name="托育机构负责人岗位培训")
    course = services.course_from_template(
        template=template, provider=world.provider_a, title="2025年托育机构负责人岗位培训", actor=world.staff_a
    )
    assert course.get_parent().pk == world.section_a.pk
    assert not course.live
    assert (course.kind, course.occupation, course.required_hours) == ("director", "director", Decimal("60"))
    modules = CourseModulePage.objects.child_of(course).order_by("path")
    assert [(m.title, m.min_hours, m.live) for m in modules] == [
        (m.title, m.min_hours, False) for m in template.modules.all()
    ]


def test_course_from_template_refuses_another_providers_section(world):
    template = CourseTemplate.objects.first()
    with pytest.raises(PermissionDenied):
        services.course_from_template(
            template=template, provider=world.provider_b, title="越权课程", actor=world.staff_a
        )
    assert not CoursePage.objects.exists()
