"""Reactions to other domains' events (connected in LearningConfig.ready)."""

from django.dispatch import receiver
from wagtail.signals import page_published

from lms.registry.events import person_banned, role_granted, role_revoked
from lms.registry.models import Role

from .models import CoursePage


@receiver(person_banned, dispatch_uid="learning.close_enrollments_of_banned")
def close_enrollments_of_banned(sender, person_id, **kwargs):
    from .services import enrollment_close_for_ban

    enrollment_close_for_ban(person_id=person_id)


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
