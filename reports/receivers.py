"""Reactions to other domains' events (connected in ReportsConfig.ready)."""

from django.dispatch import receiver

from lms.registry.events import demo_resetting


@receiver(demo_resetting, dispatch_uid="reports.reset_with_registry_demo")
def reset_with_registry_demo(sender, **kwargs):
    """``seed_demo --reset``: child counts and report packs point at institutions and regions, so they go first."""
    from .demo import reset_reports

    return reset_reports()
