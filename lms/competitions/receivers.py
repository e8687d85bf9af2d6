"""Reactions to other domains' events (connected in CompetitionsConfig.ready)."""

from django.dispatch import receiver

from lms.exams.events import exams_demo_resetting
from lms.registry.events import demo_resetting


@receiver(demo_resetting, dispatch_uid="competitions.reset_with_registry_demo")
@receiver(exams_demo_resetting, dispatch_uid="competitions.reset_with_exams_demo")
def reset_with_demo(sender, **kwargs):
    """``seed_demo --reset`` and ``seed_demo_exams --reset``: entries point at people and units, judges at users,
    stations at the exams' rubrics and sittings (PROTECT), so the competitions rows go first. The exams' reset
    (itself a receiver of the registry's) asks for this before it deletes anything."""
    from .demo_reset import reset_competitions

    return reset_competitions()
