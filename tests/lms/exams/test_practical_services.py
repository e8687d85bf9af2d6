"""Practical assessment services: sessions, panels and recusal, scheduling, scoping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from lms.exams.choices import Aggregation
from lms.exams.models import PracticalSession
from lms.exams.selectors import practical as sel
from lms.exams.services import practical as svc
from lms.registry.models import Ban
from tests import factories as f

from .practical_factories import (
    ExaminerFactory,
    PracticalCandidateFactory,
    RubricCriterionFactory,
    assessment_body,
    marks_for,
    rubric_with_criteria,
    session_with_panel,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def messages(exc) -> str:
    return " ".join(exc.value.messages)


def employed_person(institution, **kwargs):
    return f.EmploymentFactory(institution=institution, **kwargs).person


def examiner_user_at(institution):
    """A user whose person works at ``institution`` today."""
    person = employed_person(institution)
    person.user = f.UserFactory()
    person.save(update_fields=["user"])
    return person.user


def actions(instance) -> list[str]:
    return list(ModelLogEntry.objects.for_instance(instance).values_list("action", flat=True))


# --- sessions ---------------------------------------------------------------------------------------------------


def test_a_session_needs_a_rubric_adding_up_to_100():
    body = assessment_body()
    bad = rubric_with_criteria(points=("30", "30", "30"), provider=body)
    with pytest.raises(ValidationError) as exc:
        svc.practical_session_create(
            rubric=bad, provider=body, title="操作技能考核", place="实训室", starts_at=timezone.now()
        )
    assert "must add up to 100 points (now 90" in messages(exc)
    assert not PracticalSession.objects.exists()
    good = rubric_with_criteria(provider=body)
    session = svc.practical_session_create(
        rubric=good, provider=body, title="操作技能考核", place="实训室", starts_at=timezone.now()
    )
    assert session.status == PracticalSession.Status.SCHEDULED
    assert actions(session) == ["exams.practical_session.create"]


def test_a_session_cannot_use_another_providers_rubric():
    rubric = rubric_with_criteria()
    with pytest.raises(ValidationError) as exc:
        svc.practical_session_create(
            rubric=rubric, provider=assessment_body(), title="t", place="p", starts_at=timezone.now()
        )
    assert "another training provider" in messages(exc)


def test_rubric_and_scoring_rules_are_fixed_once_marking_began():
    session = session_with_panel()
    candidate = PracticalCandidateFactory(session=session)
    svc.marksheet_save(candidate=candidate, actor=session.panel[0].user, marks=marks_for(session, 10, "", ""))
    svc.practical_session_update(session=session, place="实训室二")  # details may still change
    with pytest.raises(ValidationError, match="scoring rules can no longer change"):
        svc.practical_session_update(session=session, aggregation=Aggregation.MEDIAN)


# --- the panel and recusal --------------------------------------------------------------------------------------


def test_marking_opens_only_with_an_odd_panel_of_at_least_three_and_a_chief():
    session = session_with_panel(examiners=2)
    candidate = PracticalCandidateFactory(session=session)
    with pytest.raises(ValidationError) as exc:
        svc.marksheet_save(candidate=candidate, actor=session.panel[0].user, marks={})
    assert "odd number of examiners, at least 3 (now 2)" in messages(exc)
    svc.examiner_add(session=session, user=f.UserFactory())
    svc.examiner_add(session=session, user=f.UserFactory())
    with pytest.raises(ValidationError, match=r"at least 3 \(now 4\)"):
        svc.marksheet_save(candidate=candidate, actor=session.panel[0].user, marks={})
    fifth = svc.examiner_add(session=session, user=f.UserFactory())
    assert sel.panel_problems(session) == []
    svc.marksheet_save(candidate=candidate, actor=fifth.user, marks=marks_for(session, 10, "", ""))


def test_a_panel_without_a_chief_cannot_mark():
    session = session_with_panel()
    session.examiners.update(is_chief=False)
    candidate = PracticalCandidateFactory(session=session)
    with pytest.raises(ValidationError, match="no chief examiner"):
        svc.marksheet_save(candidate=candidate, actor=session.panel[1].user, marks={})


def test_the_panel_is_fixed_once_marking_began():
    session = session_with_panel()
    candidate = PracticalCandidateFactory(session=session)
    svc.marksheet_save(candidate=candidate, actor=session.panel[1].user, marks=marks_for(session, 10, "", ""))
    with pytest.raises(ValidationError, match="panel can no longer change"):
        svc.examiner_add(session=session, user=f.UserFactory())
    with pytest.raises(ValidationError, match="panel can no longer change"):
        svc.examiner_remove(examiner=session.panel[2])


def test_one_chief_per_session():
    session = session_with_panel()
    new_chief = svc.examiner_make_chief(examiner=session.panel[2])
    assert list(session.examiners.filter(is_chief=True)) == [new_chief]
    added = svc.examiner_add(session=session, user=f.UserFactory(), is_chief=True)
    assert list(session.examiners.filter(is_chief=True)) == [added]


def test_an_examiner_from_a_candidates_institution_is_refused():
    session = session_with_panel()
    school = f.InstitutionFactory(name="麒麟区阳光托育中心")
    person = employed_person(school, person__name="李小红")
    svc.practical_candidate_add(session=session, person=person)
    colleague = examiner_user_at(school)
    with pytest.raises(ValidationError) as exc:
        svc.examiner_add(session=session, user=colleague)
    assert exc.value.code == "recusal"
    text = messages(exc)
    assert "they work at 麒麟区阳光托育中心" in text and "李*红" in text and "(recusal)" in text
    assert not session.examiners.filter(user=colleague).exists()
    # from another institution: accepted, and their current institution is recorded
    other = f.InstitutionFactory()
    examiner = svc.examiner_add(session=session, user=examiner_user_at(other))
    assert examiner.institution == other
    assert actions(examiner) == ["exams.examiner.add"]


def test_an_examiners_recorded_institution_counts_for_recusal():
    session = session_with_panel()
    school = f.InstitutionFactory()
    svc.practical_candidate_add(session=session, person=employed_person(school))
    with pytest.raises(ValidationError, match="recusal"):
        svc.examiner_add(session=session, user=f.UserFactory(), institution=school)


def test_a_candidate_from_an_examiners_institution_is_refused():
    school = f.InstitutionFactory(name="沾益区托育园")
    session = session_with_panel()
    ExaminerFactory(session=session, user=examiner_user_at(school))  # a 4th examiner, from 沾益区托育园
    person = employed_person(school, person__name="王芳")
    with pytest.raises(ValidationError) as exc:
        svc.practical_candidate_add(session=session, person=person)
    assert "王* cannot be scheduled" in messages(exc) and "works at 沾益区托育园" in messages(exc)
    assert not session.candidates.exists()


def test_a_former_employment_does_not_count_for_recusal():
    school = f.InstitutionFactory()
    session = session_with_panel()
    ExaminerFactory(session=session, user=examiner_user_at(school))
    person = f.EmploymentFactory(
        institution=school, start_date=dt.date(2020, 1, 1), end_date=dt.date(2023, 1, 1)
    ).person
    candidate = svc.practical_candidate_add(session=session, person=person)
    assert candidate.institution is None


# --- scheduling -------------------------------------------------------------------------------------------------


def test_candidates_get_the_next_slot_and_their_current_institution():
    session = session_with_panel()
    school = f.InstitutionFactory()
    first = svc.practical_candidate_add(session=session, person=employed_person(school))
    second = svc.practical_candidate_add(session=session, person=f.PersonFactory())
    assert (first.slot, second.slot) == (1, 2)
    assert first.institution == school and second.institution is None
    with pytest.raises(ValidationError, match="already scheduled"):
        svc.practical_candidate_add(session=session, person=first.person)
    with pytest.raises(ValidationError, match="Slot 2 is taken"):
        svc.practical_candidate_add(session=session, person=f.PersonFactory(), slot=2)
    assert actions(first) == ["exams.practical_candidate.add"]


def test_a_banned_person_is_not_scheduled():
    person = f.PersonFactory()
    Ban.objects.create(person=person, reason="test", decided_on=dt.date(2025, 1, 1), decided_by="曲靖市卫生健康委")
    with pytest.raises(ValidationError, match="lifetime ban"):
        svc.practical_candidate_add(session=session_with_panel(), person=person)


def test_a_marked_candidate_cannot_be_removed():
    session = session_with_panel()
    candidate = PracticalCandidateFactory(session=session)
    svc.marksheet_save(candidate=candidate, actor=session.panel[0].user, marks=marks_for(session, 5, "", ""))
    with pytest.raises(ValidationError, match="can no longer be removed"):
        svc.practical_candidate_remove(candidate=candidate)


def test_ratio_warning_above_five_candidates_per_examiner():
    session = session_with_panel()
    for slot in range(1, 16):
        PracticalCandidateFactory(session=session, slot=slot)
    assert sel.ratio_warning(session) is None
    PracticalCandidateFactory(session=session, slot=16)
    warning = sel.ratio_warning(session)
    assert warning.startswith("16 candidates for 3 examiners: more than 5 candidates per examiner")


def test_ratio_is_a_setting(settings):
    settings.EXAMS_CANDIDATES_PER_EXAMINER = 1
    session = session_with_panel()
    for slot in range(1, 5):
        PracticalCandidateFactory(session=session, slot=slot)
    assert "more than 1 candidates per examiner" in sel.ratio_warning(session)


# --- scoping ----------------------------------------------------------------------------------------------------


def test_provider_staff_see_only_their_providers_rubrics_and_sessions():
    mine, theirs = session_with_panel(), session_with_panel()
    platform_rubric = rubric_with_criteria(provider=None)
    staff = f.RoleGrantFactory(provider_staff=True, provider=mine.provider).user
    assert list(sel.practical_sessions_for(staff)) == [mine]
    assert set(sel.rubrics_for(staff)) == {mine.rubric, platform_rubric}
    assert list(sel.rubrics_for(staff, "change")) == [mine.rubric]
    admin = f.UserFactory(is_superuser=True)
    assert set(sel.practical_sessions_for(admin)) == {mine, theirs}
    assert not sel.practical_sessions_for(f.UserFactory()).exists()
    assert not sel.rubrics_for(f.RoleGrantFactory(inspector=True).user).exists()


def test_an_examiner_sees_only_their_sessions_and_candidates_by_slot_and_masked_name():
    session = session_with_panel()
    other = session_with_panel()
    PracticalCandidateFactory(session=session, slot=2, person=f.PersonFactory(name="欧阳小华"))
    PracticalCandidateFactory(session=session, slot=1, person=f.PersonFactory(name="李小红"))
    user = session.panel[1].user
    assert list(sel.examiner_sessions(user)) == [session]
    assert other not in sel.examiner_sessions(user)
    rows = sel.examiner_candidates(session, session.panel[1])
    assert [(r.slot, r.name, r.status) for r in rows] == [(1, "李*红", "todo"), (2, "欧**华", "todo")]
    assert [r.slot for r in sel.examiner_queue(user)] == [1, 2]


def test_criteria_points_must_be_positive_in_the_rubric_check():
    rubric = rubric_with_criteria(points=("50", "50"))
    RubricCriterionFactory(rubric=rubric, max_points=D("0.5"))
    assert "(now 100.50)" in sel.rubric_problem(rubric)
