"""Course authoring set-up with Wagtail's own mechanisms (groups, page permissions, collections, workflow).

* ``learning_setup_ensure()`` — the training catalogue page (below the site's home page), the
  health bureau's reviewer group (publish, not edit, on the catalogue) and the review workflow
  "课程发布审核" attached to the catalogue, so that every course below it is published only
  through review.
* ``provider_catalogue_ensure(provider=…)`` — a provider's section of the catalogue, the Wagtail
  group of its staff (add/change/lock pages on that section only — no publish) and its own
  collection for images, documents and media.
* ``staff_groups_sync(user=…)`` — puts a user in (or takes them out of) those groups according to
  their registry role grants; called when a role is granted or revoked (``receivers``).
* ``course_from_template(…)`` — a draft course with one module page per template module.

All of them are idempotent: run them again and nothing changes. They run lazily (the first
provider-staff grant sets everything up) and from ``manage.py setup_learning``; not from a data
migration or ``post_migrate``, because pages, groups and workflow are site data that the test
database flushes and that need the site's home page to exist.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from lms.registry import audit
from lms.registry.models import Role, RoleGrant, TrainingProvider

from ..models import (
    AnnualHoursRequirement,
    CourseModulePage,
    CoursePage,
    CourseTemplate,
    ProviderCatalogue,
    TrainingCatalogue,
)
from ..models.pages import CourseTemplateModule

CATALOGUE_SLUG = "courses"
CATALOGUE_TITLE = "培训课程"
WORKFLOW_NAME = "课程发布审核"
REVIEW_TASK_NAME = "卫生健康委审核"
REVIEWERS_GROUP = "卫生健康委课程审核"
ACCESS_ADMIN = ("wagtailadmin", "access_admin")
# Page permissions of a provider's staff on its own section. Not publish: publishing goes
# through the review workflow.
PROVIDER_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page")
# Collection permissions of a provider's staff on its own collection.
PROVIDER_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
    # wagtailmedia has no "choose" permission: its chooser lists media one may change.
    ("wagtailmedia", "add_media"),
    ("wagtailmedia", "change_media"),
)
_PROVIDER_GROUP_RE = re.compile(r"^课程编辑#(\d+) ")


def provider_group_name(provider: TrainingProvider) -> str:
    return f"课程编辑#{provider.pk} {provider.name}"[:150]


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _home_page() -> Page:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return site.root_page
    return Page.get_first_root_node().get_children().first() or Page.get_first_root_node()


@transaction.atomic
def learning_setup_ensure(*, actor=None) -> TrainingCatalogue:
    """The catalogue page, the reviewers' group and the review workflow on the catalogue."""
    catalogue = TrainingCatalogue.objects.first()
    if catalogue is None:
        catalogue = _home_page().add_child(instance=TrainingCatalogue(title=CATALOGUE_TITLE, slug=CATALOGUE_SLUG))
        audit.record(catalogue, "learning.catalogue.create", actor=actor)
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    reviewers.permissions.add(_permission(*ACCESS_ADMIN))
    # Approving the last task publishes the page as the approver, so reviewers need publish_page
    # (Wagtail's "Moderators" pattern). Without change_page they open a course in the editor only
    # while it awaits their review.
    GroupPagePermission.objects.get_or_create(
        group=reviewers, page=catalogue, permission=_permission("wagtailcore", "publish_page")
    )
    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK_NAME)
    task.groups.add(reviewers)
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    if not WorkflowPage.objects.filter(page=catalogue).exists():
        WorkflowPage.objects.create(page=catalogue, workflow=workflow)
        audit.record(catalogue, "learning.catalogue.workflow", actor=actor, workflow=workflow.name)
    return catalogue


def provider_group(provider: TrainingProvider) -> Group | None:
    return Group.objects.filter(name__startswith=f"课程编辑#{provider.pk} ").first()


@transaction.atomic
def provider_catalogue_ensure(*, provider: TrainingProvider, actor=None) -> ProviderCatalogue:
    """The provider's section of the catalogue, its staff group, page and collection permissions."""
    catalogue = learning_setup_ensure(actor=actor)
    section = ProviderCatalogue.objects.filter(provider=provider).first()
    if section is None:
        section = catalogue.add_child(
            instance=ProviderCatalogue(title=provider.name, slug=f"provider-{provider.pk}", provider=provider)
        )
        audit.record(section, "learning.provider_section.create", actor=actor, provider=provider.name)

    group = provider_group(provider)
    if group is None:
        group = Group.objects.create(name=provider_group_name(provider))
        audit.record(group, "learning.provider_group.create", actor=actor, provider=provider.name)
    elif group.name != provider_group_name(provider):  # the provider was renamed
        group.name = provider_group_name(provider)
        group.save(update_fields=["name"])
    group.permissions.add(_permission(*ACCESS_ADMIN))
    for codename in PROVIDER_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group, page=section, permission=_permission("wagtailcore", codename)
        )

    collection = Collection.objects.filter(group_permissions__group=group).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=provider.name)
    for app_label, codename in PROVIDER_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=_permission(app_label, codename)
        )

    staff = get_user_model().objects.filter(role_grants__role=Role.PROVIDER_STAFF, role_grants__provider=provider)
    for user in staff.exclude(groups=group):
        group.user_set.add(user)
        audit.record(group, "learning.provider_group.join", actor=actor, user=user.get_username())
    return section


@transaction.atomic
def staff_groups_sync(*, user, actor=None) -> None:
    """Make the user's provider and reviewer group memberships match their role grants."""
    grants = RoleGrant.objects.filter(user=user)
    provider_ids = set(grants.filter(role=Role.PROVIDER_STAFF).values_list("provider_id", flat=True))
    for provider in TrainingProvider.objects.filter(pk__in=provider_ids):
        provider_catalogue_ensure(provider=provider, actor=actor)  # adds the user to the group
    for group in user.groups.filter(name__startswith="课程编辑#"):
        match = _PROVIDER_GROUP_RE.match(group.name)
        if match and int(match.group(1)) not in provider_ids:
            group.user_set.remove(user)
            audit.record(group, "learning.provider_group.leave", actor=actor, user=user.get_username())

    is_officer = grants.filter(role=Role.HEALTH_OFFICER).exists()
    in_reviewers = user.groups.filter(name=REVIEWERS_GROUP).exists()
    if is_officer != in_reviewers:
        learning_setup_ensure(actor=actor)
        reviewers = Group.objects.get(name=REVIEWERS_GROUP)
        if is_officer:
            reviewers.user_set.add(user)
        else:
            reviewers.user_set.remove(user)
        action = "learning.reviewers.join" if is_officer else "learning.reviewers.leave"
        audit.record(reviewers, action, actor=actor, user=user.get_username())


@transaction.atomic
def staff_groups_sync_all(*, actor=None) -> int:
    """Sync every user holding a provider-staff or health-officer grant (for ``setup_learning``)."""
    users = get_user_model().objects.filter(role_grants__role__in=[Role.PROVIDER_STAFF, Role.HEALTH_OFFICER]).distinct()
    count = 0
    for user in users:
        staff_groups_sync(user=user, actor=actor)
        count += 1
    return count


@transaction.atomic
def course_from_template(*, template: CourseTemplate, provider: TrainingProvider, title: str, actor) -> CoursePage:
    """A draft course in the provider's section with the template's kind, hours and modules."""
    section = provider_catalogue_ensure(provider=provider, actor=actor)
    if actor is not None and not section.permissions_for_user(actor).can_add_subpage():
        raise PermissionDenied
    course = CoursePage(
        title=title,
        kind=template.kind,
        occupation=template.occupation,
        target_level=template.target_level,
        required_hours=template.min_hours,
        course_template=template,
        live=False,
        owner=actor,
    )
    section.add_child(instance=course)
    course.save_revision(user=actor, log_action=True)
    for module in template.modules.all():
        page = course.add_child(
            instance=CourseModulePage(title=module.title, min_hours=module.min_hours, live=False, owner=actor)
        )
        page.save_revision(user=actor)
    audit.record(course, "learning.course.create_from_template", actor=actor, template=template.name)
    return course


@transaction.atomic
def course_tree_publish(*, course: CoursePage, actor=None) -> int:
    """Publish the never-published module and lesson pages of a course that was just approved.

    A course is reviewed as a whole: approving it brings its new modules and lessons live with it.
    Pages that were published before (and perhaps unpublished on purpose) or that are in a
    review of their own are left alone.
    """
    count = 0
    for page in course.get_descendants().filter(live=False, first_published_at__isnull=True).specific():
        if page.workflow_in_progress:
            continue
        revision = page.latest_revision or page.save_revision(user=actor)
        revision.publish(user=actor)
        count += 1
    if count:
        audit.record(course, "learning.course.publish_tree", actor=actor, pages=count)
    return count


# --- data seeds (outlines and requirements are data: platform admins edit them in the admin) --------

TEMPLATE_OUTLINES = [
    {
        "name": "托育机构负责人岗位培训",
        "kind": "director",
        "occupation": "director",
        "target_level": None,
        "min_hours": "60",
        "source": "WS/T 821-2023 负责人岗位培训 ≥ 60 学时",
        "modules": [
            ("政策法规与职业道德", "8"),
            ("机构管理", "14"),
            ("卫生保健与安全", "14"),
            ("婴幼儿发展与照护", "14"),
            ("家庭与社区合作", "6"),
            ("实践观摩与考核", "4"),
        ],
    },
    {
        "name": "保育师在职年度培训",
        "kind": "in_service",
        "occupation": "childcare_worker",
        "target_level": None,
        "min_hours": "72",
        "source": "示例大纲(非国家标准,按当地要求调整)",
        "modules": [
            ("职业道德与政策法规更新", "8"),
            ("婴幼儿生活照料", "16"),
            ("卫生保健与疾病预防", "12"),
            ("安全防护与应急处置", "12"),
            ("早期发展与回应性照护", "16"),
            ("家园共育与沟通", "8"),
        ],
    },
]

# EXAMPLE data, not a national rule: no national figure for yearly in-service hours was found
# (DESIGN.md §3: unsure rules are data). Override with settings.LEARNING_EXAMPLE_HOURS_REQUIREMENTS
# (a list of (post, kind, hours)) or edit the rows in the admin.
EXAMPLE_HOURS_REQUIREMENTS = [("caregiver", "in_service", "72")]


@transaction.atomic
def course_templates_seed(*, actor=None, outlines=None) -> list[CourseTemplate]:
    """Create the outlines that are missing (by name); existing templates are never overwritten."""
    created = []
    for outline in outlines or TEMPLATE_OUTLINES:
        if CourseTemplate.objects.filter(name=outline["name"]).exists():
            continue
        template = CourseTemplate(
            name=outline["name"],
            kind=outline["kind"],
            occupation=outline["occupation"],
            target_level=outline["target_level"],
            min_hours=Decimal(outline["min_hours"]),
            source=outline["source"],
        )
        template.modules = [
            CourseTemplateModule(title=title, min_hours=Decimal(hours), sort_order=i)
            for i, (title, hours) in enumerate(outline["modules"])
        ]
        template.full_clean()
        template.save()
        audit.record(template, "learning.template.seed", actor=actor)
        created.append(template)
    return created


@transaction.atomic
def hours_requirements_seed(*, actor=None) -> list[AnnualHoursRequirement]:
    """Create the example yearly hours requirements that are missing (marked as examples)."""
    rows = getattr(settings, "LEARNING_EXAMPLE_HOURS_REQUIREMENTS", EXAMPLE_HOURS_REQUIREMENTS)
    created = []
    for post, kind, hours in rows:
        requirement, made = AnnualHoursRequirement.objects.get_or_create(
            post=post, kind=kind, defaults={"hours": Decimal(hours)}
        )
        if made:
            audit.record(requirement, "learning.requirement.seed", actor=actor, example=True)
            created.append(requirement)
    return created
