"""Reactions to other domains' events (connected in CompetitionsConfig.ready)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from lms.exams.events import exams_demo_resetting
from lms.registry.events import demo_resetting

from .models import Competition, StationScore


@receiver(post_save, sender=StationScore, dispatch_uid="competitions.board_on_score_saved")
@receiver(post_delete, sender=StationScore, dispatch_uid="competitions.board_on_score_deleted")
def board_changed_with_a_score(sender, instance, **kwargs):
    """Any station score written or removed (judging, theory scores, a reopened sheet) moves the scoreboard's
    version, in the same transaction (``bulk_create`` would not: nothing writes scores in bulk)."""
    competition_id = (
        Competition.objects.filter(rounds__stations__pk=instance.station_id).values_list("pk", flat=True).first()
    )
    if competition_id is not None:
        Competition.board_changed(competition_id)


@receiver(demo_resetting, dispatch_uid="competitions.reset_with_registry_demo")
@receiver(exams_demo_resetting, dispatch_uid="competitions.reset_with_exams_demo")
def reset_with_demo(sender, **kwargs):
    """``seed_demo --reset`` and ``seed_demo_exams --reset``: entries point at people and units, judges at users,
    stations at the exams' rubrics and sittings (PROTECT), so the competitions rows go first. The exams' reset
    (itself a receiver of the registry's) asks for this before it deletes anything."""
    from .demo_reset import reset_competitions

    return reset_competitions()
