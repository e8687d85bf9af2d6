"""A competition's results: advancement, weighted totals, ranking with tie-breaks, prizes, 优秀组织奖, upgrades,
recomputation and publication."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from wagtail.models import ModelLogEntry

from lms.competitions.choices import RoundKind, TieBreak
from lms.competitions.models import (
    Entry,
    OrganizationAward,
    RoundScore,
    StationScore,
    UpgradeRecommendation,
)
from lms.competitions.services import results as svc
from lms.learning.choices import Occupation, SkillLevel
from tests import factories as f

from .factories import (
    CompetitionFactory,
    EntryFactory,
    RoundFactory,
    StationFactory,
    StationScoreFactory,
    TrackFactory,
    coded,
    competition_with_rounds,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def actor():
    return f.UserFactory(is_superuser=True)


def score(station, entry, points, time=None):
    return StationScoreFactory(station=station, entry=entry, score=D(str(points)), time_seconds=time)


def entries(track, n, **fields):
    return [coded(EntryFactory(track=track, **fields), i, f"C{i:03d}") for i in range(1, n + 1)]


@pytest.fixture
def two_rounds():
    """Theory (20%, pass 60) with one station, practical (80%) with one station."""
    competition, track, theory, practical = competition_with_rounds()
    t = StationFactory(round=theory, track=track, rubric=None, name="理论")
    p = StationFactory(round=practical, track=track, name="操作")
    return competition, track, theory, practical, t, p


def one_round(n_scores, **fields):
    """A competition with one practical round weighing 100% and one station; entries scored ``n_scores``."""
    competition = CompetitionFactory(**fields)
    track = TrackFactory(competition=competition)
    final = RoundFactory(competition=competition, kind=RoundKind.PRACTICAL, weight=D("100"))
    station = StationFactory(round=final, track=track)
    made = entries(track, len(n_scores))
    for entry, points in zip(made, n_scores, strict=True):
        score(station, entry, points)
    return competition, track, made


def fresh(*objs):
    for obj in objs:
        obj.refresh_from_db()


# --- advancement ------------------------------------------------------------------------------------------------


def test_theory_below_the_pass_mark_means_no_final(two_rounds, actor):
    competition, track, theory, practical, t, p = two_rounds
    a, b, c = entries(track, 3)
    score(t, a, 80), score(t, b, "59.99"), score(t, c, 70)
    score(p, a, 90), score(p, c, 85)

    counts = svc.results_compute(competition=competition, actor=actor)

    assert counts["round_scores"] == 5 and counts["ranked"] == 2 and counts["stopped"] == 1
    theory_scores = {rs.entry_id: rs for rs in RoundScore.objects.filter(round=theory)}
    assert {pk: rs.goes_on for pk, rs in theory_scores.items()} == {a.pk: True, b.pk: False, c.pk: True}
    assert {pk: rs.rank for pk, rs in theory_scores.items()} == {a.pk: 1, b.pk: 3, c.pk: 2}
    assert not RoundScore.objects.filter(round=practical, goes_on=True).exists()  # the last round
    fresh(a, b, c)
    assert b.stopped_after == theory and b.rank is None and b.award == ""
    assert b.total == D("12.00")  # 59.99 × 20% = 11.998
    assert a.stopped_after is None and c.stopped_after is None
    assert (a.total, a.rank) == (D("88.00"), 1)  # 16 + 72
    assert (c.total, c.rank) == (D("82.00"), 2)  # 14 + 68


def test_only_the_top_n_go_on_with_ties_on_the_last_place(two_rounds):
    competition, track, theory, practical, t, p = two_rounds
    theory.advance_top = 2
    theory.save()
    a, b, c, d, e = entries(track, 5)
    for entry, points in ((a, 90), (b, 80), (c, 80), (d, 70), (e, 50)):
        score(t, entry, points)

    svc.results_compute(competition=competition)

    going = set(RoundScore.objects.filter(round=theory, goes_on=True).values_list("entry_id", flat=True))
    assert going == {a.pk, b.pk, c.pk}
    fresh(d, e)
    assert d.stopped_after == theory and e.stopped_after == theory


def test_an_undecided_round_is_skipped_mid_event(two_rounds):
    competition, track, theory, practical, t, p = two_rounds
    a, b, c = entries(track, 3)
    score(t, a, 80), score(t, b, 70)  # c's theory score is not in yet

    counts = svc.results_compute(competition=competition)

    # the scored contestants have round scores, but nobody goes on or stops before the round is decided
    assert counts == {
        "round_scores": 2,
        "totals": 2,
        "ranked": 0,
        "prizes": 0,
        "stopped": 0,
        "organization_awards": 0,
        "upgrade_recommendations": 0,
    }
    assert not RoundScore.objects.filter(goes_on=True).exists()
    assert not RoundScore.objects.filter(round=practical).exists()
    fresh(a)
    assert (a.total, a.rank, a.stopped_after) == (D("16.00"), None, None)
    assert any("C003" in problem for problem in svc.results_problems(competition))

    # theory decided, the final under way: provisional totals, nobody ranked yet
    score(t, c, 65)
    score(p, a, 90)
    svc.results_compute(competition=competition)
    assert RoundScore.objects.filter(round=theory, goes_on=True).count() == 3
    assert RoundScore.objects.filter(round=practical).count() == 1
    fresh(a, b)
    assert (a.total, a.rank) == (D("88.00"), None)
    assert (b.total, b.rank) == (D("14.00"), None)
    problems = svc.results_problems(competition)
    assert len(problems) == 1 and "C002, C003" in problems[0]


# --- totals and ranking -----------------------------------------------------------------------------------------


def test_weighted_totals_with_weighted_stations(two_rounds):
    competition, track, theory, practical, t, p = two_rounds
    p.weight = D("2")
    p.save()
    p2 = StationFactory(round=practical, track=track, name="操作二", weight=D("1"))
    (a,) = entries(track, 1)
    score(t, a, 75, time=3000)
    score(p, a, 80, time=600)
    score(p2, a, 91, time=500)

    svc.results_compute(competition=competition)

    rs = RoundScore.objects.get(round=practical, entry=a)
    assert rs.score == D("83.67")  # (80 × 2 + 91) / 3
    assert rs.time_seconds == 1100
    fresh(a)
    assert a.total == D("81.94")  # 75 × 20% + 83.67 × 80% = 15 + 66.936
    assert a.rank == 1


def test_equal_totals_are_broken_by_practical_then_theory_then_time(two_rounds):
    competition, track, theory, practical, t, p = two_rounds
    a, b, c, d, e, g = entries(track, 6)
    rows = [
        (a, 90, 80, 300),  # 18 + 64 = 82
        (b, 70, 85, 300),  # 14 + 68 = 82: better practical than a
        (c, 80, 80, 400),  # 16 + 64 = 80
        (d, 80, 80, 300),  # as c, less time
        (e, 60, 75, 300),  # 12 + 60 = 72
        (g, 60, 75, 300),  # equal to e on everything
    ]
    for entry, theory_points, practical_points, time in rows:
        score(t, entry, theory_points, time=1000)
        score(p, entry, practical_points, time=time)

    svc.results_compute(competition=competition)
    ranks = dict(Entry.objects.filter(track=track).values_list("code", "rank"))
    assert ranks == {"C001": 2, "C002": 1, "C003": 4, "C004": 3, "C005": 5, "C006": 5}

    competition.tie_break = TieBreak.THEORY_PRACTICAL_TIME
    competition.save()
    svc.results_compute(competition=competition)
    ranks = dict(Entry.objects.filter(track=track).values_list("code", "rank"))
    assert ranks["C001"] == 1 and ranks["C002"] == 2


def test_an_unknown_time_ranks_after_a_known_one(two_rounds):
    competition, track, theory, practical, t, p = two_rounds
    a, b = entries(track, 2)
    for entry, time in ((a, None), (b, 900)):
        score(t, entry, 80, time=100)
        score(p, entry, 80, time=time)
    svc.results_compute(competition=competition)
    fresh(a, b)
    assert (b.rank, a.rank) == (1, 2)


# --- prizes, organization awards, upgrades ----------------------------------------------------------------------

TEN = [95, 90, 90, 85, 80, 75, 70, 65, 60, 55]  # ranks 1, 2, 2, 4 … 10


def test_prizes_by_ratio_with_a_tie_on_the_boundary():
    # 10 ranked, 10/20/30%: 1 first, 2 second, 3 third prizes
    competition, track, made = one_round(TEN)
    svc.results_compute(competition=competition)
    got = [(e.rank, e.award) for e in Entry.objects.filter(track=track).order_by("draw_number")]
    assert got == [
        (1, "first"),
        (2, "second"),
        (2, "second"),
        (4, "third"),
        (5, "third"),
        (6, "third"),
        (7, ""),
        (8, ""),
        (9, ""),
        (10, ""),
    ]


def test_a_tie_for_the_last_first_prize_shares_it():
    # 20/10/30% of 10 = 2 first, 1 second, 3 third prizes: the two tied for second place both win a first
    # prize, which takes the place of the only second prize (places 1-2 first, 3 second, 4-6 third)
    competition, track, made = one_round(TEN, first_prize_percent=D("20"), second_prize_percent=D("10"))
    svc.results_compute(competition=competition)
    awards = [e.award for e in Entry.objects.filter(track=track).order_by("draw_number")]
    assert awards == ["first", "first", "first", "third", "third", "third", "", "", "", ""]


def test_no_prize_below_the_lowest_winning_total():
    competition, track, made = one_round(TEN, award_min_total=D("78"))
    svc.results_compute(competition=competition)
    awards = [e.award for e in Entry.objects.filter(track=track).order_by("draw_number")]
    assert awards[:6] == ["first", "second", "second", "third", "third", ""]


def test_organization_awards_go_to_the_units_that_won_most():
    competition = CompetitionFactory(organization_awards=2)
    track = TrackFactory(competition=competition)
    final = RoundFactory(competition=competition, kind=RoundKind.PRACTICAL, weight=D("100"))
    station = StationFactory(round=final, track=track)
    x, y, z = (f.InstitutionFactory(region=f.CountyFactory(parent=competition.region)) for _ in range(3))
    units = [x, y, y, z, z, z, None, None, None, x]  # None: a unit of its own
    for n, (points, unit) in enumerate(zip(TEN, units, strict=True), start=1):
        entry = coded(EntryFactory(track=track, **({"institution": unit} if unit else {})), n, f"C{n:03d}")
        score(station, entry, points)

    counts = svc.results_compute(competition=competition)

    # y: two second prizes (4 points); x: a first prize (3); z: three third prizes (3, no first prize)
    got = [
        (a.institution_id, a.rank, a.points, a.prizes)
        for a in OrganizationAward.objects.filter(competition=competition)
    ]
    assert got == [(y.pk, 1, 4, 2), (x.pk, 2, 3, 1)]
    assert counts["organization_awards"] == 2

    competition.organization_awards = 3
    competition.organization_award_min_prizes = 2
    competition.save()
    svc.results_compute(competition=competition)
    got = [(a.institution_id, a.rank) for a in OrganizationAward.objects.filter(competition=competition)]
    assert got == [(y.pk, 1), (z.pk, 2)]  # x won only one prize


def test_the_top_places_are_recommended_for_an_upgrade():
    competition, track, made = one_round(TEN, upgrade_top=2, upgrade_level=SkillLevel.LEVEL_2)
    svc.results_compute(competition=competition)
    got = list(UpgradeRecommendation.objects.filter(competition=competition).values_list("entry_id", "rank"))
    assert got == [(made[0].pk, 1), (made[1].pk, 2), (made[2].pk, 2)]  # the tie for 2nd place too
    first = UpgradeRecommendation.objects.get(entry=made[0])
    assert (first.person_id, first.occupation, first.level) == (made[0].person_id, Occupation.CHILDCARE_WORKER, 2)


# --- recomputation ----------------------------------------------------------------------------------------------


def test_recomputing_replaces_the_results(two_rounds, actor):
    competition, track, theory, practical, t, p = two_rounds
    a, b = entries(track, 2)
    score(t, a, 80), score(t, b, 70)
    score(p, a, 90), score(p, b, 85)
    first = svc.results_compute(competition=competition, actor=actor)
    again = svc.results_compute(competition=competition, actor=actor)
    assert first == again
    assert RoundScore.objects.filter(entry__in=[a, b]).count() == 4
    assert UpgradeRecommendation.objects.filter(competition=competition).count() == 2
    assert OrganizationAward.objects.filter(competition=competition).count() == first["organization_awards"]

    # a reopened and corrected sheet changes the station score: the next computation follows
    StationScore.objects.filter(station=t, entry=b).update(score=D("50"))
    svc.results_compute(competition=competition, actor=actor)
    fresh(a, b)
    assert b.stopped_after == theory and b.rank is None and b.award == "" and b.total == D("10.00")
    assert not RoundScore.objects.filter(round=practical, entry=b).exists()
    assert not UpgradeRecommendation.objects.filter(entry=b).exists()
    assert ModelLogEntry.objects.filter(action="competitions.results.compute").count() == 3


def test_computing_is_for_organizers(two_rounds):
    competition = two_rounds[0]
    with pytest.raises(PermissionDenied):
        svc.results_compute(competition=competition, actor=f.UserFactory())
