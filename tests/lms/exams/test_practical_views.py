"""Examiner pages over HTTP: own sessions only, masked candidates, draft / confirm / lock, the chief's changes."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation

from lms.exams.models import MarkChange, MarkSheet
from lms.exams.services import practical as svc
from lms.exams.services.results import level_result_decide, level_results_publish
from tests import factories as f

from .factories import graded_attempt
from .practical_factories import (
    PracticalCandidateFactory,
    criterion_ids,
    marks_for,
    scored_candidate,
    session_with_panel,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    session = session_with_panel()
    session.alice = PracticalCandidateFactory(session=session, slot=1, person=f.PersonFactory(name="李小红"))
    session.bob = PracticalCandidateFactory(session=session, slot=2, person=f.PersonFactory(name="王芳"))
    return session


def as_user(client, user):
    client.force_login(user)
    return client


def mark_url(session, candidate):
    return reverse("exams:practical_mark", args=[session.pk, candidate.pk])


def form(session, *points, action="save", confirmed=""):
    data = {f"mark-{key}": value for key, value in marks_for(session, *points).items()}
    return {**data, "action": action, "confirmed": confirmed}


def test_an_examiner_sees_only_their_own_sessions(client, session):
    other = session_with_panel(title="另一场考核")
    c = as_user(client, session.panel[1].user)
    body = c.get(reverse("exams:practical_sessions"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert session.title in body and "另一场考核" not in body
    assert c.get(reverse("exams:practical_session", args=[other.pk])).status_code == 404
    other_candidate = PracticalCandidateFactory(session=other)
    assert c.get(mark_url(other, other_candidate)).status_code == 404
    assert c.get(mark_url(session, other_candidate)).status_code == 404


def test_someone_outside_the_panel_sees_nothing(client, session):
    c = as_user(client, f.UserFactory(is_superuser=True))
    assert c.get(reverse("exams:practical_session", args=[session.pk])).status_code == 404
    assert 'data-testid="no-sessions"' in c.get(reverse("exams:practical_sessions")).content.decode()


def test_pages_need_a_login(client, session):
    response = client.get(reverse("exams:practical_session", args=[session.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_candidates_are_listed_by_slot_with_masked_names(client, session):
    body = as_user(client, session.panel[1].user).get(reverse("exams:practical_session", args=[session.pk]))
    text = body.content.decode()
    assert "李*红" in text and "王*" in text
    assert "李小红" not in text and "王芳" not in text
    assert text.index('data-testid="candidate-1"') < text.index('data-testid="candidate-2"')


def test_save_a_draft_then_submit_with_confirmation_and_the_sheet_locks(client, session):
    user = session.panel[1].user
    c = as_user(client, user)
    url = mark_url(session, session.alice)
    page = c.get(url).content.decode()
    assert 'data-locked="false"' in page and 'max="30"' in page and 'max="40"' in page
    response = c.post(url, form(session, "25", "", ""))
    assert response.status_code == 302
    sheet = MarkSheet.objects.get(candidate=session.alice, examiner=session.panel[1])
    assert sheet.total == D("25.00") and not sheet.locked
    # submit without the confirmation: the draft is saved and the confirmation step is shown
    response = c.post(url, form(session, "25", "20", "30", action="submit"))
    assert response.status_code == 200 and 'data-testid="confirm-step"' in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.total == D("75.00") and not sheet.locked
    response = c.post(url, form(session, "25", "20", "30", action="submit", confirmed="1"))
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.locked and sheet.total == D("75.00")
    page = c.get(url).content.decode()
    assert 'data-locked="true"' in page and 'data-testid="locked-notice"' in page and 'name="mark-' not in page
    assert 'data-testid="next"' in page  # on to candidate 2


def test_marks_cannot_change_after_lock(client, session):
    user = session.panel[1].user
    c = as_user(client, user)
    url = mark_url(session, session.alice)
    c.post(url, form(session, "25", "20", "30", action="submit", confirmed="1"))
    for action in ("save", "submit"):
        response = c.post(url, form(session, "30", "30", "40", action=action, confirmed="1"))
        assert response.status_code == 409
        assert 'data-testid="errors"' in response.content.decode()
    assert MarkSheet.objects.get(candidate=session.alice, examiner=session.panel[1]).total == D("75.00")


def test_out_of_range_marks_are_refused_with_the_reason(client, session):
    c = as_user(client, session.panel[1].user)
    response = c.post(mark_url(session, session.alice), form(session, "31", "", ""), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "give a number from 0 to 30" in response.content.decode()
    assert 'value="31"' in response.content.decode()  # what was typed is kept
    assert not MarkSheet.objects.exists()


def test_incomplete_submission_is_refused(client, session):
    c = as_user(client, session.panel[1].user)
    response = c.post(
        mark_url(session, session.alice),
        form(session, "25", "20", "", action="submit", confirmed="1"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400 and "has no mark yet" in response.content.decode()
    sheet = MarkSheet.objects.get()  # the draft is kept
    assert not sheet.locked and sheet.total == D("45.00")


def test_marking_waits_for_a_full_panel(client):
    session = session_with_panel(examiners=2)
    candidate = PracticalCandidateFactory(session=session)
    c = as_user(client, session.panel[0].user)
    page = c.get(reverse("exams:practical_session", args=[session.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert 'data-testid="panel-problems"' in page.content.decode()
    response = c.post(mark_url(session, candidate), form(session, "25", "", ""))
    assert response.status_code == 400 and not MarkSheet.objects.exists()


# --- the chief examiner ---------------------------------------------------------------------------------------


@pytest.fixture
def scored(session):
    candidate = scored_candidate(session, [(20, 20, 30), (20, 20, 30), (5, 5, 5)], person=f.PersonFactory(), slot=3)
    return candidate, MarkSheet.objects.get(candidate=candidate, examiner=session.panel[2])


def test_the_chief_sees_totals_final_scores_and_disagreement(client, session, scored):
    candidate, _sheet = scored
    assert candidate.disagreement
    page = as_user(client, session.panel[0].user).get(reverse("exams:practical_chief", args=[session.pk]))
    text = page.content.decode()
    assert 'data-testid="chief-row-3" data-disagreement="true"' in text
    assert f'data-testid="score-3">{candidate.score}<' in text
    assert 'data-testid="flag-count"' in text


def test_other_examiners_cannot_open_the_chiefs_pages(client, session, scored):
    _candidate, sheet = scored
    c = as_user(client, session.panel[1].user)
    assert c.get(reverse("exams:practical_chief", args=[session.pk])).status_code == 403
    url = reverse("exams:practical_change", args=[session.pk, sheet.pk])
    assert c.get(url).status_code == 403
    assert c.post(url, {"reason": "x"}).status_code == 403
    assert not MarkChange.objects.exists()


def test_the_chief_changes_a_locked_sheet_with_a_reason(client, session, scored):
    candidate, sheet = scored
    c = as_user(client, session.panel[0].user)
    url = reverse("exams:practical_change", args=[session.pk, sheet.pk])
    assert c.get(url).status_code == 200
    data = {f"mark-{k}": v for k, v in marks_for(session, 20, 20, 25).items()}
    response = c.post(url, {**data, "reason": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "Give the reason" in response.content.decode()
    response = c.post(url, {**data, "reason": "考评员录入错误，经复核更正"})
    assert response.status_code == 302 and response["Location"].endswith(f"/practical/{session.pk}/chief/")
    sheet.refresh_from_db()
    assert sheet.total == D("65.00") and sheet.locked
    change = MarkChange.objects.get()
    assert change.reason == "考评员录入错误，经复核更正" and change.changed_by == session.panel[0].user
    candidate.refresh_from_db()
    assert candidate.score == D("68.33") and not candidate.disagreement


def test_a_sheet_of_another_session_is_not_found_for_the_chief(client, session, scored):
    other = session_with_panel()
    theirs = scored_candidate(other, [(20, 20, 30)] * 3)
    foreign = MarkSheet.objects.filter(candidate=theirs).first()
    c = as_user(client, session.panel[0].user)
    assert c.get(reverse("exams:practical_change", args=[session.pk, foreign.pk])).status_code == 404


# --- a candidate's results -------------------------------------------------------------------------------------


def test_a_candidate_sees_published_results_only(client, session):
    person = f.PersonFactory()
    person.user = f.UserFactory()
    person.save(update_fields=["user"])
    candidate = scored_candidate(session, [(10, 10, 10)] * 3, person=person, slot=5)
    result = level_result_decide(attempt=graded_attempt(person=person, score=80), practical=candidate, actor=None)
    c = as_user(client, person.user)
    url = reverse("exams:practical_my_results")
    assert f'data-testid="result-{result.pk}"' not in c.get(url).content.decode()
    level_results_publish(results=[result], actor=None)
    text = c.get(url).content.decode()
    assert f'data-testid="result-{result.pk}" data-passed="false"' in text and 'data-testid="retake"' in text


def test_criterion_inputs_are_named_by_criterion(client, session):
    page = as_user(client, session.panel[1].user).get(mark_url(session, session.alice)).content.decode()
    for key in criterion_ids(session):
        assert f'name="mark-{key}"' in page


def test_the_service_refuses_a_draft_for_a_foreign_candidate(session):
    other = session_with_panel()
    foreign = PracticalCandidateFactory(session=other)
    with translation.override("en"), pytest.raises(Exception, match="not an examiner"):
        svc.marksheet_save(candidate=foreign, actor=session.panel[1].user, marks={})
