"""What authors and reviewers see in the real Wagtail admin: scoped editing, review workflow, templates."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.models import TaskState
from wagtail.test.utils.form_data import rich_text

from lms.learning.models import CourseModulePage, CoursePage, CourseTemplate, LessonPage

from .authoring_world import build_authoring_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    return build_authoring_world(django_capture_on_commit_callbacks)


def course_form(title: str, slug: str, **extra) -> dict:
    return {
        "title": title,
        "slug": slug,
        "summary": "",
        "description": rich_text(""),
        "kind": "in_service",
        "occupation": "childcare_worker",
        "target_level": "",
        "required_hours": "2.0",
        "region": "",
        "template": "",
        "enrollment_opens": "",
        "enrollment_closes": "",
        "capacity": "",
        "fee": "0",
        "prerequisite_course": "",
        "prerequisite_occupation": "",
        "prerequisite_level": "",
        "video_ratio": "0.90",
        "text_dwell_seconds": "120",
        "classroom_hours_required": "0",
        **extra,
    }


def add_url(section) -> str:
    return reverse("wagtailadmin_pages:add", args=("learning", "coursepage", section.pk))


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def draft_course(section, title="婴幼儿回应性照护", slug="responsive-care") -> CoursePage:
    course = section.add_child(
        instance=CoursePage(
            title=title, slug=slug, kind="in_service", occupation="childcare_worker", required_hours=2, live=False
        )
    )
    course.save_revision()
    return course


def submit_for_review(client, course) -> None:
    response = client.post(edit_url(course), course_form(course.title, course.slug, **{"action-submit": "Submit"}))
    assert response.status_code == 302, response.content[:2000]
    course.refresh_from_db()
    assert course.workflow_in_progress


def test_author_creates_and_edits_courses_in_own_section(client, world):
    client.force_login(world.staff_a)
    assert client.get(add_url(world.section_a)).status_code == 200
    response = client.post(add_url(world.section_a), course_form("托育机构安全管理", "safety"))
    assert response.status_code == 302
    course = CoursePage.objects.get(slug="safety")
    assert course.get_parent().pk == world.section_a.pk
    assert not course.live  # a draft until reviewed

    response = client.post(edit_url(course), course_form("托育机构安全管理(2025版)", "safety"))
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.get_latest_revision_as_object().title == "托育机构安全管理(2025版)"


def test_author_cannot_add_or_edit_in_another_providers_section(client, world):
    other = draft_course(world.section_b, slug="b-course")
    client.force_login(world.staff_a)
    for response in (
        client.get(add_url(world.section_b)),
        client.post(add_url(world.section_b), course_form("越权课程", "intrude")),
        client.get(edit_url(other)),
        client.post(edit_url(other), course_form("被篡改", "b-course")),
    ):
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response.url == reverse("wagtailadmin_home")
    assert not CoursePage.objects.filter(slug="intrude").exists()
    other.refresh_from_db()
    assert other.get_latest_revision_as_object().title == "婴幼儿回应性照护"


def test_author_cannot_publish_directly(client, world):
    course = draft_course(world.section_a)
    client.force_login(world.staff_a)
    response = client.get(edit_url(course))
    assert b'name="action-publish"' not in response.content
    assert b'name="action-submit"' in response.content
    client.post(edit_url(course), course_form(course.title, course.slug, **{"action-publish": "Publish"}))
    course.refresh_from_db()
    assert not course.live


def workflow_action(client, course, action: str, **data):
    task_state = course.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(course.pk, action, task_state.pk))
    return client.post(url, data)


def test_submitted_course_goes_live_when_a_health_officer_approves(client, world):
    template = CourseTemplate.objects.get(name="保育师在职年度培训")
    client.force_login(world.staff_a)
    response = client.post(
        reverse("learning_course_from_template"),
        {"template": template.pk, "provider": world.provider_a.pk, "title": "2025年保育师在职培训"},
    )
    course = CoursePage.objects.get(title="2025年保育师在职培训")
    assert response.url == edit_url(course)
    module = CourseModulePage.objects.child_of(course).first()
    module.add_child(instance=LessonPage(title="第一课", slug="l1", live=False)).save_revision()
    submit_for_review(client, course)

    # the author cannot approve their own course
    assert workflow_action(client, course, "approve").status_code in (302, 403)
    course.refresh_from_db()
    assert not course.live

    client.force_login(world.officer)
    dashboard = client.get(reverse("wagtailadmin_home"))
    assert "2025年保育师在职培训" in dashboard.content.decode()  # "awaiting your review"
    assert workflow_action(client, course, "approve").url == edit_url(course)
    course.refresh_from_db()
    assert course.live and not course.workflow_in_progress
    # the course's new modules and lessons went live with it
    assert all(p.live for p in course.get_descendants())
    assert course.get_descendants().count() == template.modules.count() + 1


def test_rejected_course_stays_draft_and_the_author_sees_the_comment(client, world):
    course = draft_course(world.section_a)
    client.force_login(world.staff_a)
    submit_for_review(client, course)

    client.force_login(world.officer)
    assert workflow_action(client, course, "reject", comment="请补充课程目标和考核方式").status_code == 302
    course.refresh_from_db()
    assert not course.live
    state = TaskState.objects.get(workflow_state__base_content_type__isnull=False, status=TaskState.STATUS_REJECTED)
    assert state.comment == "请补充课程目标和考核方式"
    assert course.workflow_states.get().status == "needs_changes"

    client.force_login(world.staff_a)
    history = client.get(reverse("wagtailadmin_pages:workflow_history", args=(course.pk,)))
    assert history.status_code == 200
    detail_url = reverse(
        "wagtailadmin_pages:workflow_history_detail", args=(course.pk, course.workflow_states.get().pk)
    )
    assert "请补充课程目标和考核方式" in client.get(detail_url).content.decode()


def test_new_course_from_template_page_lists_templates_and_refuses_others_provider(client, world):
    client.force_login(world.staff_a)
    explorer = client.get(reverse("wagtailadmin_explore", args=(world.section_a.pk,)))
    assert f"course-from-template/?provider={world.provider_a.pk}" in explorer.content.decode()
    page = client.get(reverse("learning_course_from_template"))
    assert page.status_code == 200
    assert "托育机构负责人岗位培训" in page.content.decode()
    template = CourseTemplate.objects.first()
    response = client.post(
        reverse("learning_course_from_template"),
        {"template": template.pk, "provider": world.provider_b.pk, "title": "越权课程"},
    )
    assert response.status_code == 200  # form error: not one of the author's providers
    assert not CoursePage.objects.exists()


def test_course_from_template_page_refused_to_non_authors(client, world):
    client.force_login(world.officer)
    response = client.get(reverse("learning_course_from_template"))
    assert response.status_code in (302, 403)


@pytest.mark.parametrize("viewset", ["course_templates", "hours_requirements"])
def test_platform_settings_viewsets_are_for_platform_admins_only(client, world, viewset):
    for user in (world.staff_a, world.officer):
        client.force_login(user)
        for name in ("index", "add"):
            response = client.get(reverse(f"{viewset}:{name}"))
            assert response.status_code in (302, 403)
    client.force_login(world.admin)
    assert client.get(reverse(f"{viewset}:index")).status_code == 200
    assert client.get(reverse(f"{viewset}:add")).status_code == 200


def test_platform_admin_edits_a_template_with_its_modules(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("course_templates:add"),
        {
            "name": "卫生保健人员年度培训",
            "kind": "health_care",
            "occupation": "health_care",
            "target_level": "",
            "min_hours": "16",
            "source": "示例",
            "modules-TOTAL_FORMS": "2",
            "modules-INITIAL_FORMS": "0",
            "modules-MIN_NUM_FORMS": "1",
            "modules-MAX_NUM_FORMS": "1000",
            "modules-0-title": "传染病防控",
            "modules-0-min_hours": "8",
            "modules-0-ORDER": "1",
            "modules-1-title": "膳食营养",
            "modules-1-min_hours": "8",
            "modules-1-ORDER": "2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    template = CourseTemplate.objects.get(name="卫生保健人员年度培训")
    assert [(m.title, m.min_hours) for m in template.modules.all()] == [
        ("传染病防控", Decimal("8")),
        ("膳食营养", Decimal("8")),
    ]
