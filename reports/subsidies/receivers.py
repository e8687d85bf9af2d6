"""Reactions to other domains' events (connected in SubsidiesConfig.ready)."""

from django.dispatch import receiver

from lms.registry.events import demo_resetting


@receiver(demo_resetting, dispatch_uid="subsidies.reset_with_registry_demo")
def reset_with_registry_demo(sender, **kwargs):
    """``seed_demo --reset``: claims, insurance records and accounts point at people, so they go first."""
    from .demo import reset_subsidies

    return reset_subsidies()
