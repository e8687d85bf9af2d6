"""Finding and removing the competitions demo (``seed_demo_competitions``, ``manage.py start`` and
``seed_demo --reset``)."""

from django.db import transaction

from .demo_plan import FINISHED_TITLE, RUNNING_TITLE
from .models import (
    Competition,
    Entry,
    Judge,
    OrganizationAward,
    Quota,
    Round,
    RoundScore,
    Sheet,
    SheetReopen,
    Station,
    StationScore,
    Track,
    UpgradeRecommendation,
)

# children before parents: sheets PROTECT their judges, entries their tracks, stations the exams' rubrics and sittings
ORDER = (
    UpgradeRecommendation,
    OrganizationAward,
    RoundScore,
    StationScore,
    SheetReopen,
    Sheet,
    Judge,
    Station,
    Entry,
    Quota,
    Round,
    Track,
    Competition,
)


def demo_exists() -> bool:
    """Both demo competitions are there."""
    return Competition.objects.filter(title__in=[FINISHED_TITLE, RUNNING_TITLE]).count() == 2


@transaction.atomic
def reset_competitions() -> dict[str, int]:
    """Delete every competitions row; returns ``{table: rows deleted}``.

    The award certificates belong to the certificates app: ``seed_demo --reset`` deletes them too (its own
    ``demo_resetting`` receiver); otherwise run ``seed_demo_certificates --clear`` first, or the re-seeded prize
    winners get a second award certificate each. The exams' sittings and rubrics the stations used stay."""
    deleted = {}
    for model in ORDER:
        _total, by_model = model.objects.all().delete()
        deleted[f"competitions_{model._meta.model_name}"] = by_model.get(model._meta.label, 0)
    return deleted
