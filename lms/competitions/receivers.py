"""Reactions to other domains' events (connected in CompetitionsConfig.ready)."""

from django.dispatch import receiver

from lms.registry.events import demo_resetting

EXAMS_RESET = "exams.reset_with_registry_demo"


@receiver(demo_resetting, dispatch_uid="competitions.reset_with_registry_demo")
def reset_with_registry_demo(sender, **kwargs):
    """``seed_demo --reset``: entries point at people and units, judges at users, stations at the exams' rubrics
    and sittings (PROTECT), so the competitions rows go first."""
    from .demo_reset import reset_competitions

    return reset_competitions()


def run_before_the_exams_reset() -> None:
    """Receivers run in the order they were connected, and the exams app (ready before this one) connected its
    reset first: it would then find rubrics and sittings still used by stations. Its receiver is connected again,
    after ours (Django's public connect/disconnect; the exams' own code is unchanged)."""
    from lms.exams import receivers as exams_receivers

    if demo_resetting.disconnect(dispatch_uid=EXAMS_RESET):
        demo_resetting.connect(exams_receivers.reset_with_registry_demo, dispatch_uid=EXAMS_RESET)


run_before_the_exams_reset()
