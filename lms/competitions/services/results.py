"""A competition's results: round scores and advancement, totals, ranking, prizes, 优秀组织奖, level upgrades.

Rules (DESIGN.md §3; the arithmetic is in :mod:`..marks` and :mod:`..ranking`):

* Per track, the rounds in order. The approved entries of the track take part in the first round; in a later
  round, those who went on from the one before. A contestant's round score is the weighted mean of the station
  scores of the round's stations for the track (``marks.round_score``), the time the sum of the stations'
  times (unknown if one is). Round scores are ranked within the round (equal scores share a place).
* A round is decided once every contestant taking part has a score at every station. Then those at or above
  the pass mark (and, if the round sends only the top N on, the top N of them, ties with the Nth too) go on;
  the others stop there (``Entry.stopped_after``: theory below the pass mark → no final). A round not decided
  yet is skipped, and so are the rounds after it: results can be computed in the middle of the event.
* Totals: Σ round score × weight / 100 for every approved entry with a round score (rounds not reached count 0).
  Once a track's rounds are all decided, the contestants who finished the last round are ranked by total, then
  the competition's tie-breaks (the weighted practical part, the weighted theory part, the time over all
  rounds); the others of the track are not ranked. Prizes go by ratio of the ranked contestants
  (``ranking.awards``), the top places are recommended for a level upgrade, and once every track is decided the
  优秀组织奖 goes to the units whose contestants won most (over the whole competition).
* ``results_compute`` replaces whatever an earlier computation wrote (idempotent) and is refused once the
  results are published; ``results_publish`` recomputes, refuses while anything is missing
  (``results_problems``) and, after commit, sends ``events.competition_results_published`` (award certificates).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.registry import audit

from .. import marks, ranking
from ..choices import RoundKind
from ..events import competition_results_published
from ..models import (
    Competition,
    Entry,
    OrganizationAward,
    Round,
    RoundScore,
    Sheet,
    Station,
    StationScore,
    Track,
    UpgradeRecommendation,
)
from .guards import check_organizer, refuse_published

# --- the plan: everything computed in memory, written by results_compute ----------------------------------------


@dataclass
class TrackPlan:
    track: Track
    round_scores: list[RoundScore] = field(default_factory=list)
    stopped: dict[int, int] = field(default_factory=dict)  # entry id -> round id
    totals: dict[int, Decimal] = field(default_factory=dict)
    ranks: dict[int, int] = field(default_factory=dict)
    awards: dict[int, str] = field(default_factory=dict)
    upgrades: list[int] = field(default_factory=list)
    decided: bool = True  # every round decided (or nobody left to take part)
    missing: list[tuple[Round, Station, list[Entry]]] = field(default_factory=list)  # no station score
    no_station: list[Round] = field(default_factory=list)


@dataclass
class Plan:
    tracks: list[TrackPlan]
    entries: dict[int, Entry]
    unit_awards: list[ranking.UnitAward]

    @property
    def decided(self) -> bool:
        return all(t.decided for t in self.tracks)


def _time_sum(times: list[int | None]) -> int | None:
    return None if any(t is None for t in times) else sum(times)


def _plan(competition: Competition) -> Plan:
    rounds = list(competition.rounds.order_by("sort_order", "pk"))
    tracks = list(competition.tracks.order_by("sort_order", "pk"))
    stations: dict[tuple[int, int], list[Station]] = defaultdict(list)
    for station in Station.objects.filter(round__competition=competition).order_by("name", "pk"):
        stations[(station.round_id, station.track_id)].append(station)
    approved = list(
        Entry.objects.filter(competition=competition, status=Entry.Status.APPROVED).order_by("draw_number", "pk")
    )
    entries = {e.pk: e for e in approved}
    scores = {
        (s.station_id, s.entry_id): s
        for s in StationScore.objects.filter(station__round__competition=competition, entry_id__in=entries)
    }
    weights = {r.pk: Decimal(r.weight) for r in rounds}
    practical = {r.pk: Decimal(r.weight) for r in rounds if r.kind == RoundKind.PRACTICAL}
    theory = {r.pk: Decimal(r.weight) for r in rounds if r.kind == RoundKind.THEORY}

    plans = []
    for track in tracks:
        plan = TrackPlan(track=track)
        plans.append(plan)
        taking_part = [e.pk for e in approved if e.track_id == track.pk]
        by_entry: dict[int, dict[int, Decimal]] = defaultdict(dict)
        times: dict[int, list[int | None]] = defaultdict(list)
        finished: list[int] = []
        for index, round in enumerate(rounds):
            if not taking_part:
                break
            here = stations.get((round.pk, track.pk), [])
            if not here:
                plan.no_station.append(round)
                plan.decided = False
                break
            scored: dict[int, tuple[Decimal, int | None]] = {}
            for station in here:
                absent = [entries[pk] for pk in taking_part if (station.pk, pk) not in scores]
                if absent:
                    plan.missing.append((round, station, absent))
            for pk in taking_part:
                got = [scores.get((station.pk, pk)) for station in here]
                if all(got):
                    score = marks.round_score([(s.score, station.weight) for s, station in zip(got, here, strict=True)])
                    scored[pk] = (score, _time_sum([s.time_seconds for s in got]))
            decided = len(scored) == len(taking_part)
            last = index == len(rounds) - 1
            going_on: set[int] = set()
            if decided and not last:
                going_on = ranking.goes_on(
                    {pk: score for pk, (score, _t) in scored.items()}, pass_mark=round.pass_mark, top=round.advance_top
                )
            round_ranks = ranking.rank(
                [ranking.Standing(pk, score, Decimal(0), Decimal(0), None) for pk, (score, _t) in scored.items()], ()
            )
            for pk, (score, time) in scored.items():
                plan.round_scores.append(
                    RoundScore(
                        round=round,
                        entry_id=pk,
                        score=score,
                        time_seconds=time,
                        rank=round_ranks[pk],
                        goes_on=pk in going_on,
                    )
                )
                by_entry[pk][round.pk] = score
                times[pk].append(time)
            if not decided:
                plan.decided = False
                break
            if last:
                finished = list(taking_part)
            else:
                plan.stopped.update({pk: round.pk for pk in taking_part if pk not in going_on})
                taking_part = [pk for pk in taking_part if pk in going_on]

        plan.totals = {pk: ranking.weighted_total(got, weights) for pk, got in by_entry.items()}
        if plan.decided and finished:
            standings = [
                ranking.Standing(
                    entry_id=pk,
                    total=plan.totals[pk],
                    practical=ranking.weighted_total(by_entry[pk], practical),
                    theory=ranking.weighted_total(by_entry[pk], theory),
                    time_seconds=_time_sum(times[pk]),
                )
                for pk in finished
            ]
            plan.ranks = ranking.rank(standings, competition.tie_break_keys)
            percents = (
                Decimal(competition.first_prize_percent),
                Decimal(competition.second_prize_percent),
                Decimal(competition.third_prize_percent),
            )
            counts = ranking.award_counts(len(plan.ranks), percents)
            plan.awards = ranking.awards(
                plan.ranks, plan.totals, counts, min_total=Decimal(competition.award_min_total)
            )
            plan.upgrades = ranking.upgrade_candidates(plan.ranks, top=competition.upgrade_top)

    unit_awards: list[ranking.UnitAward] = []
    if plans and all(p.decided for p in plans):
        prizes: dict[tuple[str, int], list[str]] = defaultdict(list)
        best: dict[tuple[str, int], int] = {}
        for plan in plans:
            for pk, place in plan.ranks.items():
                key = entries[pk].unit_key
                best[key] = min(best.get(key, place), place)
                if pk in plan.awards:
                    prizes[key].append(plan.awards[pk])
        unit_awards = ranking.organization_awards(
            prizes,
            best,
            count=competition.organization_awards,
            min_prizes=competition.organization_award_min_prizes,
        )
    return Plan(tracks=plans, entries=entries, unit_awards=unit_awards)


# --- problems ---------------------------------------------------------------------------------------------------


def _label(entry: Entry) -> str:
    return entry.code or f"#{entry.pk}"


def _problems(competition: Competition, plan: Plan) -> list[str]:
    problems = []
    open_sheets = Sheet.objects.filter(
        station__round__competition=competition, entry__status=Entry.Status.APPROVED, submitted_at__isnull=True
    ).count()
    if open_sheets:
        problems.append(
            ngettext(
                "%(count)d judge's sheet is not submitted yet.",
                "%(count)d judges' sheets are not submitted yet.",
                open_sheets,
            )
            % {"count": open_sheets}
        )
    for track_plan in plan.tracks:
        for round in track_plan.no_station:
            problems.append(
                _("%(track)s: the round “%(round)s” has no station, so nobody has a score in it.")
                % {"track": track_plan.track.name, "round": round.name}
            )
        for round, station, absent in track_plan.missing:
            problems.append(
                ngettext(
                    "%(track)s, %(round)s: %(count)d contestant has no score at %(station)s (%(codes)s).",
                    "%(track)s, %(round)s: %(count)d contestants have no score at %(station)s (%(codes)s).",
                    len(absent),
                )
                % {
                    "track": track_plan.track.name,
                    "round": round.name,
                    "station": station.name,
                    "count": len(absent),
                    "codes": ", ".join(_label(e) for e in absent),
                }
            )
    if not problems and not any(t.ranks for t in plan.tracks):
        problems.append(_("Nobody has finished the competition: there are no results to publish."))
    return problems


def results_problems(competition: Competition) -> list[str]:
    """What stops publication (translated): judges' sheets not submitted, contestants without a score at a station
    of a round they take part in, rounds without a station (no round scores), nobody ranked."""
    return _problems(competition, _plan(competition))


# --- writes -----------------------------------------------------------------------------------------------------


def _write(competition: Competition, plan: Plan) -> dict:
    RoundScore.objects.filter(round__competition=competition).delete()
    round_scores = [rs for t in plan.tracks for rs in t.round_scores]
    RoundScore.objects.bulk_create(round_scores)

    totals, ranks, awards, stopped, upgrades = {}, {}, {}, {}, []
    for t in plan.tracks:
        totals.update(t.totals)
        ranks.update(t.ranks)
        awards.update(t.awards)
        stopped.update(t.stopped)
        upgrades.extend((t.track, pk, t.ranks[pk]) for pk in t.upgrades)
    changed = []
    for entry in Entry.objects.filter(competition=competition):
        values = (totals.get(entry.pk), ranks.get(entry.pk), stopped.get(entry.pk), awards.get(entry.pk, ""))
        if (entry.total, entry.rank, entry.stopped_after_id, entry.award) != values:
            entry.total, entry.rank, entry.stopped_after_id, entry.award = values
            changed.append(entry)
    Entry.objects.bulk_update(changed, ["total", "rank", "stopped_after", "award"])

    OrganizationAward.objects.filter(competition=competition).delete()
    OrganizationAward.objects.bulk_create(
        OrganizationAward(
            competition=competition,
            institution_id=a.unit[1] if a.unit[0] == "institution" else None,
            provider_id=a.unit[1] if a.unit[0] == "provider" else None,
            rank=a.rank,
            points=a.points,
            prizes=a.prizes,
        )
        for a in plan.unit_awards
    )
    UpgradeRecommendation.objects.filter(competition=competition).delete()
    UpgradeRecommendation.objects.bulk_create(
        UpgradeRecommendation(
            competition=competition,
            entry_id=pk,
            person_id=plan.entries[pk].person_id,
            occupation=track.occupation,
            level=competition.upgrade_level,
            rank=place,
        )
        for track, pk, place in upgrades
    )
    return {
        "round_scores": len(round_scores),
        "totals": len(totals),
        "ranked": len(ranks),
        "prizes": len(awards),
        "stopped": len(stopped),
        "organization_awards": len(plan.unit_awards),
        "upgrade_recommendations": len(upgrades),
    }


@transaction.atomic
def results_compute(*, competition: Competition, actor=None) -> dict:
    """Compute (or recompute) the round scores, advancement, totals, ranks, prizes, 优秀组织奖 and upgrade
    recommendations from the station scores (see the module docstring). Returns how many of each were written."""
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    check_organizer(actor, competition)
    refuse_published(competition)
    counts = _write(competition, _plan(competition))
    audit.record(competition, "competitions.results.compute", actor=actor, **counts)
    return counts


def _send_published(competition_id: int) -> None:
    competition_results_published.send(sender=Competition, competition_id=competition_id)


@transaction.atomic
def results_publish(*, competition: Competition, actor) -> Competition:
    """Recompute and publish the results of a competition under way: names, ranks and prizes become public, and
    the award certificates are issued (``competition_results_published``, after commit). Refused with the
    problems while anything is missing; nothing changes then."""
    locked = Competition.objects.select_for_update().get(pk=competition.pk)
    check_organizer(actor, locked)
    refuse_published(locked)
    if locked.status != Competition.Status.RUNNING:
        raise ValidationError(_("Results can be published only once the competition is under way."))
    plan = _plan(locked)
    problems = _problems(locked, plan)
    if problems:
        raise ValidationError(problems)
    counts = _write(locked, plan)
    audit.record(locked, "competitions.results.compute", actor=actor, **counts)
    locked.status = Competition.Status.PUBLISHED
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at"])
    audit.record(locked, "competitions.competition.publish", actor=actor, **counts)
    transaction.on_commit(lambda pk=locked.pk: _send_published(pk), robust=True)
    competition.status, competition.published_at = locked.status, locked.published_at
    return locked
