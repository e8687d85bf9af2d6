"""Named sequences (certificate serials per number prefix, the global status index), advanced under a row lock."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from ..models import Counter


@transaction.atomic
def counter_next(*, scope: str, count: int = 1) -> int:
    """Advance ``scope`` by ``count`` and return the new value (the last of ``count`` fresh values).

    The UPDATE locks the row until the caller's transaction ends, so concurrent callers get disjoint values.
    A rolled-back transaction gives its values back (no gaps are promised, only uniqueness).
    """
    if count < 1:
        raise ValueError("count must be positive")
    if not Counter.objects.filter(scope=scope).update(value=F("value") + count):
        Counter.objects.get_or_create(scope=scope)  # first use; a concurrent creator makes this a plain get
        Counter.objects.filter(scope=scope).update(value=F("value") + count)
    return Counter.objects.values_list("value", flat=True).get(scope=scope)
