"""A competition's life before the results: configuration checks, opening registration, starting the event.

``draft`` → ``open`` (registration; needs tracks, rounds whose weights add up to 100 and prize ratios that fit)
→ ``running`` (registration closed, every entry decided; codes are drawn, judges mark) → ``published``
(``services.results``). Every step is audited.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.exams import scoring
from lms.registry import audit

from ..choices import RoundKind
from ..models import Competition, Entry, Station
from .guards import check_organizer

HUNDRED = Decimal("100")
MIN_JUDGES = 3


def setup_problems(competition: Competition) -> list[str]:
    """What stops registration from opening (translated): tracks, rounds, weights, prize ratios."""
    problems = []
    if not competition.tracks.exists():
        problems.append(_("The competition has no track."))
    rounds = list(competition.rounds.all())
    if not rounds:
        problems.append(_("The competition has no round."))
    else:
        weights = sum((Decimal(r.weight) for r in rounds), Decimal("0"))
        if weights != HUNDRED:
            problems.append(
                _("The rounds' weights add up to %(total)s%%; they must add up to 100%%.")
                % {"total": scoring.points_text(weights)}
            )
    percents = sum(
        (
            Decimal(competition.first_prize_percent),
            Decimal(competition.second_prize_percent),
            Decimal(competition.third_prize_percent),
        ),
        Decimal("0"),
    )
    if percents > HUNDRED:
        problems.append(
            _("First, second and third prizes add up to %(total)s%% of the contestants, more than 100%%.")
            % {"total": scoring.points_text(percents)}
        )
    return problems


def station_problems(competition: Competition) -> list[str]:
    """Stations that cannot be used yet (translated): no rubric or sitting, or fewer than three judges."""
    problems = []
    stations = (
        Station.objects.filter(round__competition=competition)
        .select_related("round", "track")
        .annotate(judge_count=Count("judges"))
        .order_by("round__sort_order", "track__sort_order", "name")
    )
    for station in stations:
        label = f"{station.track.name} · {station.round.name} · {station.name}"
        if station.round.kind == RoundKind.PRACTICAL:
            if not station.rubric_id:
                problems.append(_("Station “%(station)s” of a practical round has no rubric.") % {"station": label})
            if station.judge_count < MIN_JUDGES:
                problems.append(
                    ngettext(
                        "Station “%(station)s” has %(n)s judge; it needs at least %(min)s.",
                        "Station “%(station)s” has %(n)s judges; it needs at least %(min)s.",
                        station.judge_count,
                    )
                    % {"station": label, "n": station.judge_count, "min": MIN_JUDGES}
                )
        elif not station.sitting_id:
            problems.append(_("Station “%(station)s” of a theory round has no exam sitting.") % {"station": label})
    return problems


def config_problems(competition: Competition) -> list[str]:
    """Everything wrong with the competition's configuration (translated messages; empty when all is well)."""
    return setup_problems(competition) + station_problems(competition)


def _locked(competition: Competition) -> Competition:
    return Competition.objects.select_for_update().select_related("region").get(pk=competition.pk)


@transaction.atomic
def competition_open(*, competition: Competition, actor) -> Competition:
    """Open registration (draft → open); refused with the problems of the tracks, rounds, weights or prizes."""
    competition = _locked(competition)
    check_organizer(actor, competition)
    if competition.status != Competition.Status.DRAFT:
        raise ValidationError(_("Only a draft competition can open registration."), code="not_draft")
    problems = setup_problems(competition)
    if problems:
        raise ValidationError([ValidationError(p, code="config") for p in problems])
    competition.status = Competition.Status.OPEN
    competition.save(update_fields=["status"])
    audit.record(competition, "competitions.competition.open", actor=actor)
    return competition


@transaction.atomic
def competition_start(*, competition: Competition, actor) -> Competition:
    """Close registration and start the event (open → running); refused while entries await approval."""
    competition = _locked(competition)
    check_organizer(actor, competition)
    if competition.status != Competition.Status.OPEN:
        raise ValidationError(_("Only a competition open for registration can start."), code="not_open")
    pending = Entry.objects.filter(competition=competition, status=Entry.Status.PENDING).count()
    if pending:
        raise ValidationError(
            ngettext(
                "%(n)s entry still awaits approval: approve or refuse it first.",
                "%(n)s entries still await approval: approve or refuse them first.",
                pending,
            )
            % {"n": pending},
            code="pending_entries",
        )
    problems = setup_problems(competition)
    if problems:
        raise ValidationError([ValidationError(p, code="config") for p in problems])
    competition.status = Competition.Status.RUNNING
    competition.save(update_fields=["status"])
    audit.record(
        competition,
        "competitions.competition.start",
        actor=actor,
        approved=Entry.objects.filter(competition=competition, status=Entry.Status.APPROVED).count(),
    )
    return competition
