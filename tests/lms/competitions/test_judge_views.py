"""Judges' tablet pages over HTTP: own stations and sheets only, codes only, draft / confirm / lock, recusal,
the chief judge's overview and reopening with a reason."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse

from lms.competitions.models import Sheet, SheetReopen, StationScore
from lms.competitions.services import judging
from tests import factories as f

from .factories import (
    JudgeFactory,
    SheetFactory,
    coded_entries,
    marks_for,
    practical_station,
    single_round_competition,
)

pytestmark = pytest.mark.django_db

CODES = ("K7QM", "R3XD", "W9HT")


@pytest.fixture
def station():
    """A 5-judge station (the first judge chief) with three coded contestants and their sheets assigned."""
    competition, track, final = single_round_competition()
    station = practical_station(track, final, judges=5)
    station.entries = coded_entries(track, CODES)
    station.panel = list(station.judges.order_by("pk"))
    judging.sheets_assign(station=station, actor=f.UserFactory(is_superuser=True))
    return station


def as_user(client, user):
    client.force_login(user)
    return client


def sheet_of(station, judge, entry) -> Sheet:
    return Sheet.objects.get(station=station, judge=judge, entry=entry)


def mark_url(sheet) -> str:
    return reverse("competition_judge_mark", args=[sheet.station_id, sheet.pk])


def form(station, *points, action="save", confirmed="", time=""):
    data = {f"mark-{key}": value for key, value in marks_for(station, *points).items()}
    return {**data, "action": action, "confirmed": confirmed, "time": time}


def submit_all(station, entry, points_by_judge):
    for judge, points in zip(station.panel, points_by_judge, strict=True):
        sheet = sheet_of(station, judge, entry)
        judging.sheet_submit(sheet=sheet, actor=judge.user, marks=marks_for(station, *points), time_seconds=600)


# --- stations and contestants ---------------------------------------------------------------------------------


def test_pages_need_a_login(client, station):
    response = client.get(reverse("competition_judge_station", args=[station.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_judge_sees_their_stations_and_others_see_none(client, station):
    c = as_user(client, station.panel[1].user)
    body = c.get(reverse("competition_judge_stations")).content.decode()
    assert f'data-testid="station-{station.pk}"' in body
    c = as_user(client, f.UserFactory(is_superuser=True))
    body = c.get(reverse("competition_judge_stations")).content.decode()
    assert 'data-testid="no-stations"' in body
    assert c.get(reverse("competition_judge_station", args=[station.pk])).status_code == 404
    sheet = sheet_of(station, station.panel[1], station.entries[0])
    assert c.get(mark_url(sheet)).status_code == 404


def test_contestants_are_listed_by_code_only(client, station):
    body = as_user(client, station.panel[1].user).get(reverse("competition_judge_station", args=[station.pk]))
    text = body.content.decode()
    for code in CODES:
        assert f'data-testid="contestant-{code}"' in text
    assert text.index("contestant-K7QM") < text.index("contestant-R3XD") < text.index("contestant-W9HT")
    for entry in station.entries:
        assert entry.person.name not in text
        assert entry.institution.name not in text
        assert entry.person.id_number not in text
        assert entry.person.id_number[-6:] not in text


def test_the_mark_page_shows_the_code_and_no_personal_data(client, station):
    entry = station.entries[0]
    sheet = sheet_of(station, station.panel[1], entry)
    text = as_user(client, station.panel[1].user).get(mark_url(sheet)).content.decode()
    assert 'data-testid="code">K7QM<' in text and 'data-locked="false"' in text
    assert 'max="30"' in text and 'max="40"' in text and 'name="time"' in text
    assert entry.person.name not in text and entry.institution.name not in text


def test_a_recused_contestant_is_not_listed(client):
    competition, track, final = single_round_competition()
    station = practical_station(track, final, judges=5)
    judge = station.judges.order_by("pk")[2]
    mine = coded_entries(track, ["AAAA"], institution=judge.institution)[0]
    coded_entries(track, ["BBBB"], first=2)
    judging.sheets_assign(station=station, actor=f.UserFactory(is_superuser=True))
    text = as_user(client, judge.user).get(reverse("competition_judge_station", args=[station.pk])).content.decode()
    assert 'data-testid="contestant-BBBB"' in text and "AAAA" not in text
    assert not Sheet.objects.filter(judge=judge, entry=mine).exists()
    other_judge = station.judges.order_by("pk")[1]
    text = as_user(client, other_judge.user).get(reverse("competition_judge_station", args=[station.pk])).content
    assert b'data-testid="contestant-AAAA"' in text


# --- marking ----------------------------------------------------------------------------------------------------


def test_save_a_draft_then_submit_with_confirmation_and_the_sheet_locks(client, station):
    judge = station.panel[1]
    sheet = sheet_of(station, judge, station.entries[0])
    c = as_user(client, judge.user)
    url = mark_url(sheet)
    response = c.post(url, form(station, "25", "", "", time="12:30"))
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.total == D("25.00") and not sheet.locked and sheet.time_seconds == 750
    assert 'value="12:30"' in c.get(url).content.decode()
    # submit without the confirmation: the draft is saved and the confirmation step is shown
    response = c.post(url, form(station, "25", "20", "30", action="submit", time="12:30"))
    assert response.status_code == 200 and 'data-testid="confirm-step"' in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.total == D("75.00") and not sheet.locked
    response = c.post(url, form(station, "25", "20", "30", action="submit", confirmed="1", time="12:45"))
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.locked and sheet.total == D("75.00") and sheet.time_seconds == 765
    page = c.get(url).content.decode()
    assert 'data-locked="true"' in page and 'data-testid="locked-notice"' in page
    assert 'name="mark-' not in page and 'name="time"' not in page
    assert 'data-testid="time">12:45<' in page
    assert 'data-testid="next"' in page  # on to the next contestant
    station_page = c.get(reverse("competition_judge_station", args=[station.pk])).content.decode()
    assert 'data-testid="contestant-K7QM" data-state="locked"' in station_page


def test_marks_cannot_change_after_lock(client, station):
    judge = station.panel[1]
    sheet = sheet_of(station, judge, station.entries[0])
    c = as_user(client, judge.user)
    c.post(mark_url(sheet), form(station, "25", "20", "30", action="submit", confirmed="1"))
    for action in ("save", "submit"):
        response = c.post(mark_url(sheet), form(station, "30", "30", "40", action=action, confirmed="1"))
        assert response.status_code == 409
        text = response.content.decode()
        assert 'data-testid="errors"' in text and 'data-locked="true"' in text
    sheet.refresh_from_db()
    assert sheet.total == D("75.00") and sheet.locked


def test_out_of_range_marks_and_a_bad_time_are_refused(client, station):
    judge = station.panel[1]
    sheet = sheet_of(station, judge, station.entries[0])
    c = as_user(client, judge.user)
    response = c.post(mark_url(sheet), form(station, "31", "", ""))
    assert response.status_code == 400 and 'value="31"' in response.content.decode()  # what was typed is kept
    response = c.post(mark_url(sheet), form(station, "25", "", "", time="12:75"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "minutes:seconds" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.marks == {} and sheet.total is None


def test_an_incomplete_submission_is_refused_and_the_draft_kept(client, station):
    judge = station.panel[1]
    sheet = sheet_of(station, judge, station.entries[0])
    response = as_user(client, judge.user).post(
        mark_url(sheet), form(station, "25", "20", "", action="submit", confirmed="1")
    )
    assert response.status_code == 400
    sheet.refresh_from_db()
    assert not sheet.locked and sheet.total == D("45.00")


def test_another_judges_sheet_is_not_found(client, station):
    theirs = sheet_of(station, station.panel[2], station.entries[0])
    c = as_user(client, station.panel[1].user)
    assert c.get(mark_url(theirs)).status_code == 404
    assert c.post(mark_url(theirs), form(station, "25", "20", "30")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.marks == {}


def test_a_sheet_of_another_station_is_not_found_under_this_one(client, station):
    competition, track, final = single_round_competition()
    other = practical_station(track, final, judges=3)
    judge = station.panel[1]
    # the same user judges the other station too: its sheet must be opened under its own station
    there = SheetFactory(station=other, judge=JudgeFactory(station=other, user=judge.user))
    url = reverse("competition_judge_mark", args=[station.pk, there.pk])
    assert as_user(client, judge.user).get(url).status_code == 404


# --- the chief judge --------------------------------------------------------------------------------------------


def test_the_chief_sees_every_judges_totals_the_outliers_and_the_station_score(client, station):
    entry = station.entries[0]
    submit_all(station, entry, [(20, 20, 30), (22, 20, 30), (20, 21, 30), (20, 20, 29), (5, 5, 5)])
    score = StationScore.objects.get(station=station, entry=entry)
    text = as_user(client, station.panel[0].user).get(reverse("competition_judge_chief", args=[station.pk]))
    text = text.content.decode()
    assert 'data-testid="chief-row-K7QM" data-outlier="true"' in text
    assert f'data-testid="score-K7QM">{score.score}<' in text
    outlier = sheet_of(station, station.panel[4], entry)
    assert f'data-testid="outlier-{outlier.pk}"' in text
    assert 'data-testid="chief-row-R3XD" data-outlier="false"' in text
    assert entry.person.name not in text and entry.institution.name not in text


def test_other_judges_and_outsiders_cannot_open_the_chiefs_pages(client, station):
    entry = station.entries[0]
    submit_all(station, entry, [(20, 20, 30)] * 5)
    sheet = sheet_of(station, station.panel[2], entry)
    reopen = reverse("competition_judge_reopen", args=[station.pk, sheet.pk])
    c = as_user(client, station.panel[1].user)
    assert c.get(reverse("competition_judge_chief", args=[station.pk])).status_code == 403
    assert c.get(reopen).status_code == 403
    assert c.post(reopen, {"reason": "录入错误"}).status_code == 403
    c = as_user(client, f.UserFactory())
    assert c.get(reverse("competition_judge_chief", args=[station.pk])).status_code == 404
    assert c.post(reopen, {"reason": "录入错误"}).status_code == 404
    sheet.refresh_from_db()
    assert sheet.locked and not SheetReopen.objects.exists()


def test_the_chief_reopens_a_locked_sheet_only_with_a_reason(client, station):
    entry = station.entries[0]
    submit_all(station, entry, [(20, 20, 30)] * 5)
    assert StationScore.objects.filter(station=station, entry=entry).exists()
    sheet = sheet_of(station, station.panel[3], entry)
    c = as_user(client, station.panel[0].user)
    url = reverse("competition_judge_reopen", args=[station.pk, sheet.pk])
    page = c.get(url).content.decode()
    assert 'data-testid="reason"' in page and "K7QM" in page and entry.person.name not in page
    response = c.post(url, {"reason": "  "})
    assert response.status_code == 400 and 'data-testid="errors"' in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.locked and not SheetReopen.objects.exists()
    response = c.post(url, {"reason": "评委录入错误，经裁判长复核"})
    assert response.status_code == 302 and response["Location"] == reverse("competition_judge_chief", args=[station.pk])
    sheet.refresh_from_db()
    assert not sheet.locked and sheet.total == D("70.00")
    reopening = SheetReopen.objects.get()
    assert reopening.reason == "评委录入错误，经裁判长复核" and reopening.reopened_by == station.panel[0].user
    assert not StationScore.objects.filter(station=station, entry=entry).exists()
    # the judge may now change the marks and submit them again
    c = as_user(client, station.panel[3].user)
    assert 'data-locked="false"' in c.get(mark_url(sheet)).content.decode()
    response = c.post(mark_url(sheet), form(station, "21", "20", "30", action="submit", confirmed="1"))
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.locked and sheet.total == D("71.00")
    assert StationScore.objects.filter(station=station, entry=entry).exists()


def test_after_publication_an_unsubmitted_sheet_is_read_only(client, station):
    from lms.competitions.models import Competition

    Competition.objects.filter(pk=station.track.competition_id).update(status=Competition.Status.PUBLISHED)
    judge = station.panel[1]
    sheet = sheet_of(station, judge, station.entries[0])
    body = as_user(client, judge.user).get(mark_url(sheet)).content.decode()
    assert 'data-locked="true"' in body and 'data-testid="published-notice"' in body and 'id="marks"' not in body
    response = client.post(mark_url(sheet), form(station, 20, 20, 30))
    assert response.status_code == 400
    sheet.refresh_from_db()
    assert sheet.marks == {} and not sheet.locked
