"""Skill level results: theory AND practical (AND the 综合评审 at levels 2 and 1), publication, retakes."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.models import ModelLogEntry

from lms.exams.events import level_result_passed
from lms.exams.models import LevelResult, PracticalSession
from lms.exams.selectors import practical as sel
from lms.exams.selectors import results as results_sel
from lms.exams.services import practical as practical_svc
from lms.exams.services import results as svc
from lms.learning.choices import Occupation, SkillLevel
from lms.registry.models import TrainingProvider
from tests import factories as f

from .factories import graded_attempt
from .practical_factories import rubric_with_criteria, scored_candidate, session_with_panel

pytestmark = pytest.mark.django_db

PASS = [(20, 20, 30)] * 3  # 70
FAIL = [(15, 15, 20)] * 3  # 50


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def actor():
    return f.UserFactory(is_superuser=True)


def pair(*, theory, practical=PASS, level=SkillLevel.LEVEL_4, person=None, **session_fields):
    person = person or f.PersonFactory()
    session = session_with_panel(**session_fields) if level == SkillLevel.LEVEL_4 else level_session(level)
    return graded_attempt(person=person, score=theory, level=level), scored_candidate(session, practical, person=person)


def level_session(level):
    from .practical_factories import assessment_body

    body = assessment_body()
    return session_with_panel(provider=body, rubric=rubric_with_criteria(provider=body, level=level))


@pytest.mark.parametrize(
    ("theory", "practical", "passed"),
    [(60, PASS, True), (D("59.99"), PASS, False), (85, FAIL, False), (40, FAIL, False)],
)
def test_theory_and_practical_must_both_pass(actor, theory, practical, passed):
    attempt, candidate = pair(theory=theory, practical=practical)
    result = svc.level_result_decide(attempt=attempt, practical=candidate, actor=actor)
    assert result.passed is passed
    assert (result.theory_score, result.practical_score) == (D(str(theory)), candidate.score)
    assert (result.person, result.occupation, result.level) == (
        candidate.person,
        Occupation.CHILDCARE_WORKER,
        SkillLevel.LEVEL_4,
    )
    assert result.provider == candidate.session.provider and result.published_at is None
    entry = ModelLogEntry.objects.for_instance(result).get()
    assert entry.action == "exams.result.decide" and entry.data["passed"] is passed


def test_practical_pass_mark_is_the_rubrics(actor):
    body_session = session_with_panel()
    body_session.rubric.pass_mark = D("75")
    body_session.rubric.save()
    person = f.PersonFactory()
    attempt = graded_attempt(person=person, score=90)
    candidate = scored_candidate(body_session, PASS, person=person)  # 70 < 75
    assert not svc.level_result_decide(attempt=attempt, practical=candidate, actor=actor).passed


@pytest.mark.parametrize("level", [SkillLevel.LEVEL_2, SkillLevel.LEVEL_1])
def test_levels_2_and_1_need_the_comprehensive_review(actor, level):
    attempt, candidate = pair(theory=80, level=level)
    with pytest.raises(ValidationError, match="comprehensive review"):
        svc.level_result_decide(attempt=attempt, practical=candidate, actor=actor)
    assert not LevelResult.objects.exists()
    result = svc.level_result_decide(attempt=attempt, practical=candidate, review_score=D("59.5"), actor=actor)
    assert not result.passed and result.review_score == D("59.5")
    result = svc.level_result_decide(attempt=attempt, practical=candidate, review_score="60", actor=actor)
    assert result.passed and LevelResult.objects.count() == 1  # decided again while unpublished


def test_a_failed_part_needs_no_review_score(actor):
    attempt, candidate = pair(theory=30, level=SkillLevel.LEVEL_2)
    result = svc.level_result_decide(attempt=attempt, practical=candidate, actor=actor)
    assert not result.passed and result.review_score is None


def test_review_levels_are_a_setting(actor, settings):
    settings.EXAMS_REVIEW_LEVELS = {1, 2, 3}
    attempt, candidate = pair(theory=80, level=SkillLevel.LEVEL_3)
    with pytest.raises(ValidationError, match="comprehensive review"):
        svc.level_result_decide(attempt=attempt, practical=candidate, actor=actor)
    settings.EXAMS_REVIEW_LEVELS = set()
    attempt, candidate = pair(theory=80, level=SkillLevel.LEVEL_2)
    result = svc.level_result_decide(attempt=attempt, practical=candidate, review_score=10, actor=actor)
    assert result.passed and result.review_score is None  # not a review level: the score is not kept


def test_review_score_must_be_0_to_100(actor):
    attempt, candidate = pair(theory=80, level=SkillLevel.LEVEL_2)
    with pytest.raises(ValidationError, match="from 0 to 100"):
        svc.level_result_decide(attempt=attempt, practical=candidate, review_score=101, actor=actor)


def test_refusals(actor):
    attempt, candidate = pair(theory=80)
    other_attempt = graded_attempt(person=f.PersonFactory(), score=80)
    with pytest.raises(ValidationError, match="not the same person"):
        svc.level_result_decide(attempt=other_attempt, practical=candidate, actor=actor)
    wrong_level = graded_attempt(person=candidate.person, score=80, level=SkillLevel.LEVEL_3)
    with pytest.raises(ValidationError, match="different skill levels"):
        svc.level_result_decide(attempt=wrong_level, practical=candidate, actor=actor)
    attempt.status = attempt.Status.MARKING
    attempt.save()
    with pytest.raises(ValidationError, match="not graded yet"):
        svc.level_result_decide(attempt=attempt, practical=candidate, actor=actor)


def test_a_practical_without_all_marks_cannot_be_decided(actor):
    session = session_with_panel()
    person = f.PersonFactory()
    candidate = practical_svc.practical_candidate_add(session=session, person=person)
    with pytest.raises(ValidationError, match="no final score yet"):
        svc.level_result_decide(attempt=graded_attempt(person=person, score=80), practical=candidate, actor=actor)


def test_only_an_assessment_body_decides(actor):
    attempt, candidate = pair(theory=80)
    TrainingProvider.objects.filter(pk=candidate.session.provider_id).update(kind=TrainingProvider.Kind.TRAINING)
    with pytest.raises(ValidationError, match="skill assessment body"):
        svc.level_result_decide(attempt=attempt, practical=candidate, actor=actor)


def test_an_attempt_counts_for_one_result_only(actor):
    attempt, candidate = pair(theory=80)
    svc.level_result_decide(attempt=attempt, practical=candidate, actor=actor)
    second = scored_candidate(session_with_panel(), PASS, person=candidate.person)
    with pytest.raises(ValidationError, match="already counts for another result"):
        svc.level_result_decide(attempt=attempt, practical=second, actor=actor)


def test_a_published_result_never_changes_nor_do_its_marks(actor):
    attempt, candidate = pair(theory=80)
    result = svc.level_result_decide(attempt=attempt, practical=candidate, actor=actor)
    sheet = candidate.mark_sheets.first()
    with pytest.raises(ValidationError, match="level result has been decided"):
        practical_svc.marksheet_change(
            sheet=sheet,
            marks=dict.fromkeys(sheet.marks, "1"),
            reason="r",
            actor=candidate.session.examiners.get(is_chief=True).user,
        )
    svc.level_results_publish(results=[result], actor=actor)
    with pytest.raises(ValidationError, match="published"):
        svc.level_result_decide(attempt=attempt, practical=candidate, actor=actor)


# --- publication ------------------------------------------------------------------------------------------------


@pytest.fixture
def received():
    calls = []

    def receiver(sender, result_id, **kwargs):
        calls.append(result_id)

    level_result_passed.connect(receiver, dispatch_uid="test_results.receiver")
    yield calls
    level_result_passed.disconnect(dispatch_uid="test_results.receiver")


def test_publishing_sends_the_event_once_per_pass_after_commit(actor, received, django_capture_on_commit_callbacks):
    passed = svc.level_result_decide(attempt=(p := pair(theory=80))[0], practical=p[1], actor=actor)
    failed = svc.level_result_decide(attempt=(q := pair(theory=20))[0], practical=q[1], actor=actor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        published = svc.level_results_publish(results=[passed, failed], actor=actor)
    assert received == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert received == [passed.pk]
    assert {r.pk for r in published} == {passed.pk, failed.pk}
    passed.refresh_from_db()
    assert passed.published_at is not None
    assert ModelLogEntry.objects.for_instance(passed).filter(action="exams.result.publish").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert svc.level_results_publish(results=[passed, failed], actor=actor) == []
    assert received == [passed.pk]  # publishing again sends nothing


def test_candidates_see_only_published_results(actor):
    attempt, candidate = pair(theory=80)
    result = svc.level_result_decide(attempt=attempt, practical=candidate, actor=actor)
    assert not results_sel.person_results(candidate.person).exists()
    svc.level_results_publish(results=[result], actor=actor)
    assert list(results_sel.person_results(candidate.person)) == [result]


# --- retakes ----------------------------------------------------------------------------------------------------


def test_a_failed_candidate_may_retake_and_be_scheduled_again(actor):
    attempt, candidate = pair(theory=80, practical=FAIL)
    result = svc.level_result_decide(attempt=attempt, practical=candidate, actor=actor)
    assert not results_sel.retake_plan(result).possible  # not published yet
    svc.level_results_publish(results=[result], actor=actor)
    result.refresh_from_db()
    later = session_with_panel()
    plan = results_sel.retake_plan(result)
    assert plan.possible and plan.failed == ("practical",) and plan.retake == ("theory", "practical")
    assert later in plan.sessions and later.status == PracticalSession.Status.SCHEDULED
    retake = practical_svc.practical_candidate_add(session=later, person=candidate.person)
    assert retake.slot == 1


def test_who_passed_cannot_retake_nor_be_scheduled_again(actor):
    attempt, candidate = pair(theory=80)
    result = svc.level_result_decide(attempt=attempt, practical=candidate, actor=actor)
    svc.level_results_publish(results=[result], actor=actor)
    result.refresh_from_db()
    assert not results_sel.retake_plan(result).possible
    with pytest.raises(ValidationError, match="already passed this occupation and level"):
        practical_svc.practical_candidate_add(session=session_with_panel(), person=candidate.person)


def test_retake_at_a_review_level_includes_the_review(actor):
    attempt, candidate = pair(theory=80, level=SkillLevel.LEVEL_2)
    result = svc.level_result_decide(attempt=attempt, practical=candidate, review_score=40, actor=actor)
    svc.level_results_publish(results=[result], actor=actor)
    result.refresh_from_db()
    plan = results_sel.retake_plan(result)
    assert plan.failed == ("review",) and plan.retake == ("theory", "practical", "review")


def test_level_results_are_scoped_to_the_providers_staff(actor):
    attempt, candidate = pair(theory=80)
    result = svc.level_result_decide(attempt=attempt, practical=candidate, actor=actor)
    other = svc.level_result_decide(attempt=(p := pair(theory=80))[0], practical=p[1], actor=actor)
    staff = f.RoleGrantFactory(provider_staff=True, provider=candidate.session.provider).user
    assert list(sel.level_results_for(staff)) == [result]
    assert set(sel.level_results_for(actor)) == {result, other}
