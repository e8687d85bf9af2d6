"""The live scoreboard's poll at a busy event: 2 tracks × 150 contestants, theory and a practical round of three
stations, every contestant scored (station scores written directly).

Each figure is the median of ``BENCH_REPEATS`` (default 50) calls of the view (``RequestFactory``, no middleware),
against a bare view measured in the same run (one query for the competition, then a ``JsonResponse`` of its
status: the least any poll does):

* ``poll, nothing new`` — the page's usual poll: ``If-None-Match`` carries the current version → empty 304;
* ``poll, board cached`` — a viewer whose version is old, the board of the new version already built;
* ``poll, board built`` — the first viewer after a score arrives (the cache emptied before each call).

No target is named by the issue; viewers wait on the first two (every 3 s each), the third happens once per
scored contestant. Run: ``RUN_BENCHMARKS=1 python3 manage.py runtests tests/benchmarks/test_scoreboard.py -s``.
"""

from __future__ import annotations

import os
import statistics
import time
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.http import JsonResponse
from django.test import RequestFactory

from lms.competitions.models import Competition, Entry, StationScore
from lms.competitions.views import public
from tests import factories as f
from tests.lms.competitions.factories import (
    StationFactory,
    TrackFactory,
    competition_with_rounds,
)

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db]

PER_TRACK = int(os.environ.get("BENCH_CONTESTANTS", "150"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "50"))


def _median_ms(call) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _event():
    competition, track, theory, practical = competition_with_rounds()
    tracks = [track, TrackFactory(competition=competition, name="育婴员（职工组）")]
    institution = f.InstitutionFactory(region=f.CountyFactory(parent=competition.region))
    stations, entries = [], []
    for t in tracks:
        stations.append(StationFactory(round=theory, track=t, rubric=None, name=f"理论{t.pk}"))
        stations += [StationFactory(round=practical, track=t, name=f"实操{t.pk}-{i}") for i in range(3)]
        people = [f.PersonFactory() for _ in range(PER_TRACK)]
        entries += Entry.objects.bulk_create(
            Entry(
                competition=competition,
                track=t,
                person=p,
                institution=institution,
                status=Entry.Status.APPROVED,
                draw_number=i + 1,
                code=f"{t.pk % 10}{i:03d}",
            )
            for i, p in enumerate(people)
        )
    by_track = {t.pk: [s for s in stations if s.track_id == t.pk] for t in tracks}
    StationScore.objects.bulk_create(
        StationScore(station=s, entry=e, score=Decimal(60 + (e.pk * 7 + s.pk * 3) % 40), judges=5, time_seconds=600)
        for e in entries
        for s in by_track[e.track_id]
    )
    return competition


def test_scoreboard_poll():
    competition = _event()
    factory = RequestFactory()
    url = f"/competitions/{competition.pk}/scoreboard.json"

    def poll(etag: str = ""):
        headers = {"If-None-Match": etag} if etag else {}
        return public.scoreboard_json(factory.get(url, headers=headers), competition.pk)

    first = poll()
    assert first.status_code == 200
    etag = first["ETag"]
    assert poll(etag).status_code == 304

    def built():
        cache.clear()
        return poll()

    def bare_view():
        row = Competition.objects.values("status").get(pk=competition.pk)
        return JsonResponse({"status": row["status"]})

    bare = _median_ms(bare_view)
    nothing_new = _median_ms(lambda: poll(etag))
    cached = _median_ms(lambda: poll('"stale"'))
    cold = _median_ms(built)
    rows = 2 * PER_TRACK
    print(
        f"\nscoreboard of {rows} contestants ({len(first.content) // 1024} KiB of JSON), medians of {REPEATS}:\n"
        f"  bare view (1 query)      {bare:8.2f} ms\n"
        f"  poll, nothing new (304)  {nothing_new:8.2f} ms  ({nothing_new / bare:.1f}x the bare view)\n"
        f"  poll, board cached       {cached:8.2f} ms\n"
        f"  poll, board built        {cold:8.2f} ms  ({cold / cached:.1f}x the cached poll)\n"
    )
