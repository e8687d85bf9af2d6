"""Practical assessment services: mark sheets (drafts, submission and locks), final scores, the chief's changes."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.models import ModelLogEntry

from lms.exams.choices import Aggregation
from lms.exams.models import MarkChange, MarkSheet, PracticalSession
from lms.exams.services import practical as svc
from tests import factories as f

from .practical_factories import (
    PracticalCandidateFactory,
    criterion_ids,
    marks_for,
    scored_candidate,
    session_with_panel,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def messages(exc) -> str:
    return " ".join(exc.value.messages)


def actions(instance) -> list[str]:
    return list(ModelLogEntry.objects.for_instance(instance).values_list("action", flat=True))


# --- mark sheets ------------------------------------------------------------------------------------------------


def test_draft_marks_are_checked_against_each_criterions_maximum():
    session = session_with_panel()
    candidate = PracticalCandidateFactory(session=session)
    user = session.panel[0].user
    with pytest.raises(ValidationError) as exc:
        svc.marksheet_save(candidate=candidate, actor=user, marks=marks_for(session, 31, "x", ""))
    assert "give a number from 0 to 30." in messages(exc)
    assert not MarkSheet.objects.exists()
    sheet = svc.marksheet_save(candidate=candidate, actor=user, marks=marks_for(session, "25.5", "", 40))
    ids = criterion_ids(session)
    assert sheet.marks == {ids[0]: "25.5", ids[2]: "40"}
    assert sheet.total == D("65.50") and not sheet.locked


def test_only_examiners_of_the_session_mark():
    session = session_with_panel()
    candidate = PracticalCandidateFactory(session=session)
    outsider = session_with_panel().panel[0].user
    with pytest.raises(ValidationError, match="not an examiner of this session"):
        svc.marksheet_save(candidate=candidate, actor=outsider, marks={})


def test_submission_needs_every_criterion_and_locks_the_sheet():
    session = session_with_panel()
    candidate = PracticalCandidateFactory(session=session)
    user = session.panel[1].user
    svc.marksheet_save(candidate=candidate, actor=user, marks=marks_for(session, 20, 20, ""))
    with pytest.raises(ValidationError, match="has no mark yet"):
        svc.marksheet_submit(candidate=candidate, actor=user)
    sheet = svc.marksheet_submit(candidate=candidate, actor=user, marks=marks_for(session, 20, 20, 30))
    assert sheet.locked and sheet.total == D("70.00")
    assert actions(sheet) == ["exams.marksheet.submit"]
    with pytest.raises(ValidationError) as exc:
        svc.marksheet_save(candidate=candidate, actor=user, marks=marks_for(session, 30, 30, 40))
    assert exc.value.code == "locked"
    with pytest.raises(ValidationError, match="submitted and locked"):
        svc.marksheet_submit(candidate=candidate, actor=user, marks=marks_for(session, 30, 30, 40))
    sheet.refresh_from_db()
    assert sheet.total == D("70.00")


def test_the_final_score_waits_for_every_examiner():
    session = session_with_panel()
    candidate = PracticalCandidateFactory(session=session)
    for examiner in session.panel[:2]:
        svc.marksheet_submit(candidate=candidate, actor=examiner.user, marks=marks_for(session, 20, 20, 30))
    candidate.refresh_from_db()
    assert candidate.score is None and candidate.passed is None
    svc.marksheet_submit(candidate=candidate, actor=session.panel[2].user, marks=marks_for(session, 20, 20, 20))
    candidate.refresh_from_db()
    assert (candidate.score, candidate.passed, candidate.disagreement) == (D("66.67"), True, False)
    session.refresh_from_db()
    assert session.status == PracticalSession.Status.FINISHED


def test_mean_below_the_pass_mark_fails():
    session = session_with_panel()
    candidate = scored_candidate(session, [(20, 20, 19), (20, 20, 20), (15, 15, 20)])
    assert (candidate.score, candidate.passed) == (D("56.33"), False)


def test_trimmed_mean_drops_the_highest_and_lowest_of_five_examiners():
    session = session_with_panel(examiners=5, aggregation=Aggregation.TRIMMED_MEAN, disagreement_points=D("50"))
    candidate = scored_candidate(session, [(30, 30, 40), (20, 20, 30), (10, 10, 20), (20, 20, 35), (20, 25, 30)])
    # totals 100, 70, 40, 75, 75: 100 and 40 dropped
    assert (candidate.score, candidate.passed, candidate.disagreement) == (D("73.33"), True, True)


def test_median_aggregation():
    session = session_with_panel(aggregation=Aggregation.MEDIAN)
    candidate = scored_candidate(session, [(30, 30, 40), (20, 20, 21), (20, 20, 20)])
    assert candidate.score == D("61.00")


def test_disagreement_is_flagged_above_the_sessions_threshold():
    session = session_with_panel(disagreement_points=D("10"))
    calm = scored_candidate(session, [(20, 20, 30), (20, 20, 25), (20, 20, 20)], slot=1)
    assert not calm.disagreement  # spread 10
    split = scored_candidate(session, [(20, 20, 31), (20, 20, 25), (20, 20, 20)], slot=2)
    assert split.disagreement  # spread 11


# --- chief examiner's changes -----------------------------------------------------------------------------------


def locked_sheet(session, points=(20, 20, 30)):
    candidate = scored_candidate(session, [points, (20, 20, 30), (20, 20, 30)])
    return candidate, MarkSheet.objects.get(candidate=candidate, examiner=session.panel[1])


def test_only_the_chief_examiner_changes_a_locked_sheet():
    session = session_with_panel()
    _candidate, sheet = locked_sheet(session)
    for user in (session.panel[1].user, session.panel[2].user, f.UserFactory(is_superuser=True)):
        with pytest.raises(ValidationError) as exc:
            svc.marksheet_change(sheet=sheet, marks=marks_for(session, 25, 20, 30), reason="误记", actor=user)
        assert exc.value.code == "not_chief"
    assert not MarkChange.objects.exists()


def test_a_change_needs_a_reason_and_valid_complete_marks():
    session = session_with_panel()
    _candidate, sheet = locked_sheet(session)
    chief = session.panel[0].user
    with pytest.raises(ValidationError, match="reason"):
        svc.marksheet_change(sheet=sheet, marks=marks_for(session, 25, 20, 30), reason="  ", actor=chief)
    with pytest.raises(ValidationError, match="from 0 to 40"):
        svc.marksheet_change(sheet=sheet, marks=marks_for(session, 25, 20, 41), reason="误记", actor=chief)
    with pytest.raises(ValidationError, match="no mark yet"):
        svc.marksheet_change(sheet=sheet, marks=marks_for(session, 25, 20, ""), reason="误记", actor=chief)
    with pytest.raises(ValidationError, match="unchanged"):
        svc.marksheet_change(sheet=sheet, marks=marks_for(session, 20, 20, 30), reason="误记", actor=chief)
    assert not MarkChange.objects.exists()


def test_the_chief_changes_a_locked_sheet_with_a_reason_and_the_score_follows():
    session = session_with_panel()
    candidate, sheet = locked_sheet(session)
    assert candidate.score == D("70.00")
    chief = session.panel[0].user
    change = svc.marksheet_change(
        sheet=sheet, marks=marks_for(session, 5, 5, 5), reason="考评员誤记第三项", actor=chief
    )
    assert (change.changed_by, change.reason) == (chief, "考评员誤记第三项")
    assert change.before == marks_for(session, 20, 20, 30) and change.after == marks_for(session, 5, 5, 5)
    sheet.refresh_from_db()
    assert sheet.locked and sheet.total == D("15.00")
    candidate.refresh_from_db()
    assert (candidate.score, candidate.passed, candidate.disagreement) == (D("51.67"), False, True)
    entry = ModelLogEntry.objects.for_instance(sheet).get(action="exams.marksheet.change")
    assert entry.user == chief and entry.data["reason"] == "考评员誤记第三项"
    assert (entry.data["total_before"], entry.data["total_after"]) == ("70.00", "15.00")


def test_an_unsubmitted_sheet_is_not_the_chiefs_to_change():
    session = session_with_panel()
    candidate = PracticalCandidateFactory(session=session)
    sheet = svc.marksheet_save(candidate=candidate, actor=session.panel[1].user, marks=marks_for(session, 1, 1, 1))
    with pytest.raises(ValidationError, match="not submitted yet"):
        svc.marksheet_change(sheet=sheet, marks=marks_for(session, 2, 2, 2), reason="r", actor=session.panel[0].user)


def test_marks_of_a_published_session_never_change():
    session = session_with_panel()
    _candidate, sheet = locked_sheet(session)
    session.status = PracticalSession.Status.PUBLISHED
    session.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="published"):
        svc.marksheet_change(sheet=sheet, marks=marks_for(session, 5, 5, 5), reason="r", actor=session.panel[0].user)
