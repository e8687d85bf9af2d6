"""The competitions viewset of organizers: who reaches which page (HTTP matrix), creating a competition with its
tracks and rounds (audited), editing (audited; refused once published; tracks with entries kept)."""

from __future__ import annotations

import pytest
from wagtail.models import ModelLogEntry

from lms.competitions.models import Competition, Track

from . import test_admin_world as setup
from .test_admin_world import COMPETITIONS, EN, REGISTRATION, login

pytestmark = pytest.mark.django_db
world = setup.world  # the fixture

PAGES = ("edit/{pk}/", "{pk}/run/", "{pk}/entries/", "{pk}/mapping/", "{pk}/stations/", "{pk}/quotas/")


def _status(client, user, url) -> int:
    client.force_login(user)
    return client.get(url).status_code


def _denied(client, user, url) -> bool:
    """404, 403, or Wagtail's "permission denied" (a redirect to the dashboard with an error message)."""
    client.force_login(user)
    response = client.get(url)
    return response.status_code in (403, 404) or (response.status_code == 302 and response["Location"] == "/admin/")


def test_permission_matrix(client, world):
    pk = world.competition.pk
    organizer_pages = [COMPETITIONS + page.format(pk=pk) for page in PAGES]
    # the city's HR officer organizes: every page
    for url in [COMPETITIONS, f"{COMPETITIONS}new/", *organizer_pages]:
        assert _status(client, world.organizer, url) == 200, url
    # another city's officer: the listing (their own competitions), never this competition's pages
    assert _status(client, world.other_hr, COMPETITIONS) == 200
    for url in organizer_pages:
        assert _status(client, world.other_hr, url) == 404, url
    # units: no organizer page at all, only the registration pages
    for user in (world.institution_admin, world.provider_staff, world.users["inspector"]):
        for url in organizer_pages:
            assert _denied(client, user, url), (user.username, url)
        assert _denied(client, user, COMPETITIONS), user.username
    # a caregiver has no admin at all: the login page
    client.force_login(world.users["caregiver"])
    for url in organizer_pages + [REGISTRATION]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    for user in (world.institution_admin, world.provider_staff):
        assert _status(client, user, REGISTRATION) == 200
        assert _status(client, user, f"{REGISTRATION}{pk}/") == 200
    for user in (world.organizer, world.other_hr, world.users["inspector"]):
        assert _status(client, user, f"{REGISTRATION}{pk}/") == 404, user.username
    # a county officer does not organize the city's competition
    assert _status(client, world.users["hr_officer"], f"{COMPETITIONS}{pk}/run/") == 404
    # the platform admin runs every competition
    assert _status(client, world.users["platform_admin"], f"{COMPETITIONS}{pk}/run/") == 200


def test_the_listing_shows_only_the_organizers_competitions(client, world):
    html = login(client, world.organizer).get(COMPETITIONS).content.decode()
    assert world.competition.title in html and world.other_competition.title not in html
    client.force_login(world.other_hr)
    html = client.get(COMPETITIONS).content.decode()
    assert world.competition.title not in html and world.other_competition.title in html


def competition_post(region, *, tracks=(), rounds=(), **fields) -> dict:
    data = {
        "title": "2027年曲靖市托育服务职业技能竞赛",
        "year": "2027",
        "level": "city",
        "region": str(region.pk),
        "organizer": "曲靖市人力资源和社会保障局",
        "place": "曲靖职业技术学院",
        "starts_on": "2027-10-20",
        "ends_on": "2027-10-21",
        "registration_opens_on": "2027-09-01",
        "registration_closes_on": "2027-09-30",
        "aggregation": "trimmed_mean",
        "outlier_points": "10",
        "tie_break": "practical,theory,time",
        "first_prize_percent": "10",
        "second_prize_percent": "20",
        "third_prize_percent": "30",
        "award_min_total": "60",
        "organization_awards": "3",
        "organization_award_min_prizes": "1",
        "upgrade_top": "3",
        "upgrade_level": "2",
        **_formset("tracks", tracks),
        **_formset("rounds", rounds),
    }
    data.update(fields)
    return data


def _formset(name: str, rows, initial: int = 0) -> dict:
    data = {
        f"{name}-TOTAL_FORMS": str(len(rows)),
        f"{name}-INITIAL_FORMS": str(initial),
        f"{name}-MIN_NUM_FORMS": "0",
        f"{name}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{name}-{i}-{key}": value for key, value in row.items()})
        data.setdefault(f"{name}-{i}-ORDER", str(i + 1))
        data.setdefault(f"{name}-{i}-DELETE", "")
        data.setdefault(f"{name}-{i}-id", "")
    return data


TRACK = {"name": "保育师（职工组）", "occupation": "childcare_worker", "group": "staff", "min_years_of_work": "2",
         "min_age": "", "max_age": "", "quota_per_unit": "2"}  # fmt: skip
THEORY = {"name": "理论知识", "kind": "theory", "weight": "20", "pass_mark": "60", "advance_top": ""}
PRACTICAL = {"name": "技能操作", "kind": "practical", "weight": "80", "pass_mark": "", "advance_top": "10"}


def test_an_organizer_creates_a_competition_with_tracks_and_rounds(client, world):
    c = login(client, world.organizer)
    response = c.post(f"{COMPETITIONS}new/", competition_post(world.city, tracks=[TRACK], rounds=[THEORY, PRACTICAL]))
    assert response.status_code == 302, response.content.decode()[:3000]
    competition = Competition.objects.get(title="2027年曲靖市托育服务职业技能竞赛")
    assert competition.status == Competition.Status.DRAFT and competition.created_by == world.organizer
    assert [t.name for t in competition.tracks.all()] == ["保育师（职工组）"]
    assert [(r.name, r.weight) for r in competition.rounds.all()] == [("理论知识", 20), ("技能操作", 80)]
    assert response["Location"] == f"{COMPETITIONS}{competition.pk}/run/"
    assert ModelLogEntry.objects.filter(
        object_id=str(competition.pk), action="competitions.competition.create", user=world.organizer
    ).exists()


def test_an_organizer_cannot_create_a_competition_in_another_city(client, world):
    c = login(client, world.organizer)
    other_city = world.other_competition.region
    response = c.post(f"{COMPETITIONS}new/", competition_post(other_city, tracks=[TRACK]))
    assert response.status_code == 200 and "region" in response.context["form"].errors
    assert not Competition.objects.filter(title="2027年曲靖市托育服务职业技能竞赛").exists()


def test_dates_out_of_order_are_refused(client, world):
    c = login(client, world.organizer)
    data = competition_post(world.city, registration_closes_on="2027-10-25")
    response = c.post(f"{COMPETITIONS}new/", data, **EN)
    assert response.status_code == 200
    assert "Registration must close before the competition starts." in response.content.decode()


def _edit_post(competition, **fields) -> dict:
    tracks = [
        {"id": str(t.pk), "name": t.name, "occupation": t.occupation, "group": t.group,
         "min_years_of_work": str(t.min_years_of_work), "min_age": "", "max_age": "",
         "quota_per_unit": str(t.quota_per_unit)}
        for t in competition.tracks.all()
    ]  # fmt: skip
    rounds = [
        {"id": str(r.pk), "name": r.name, "kind": r.kind, "weight": str(r.weight),
         "pass_mark": "" if r.pass_mark is None else str(r.pass_mark), "advance_top": ""}
        for r in competition.rounds.all()
    ]  # fmt: skip
    data = competition_post(competition.region, title=competition.title)
    data.update(_formset("tracks", tracks, initial=len(tracks)))
    data.update(_formset("rounds", rounds, initial=len(rounds)))
    data.update(fields)
    return data


def test_editing_is_audited(client, world):
    c = login(client, world.organizer)
    competition = world.competition
    response = c.post(f"{COMPETITIONS}edit/{competition.pk}/", _edit_post(competition, place="市体育馆"))
    assert response.status_code == 302, response.content.decode()[:3000]
    competition.refresh_from_db()
    assert competition.place == "市体育馆"
    entry = ModelLogEntry.objects.get(object_id=str(competition.pk), action="competitions.competition.update")
    assert "place" in entry.data["changed"]


def test_a_published_competition_is_not_saved(client, world):
    c = login(client, world.organizer)
    competition = world.competition
    Competition.objects.filter(pk=competition.pk).update(status=Competition.Status.PUBLISHED)
    response = c.post(f"{COMPETITIONS}edit/{competition.pk}/", _edit_post(competition, place="市体育馆"), **EN)
    assert response.status_code == 200
    assert "The results of this competition are published" in response.content.decode()
    competition.refresh_from_db()
    assert competition.place != "市体育馆"


def test_a_track_with_entries_is_not_deleted(client, world):
    c = login(client, world.organizer)
    competition = world.competition
    data = _edit_post(competition)
    index = [t.pk for t in competition.tracks.all()].index(world.staff_track.pk)
    data[f"tracks-{index}-DELETE"] = "on"
    response = c.post(f"{COMPETITIONS}edit/{competition.pk}/", data, **EN)
    assert response.status_code == 200
    assert "has entries: it cannot be deleted" in response.content.decode()
    assert Track.objects.filter(pk=world.staff_track.pk).exists()


def test_only_a_draft_without_entries_is_deleted(client, world):
    c = login(client, world.organizer)
    assert c.post(f"{COMPETITIONS}delete/{world.competition.pk}/").status_code in (403, 302)
    assert Competition.objects.filter(pk=world.competition.pk).exists()
    draft = Competition.objects.create(
        **{
            name: getattr(world.competition, name)
            for name in ("year", "region", "organizer", "starts_on", "ends_on", "registration_opens_on",
                         "registration_closes_on")
        },
        title="草稿",
    )  # fmt: skip
    response = c.post(f"{COMPETITIONS}delete/{draft.pk}/")
    assert response.status_code == 302
    assert not Competition.objects.filter(pk=draft.pk).exists()
