"""The live scoreboard (codes only until publication, provisional totals and ranks, version) and published results."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from django.utils import timezone

from lms.competitions import selectors as sel
from lms.competitions.models import Competition, Entry, OrganizationAward, RoundScore, UpgradeRecommendation
from lms.competitions.services import entries as entries_svc
from lms.competitions.services import judging

from .factories import (
    EntryFactory,
    StationFactory,
    StationScoreFactory,
    coded,
    competition_with_rounds,
    marks_for,
    practical_station,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    """Theory (20%) and practical (80%) stations of one track; contestants A, B, C, D coded."""
    competition, track, theory, practical = competition_with_rounds()
    written = StationFactory(round=theory, track=track, rubric=None, name="笔试")
    floor = practical_station(track, practical, judges=3, name="实操")
    people = {code: coded(EntryFactory(track=track), n, code) for n, code in enumerate("ABCD", start=1)}
    EntryFactory(track=track)  # approved, not coded yet: never on the board
    EntryFactory(track=track, status=Entry.Status.REFUSED)
    return competition, track, theory, practical, written, floor, people


def score(station, entry, points, seconds=None):
    return StationScoreFactory(station=station, entry=entry, score=D(points), time_seconds=seconds)


def rows(board) -> dict[str, dict]:
    (track,) = board["tracks"]
    return {r["code"]: r for r in track["rows"]}


def test_codes_only_before_publication(event):
    competition, track, theory, practical, written, floor, people = event
    score(written, people["A"], "80")
    score(floor, people["A"], "90")
    score(written, people["B"], "90")
    board = sel.scoreboard(competition)
    assert board["published"] is False
    by_code = rows(board)
    assert list(by_code) == ["A", "B", "C", "D"]
    assert by_code["A"] == {
        "code": "A",
        "name": "",
        "unit": "",
        "rounds": {theory.pk: "80.00", practical.pk: "90.00"},
        "total": "88.00",  # 80 × 20% + 90 × 80%
        "rank": 1,
        "award": "",
    }
    assert by_code["B"]["rounds"] == {theory.pk: "90.00", practical.pk: None}
    assert (by_code["B"]["total"], by_code["B"]["rank"]) == ("18.00", 2)
    assert (by_code["C"]["total"], by_code["C"]["rank"]) == (None, None)
    text = json.dumps(board, ensure_ascii=False)
    for entry in people.values():
        assert entry.person.name not in text and str(entry.institution) not in text
    assert board["tracks"][0]["rounds"] == [
        {"id": theory.pk, "name": "理论知识", "weight": "20.00"},
        {"id": practical.pk, "name": "技能操作", "weight": "80.00"},
    ]


def test_provisional_ties_are_broken_by_the_practical_score(event):
    competition, track, theory, practical, written, floor, people = event
    score(written, people["A"], "80")
    score(floor, people["A"], "90")  # 16 + 72 = 88
    score(written, people["D"], "60")
    score(floor, people["D"], "95")  # 12 + 76 = 88
    by_code = rows(sel.scoreboard(competition))
    assert by_code["A"]["total"] == by_code["D"]["total"] == "88.00"
    assert (by_code["D"]["rank"], by_code["A"]["rank"]) == (1, 2)


def test_a_round_counts_once_every_station_of_it_scored_the_contestant(event):
    competition, track, theory, practical, written, floor, people = event
    second = practical_station(track, practical, judges=3, name="实操二", weight=D("3"))
    score(floor, people["A"], "90")
    assert rows(sel.scoreboard(competition))["A"]["rounds"][practical.pk] is None
    score(second, people["A"], "70")
    assert rows(sel.scoreboard(competition))["A"]["rounds"][practical.pk] == "75.00"  # (90 × 1 + 70 × 3) / 4


def test_version_changes_after_a_submission(event):
    competition, track, theory, practical, written, floor, people = event
    first = sel.scoreboard(competition)["version"]
    assert sel.scoreboard(competition)["version"] == first  # nothing moved
    RoundScore.objects.create(round=theory, entry=people["A"], score=D("75"), goes_on=True)
    judging.sheets_assign(station=floor, actor=None)
    judges = list(floor.judges.order_by("pk"))
    for judge in judges[:2]:
        sheet = floor.sheets.get(entry=people["A"], judge=judge)
        judging.sheet_submit(sheet=sheet, actor=judge.user, marks=marks_for(floor, 25, 25, 30))
    assert sel.scoreboard(competition)["version"] == first  # no station score yet
    last = floor.sheets.get(entry=people["A"], judge=judges[2])
    judging.sheet_submit(sheet=last, actor=judges[2].user, marks=marks_for(floor, 25, 25, 30))
    after_submit = sel.scoreboard(competition)
    assert after_submit["version"] != first
    assert rows(after_submit)["A"]["rounds"][practical.pk] == "80.00"
    judging.sheet_reopen(sheet=last, reason="核对", actor=judges[0].user)
    assert sel.scoreboard(competition)["version"] not in (first, after_submit["version"])


def test_version_changes_when_codes_are_drawn(event):
    competition, track, theory, practical, written, floor, people = event
    first = sel.scoreboard(competition)["version"]
    late = EntryFactory(track=track)
    assert entries_svc.codes_draw(competition=competition, actor=None) == 2  # with the one the fixture left
    late.refresh_from_db()
    board = sel.scoreboard(competition)
    assert board["version"] != first and late.code in rows(board)


def test_names_units_and_awards_after_publication(event):
    competition, track, theory, practical, written, floor, people = event
    score(written, people["A"], "80")
    score(floor, people["A"], "90")
    a = people["A"]
    a.total, a.rank, a.award = D("88"), 1, "first"
    a.save()
    before = sel.scoreboard(competition)["version"]
    Competition.objects.filter(pk=competition.pk).update(
        status=Competition.Status.PUBLISHED, published_at=timezone.now()
    )
    board = sel.scoreboard(competition)
    assert board["published"] is True and board["version"] != before
    row = rows(board)["A"]
    assert (row["name"], row["unit"], row["total"], row["rank"], row["award"]) == (
        a.person.name,
        str(a.institution),
        "88.00",
        1,
        "first",
    )
    assert rows(board)["B"]["rank"] is None  # official ranks only


def test_public_results_only_when_published(event):
    competition, track, theory, practical, written, floor, people = event
    with pytest.raises(LookupError):
        sel.public_results(competition)
    a, b = people["A"], people["B"]
    a.total, a.rank, a.award = D("88"), 1, "first"
    a.save()
    b.total, b.stopped_after = D("10"), theory
    b.save()
    OrganizationAward.objects.create(competition=competition, institution=a.institution, rank=1, points=3, prizes=1)
    UpgradeRecommendation.objects.create(
        competition=competition, entry=a, person=a.person, occupation=track.occupation, level=2, rank=1
    )
    Competition.objects.filter(pk=competition.pk).update(
        status=Competition.Status.PUBLISHED, published_at=timezone.now()
    )
    results = sel.public_results(competition)
    (track_rows,) = results["tracks"]
    first, second = track_rows["rows"][:2]
    assert (first["name"], first["unit"], first["rank"], first["award"], first["total"]) == (
        a.person.name,
        str(a.institution),
        1,
        "first",
        "88.00",
    )
    assert (second["name"], second["rank"], second["stopped_after"]) == (b.person.name, None, "理论知识")
    assert results["organization_awards"] == [{"unit": str(a.institution), "rank": 1, "points": 3, "prizes": 1}]
    assert [(u["name"], u["level"], u["rank"]) for u in results["upgrades"]] == [(a.person.name, 2, 1)]
