"""Public pages of competitions (mounted at /competitions/, no login needed).

* ``competition_list`` — competitions open for registration, under way or with published results;
* ``detail`` — tracks, rounds and their weights, dates and place;
* ``scoreboard`` / ``scoreboard_json`` — the live scoreboard: the page polls the JSON every 3 seconds and
  updates its rows in place; until publication it shows contestant codes only;
* ``results`` — the published results (names, units, awards, 优秀组织奖, level-upgrade recommendations);
  "not found" until publication.

Draft competitions are "not found" everywhere. No personal data is shown before publication.
"""

from __future__ import annotations

from django.http import Http404, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..choices import Award
from ..models import Competition
from ..selectors import public_results, scoreboard_version
from ..selectors import scoreboard as scoreboard_of

POLL_SECONDS = 3
PUBLIC = (Competition.Status.OPEN, Competition.Status.RUNNING, Competition.Status.PUBLISHED)


def _public_competition(competition_id: int) -> Competition:
    return get_object_or_404(Competition.objects.select_related("region"), pk=competition_id, status__in=PUBLIC)


@require_GET
def competition_list(request):
    competitions = Competition.objects.filter(status__in=PUBLIC).select_related("region").order_by("-starts_on", "pk")
    return render(request, "competitions/public/list.html", {"competitions": competitions})


@require_GET
def detail(request, competition_id: int):
    competition = _public_competition(competition_id)
    return render(
        request,
        "competitions/public/detail.html",
        {
            "competition": competition,
            "tracks": list(competition.tracks.order_by("sort_order", "pk")),
            "rounds": list(competition.rounds.order_by("sort_order", "pk")),
            "live": competition.status in (Competition.Status.RUNNING, Competition.Status.PUBLISHED),
        },
    )


def _round_value(scores: dict, round_id):
    return scores.get(str(round_id), scores.get(round_id))


def board_tables(board: dict) -> tuple[list[dict], str]:
    """The board's tracks with each row's round scores in the rounds' order (templates cannot look up a dict by
    a variable key), and the board's shape (tracks and their rounds) as the page's script compares it."""
    tracks = []
    for track in board.get("tracks", []):
        rows = [
            {
                **row,
                "cells": [
                    {"id": r["id"], "value": _round_value(row.get("rounds") or {}, r["id"])}
                    for r in track.get("rounds", [])
                ],
            }
            for row in track.get("rows", [])
        ]
        tracks.append({**track, "rows": rows})
    shape = "|".join(
        f"{t['id']}:" + ",".join(str(r["id"]) for r in t.get("rounds", [])) for t in board.get("tracks", [])
    )
    return tracks, shape


def _live_competition(competition_id: int) -> Competition:
    competition = _public_competition(competition_id)
    if competition.status not in (Competition.Status.RUNNING, Competition.Status.PUBLISHED):
        raise Http404
    return competition


@never_cache
@require_GET
def scoreboard(request, competition_id: int):
    competition = _live_competition(competition_id)
    board = scoreboard_of(competition)
    tracks, shape = board_tables(board)
    return render(
        request,
        "competitions/public/scoreboard.html",
        {
            "competition": competition,
            "board": board,
            "tracks": tracks,
            "shape": shape,
            "awards": dict(Award.choices),
            "poll_ms": POLL_SECONDS * 1000,
        },
    )


@require_GET
def scoreboard_json(request, competition_id: int):
    """The board as JSON, with its version as the ETag: a poll that already has this version gets an empty 304
    (browsers revalidate on every poll: ``no-cache``)."""
    competition = _live_competition(competition_id)
    version = scoreboard_version(competition)
    etag = f'"{version}"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = JsonResponse(scoreboard_of(competition, version=version))
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def results(request, competition_id: int):
    competition = _public_competition(competition_id)
    try:
        data = public_results(competition)
    except LookupError:
        raise Http404 from None
    return render(request, "competitions/public/results.html", {"competition": competition, "results": data})
