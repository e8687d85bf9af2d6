"""Finding and removing the demo registry (used by ``seed_demo``)."""

from django.db import connection, transaction

from . import demo_data as data
from .events import demo_resetting
from .models import Employment, HealthCheck, Institution, Person, Region, RoleGrant, RosterImport, TrainingProvider


def demo_exists() -> bool:
    return Region.objects.filter(code=data.QUJING[0]).exists()


@transaction.atomic
def reset_registry() -> dict[str, int]:
    """Delete all registry rows, children before parents (Employment, Region, ... are PROTECTed).

    Other apps delete their rows that point at people first (``events.demo_resetting``).

    A table that rows of another app still point at is deleted through the ORM, so that app's
    ``on_delete`` rules (PROTECT, CASCADE, SET_NULL) apply; the others with one SQL ``DELETE``, which
    takes seconds instead of minutes at province scale.
    """
    deleted = {}
    for _receiver, counts in demo_resetting.send(sender=None):  # other apps' rows first (PROTECT)
        deleted.update(counts or {})
    order = (RoleGrant, RosterImport, HealthCheck, Employment, Person, Institution, TrainingProvider, Region)
    with connection.cursor() as cursor:
        for model in order:
            outside = [rel for rel in model._meta.related_objects if rel.related_model not in order]
            if any(
                rel.related_model._base_manager.filter(**{f"{rel.field.name}__isnull": False}).exists()
                for rel in outside
            ):
                deleted[model._meta.model_name] = model.objects.all().delete()[0]
            else:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
                deleted[model._meta.model_name] = cursor.rowcount
    return deleted
