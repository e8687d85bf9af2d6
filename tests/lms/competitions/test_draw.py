"""The draw (二次加密): drawn numbers and second codes for approved entries, idempotent, audited with the count only."""

from __future__ import annotations

import random

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.models import ModelLogEntry

from lms.competitions import codes
from lms.competitions.models import Competition, Entry
from lms.competitions.services import entries as svc
from tests import factories as f

from .factories import CompetitionFactory, EntryFactory, TrackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def organizer():
    return f.UserFactory(is_superuser=True)


def open_track(**fields):
    competition = CompetitionFactory(status=Competition.Status.OPEN)
    return TrackFactory(competition=competition, **fields)


def codes_of(exc) -> list[str]:
    return [e.code for e in exc.value.error_list]


# --- the draw ---------------------------------------------------------------------------------------------------


def test_draw_gives_numbers_and_unique_codes_per_track_to_approved_entries_only(organizer):
    competition = CompetitionFactory()  # under way
    first, second = TrackFactory(competition=competition), TrackFactory(competition=competition)
    approved = [EntryFactory(track=first) for _ in range(5)] + [EntryFactory(track=second) for _ in range(3)]
    refused = EntryFactory(track=first, status=Entry.Status.REFUSED)
    withdrawn = EntryFactory(track=second, status=Entry.Status.WITHDRAWN)
    assert svc.codes_draw(competition=competition, actor=organizer, rng=random.Random(7)) == 8
    for entry in approved + [refused, withdrawn]:
        entry.refresh_from_db()
    assert sorted(e.draw_number for e in approved[:5]) == [1, 2, 3, 4, 5]
    assert sorted(e.draw_number for e in approved[5:]) == [1, 2, 3]
    all_codes = [e.code for e in approved]
    assert len(set(all_codes)) == 8
    assert all(len(c) == codes.CODE_LENGTH and set(c) <= set(codes.ALPHABET) for c in all_codes)
    assert (refused.code, refused.draw_number, withdrawn.code) == ("", None, "")


def test_draw_is_idempotent_and_continues_the_numbers(organizer):
    competition = CompetitionFactory()
    track = TrackFactory(competition=competition)
    entries = [EntryFactory(track=track) for _ in range(3)]
    svc.codes_draw(competition=competition, actor=organizer, rng=random.Random(1))
    before = {e.pk: (e.draw_number, e.code) for e in Entry.objects.all()}
    assert svc.codes_draw(competition=competition, actor=organizer, rng=random.Random(2)) == 0
    assert {e.pk: (e.draw_number, e.code) for e in Entry.objects.all()} == before
    late = EntryFactory(track=track)
    assert svc.codes_draw(competition=competition, actor=organizer, rng=random.Random(3)) == 1
    late.refresh_from_db()
    assert late.draw_number == 4 and late.code not in {code for _, code in before.values()}
    assert len(entries) == 3


def test_draw_is_audited_with_the_count_only(organizer):
    competition = CompetitionFactory()
    track = TrackFactory(competition=competition)
    entries = [EntryFactory(track=track) for _ in range(2)]
    svc.codes_draw(competition=competition, actor=organizer, rng=random.Random(5))
    logs = ModelLogEntry.objects.filter(action="competitions.entry.draw")
    assert logs.count() == 1
    assert logs.get().data == {"count": 2}
    text = str(logs.get().data)
    for entry in entries:
        entry.refresh_from_db()
        assert entry.code not in text and entry.person.name not in text
    svc.codes_draw(competition=competition, actor=organizer)  # nothing new: no second entry
    assert logs.count() == 1


def test_draw_only_once_the_competition_is_under_way(organizer):
    track = open_track()
    EntryFactory(track=track)
    with pytest.raises(ValidationError) as exc:
        svc.codes_draw(competition=track.competition, actor=organizer)
    assert codes_of(exc) == ["not_running"]
