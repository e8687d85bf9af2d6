"""Public competition pages over HTTP: the list and details, the live scoreboard (codes only until publication,
never cached) and the results (not found until publication)."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from lms.competitions.choices import Award
from lms.competitions.models import Competition, OrganizationAward, UpgradeRecommendation
from lms.learning.choices import SkillLevel

from .factories import (
    CompetitionFactory,
    StationFactory,
    StationScoreFactory,
    coded_entries,
    competition_with_rounds,
)

pytestmark = pytest.mark.django_db

CODES = ("K7QM", "R3XD", "W9HT")


@pytest.fixture
def event():
    """A competition under way: theory (20%) and practical (80%) stations, three coded contestants; K7QM has both
    scores (theory 90, practical 80 → 82.00), R3XD the theory score only, W9HT nothing yet."""
    competition, track, theory, practical = competition_with_rounds(title="2026年测试市保育师技能竞赛")
    event = type("Event", (), {})()
    event.competition, event.track, event.theory, event.practical = competition, track, theory, practical
    event.theory_station = StationFactory(round=theory, track=track, rubric=None, name="理论")
    event.practical_station = StationFactory(round=practical, track=track, name="实操")
    event.entries = coded_entries(track, CODES)
    k7, r3, _w9 = event.entries
    StationScoreFactory(station=event.theory_station, entry=k7, score=D("90"), judges=0)
    StationScoreFactory(station=event.practical_station, entry=k7, score=D("80"))
    StationScoreFactory(station=event.theory_station, entry=r3, score=D("70"), judges=0)
    return event


def publish(event):
    """Results as ``results_publish`` leaves them (set directly: this tests the pages, not the computation)."""
    k7, r3, w9 = event.entries
    k7.total, k7.rank, k7.award = D("82.00"), 1, Award.FIRST
    k7.save(update_fields=["total", "rank", "award"])
    r3.total, r3.stopped_after = D("14.00"), event.practical
    r3.save(update_fields=["total", "stopped_after"])
    OrganizationAward.objects.create(
        competition=event.competition, institution=k7.institution, rank=1, points=3, prizes=1
    )
    UpgradeRecommendation.objects.create(
        competition=event.competition,
        entry=k7,
        person=k7.person,
        occupation=event.track.occupation,
        level=SkillLevel.LEVEL_2,
        rank=1,
    )
    Competition.objects.filter(pk=event.competition.pk).update(
        status=Competition.Status.PUBLISHED, published_at=timezone.now()
    )


def board(client, competition):
    response = client.get(reverse("competition_scoreboard_json", args=[competition.pk]))
    assert response.status_code == 200
    return response, json.loads(response.content)


def personal_data(event) -> list[str]:
    return [x for e in event.entries for x in (e.person.name, e.institution.name, e.person.id_number)]


# --- list and details -------------------------------------------------------------------------------------------


def test_the_list_shows_open_running_and_published_competitions_but_no_drafts(client):
    shown = [CompetitionFactory(status=s) for s in ("open", "running", "published")]
    draft = CompetitionFactory(status="draft", title="尚未发布的竞赛")
    text = client.get(reverse("competition_list")).content.decode()
    for c in shown:
        assert f'data-testid="competition-{c.pk}" data-status="{c.status}"' in text
    assert draft.title not in text
    assert client.get(reverse("competition_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("competition_scoreboard", args=[draft.pk])).status_code == 404
    assert client.get(reverse("competition_scoreboard_json", args=[draft.pk])).status_code == 404


def test_the_details_show_tracks_rounds_weights_and_dates(client, event):
    text = client.get(reverse("competition_detail", args=[event.competition.pk])).content.decode()
    assert event.track.name in text
    assert f'data-testid="weight-{event.theory.pk}">20%<' in text
    assert f'data-testid="weight-{event.practical.pk}">80%<' in text
    assert 'data-testid="dates">2026-10-20 – 2026-10-21<' in text
    assert 'data-testid="scoreboard-link"' in text and 'data-testid="results-link"' not in text


def test_an_open_competition_has_no_scoreboard_yet(client):
    competition = CompetitionFactory(status="open")
    assert client.get(reverse("competition_detail", args=[competition.pk])).status_code == 200
    assert client.get(reverse("competition_scoreboard", args=[competition.pk])).status_code == 404


# --- the scoreboard ---------------------------------------------------------------------------------------------


def test_the_scoreboard_json_shows_codes_and_live_scores_before_publication(client, event):
    response, data = board(client, event.competition)
    assert response["Cache-Control"] == "no-cache"
    assert response["Content-Type"].startswith("application/json")
    assert data["published"] is False and data["version"]
    rows = {r["code"]: r for r in data["tracks"][0]["rows"]}
    assert set(rows) == set(CODES)
    assert rows["K7QM"]["total"] == "82.00" and rows["K7QM"]["rank"] == 1
    assert rows["K7QM"]["rounds"] == {str(event.theory.pk): "90.00", str(event.practical.pk): "80.00"}
    assert rows["R3XD"]["rounds"][str(event.practical.pk)] is None
    assert rows["W9HT"]["total"] is None and rows["W9HT"]["rank"] is None
    assert all(r["name"] == "" and r["unit"] == "" and r["award"] == "" for r in rows.values())
    text = response.content.decode("unicode_escape")
    for value in personal_data(event):
        assert value not in text


def test_the_scoreboard_version_moves_when_a_score_arrives(client, event):
    _response, before = board(client, event.competition)
    StationScoreFactory(station=event.practical_station, entry=event.entries[1], score=D("75"))
    _response, after = board(client, event.competition)
    assert after["version"] != before["version"]
    rows = {r["code"]: r for r in after["tracks"][0]["rows"]}
    assert rows["R3XD"]["total"] == "74.00"


def test_a_poll_with_the_current_version_gets_an_empty_304_until_a_score_arrives(client, event):
    url = reverse("competition_scoreboard_json", args=[event.competition.pk])
    first = client.get(url)
    etag = first["ETag"]
    assert etag == f'"{first.json()["version"]}"'
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    StationScoreFactory(station=event.practical_station, entry=event.entries[1], score=D("75"))
    moved = client.get(url, headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved["ETag"] != etag


def test_the_scoreboard_page_shows_codes_only_before_publication(client, event):
    response = client.get(reverse("competition_scoreboard", args=[event.competition.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="sb-total-K7QM">82.00<' in text
    assert 'data-testid="sb-rank-K7QM">1<' in text
    assert 'data-published="false"' in text and 'data-col="name"' not in text
    assert reverse("competition_scoreboard_json", args=[event.competition.pk]) in text
    assert "competitions/scoreboard.js" in text
    for value in personal_data(event):
        assert value not in text


def test_after_publication_the_scoreboard_shows_names_units_and_awards(client, event):
    publish(event)
    response, data = board(client, event.competition)
    assert response["Cache-Control"] == "no-cache"
    assert data["published"] is True
    k7 = next(r for r in data["tracks"][0]["rows"] if r["code"] == "K7QM")
    entry = event.entries[0]
    assert k7["name"] == entry.person.name and k7["unit"] == entry.institution.name
    assert k7["award"] == "first" and k7["rank"] == 1 and k7["total"] == "82.00"
    assert entry.person.id_number not in response.content.decode("unicode_escape")
    text = client.get(reverse("competition_scoreboard", args=[event.competition.pk])).content.decode()
    assert 'data-published="true"' in text and entry.person.name in text and 'data-testid="published-notice"' in text


# --- the results ------------------------------------------------------------------------------------------------


def test_results_are_not_found_until_publication(client, event):
    url = reverse("competition_results", args=[event.competition.pk])
    assert client.get(url).status_code == 404
    publish(event)
    assert client.get(url).status_code == 200


def test_the_published_results_name_the_winners_units_and_recommendations(client, event):
    publish(event)
    response = client.get(reverse("competition_results", args=[event.competition.pk]), HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    k7, r3, _w9 = event.entries
    assert 'data-testid="result-K7QM" data-award="first"' in text
    assert 'data-testid="rank-K7QM">1<' in text and 'data-testid="total-K7QM">82.00<' in text
    assert k7.person.name in text and k7.institution.name in text and r3.person.name in text
    assert "First prize" in text
    assert f"did not go on after {event.practical.name}" in text
    assert 'data-testid="organization-award-1"' in text
    upgrade = text[text.index('data-testid="upgrades"') :]
    with translation.override("en"):
        level = str(SkillLevel.LEVEL_2.label)
    assert k7.person.name in upgrade and level in upgrade
    for entry in event.entries:
        assert entry.person.id_number not in text
