"""Reactions to other domains' events (connected in LearningConfig.ready)."""

from django.dispatch import receiver

from lms.registry.events import person_banned


@receiver(person_banned, dispatch_uid="learning.close_enrollments_of_banned")
def close_enrollments_of_banned(sender, person_id, **kwargs):
    from .services import enrollment_close_for_ban

    enrollment_close_for_ban(person_id=person_id)
