"""Judging services: panels, sheets with recusal, save/submit/lock, station scores, reopening, the theory round."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from wagtail.models import ModelLogEntry

from lms.competitions.models import Competition, Judge, RoundScore, Sheet, SheetReopen, StationScore
from lms.competitions.services import judging as svc
from lms.exams.choices import Aggregation
from tests import factories as f
from tests.lms.exams.factories import SittingFactory

from .factories import (
    CompetitionFactory,
    EntryFactory,
    RoundFactory,
    StationFactory,
    TrackFactory,
    coded,
    competition_with_rounds,
    criterion_ids,
    marks_for,
    practical_station,
)

pytestmark = pytest.mark.django_db

# sheet totals on the 30/30/40 rubric
POINTS = {
    70: (20, 20, 30),
    72: (20, 22, 30),
    74: (22, 22, 30),
    76: (22, 24, 30),
    80: (25, 25, 30),
    98: (30, 30, 38),
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def organizer():
    return f.UserFactory(is_superuser=True)


def one_round(**fields):
    """A competition under way with one track and a single practical round (everybody takes part)."""
    competition = CompetitionFactory(**fields)
    track = TrackFactory(competition=competition)
    final = RoundFactory(competition=competition, weight=D("100"))
    return competition, track, final


def entries(track, n, *, start=1, **fields):
    return [coded(EntryFactory(track=track, **fields), start + i, f"C{start + i:03d}") for i in range(n)]


def judges(station) -> list[Judge]:
    return list(station.judges.order_by("pk"))


def sheet(station, entry, judge) -> Sheet:
    return Sheet.objects.get(station=station, entry=entry, judge=judge)


def submit_all(station, entry, totals, times=None):
    times = times or [None] * len(totals)
    for judge, total, seconds in zip(judges(station), totals, times, strict=True):
        svc.sheet_submit(
            sheet=sheet(station, entry, judge),
            actor=judge.user,
            marks=marks_for(station, *POINTS[total]),
            time_seconds=seconds,
        )


def codes_of(exc) -> list[str]:
    return [e.code for e in exc.value.error_list]


@pytest.fixture
def panel(organizer):
    """A station with five judges and two coded contestants, sheets assigned."""
    competition, track, final = one_round()
    station = practical_station(track, final, judges=5)
    a, b = entries(track, 2)
    svc.sheets_assign(station=station, actor=organizer)
    return station, a, b


# --- the panel --------------------------------------------------------------------------------------------------


def test_judge_unit_defaults_to_the_current_employment(organizer):
    competition, track, final = one_round()
    station = StationFactory(round=final, track=track)
    workplace = f.InstitutionFactory()
    person = f.EmploymentFactory(institution=workplace, start_date=dt.date(2018, 1, 1)).person
    person.user = f.UserFactory()
    person.save(update_fields=["user"])
    judge = svc.judge_add(station=station, user=person.user, actor=organizer)
    assert judge.institution == workplace and judge.provider is None
    assert judge.unit_keys == {("institution", workplace.pk)}
    assert "competitions.judge.add" in ModelLogEntry.objects.values_list("action", flat=True)
    chosen = f.InstitutionFactory()
    other = svc.judge_add(station=station, user=f.UserFactory(), actor=organizer, institution=chosen, is_chief=True)
    assert other.institution == chosen and other.is_chief
    newer = svc.judge_add(station=station, user=f.UserFactory(), actor=organizer, is_chief=True)
    assert newer.institution is None
    assert list(station.judges.filter(is_chief=True)) == [newer]
    with pytest.raises(ValidationError) as exc:
        svc.judge_add(station=station, user=person.user, actor=organizer)
    assert codes_of(exc) == ["duplicate"]


def test_only_organizers_change_the_panel():
    competition, track, final = one_round()
    station = StationFactory(round=final, track=track)
    unit_admin = f.RoleGrantFactory(institution_admin=True).user
    with pytest.raises(PermissionDenied):
        svc.judge_add(station=station, user=f.UserFactory(), actor=unit_admin)


def test_panel_fixed_once_marks_are_submitted(organizer, panel):
    station, a, b = panel
    first = judges(station)[0]
    svc.sheet_submit(sheet=sheet(station, a, first), actor=first.user, marks=marks_for(station, 20, 20, 30))
    with pytest.raises(ValidationError):
        svc.judge_add(station=station, user=f.UserFactory(), actor=organizer)


def test_judge_remove(organizer, panel):
    station, a, b = panel
    first, second = judges(station)[:2]
    svc.judge_remove(judge=second, actor=organizer)
    assert not Judge.objects.filter(pk=second.pk).exists()
    assert not Sheet.objects.filter(judge_id=second.pk).exists()
    svc.sheet_save(sheet=sheet(station, a, first), actor=first.user, marks={criterion_ids(station)[0]: "20"})
    with pytest.raises(ValidationError) as exc:
        svc.judge_remove(judge=first, actor=organizer)
    assert codes_of(exc) == ["has_marks"]


# --- sheets and recusal -----------------------------------------------------------------------------------------


def test_sheets_assign_with_recusal(organizer):
    competition, track, final = one_round()
    station = practical_station(track, final, judges=5)
    panel = judges(station)
    own = coded(EntryFactory(track=track, institution=panel[1].institution), 1, "OWN1")
    others = entries(track, 2, start=2)
    assert svc.sheets_assign(station=station, actor=organizer) == 5 * 3 - 1
    assert not Sheet.objects.filter(entry=own, judge=panel[1]).exists()
    assert Sheet.objects.filter(entry=own).count() == 4
    assert all(Sheet.objects.filter(entry=e).count() == 5 for e in others)
    assert svc.sheets_assign(station=station, actor=organizer) == 0  # idempotent
    assert Sheet.objects.count() == 14


def test_sheets_assign_refused_when_a_contestant_would_have_fewer_than_three_judges(organizer):
    competition, track, final = one_round()
    station = practical_station(track, final, judges=3)
    entries(track, 2)
    coded(EntryFactory(track=track, institution=judges(station)[2].institution), 9, "RCSE")
    with pytest.raises(ValidationError) as exc:
        svc.sheets_assign(station=station, actor=organizer)
    assert codes_of(exc) == ["too_few_judges"]
    assert "RCSE" in exc.value.messages[0] and "only 2 judges" in exc.value.messages[0]
    assert not Sheet.objects.exists()


def test_sheets_assign_skips_entries_without_a_code(organizer):
    competition, track, final = one_round()
    station = practical_station(track, final, judges=3)
    uncoded = EntryFactory(track=track)
    (a,) = entries(track, 1)
    assert svc.sheets_assign(station=station, actor=organizer) == 3
    assert not Sheet.objects.filter(entry=uncoded).exists()
    coded(uncoded, 2, "LATE")
    assert svc.sheets_assign(station=station, actor=organizer) == 3
    assert a.pk


def test_later_rounds_only_take_the_entries_that_go_on(organizer):
    competition, track, theory, practical = competition_with_rounds()
    station = practical_station(track, practical, judges=3)
    going, stopped, unscored = entries(track, 3)
    RoundScore.objects.create(round=theory, entry=going, score=D("75"), goes_on=True)
    RoundScore.objects.create(round=theory, entry=stopped, score=D("50"), goes_on=False)
    assert svc.sheets_assign(station=station, actor=organizer) == 3
    assert set(Sheet.objects.values_list("entry_id", flat=True)) == {going.pk}
    assert unscored.pk


def test_theory_station_has_no_sheets(organizer):
    competition, track, theory, practical = competition_with_rounds()
    station = StationFactory(round=theory, track=track, rubric=None, sitting=SittingFactory())
    with pytest.raises(ValidationError) as exc:
        svc.sheets_assign(station=station, actor=organizer)
    assert codes_of(exc) == ["not_practical"]


# --- save, submit, lock -----------------------------------------------------------------------------------------


def test_save_draft_then_submit_locks(panel):
    station, a, b = panel
    judge = judges(station)[0]
    ids = criterion_ids(station)
    saved = svc.sheet_save(sheet=sheet(station, a, judge), actor=judge.user, marks={ids[0]: "25", ids[1]: ""})
    assert saved.marks == {ids[0]: "25"} and saved.total == D("25") and not saved.locked
    saved = svc.sheet_save(sheet=saved, actor=judge.user, marks={ids[0]: "26.5"}, time_seconds=300)
    assert saved.total == D("26.5") and saved.time_seconds == 300
    with pytest.raises(ValidationError) as exc:
        svc.sheet_submit(sheet=saved, actor=judge.user)
    assert codes_of(exc) == ["marks", "marks"]
    assert exc.value.messages[0].endswith("has no mark yet.")
    submitted = svc.sheet_submit(sheet=saved, actor=judge.user, marks=marks_for(station, 25, 25, 30))
    assert submitted.locked and submitted.total == D("80") and submitted.time_seconds == 300
    log = ModelLogEntry.objects.for_instance(submitted).get(action="competitions.sheet.submit")
    assert log.data["total"] == "80.00" and log.data["code"] == a.code
    with pytest.raises(ValidationError) as exc:
        svc.sheet_save(sheet=submitted, actor=judge.user, marks=marks_for(station, 20, 20, 20))
    assert codes_of(exc) == ["locked"]
    with pytest.raises(ValidationError) as exc:
        svc.sheet_submit(sheet=submitted, actor=judge.user)
    assert codes_of(exc) == ["locked"]
    submitted.refresh_from_db()
    assert submitted.total == D("80")


def test_another_judge_may_not_touch_a_sheet(panel):
    station, a, b = panel
    first, second = judges(station)[:2]
    for user in (second.user, f.UserFactory(is_superuser=True), None):
        with pytest.raises(ValidationError) as exc:
            svc.sheet_save(sheet=sheet(station, a, first), actor=user, marks=marks_for(station, 1, 1, 1))
        assert codes_of(exc) == ["not_judge"]


def test_out_of_range_and_unknown_marks_are_refused(panel):
    station, a, b = panel
    judge = judges(station)[0]
    ids = criterion_ids(station)
    with pytest.raises(ValidationError) as exc:
        svc.sheet_save(sheet=sheet(station, a, judge), actor=judge.user, marks={ids[0]: "31"})
    assert exc.value.messages == [exc.value.messages[0]] and exc.value.messages[0].endswith("from 0 to 30.")
    with pytest.raises(ValidationError) as exc:
        svc.sheet_submit(sheet=sheet(station, a, judge), actor=judge.user, marks=marks_for(station, 20, 20, -1))
    assert exc.value.messages[0].endswith("from 0 to 40.")
    with pytest.raises(ValidationError) as exc:
        svc.sheet_save(sheet=sheet(station, a, judge), actor=judge.user, marks={"999999": "1"})
    assert "is not a criterion of this rubric" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        svc.sheet_save(sheet=sheet(station, a, judge), actor=judge.user, marks={ids[0]: "abc"})
    assert sheet(station, a, judge).marks == {}


def test_marking_closed_unless_under_way(panel):
    station, a, b = panel
    Competition.objects.update(status=Competition.Status.PUBLISHED)
    judge = judges(station)[0]
    with pytest.raises(ValidationError) as exc:
        svc.sheet_save(sheet=sheet(station, a, judge), actor=judge.user, marks={})
    assert codes_of(exc) == ["published"]


# --- station scores ---------------------------------------------------------------------------------------------


def test_five_judges_drop_the_highest_and_lowest(panel):
    station, a, b = panel
    panel_judges = judges(station)
    totals = [70, 72, 74, 76, 98]
    for judge, total in list(zip(panel_judges, totals, strict=True))[:4]:
        svc.sheet_submit(sheet=sheet(station, a, judge), actor=judge.user, marks=marks_for(station, *POINTS[total]))
    assert not StationScore.objects.filter(entry=a).exists()  # one sheet still out
    last = panel_judges[4]
    svc.sheet_submit(sheet=sheet(station, a, last), actor=last.user, marks=marks_for(station, *POINTS[98]))
    score = StationScore.objects.get(station=station, entry=a)
    assert score.score == D("74.00")  # (72 + 74 + 76) / 3; the plain mean would be 78
    assert score.judges == 5
    assert score.outliers == 1
    assert list(Sheet.objects.filter(entry=a, outlier=True).values_list("judge", flat=True)) == [last.pk]


def test_four_judges_take_the_mean(organizer):
    competition, track, final = one_round()
    station = practical_station(track, final, judges=4)
    (a,) = entries(track, 1)
    svc.sheets_assign(station=station, actor=organizer)
    submit_all(station, a, [70, 72, 74, 76])
    score = StationScore.objects.get(station=station, entry=a)
    assert score.score == D("73.00") and score.judges == 4 and score.outliers == 0


def test_mean_aggregation_with_five_judges(organizer):
    competition, track, final = one_round(aggregation=Aggregation.MEAN, outlier_points=D("30"))
    station = practical_station(track, final, judges=5)
    (a,) = entries(track, 1)
    svc.sheets_assign(station=station, actor=organizer)
    submit_all(station, a, [70, 72, 74, 76, 98])
    score = StationScore.objects.get(station=station, entry=a)
    assert score.score == D("78.00") and score.outliers == 0


def test_station_time_is_the_median_of_the_judges_timings(panel):
    station, a, b = panel
    submit_all(station, a, [80, 80, 80, 80, 80], times=[300, 310, 320, None, 500])
    assert StationScore.objects.get(station=station, entry=a).time_seconds == 315


# --- reopening --------------------------------------------------------------------------------------------------


def test_reopen_by_the_chief_with_a_reason(panel):
    station, a, b = panel
    chief, *rest = judges(station)
    assert chief.is_chief
    submit_all(station, a, [74, 74, 74, 74, 98])
    wrong = sheet(station, a, rest[-1])
    with pytest.raises(ValidationError) as exc:
        svc.sheet_reopen(sheet=wrong, reason="录入错误", actor=rest[0].user)
    assert codes_of(exc) == ["not_chief"]
    with pytest.raises(ValidationError) as exc:
        svc.sheet_reopen(sheet=wrong, reason=" ", actor=chief.user)
    assert "reason" in exc.value.message_dict
    reopen = svc.sheet_reopen(sheet=wrong, reason="录入错误：第三项多记", actor=chief.user)
    assert isinstance(reopen, SheetReopen)
    assert reopen.reopened_by == chief.user and reopen.total_before == D("98")
    assert reopen.marks_before == marks_for(station, *POINTS[98])
    wrong.refresh_from_db()
    assert not wrong.locked and wrong.marks == reopen.marks_before  # kept as the judge's draft
    assert not StationScore.objects.filter(station=station, entry=a).exists()
    assert not Sheet.objects.filter(entry=a, outlier=True).exists()
    log = ModelLogEntry.objects.for_instance(wrong).get(action="competitions.sheet.reopen")
    assert log.data["reason"] == "录入错误：第三项多记" and log.data["total_before"] == "98.00"
    with pytest.raises(ValidationError) as exc:
        svc.sheet_reopen(sheet=wrong, reason="again", actor=chief.user)
    assert codes_of(exc) == ["not_locked"]
    svc.sheet_submit(sheet=wrong, actor=rest[-1].user, marks=marks_for(station, *POINTS[74]))
    score = StationScore.objects.get(station=station, entry=a)
    assert score.score == D("74.00") and score.outliers == 0


def test_platform_admin_may_reopen_but_not_after_publication(panel, organizer):
    station, a, b = panel
    submit_all(station, a, [80, 80, 80, 80, 80])
    one = sheet(station, a, judges(station)[2])
    assert svc.sheet_reopen(sheet=one, reason="核对", actor=organizer).pk
    svc.sheet_submit(sheet=one, actor=judges(station)[2].user)
    Competition.objects.update(status=Competition.Status.PUBLISHED)
    with pytest.raises(ValidationError) as exc:
        svc.sheet_reopen(sheet=one, reason="too late", actor=organizer)
    assert codes_of(exc) == ["published"]
