"""The run pages of a competition: the status buttons (open, start, draw codes, compute, publish) through the
services with their refusals shown, the entries (filters, approve, refuse with a reason), the audited code
mapping."""

from __future__ import annotations

from decimal import Decimal

import pytest
from wagtail.models import ModelLogEntry

from lms.competitions.models import Competition, Entry, Round, StationScore

from . import test_admin_world as setup
from .factories import EntryFactory, StationScoreFactory, coded, practical_station
from .test_admin_world import COMPETITIONS, EN, login, messages_of

pytestmark = pytest.mark.django_db
world = setup.world  # the fixture


def run_url(competition) -> str:
    return f"{COMPETITIONS}{competition.pk}/run/"


def entries_url(competition) -> str:
    return f"{COMPETITIONS}{competition.pk}/entries/"


def act(client, competition, action):
    return client.post(run_url(competition), {"action": action}, follow=True, **EN)


def approve_all(client, world):
    for entry in (world.entry_a, world.entry_b):
        client.post(entries_url(world.competition), {"action": "approve", "entry": entry.pk})


def test_the_run_page_shows_status_problems_and_the_buttons_of_the_status(client, world):
    c = login(client, world.organizer)
    Round.objects.filter(pk=world.practical.pk).update(weight=Decimal("70"))
    html = c.get(run_url(world.competition), **EN).content.decode()
    assert 'data-testid="config-problems"' in html and "add up to 90%" in html
    assert 'data-testid="action-start"' in html and 'data-testid="action-open"' not in html
    assert 'data-testid="action-publish"' not in html


def test_open_is_refused_with_the_problems_then_opens(client, world):
    c = login(client, world.organizer)
    Competition.objects.filter(pk=world.competition.pk).update(status=Competition.Status.DRAFT)
    Round.objects.filter(pk=world.practical.pk).update(weight=Decimal("70"))
    response = act(c, world.competition, "open")
    assert any("add up to 90%" in m for m in messages_of(response))
    world.competition.refresh_from_db()
    assert world.competition.status == Competition.Status.DRAFT
    Round.objects.filter(pk=world.practical.pk).update(weight=Decimal("80"))
    response = act(c, world.competition, "open")
    assert "Registration is open." in messages_of(response)
    world.competition.refresh_from_db()
    assert world.competition.status == Competition.Status.OPEN


def test_start_waits_for_the_decisions_then_codes_are_drawn(client, world):
    c = login(client, world.organizer)
    response = act(c, world.competition, "start")
    assert any("await approval" in m for m in messages_of(response))
    approve_all(c, world)
    assert set(Entry.objects.filter(competition=world.competition).values_list("status", flat=True)) == {"approved"}
    response = act(c, world.competition, "start")
    assert "Registration is closed and the competition is under way." in messages_of(response)
    response = act(c, world.competition, "draw")
    assert "2 contestants got codes." in messages_of(response)
    codes = set(Entry.objects.filter(competition=world.competition).values_list("code", flat=True))
    assert "" not in codes and len(codes) == 2
    # drawing again codes nobody new
    assert "0 contestants got codes." in messages_of(act(c, world.competition, "draw"))
    # the entries page never shows the codes next to the names
    html = c.get(entries_url(world.competition)).content.decode()
    assert world.colleague.name in html and not any(code in html for code in codes)


def test_refusing_needs_a_reason_which_the_entries_page_shows(client, world):
    c = login(client, world.organizer)
    url = entries_url(world.competition)
    response = c.post(url, {"action": "refuse", "entry": world.entry_a.pk, "reason": ""}, follow=True, **EN)
    assert any("Give the reason" in m for m in messages_of(response))
    assert Entry.objects.get(pk=world.entry_a.pk).status == Entry.Status.PENDING
    response = c.post(url, {"action": "refuse", "entry": world.entry_a.pk, "reason": "材料不全"}, follow=True, **EN)
    entry = Entry.objects.get(pk=world.entry_a.pk)
    assert entry.status == Entry.Status.REFUSED and entry.refusal_reason == "材料不全"
    assert "材料不全" in response.content.decode()
    assert ModelLogEntry.objects.filter(object_id=str(entry.pk), action="competitions.entry.refuse").exists()


def test_the_entries_filter_by_track_and_status(client, world):
    c = login(client, world.organizer)
    url = entries_url(world.competition)
    c.post(url, {"action": "approve", "entry": world.entry_b.pk})
    rows = list(c.get(url, {"status": "pending"}).context["rows"])
    assert rows == [world.entry_a]
    assert list(c.get(url, {"track": world.student_track.pk}).context["rows"]) == []
    assert set(c.get(url, {"track": world.staff_track.pk}).context["rows"]) == {world.entry_a, world.entry_b}


def test_an_entry_of_another_competition_cannot_be_decided_here(client, world):
    c = login(client, world.organizer)
    other = EntryFactory(track__competition=world.other_competition, status=Entry.Status.PENDING)
    response = c.post(entries_url(world.competition), {"action": "approve", "entry": other.pk})
    assert response.status_code == 404
    assert Entry.objects.get(pk=other.pk).status == Entry.Status.PENDING


def test_the_code_mapping_is_audited_at_every_viewing(client, world):
    c = login(client, world.organizer)
    Entry.objects.filter(pk__in=[world.entry_a.pk, world.entry_b.pk]).update(status=Entry.Status.APPROVED)
    coded(world.entry_a, 1, "K7QX")
    url = f"{COMPETITIONS}{world.competition.pk}/mapping/"
    html = c.get(url).content.decode()
    assert "K7QX" in html and world.colleague.name in html
    c.get(url)
    views = ModelLogEntry.objects.filter(
        object_id=str(world.competition.pk), action="competitions.mapping.view", user=world.organizer
    )
    assert views.count() == 2
    client.force_login(world.other_hr)
    assert client.get(url).status_code == 404
    assert views.count() == 2


@pytest.fixture
def scored(world):
    """The competition under way with one practical round (100%): both entries coded and scored at a station."""
    competition = world.competition
    Competition.objects.filter(pk=competition.pk).update(status=Competition.Status.RUNNING)
    competition.refresh_from_db()
    world.theory.delete()
    Round.objects.filter(pk=world.practical.pk).update(weight=Decimal("100"))
    Entry.objects.filter(pk__in=[world.entry_a.pk, world.entry_b.pk]).update(status=Entry.Status.APPROVED)
    coded(world.entry_a, 1, "AAAA")
    coded(world.entry_b, 2, "BBBB")
    world.station = practical_station(world.staff_track, world.practical, judges=3)
    StationScoreFactory(station=world.station, entry=world.entry_a, score=Decimal("91.5"), judges=3)
    return world


def test_compute_and_publish_results(client, scored):
    world = scored
    c = login(client, world.organizer)
    response = act(c, world.competition, "compute")
    assert "Results computed." in messages_of(response)
    html = response.content.decode()
    assert 'data-testid="results"' in html and "AAAA" in html and world.colleague.name not in html
    # B has no score yet: publication is refused with the problem
    response = act(c, world.competition, "publish")
    assert [m for m in messages_of(response) if "BBBB" in m or "score" in m.lower()]
    world.competition.refresh_from_db()
    assert world.competition.status == Competition.Status.RUNNING
    StationScore.objects.create(station=world.station, entry=world.entry_b, score=Decimal("80"), judges=3)
    response = act(c, world.competition, "publish")
    assert "Results published." in messages_of(response)
    world.competition.refresh_from_db()
    assert world.competition.status == Competition.Status.PUBLISHED and world.competition.published_at
    ranks = dict(Entry.objects.filter(competition=world.competition).values_list("code", "rank"))
    assert ranks == {"AAAA": 1, "BBBB": 2}
    html = c.get(run_url(world.competition)).content.decode()
    assert world.colleague.name in html and world.b.person.name in html  # names once published
    assert 'data-testid="action-publish"' not in html and 'data-testid="action-compute"' not in html


def test_a_button_of_another_status_is_refused_by_the_service(client, world):
    c = login(client, world.organizer)
    response = act(c, world.competition, "publish")
    assert response.status_code == 200 and messages_of(response)
    world.competition.refresh_from_db()
    assert world.competition.status == Competition.Status.OPEN
    assert c.post(run_url(world.competition), {"action": "explode"}).status_code == 404
