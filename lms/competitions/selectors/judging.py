"""Reads for judging: who takes part in a round, the judges' stations and sheets, the chief judge's overview.

Judges see contestants only by their codes (二次加密): nothing here hands a judge's page a name or a unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from lms.exams.selectors.practical import criteria_of, maxima
from lms.registry.selectors import user_scope

from ..models import Competition, Entry, Judge, Round, RoundScore, Sheet, Station, StationScore

JUDGING_STATUSES = (Competition.Status.RUNNING, Competition.Status.PUBLISHED)

# --- rounds -----------------------------------------------------------------------------------------------------


def ordered_rounds(competition_id: int) -> list[Round]:
    return list(Round.objects.filter(competition_id=competition_id).order_by("sort_order", "pk"))


def previous_round(round: Round) -> Round | None:
    """The round before ``round`` in the competition (None for the first round)."""
    rounds = ordered_rounds(round.competition_id)
    index = next(i for i, r in enumerate(rounds) if r.pk == round.pk)
    return rounds[index - 1] if index else None


def round_entries(round: Round, track_id: int) -> QuerySet:
    """The approved entries of the track that take part in ``round``: all of them in the first round; in a later
    round those whose score in the previous round lets them go on (``RoundScore.goes_on``)."""
    qs = Entry.objects.filter(track_id=track_id, status=Entry.Status.APPROVED)
    before = previous_round(round)
    if before is not None:
        goes_on = RoundScore.objects.filter(round=before, entry=OuterRef("pk"), goes_on=True)
        qs = qs.filter(Exists(goes_on))
    return qs


# --- judges' pages ----------------------------------------------------------------------------------------------


def station_criteria(station: Station) -> list:
    """The criteria of a practical station's rubric, in order (empty for a theory station)."""
    return criteria_of(station.rubric_id) if station.rubric_id else []


def station_maxima(station: Station) -> dict[str, Decimal]:
    """Criterion id (text, as in ``Sheet.marks``) -> maximum points."""
    return maxima(station_criteria(station))


def judge_stations(user) -> QuerySet:
    """The stations where ``user`` judges, of competitions under way or published, with ``sheet_count`` and
    ``submitted_count`` (the user's own sheets) and ``is_chief``."""
    if user is None or not user.is_authenticated:
        return Station.objects.none()
    mine = Judge.objects.filter(station=OuterRef("pk"), user=user)
    return (
        Station.objects.filter(Exists(mine), round__competition__status__in=JUDGING_STATUSES)
        .select_related("round", "track", "round__competition", "rubric", "sitting")
        .annotate(
            sheet_count=Count("sheets", filter=Q(sheets__judge__user=user), distinct=True),
            submitted_count=Count(
                "sheets", filter=Q(sheets__judge__user=user, sheets__submitted_at__isnull=False), distinct=True
            ),
            is_chief=Exists(mine.filter(is_chief=True)),
        )
        .order_by("-round__competition__starts_on", "round__sort_order", "track__sort_order", "name")
    )


def judge_of(user, station: Station) -> Judge | None:
    if user is None or not user.is_authenticated:
        return None
    return Judge.objects.filter(station=station, user=user).first()


@dataclass
class JudgeRow:
    """A contestant as a judge sees them: the code (and drawn number), and the state of the judge's sheet."""

    sheet: Sheet
    code: str
    draw_number: int | None
    state: str  # "todo" | "draft" | "locked"
    total: Decimal | None


def sheet_state(sheet: Sheet | None) -> str:
    if sheet is None or (not sheet.marks and not sheet.locked):
        return "todo"
    return "locked" if sheet.locked else "draft"


def judge_rows(station: Station, judge: Judge) -> list[JudgeRow]:
    sheets = (
        Sheet.objects.filter(station=station, judge=judge)
        .select_related("entry")
        .order_by("entry__draw_number", "entry__code", "pk")
    )
    return [
        JudgeRow(sheet=s, code=s.entry.code, draw_number=s.entry.draw_number, state=sheet_state(s), total=s.total)
        for s in sheets
    ]


@dataclass
class ChiefRow:
    """One contestant at the station for the chief judge: each judge's sheet (``sheets`` by judge id, ``cells``
    in the order of the judges), the station score if every sheet is in, and whether a judge was flagged."""

    entry_id: int
    code: str
    draw_number: int | None
    sheets: dict[int, Sheet] = field(default_factory=dict)
    cells: list[Sheet | None] = field(default_factory=list)
    score: StationScore | None = None
    outlier: bool = False

    @property
    def submitted(self) -> int:
        return sum(1 for s in self.sheets.values() if s.locked)


def chief_rows(station: Station) -> tuple[list[Judge], list[ChiefRow]]:
    """The station's judges (chief first) and one row per contestant with sheets there, by drawn number."""
    judges = list(station.judges.select_related("user").order_by("-is_chief", "pk"))
    scores = {s.entry_id: s for s in StationScore.objects.filter(station=station)}
    rows: dict[int, ChiefRow] = {}
    sheets = (
        Sheet.objects.filter(station=station)
        .select_related("entry", "judge")
        .order_by("entry__draw_number", "entry__code", "pk")
    )
    for sheet in sheets:
        row = rows.get(sheet.entry_id)
        if row is None:
            row = rows[sheet.entry_id] = ChiefRow(
                entry_id=sheet.entry_id,
                code=sheet.entry.code,
                draw_number=sheet.entry.draw_number,
                score=scores.get(sheet.entry_id),
            )
        row.sheets[sheet.judge_id] = sheet
        row.outlier = row.outlier or sheet.outlier
    for row in rows.values():
        row.cells = [row.sheets.get(j.pk) for j in judges]
    return judges, list(rows.values())


def _sheets() -> QuerySet:
    return Sheet.objects.select_related(
        "entry", "judge", "judge__user", "station", "station__rubric", "station__round", "station__round__competition"
    )


def sheet_for(user, sheet_id: int) -> Sheet | None:
    """The user's own sheet (None for anybody else's)."""
    if user is None or not user.is_authenticated:
        return None
    return _sheets().filter(pk=sheet_id, judge__user=user).first()


def sheet_for_chief(user, sheet_id: int) -> Sheet | None:
    """A sheet of a station where the user is the chief judge (platform admins: any sheet)."""
    if user is None or not user.is_authenticated:
        return None
    qs = _sheets().filter(pk=sheet_id)
    if user_scope(user).is_platform_admin:
        return qs.first()
    chief = Judge.objects.filter(station=OuterRef("station"), user=user, is_chief=True)
    return qs.filter(Exists(chief)).first()
