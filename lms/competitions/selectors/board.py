"""The live scoreboard and the published results (public reads; JSON-ready dicts).

Until the results are published the scoreboard shows contestants by code only: no name, no unit. It is
computed live from the station scores: a round's score appears when every station of the round has scored
the contestant, the provisional total is the weighted sum of the rounds done and the provisional rank follows
the competition's tie-breaks. Once published, the official total, rank and award (``results_compute``) show,
with names and units. ``version`` changes whenever a station score or the competition's status changes, so
a polling page redraws only when something moved; the board of a version is built once and kept in the cache
(every viewer polls the same few queries for the version, not the whole board).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal

from django.core.cache import cache

from lms.learning.choices import Occupation, SkillLevel

from .. import marks, ranking
from ..choices import Award, RoundKind
from ..models import (
    Competition,
    Entry,
    OrganizationAward,
    Station,
    StationScore,
    UpgradeRecommendation,
)
from .judging import ordered_rounds

HUNDRED = Decimal("100")
BOARD_CACHE_SECONDS = 600


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(ranking.quantize(value))


def scoreboard_version(competition: Competition) -> str:
    """A short marker that changes whenever the board would: a station score written or removed (a reopened
    sheet), codes drawn (``Competition.board_revision``), the status or the publication. One primary-key read,
    fresh (never a stale copy of the competition)."""
    now = Competition.objects.values("created_at", "status", "published_at", "board_revision").get(pk=competition.pk)
    parts = [
        competition.pk,
        now["created_at"].isoformat(),  # ids may be reused after a demo reset (SQLite)
        now["status"],
        now["published_at"].isoformat() if now["published_at"] else "-",
        now["board_revision"],
    ]
    raw = "|".join(str(p) for p in parts)
    return hashlib.sha1(raw.encode()).hexdigest()[:16]  # noqa: S324 (a change marker, not a secret)


def _live_results(competition: Competition, rounds, entries) -> dict[int, dict]:
    """Entry id -> {"rounds": {round id: score|None}, "total", "practical", "theory", "time"} from station scores."""
    stations: dict[tuple[int, int], list[Station]] = defaultdict(list)
    for station in Station.objects.filter(round__competition=competition):
        stations[(station.round_id, station.track_id)].append(station)
    scores = {
        (s.station_id, s.entry_id): s
        for s in StationScore.objects.filter(station__round__competition=competition, entry__in=entries)
    }
    results = {}
    for entry in entries:
        by_round: dict[int, Decimal | None] = {}
        practical = theory = Decimal("0")
        time_seconds: int | None = 0
        done = False
        for rnd in rounds:
            here = stations.get((rnd.pk, entry.track_id), [])
            got = [scores.get((s.pk, entry.pk)) for s in here]
            if not here or any(g is None for g in got):
                by_round[rnd.pk] = None
                continue
            score = marks.round_score([(g.score, s.weight) for g, s in zip(got, here, strict=True)])
            by_round[rnd.pk] = score
            done = True
            part = score * Decimal(rnd.weight) / HUNDRED
            if rnd.kind == RoundKind.PRACTICAL:
                practical += part
            else:
                theory += part
            times = [g.time_seconds for g in got]
            time_seconds = None if time_seconds is None or None in times else time_seconds + sum(times)
        total = None
        if done:
            weights = {rnd.pk: rnd.weight for rnd in rounds}
            total = ranking.weighted_total({k: v for k, v in by_round.items() if v is not None}, weights)
        results[entry.pk] = {
            "rounds": by_round,
            "total": total,
            "practical": ranking.quantize(practical),
            "theory": ranking.quantize(theory),
            "time": time_seconds,
        }
    return results


def scoreboard(competition: Competition, *, version: str | None = None) -> dict:
    """The live scoreboard (see the module docstring); ``version``: the caller's fresh ``scoreboard_version``."""
    version = version or scoreboard_version(competition)
    key = f"competitions:board:{competition.pk}:{version}"
    board = cache.get(key)
    if board is None:
        board = {"version": version, **_build_board(competition)}
        cache.set(key, board, BOARD_CACHE_SECONDS)
    return board


def _build_board(competition: Competition) -> dict:
    competition = Competition.objects.get(pk=competition.pk)
    published = competition.status == Competition.Status.PUBLISHED
    rounds = ordered_rounds(competition.pk)
    entries = list(
        Entry.objects.filter(competition=competition, status=Entry.Status.APPROVED)
        .exclude(code="")
        .select_related("person", "institution", "provider")
        .order_by("draw_number", "code")
    )
    live = _live_results(competition, rounds, entries)
    tracks = []
    for track in competition.tracks.order_by("sort_order", "pk"):
        mine = [e for e in entries if e.track_id == track.pk]
        if published:
            ranks = {e.pk: e.rank for e in mine}
            totals = {e.pk: e.total for e in mine}
        else:
            standings = [
                ranking.Standing(
                    entry_id=e.pk,
                    total=live[e.pk]["total"],
                    practical=live[e.pk]["practical"],
                    theory=live[e.pk]["theory"],
                    time_seconds=live[e.pk]["time"],
                )
                for e in mine
                if live[e.pk]["total"] is not None
            ]
            ranks = ranking.rank(standings, competition.tie_break_keys)
            totals = {e.pk: live[e.pk]["total"] for e in mine}
        rows = [
            {
                "code": e.code,
                "name": e.person.name if published else "",
                "unit": str(e.unit) if published else "",
                "rounds": {rnd.pk: _text(live[e.pk]["rounds"][rnd.pk]) for rnd in rounds},
                "total": _text(totals.get(e.pk)),
                "rank": ranks.get(e.pk),
                "award": (e.award or "") if published else "",
            }
            for e in mine
        ]
        rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["code"]))
        tracks.append(
            {
                "id": track.pk,
                "name": track.name,
                "rows": rows,
                "rounds": [{"id": rnd.pk, "name": rnd.name, "weight": str(rnd.weight)} for rnd in rounds],
            }
        )
    return {"published": published, "tracks": tracks}


def _unit_name(obj) -> str:
    unit = obj.institution or obj.provider
    return str(unit) if unit else ""


def public_results(competition: Competition) -> dict:
    """The published results: per track the contestants (ranked ones by rank, then those who went no further),
    the organization awards and the level-upgrade recommendations. ``LookupError`` unless published."""
    competition = Competition.objects.select_related("region").get(pk=competition.pk)
    if competition.status != Competition.Status.PUBLISHED:
        raise LookupError("results not published")
    award_labels = dict(Award.choices)
    entries = list(
        Entry.objects.filter(competition=competition, status=Entry.Status.APPROVED)
        .select_related("person", "institution", "provider", "stopped_after")
        .order_by("rank", "-total", "code", "pk")
    )
    tracks = []
    for track in competition.tracks.order_by("sort_order", "pk"):
        mine = [e for e in entries if e.track_id == track.pk]
        mine.sort(key=lambda e: (e.rank is None, e.rank or 0, -(e.total or 0), e.code, e.pk))
        tracks.append(
            {
                "id": track.pk,
                "name": track.name,
                "occupation": str(Occupation(track.occupation).label),
                "rows": [
                    {
                        "entry_id": e.pk,
                        "code": e.code,
                        "name": e.person.name,
                        "unit": _unit_name(e),
                        "total": _text(e.total),
                        "rank": e.rank,
                        "award": e.award or "",
                        "award_label": str(award_labels.get(e.award, "")) if e.award else "",
                        "stopped_after": e.stopped_after.name if e.stopped_after else "",
                    }
                    for e in mine
                ],
            }
        )
    organization = [
        {"unit": _unit_name(a), "rank": a.rank, "points": a.points, "prizes": a.prizes}
        for a in OrganizationAward.objects.filter(competition=competition)
        .select_related("institution", "provider")
        .order_by("rank", "pk")
    ]
    upgrades = [
        {
            "name": u.person.name,
            "track": u.entry.track.name,
            "occupation": str(Occupation(u.occupation).label),
            "level": u.level,
            "level_label": str(SkillLevel(u.level).label),
            "rank": u.rank,
        }
        for u in UpgradeRecommendation.objects.filter(competition=competition)
        .select_related("person", "entry__track")
        .order_by("entry__track__sort_order", "rank", "pk")
    ]
    return {
        "competition": {
            "id": competition.pk,
            "title": competition.title,
            "organizer": competition.organizer,
            "published_at": competition.published_at.isoformat() if competition.published_at else None,
        },
        "tracks": tracks,
        "organization_awards": organization,
        "upgrades": upgrades,
    }
