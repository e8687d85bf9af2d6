import pytest

from tests.lms.exams import factories as ef
from tests.lms.exams import practical_factories as pf

pytestmark = pytest.mark.django_db


def test_every_factory_builds():
    area = ef.knowledge_area("ethics")
    assert area.name == "职业道德"
    assert ef.knowledge_area("ethics").pk == area.pk
    for trait in ("multiple", "true_false", "fill_blank", "short_answer"):
        ef.QuestionFactory(**{trait: True})
    bank = ef.QuestionBankFactory()
    bp = ef.blueprint_with_sections(banks=[bank], sections=[("single", 10, "2", "ethics", 1), ("true_false", 80, "1")])
    assert bp.sections.count() == 2 and list(bp.banks.all()) == [bank]
    aq = ef.AttemptQuestionFactory(
        attempt=ef.AttemptFactory(candidate=ef.CandidateFactory(sitting=ef.SittingFactory(blueprint=bp)))
    )
    assert aq.snapshot["answer"] == ["A"]
    ef.ExamRoomFactory(proctors=[ef.f.UserFactory()])
    rubric = pf.rubric_with_criteria()
    sheet = pf.MarkSheetFactory(
        candidate=pf.PracticalCandidateFactory(session=pf.PracticalSessionFactory(rubric=rubric))
    )
    assert sheet.examiner.session == sheet.candidate.session
