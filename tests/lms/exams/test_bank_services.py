"""Question services (validation by type, audit), blueprint checks against the banks, and bank scoping."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.models import ModelLogEntry

from lms.exams.models import Question
from lms.exams.selectors import bank as selectors
from lms.exams.services import bank as services
from lms.exams.services.blueprints import blueprint_check
from lms.registry.models import Role
from lms.registry.selectors import PLATFORM_ADMIN
from tests import factories as f
from tests.lms.exams import factories as ef

pytestmark = pytest.mark.django_db

OPTIONS = [{"key": k, "text": t} for k, t in zip("ABCD", ["甲", "乙", "丙", "丁"], strict=True)]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def errors_of(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}


def create(bank, **fields):
    base = {
        "type": "single",
        "stem": "题干",
        "options": OPTIONS,
        "answer": ["A"],
        "knowledge_area": ef.knowledge_area(),
    }
    return services.question_create(bank=bank, **{**base, **fields})


# --- questions ---------------------------------------------------------------------------------------


def test_create_each_type_and_audit():
    bank = ef.QuestionBankFactory()
    actor = f.UserFactory()
    single = create(bank, actor=actor)
    assert single.occupation == bank.occupation and single.active
    create(bank, type="multiple", answer=["A", "C"], multiple_rule="partial")
    create(bank, type="true_false", options=[], answer=[True])
    create(bank, type="fill_blank", stem="每日户外活动不少于____小时", options=[], answer=[["2", "两"]])
    create(bank, type="short_answer", options=[], answer=[], reference_answer="要点")
    assert bank.questions.count() == 5
    entry = ModelLogEntry.objects.get(action="exams.question.create", object_id=str(single.pk))
    assert entry.user == actor


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"answer": ["E"]}, "answer", "The answer must use the letters of the options (ABCD)."),
        ({"answer": ["A", "B"]}, "answer", "A single-choice question has exactly one correct option."),
        (
            {"type": "multiple", "answer": ["A"]},
            "answer",
            "A multiple-choice question has at least two correct options.",
        ),
        ({"options": OPTIONS[:1]}, "options", "A choice question has 2 to 6 options (A to F)."),
        ({"options": [OPTIONS[0], OPTIONS[2]]}, "options", "The options must be A, B, C… in order, without gaps."),
        ({"options": [*OPTIONS[:3], {"key": "D", "text": " "}]}, "options", "Every option needs a text."),
        ({"options": "A;B"}, "options", "The options are malformed."),
        (
            {"type": "true_false", "options": [], "answer": ["true"]},
            "answer",
            "The answer of a true-or-false question is true or false.",
        ),
        ({"type": "true_false", "answer": [True]}, "options", "Only choice questions have options."),
        (
            {"type": "fill_blank", "stem": "____和____", "options": [], "answer": [["a"]]},
            "answer",
            "The question text has 2 blanks but the answer gives 1.",
        ),
        (
            {"type": "fill_blank", "options": [], "answer": [["a"], []]},
            "answer",
            "Give at least one accepted answer for every blank.",
        ),
        (
            {"type": "short_answer", "options": [], "answer": []},
            "reference_answer",
            "Give a reference answer or marking guide for the markers.",
        ),
        ({"stem": "  "}, "stem", "The question text is missing."),
    ],
)
def test_invalid_questions_are_refused_with_a_clear_message(fields, field, message):
    bank = ef.QuestionBankFactory()
    with pytest.raises(ValidationError) as excinfo:
        create(bank, **fields)
    assert message in errors_of(excinfo.value)[field]
    assert not Question.objects.exists()


def test_external_id_unique_per_bank():
    bank = ef.QuestionBankFactory()
    create(bank, external_id="Q-1")
    create(ef.QuestionBankFactory(), external_id="Q-1")  # another bank: fine
    with pytest.raises(ValidationError) as excinfo:
        create(bank, external_id="Q-1")
    assert "external_id" in excinfo.value.message_dict


def test_update_keeps_attempt_snapshots_and_deactivate():
    question = ef.QuestionFactory()
    drawn = ef.AttemptQuestionFactory(question=question)
    services.question_update(question=question, stem="新题干", answer=["B"])
    question.refresh_from_db()
    drawn.refresh_from_db()
    assert question.stem == "新题干" and question.answer == ["B"]
    assert drawn.snapshot["answer"] == ["A"] and drawn.snapshot["stem"] != "新题干"
    with pytest.raises(ValidationError):
        services.question_update(question=question, answer=["Z"])
    question.refresh_from_db()
    assert question.answer == ["B"]
    services.question_deactivate(question=question)
    question.refresh_from_db()
    assert not question.active
    assert ModelLogEntry.objects.filter(action="exams.question.deactivate").count() == 1


def test_multiple_rule_only_kept_for_multiple_choice():
    bank = ef.QuestionBankFactory()
    assert create(bank, multiple_rule="partial").multiple_rule == "all_or_nothing"


# --- blueprints ----------------------------------------------------------------------------------------


def bank_with(counts: dict, **bank_fields):
    """A bank with ``{(type, area_code, difficulty, level): n}`` questions."""
    bank = ef.QuestionBankFactory(**bank_fields)
    for (qtype, area, difficulty, level), n in counts.items():
        trait = {} if qtype == "single" else {qtype: True}
        ef.QuestionFactory.create_batch(
            n, bank=bank, knowledge_area=ef.knowledge_area(area), difficulty=difficulty, level=level, **trait
        )
    return bank


def test_blueprint_check_passes_when_the_bank_suffices():
    bank = bank_with({("single", "ethics", 2, None): 30, ("true_false", "safety_health", 1, 4): 25})
    bp = ef.blueprint_with_sections(banks=[bank], sections=[("single", 30, "2"), ("true_false", 20, "2")])
    blueprint_check(blueprint=bp)


def test_blueprint_check_lists_each_failing_section():
    bank = bank_with(
        {
            ("single", "ethics", 2, None): 20,
            ("single", "safety_health", 3, None): 4,
            ("single", "safety_health", 2, 5): 10,  # another level: not in the pool
            ("true_false", "life_care", 1, None): 30,
        }
    )
    ef.QuestionFactory.create_batch(5, bank=bank, true_false=True, active=False)  # out of use: not in the pool
    bp = ef.blueprint_with_sections(
        banks=[bank],
        sections=[
            ("single", 20, "2"),
            ("single", 5, "2", "safety_health", 3),
            ("true_false", 25, "2"),
        ],
    )
    with pytest.raises(ValidationError) as excinfo:
        blueprint_check(blueprint=bp)
    assert excinfo.value.messages == [
        "Section 2 (Single choice (单选题), 安全健康管理, hard) needs 5 questions: "
        "the question banks have only 4 that fit."
    ]


def test_blueprint_check_arithmetic_and_banks():
    bp = ef.blueprint_with_sections(sections=[("single", 10, "2")], pass_mark=Decimal("120"))
    with pytest.raises(ValidationError) as excinfo:
        blueprint_check(blueprint=bp)
    assert excinfo.value.messages == [
        "The sections add up to 20 points (questions × points each), not the total of 100.",
        "The pass mark 120 is above the total of 100 points.",
        "Choose at least one question bank.",
    ]


def test_blueprint_check_overlap_message_counts_what_is_left():
    bank = bank_with({("single", "ethics", 2, None): 10, ("single", "safety_health", 2, None): 5})
    bp = ef.blueprint_with_sections(banks=[bank], sections=[("single", 12, "5"), ("single", 5, "8", "safety_health")])
    with pytest.raises(ValidationError) as excinfo:
        blueprint_check(blueprint=bp)
    assert excinfo.value.messages == [
        "Section 1 (Single choice (单选题)) needs 12 questions: the question banks have 15 that fit, but only 10 "
        "are left once more specific sections have taken theirs."
    ]


def test_blueprint_check_on_unsaved_sections():
    bank = bank_with({("single", "ethics", 2, None): 50})
    bp = ef.BlueprintFactory()
    sections = [ef.BlueprintSectionFactory.build(blueprint=bp, type="single", count=50, points=Decimal("2"))]
    blueprint_check(blueprint=bp, sections=sections, bank_ids=[bank.pk])
    sections[0].count = 51
    with pytest.raises(ValidationError):
        blueprint_check(blueprint=bp, sections=sections, bank_ids=[bank.pk])


def test_pool_and_draw_inputs():
    bank = bank_with({("single", "ethics", 2, None): 3, ("single", "ethics", 2, 4): 2, ("single", "ethics", 2, 5): 2})
    other_occupation = ef.QuestionBankFactory(occupation="infant_carer")
    ef.QuestionFactory(bank=other_occupation)
    bp = ef.blueprint_with_sections(banks=[bank, other_occupation], sections=[("single", 5, "20")], level=4)
    sections, pool = selectors.draw_inputs(bp)
    assert len(pool) == 5 and all(q.level in (None, 4) and q.option_count == 4 for q in pool)
    assert sections[0].count == 5 and sections[0].points == Decimal("20")


# --- scoping ----------------------------------------------------------------------------------------------


def test_scoping_matrix(registry_world):
    users = registry_world.users
    bank_a = ef.QuestionBankFactory(provider=registry_world.a.provider)
    bank_b = ef.QuestionBankFactory(provider=registry_world.b.provider)
    platform = ef.QuestionBankFactory(provider=None)
    qa, qb, qp = (ef.QuestionFactory(bank=b) for b in (bank_a, bank_b, platform))
    bp_a = ef.BlueprintFactory(provider=registry_world.a.provider)
    bp_b = ef.BlueprintFactory(provider=registry_world.b.provider)
    bp_p = ef.BlueprintFactory(provider=None)

    staff = users[Role.PROVIDER_STAFF.value]
    assert set(selectors.banks_for(staff)) == {bank_a, platform}
    assert set(selectors.banks_for(staff, "change")) == {bank_a}
    assert set(selectors.questions_for(staff)) == {qa, qp}
    assert set(selectors.questions_for(staff, "delete")) == {qa}
    assert set(selectors.blueprints_for(staff)) == {bp_a, bp_p}
    assert set(selectors.blueprints_for(staff, "change")) == {bp_a}
    assert set(selectors.blueprint_bank_choices(staff)) == {bank_a, platform}
    assert list(selectors.provider_choices(staff)) == [registry_world.a.provider]

    admin = users[PLATFORM_ADMIN]
    assert set(selectors.banks_for(admin, "change")) == {bank_a, bank_b, platform}
    assert set(selectors.questions_for(admin)) == {qa, qb, qp}
    assert set(selectors.blueprints_for(admin, "delete")) == {bp_a, bp_b, bp_p}

    for role in (Role.HEALTH_OFFICER, Role.HR_OFFICER, Role.INSPECTOR, Role.INSTITUTION_ADMIN, "caregiver"):
        user = users[str(role.value if hasattr(role, "value") else role)]
        assert not selectors.banks_for(user).exists()
        assert not selectors.questions_for(user).exists()
        assert not selectors.blueprints_for(user).exists()
        assert not selectors.can_manage_banks(user)
