"""Reactions to other domains' events (connected in LearningConfig.ready)."""

from django.core.cache import cache
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from lms.registry.events import demo_resetting, person_banned, role_granted, role_revoked
from lms.registry.models import Role

from .models import CourseModulePage, CoursePage, LessonPage


@receiver(person_banned, dispatch_uid="learning.close_enrollments_of_banned")
def close_enrollments_of_banned(sender, person_id, **kwargs):
    from .services import enrollment_close_for_ban

    enrollment_close_for_ban(person_id=person_id)


@receiver(demo_resetting, dispatch_uid="learning.reset_with_registry_demo")
def reset_with_registry_demo(sender, **kwargs):
    """``seed_demo --reset``: learning rows point at people, so they go first."""
    from .demo import reset_learning

    return reset_learning()


@receiver(role_granted, dispatch_uid="learning.author_groups_on_grant")
@receiver(role_revoked, dispatch_uid="learning.author_groups_on_revoke")
def sync_author_groups(sender, user_id, role, **kwargs):
    """Provider staff edit their provider's courses; health officers review courses (Wagtail groups)."""
    if role not in (Role.PROVIDER_STAFF, Role.HEALTH_OFFICER):
        return
    from django.contrib.auth import get_user_model

    from .services import staff_groups_sync

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is not None:
        staff_groups_sync(user=user)


@receiver(page_published, sender=CoursePage, dispatch_uid="learning.publish_course_tree")
def publish_course_tree(sender, instance, **kwargs):
    """An approved course goes live with its (never yet published) modules and lessons."""
    from .services import course_tree_publish

    course_tree_publish(course=instance)  # the approver is named on the course's own publish log entry


@receiver(page_published, sender=CoursePage, dispatch_uid="learning.targets_on_publish_course")
@receiver(page_published, sender=CourseModulePage, dispatch_uid="learning.targets_on_publish_module")
@receiver(page_published, sender=LessonPage, dispatch_uid="learning.targets_on_publish_lesson")
@receiver(page_unpublished, sender=CoursePage, dispatch_uid="learning.targets_on_unpublish_course")
@receiver(page_unpublished, sender=CourseModulePage, dispatch_uid="learning.targets_on_unpublish_module")
@receiver(page_unpublished, sender=LessonPage, dispatch_uid="learning.targets_on_unpublish_lesson")
@receiver(post_page_move, dispatch_uid="learning.targets_on_move")
@receiver(pre_delete, sender=CoursePage, dispatch_uid="learning.targets_on_delete_course")
@receiver(pre_delete, sender=CourseModulePage, dispatch_uid="learning.targets_on_delete_module")
@receiver(pre_delete, sender=LessonPage, dispatch_uid="learning.targets_on_delete_lesson")
def forget_lesson_targets(sender, instance, **kwargs):
    """Heartbeats read lessons from the cache (``selectors.lesson_target``): drop what a change makes stale."""
    from . import selectors

    if isinstance(instance, LessonPage):
        lesson_ids = [instance.pk]
    else:
        lesson_ids = list(LessonPage.objects.descendant_of(instance).values_list("pk", flat=True))
    if lesson_ids:
        cache.delete_many([selectors.lesson_target_key(pk) for pk in lesson_ids])
