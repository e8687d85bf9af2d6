"""The competitions demo's scores: theory scores (as ``theory_import`` writes them) and the judges' sheets, marked
through the judging service with plausible, varied marks (each contestant's ability, each judge's leniency, one
judge far off for one contestant so that the outlier flag shows)."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

from .models import Competition, Entry, Sheet, Station, StationScore
from .services import judging

HALF = Decimal("0.5")
LENIENCY = (0.0, -0.03, 0.02, 0.04, -0.02)  # judge1 … judge5
FAR_OFF = -0.22  # the last judge's marks for the third contestant of each station: flagged as an outlier


def half_points(value: float, maximum: Decimal) -> Decimal:
    points = (Decimal(str(value)) / HALF).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * HALF
    return min(maximum, max(Decimal("0"), points))


class Marker:
    def __init__(self, rng: random.Random, competition: Competition):
        self.rng = rng
        self.competition = competition
        self.sheets = 0
        self.submitted = 0
        entries = competition.entries.filter(status=Entry.Status.APPROVED).order_by("track__sort_order", "pk")
        # (theory, practical) abilities; the last of each track is weak in theory (below the pass mark: no final)
        self.ability: dict[int, tuple[float, float]] = {}
        for track_id in {e.track_id for e in entries}:
            mine = [e for e in entries if e.track_id == track_id]
            for i, entry in enumerate(mine):
                theory = 0.48 if i == len(mine) - 1 else rng.uniform(0.62, 0.95)
                self.ability[entry.pk] = (theory, rng.uniform(0.6, 0.94))

    def theory(self) -> None:
        """Each contestant's theory score (0–100, one decimal) and time, at the track's theory station."""
        stations = Station.objects.filter(round__competition=self.competition, sitting__isnull=False)
        for station in stations.order_by("track__sort_order"):
            for entry in station.track.entries.filter(status=Entry.Status.APPROVED).order_by("pk"):
                score = min(100.0, max(0.0, self.rng.gauss(self.ability[entry.pk][0] * 100, 4)))
                StationScore.objects.update_or_create(
                    station=station,
                    entry=entry,
                    defaults={
                        "score": Decimal(str(round(score, 1))),
                        "judges": 0,
                        "time_seconds": self.rng.randint(2_700, 5_400),
                    },
                )

    def marks(self, station: Station, ability: float, leniency: float) -> dict[str, str]:
        return {
            str(c.pk): str(half_points(float(c.max_points) * self.rng.gauss(ability + leniency, 0.05), c.max_points))
            for c in station.rubric.criteria.order_by("sort_order", "pk")
        }

    def practical(self, *, complete: bool) -> None:
        """Every judge submits every sheet (``complete``), or the station is half marked: the first half of the
        contestants (by drawn number) by everyone, the next two by all but the chief judge (one of them a draft of
        the chief's), the rest not yet."""
        stations = Station.objects.filter(round__competition=self.competition, rubric__isnull=False)
        for station in stations.order_by("track__sort_order"):
            sheets = list(
                Sheet.objects.filter(station=station)
                .select_related("judge__user", "entry")
                .order_by("entry__draw_number", "judge__pk")
            )
            self.sheets += len(sheets)
            order = sorted({s.entry.draw_number for s in sheets})
            done = order if complete else order[: len(order) // 2]
            chief_later = [] if complete else order[len(done) : len(done) + 2]
            times = {n: self.rng.randint(1_500, 2_400) for n in order}
            judges = sorted({s.judge_id for s in sheets})
            for sheet in sheets:
                number = sheet.entry.draw_number
                leniency = LENIENCY[judges.index(sheet.judge_id) % len(LENIENCY)]
                if number == order[min(2, len(order) - 1)] and sheet.judge_id == judges[-1]:
                    leniency = FAR_OFF
                ability = self.ability[sheet.entry_id][1]
                time_seconds = times[number] + self.rng.randint(-3, 3)
                if number in done or (number in chief_later and not sheet.judge.is_chief):
                    judging.sheet_submit(
                        sheet=sheet,
                        actor=sheet.judge.user,
                        marks=self.marks(station, ability, leniency),
                        time_seconds=time_seconds,
                    )
                    self.submitted += 1
                elif chief_later and number == chief_later[0]:  # the chief judge is half-way through this one
                    marks = self.marks(station, ability, leniency)
                    draft = dict(list(marks.items())[: len(marks) // 2])
                    judging.sheet_save(sheet=sheet, marks=draft, actor=sheet.judge.user, time_seconds=None)
