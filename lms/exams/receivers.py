"""Reactions to other domains' events (connected in ExamsConfig.ready)."""

from django.dispatch import receiver

from lms.registry.events import demo_resetting


@receiver(demo_resetting, dispatch_uid="exams.reset_with_registry_demo")
def reset_with_registry_demo(sender, **kwargs):
    """``seed_demo --reset``: candidates, results, examiners and banks point at people, providers and users (PROTECT),
    so the exams rows go first."""
    from .demo_reset import reset_exams

    return reset_exams()
