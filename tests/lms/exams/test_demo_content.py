"""Demo exam content: every question is well formed for its type, each occupation has 300+ questions in a realistic
mix, the blueprints can be drawn with room to spare and add up to 100, the rubrics add up to 100, and seeding is
idempotent."""

from collections import Counter
from decimal import Decimal
from importlib import import_module

import pytest
from django.utils import translation

from lms.exams import draw as drawing
from lms.exams.choices import QuestionType
from lms.exams.demo import BANKS, seed_exam_content
from lms.exams.demo_questions import QUESTIONS_BY_OCCUPATION
from lms.exams.demo_questions.assessments import BLUEPRINTS, RUBRICS
from lms.exams.models import (
    Attempt,
    Blueprint,
    BlueprintSection,
    Candidate,
    KnowledgeArea,
    PracticalSession,
    Question,
    QuestionBank,
    Rubric,
    RubricCriterion,
    Sitting,
)
from lms.exams.questions import blank_count, question_errors
from lms.exams.selectors import bank as bank_selectors
from lms.exams.services.bank import question_validate
from lms.exams.services.bank_import import questions_export, questions_import
from lms.learning.choices import Occupation
from tests import factories as f

AREA_CODES = [code for code, _name in import_module("lms.exams.migrations.0002_knowledge_areas").AREAS]
AREA_IDS = {code: n for n, code in enumerate(AREA_CODES, start=1)}  # stand-in ids for the pure draw
ALL = [q for questions in QUESTIONS_BY_OCCUPATION.values() for q in questions]
PREFIX = {Occupation.CHILDCARE_WORKER: "BY-", Occupation.INFANT_CARER: "YY-"}
# the knowledge areas of each national standard (育婴员's 早期教育 is early_learning)
STANDARD_AREAS = {
    Occupation.CHILDCARE_WORKER: {
        "ethics",
        "basics",
        "life_care",
        "safety_health",
        "early_learning",
        "family_cooperation",
        "training_guidance",
    },
    Occupation.INFANT_CARER: {"ethics", "basics", "life_care", "health_care", "early_learning", "training_guidance"},
}
KEYS = {"external_id", "type", "stem", "options", "answer", "reference_answer", "explanation"}
KEYS |= {"knowledge_area", "difficulty", "level"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- the data modules (no database) ---------------------------------------------------------------------------


def shape_problems(q: dict) -> list[str]:
    problems = [f"{field}: {m}" for field, messages in question_errors(
        qtype=q["type"], stem=q["stem"], options=q["options"], answer=q["answer"],
        reference_answer=q["reference_answer"],
    ).items() for m in messages]  # fmt: skip
    if set(q) != KEYS:
        problems.append(f"keys {sorted(set(q) ^ KEYS)}")
    if q["knowledge_area"] not in AREA_CODES:
        problems.append(f"unknown knowledge area {q['knowledge_area']}")
    if q["difficulty"] not in (1, 2, 3) or q["level"] not in (None, 3, 4, 5):
        problems.append("difficulty or level out of range")
    keys = [o["key"] for o in q["options"]]
    if q["type"] in ("single", "multiple"):
        if not 3 <= len(keys) <= 6 or "（  ）" not in q["stem"]:
            problems.append("a choice question has 3 to 6 options and a （  ） in its stem")
        if not set(q["answer"]) <= set(keys) or q["answer"] != sorted(q["answer"]):
            problems.append("answer keys must be option keys, in order")
        if q["type"] == "single" and len(q["answer"]) != 1:
            problems.append("single choice: one key")
        if q["type"] == "multiple" and len(q["answer"]) < 2:
            problems.append("multiple choice: two keys or more")
    elif q["options"]:
        problems.append("options on a question that is not a choice question")
    if q["type"] == "true_false" and q["answer"] not in ([True], [False]):
        problems.append("true/false: [true] or [false]")
    if q["type"] == "fill_blank":
        if q["stem"].count("____") != len(q["answer"]) or blank_count(q["stem"]) != len(q["answer"]):
            problems.append("fill in the blank: one ____ per blank")
        if any(not blank or len(set(blank)) != len(blank) for blank in q["answer"]):
            problems.append("fill in the blank: distinct accepted answers for every blank")
    if q["type"] == "short_answer" and (q["answer"] != [] or "分" not in q["reference_answer"]):
        problems.append("short answer: no answer, a marking guide with points")
    return problems


def test_every_question_is_well_formed_for_its_type():
    problems = {q["external_id"]: p for q in ALL if (p := shape_problems(q))}
    assert problems == {}


def test_external_ids_and_stems_are_unique():
    ids = Counter(q["external_id"] for q in ALL)
    stems = Counter("".join(q["stem"].split()) for q in ALL)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [s for s, n in stems.items() if n > 1] == []


@pytest.mark.parametrize("occupation", list(QUESTIONS_BY_OCCUPATION))
def test_each_occupation_has_300_questions_in_a_realistic_mix(occupation):
    questions = QUESTIONS_BY_OCCUPATION[occupation]
    assert len(questions) >= 300
    assert all(q["external_id"].startswith(PREFIX[occupation]) for q in questions)
    share = {t: n / len(questions) for t, n in Counter(q["type"] for q in questions).items()}
    assert 0.30 <= share["single"] <= 0.40
    assert 0.15 <= share["multiple"] <= 0.25
    assert 0.20 <= share["true_false"] <= 0.30
    assert 0.08 <= share["fill_blank"] <= 0.15
    assert 0.05 <= share["short_answer"] <= 0.10
    assert {q["knowledge_area"] for q in questions} == STANDARD_AREAS[occupation]
    assert {q["difficulty"] for q in questions} == {1, 2, 3}
    # correct options are not all in one place
    singles = Counter(q["answer"][0] for q in questions if q["type"] == "single")
    assert set(singles) == set("ABCD") and max(singles.values()) < 0.4 * sum(singles.values())


def pool_of(occupation) -> list[drawing.PoolQuestion]:
    return [
        drawing.PoolQuestion(
            id=n,
            type=q["type"],
            area=AREA_IDS[q["knowledge_area"]],
            difficulty=q["difficulty"],
            level=q["level"],
            option_count=len(q["options"]),
        )
        for n, q in enumerate(QUESTIONS_BY_OCCUPATION[occupation], start=1)
    ]


def sections_of(spec) -> list[drawing.Section]:
    return [
        drawing.Section(
            type=s["type"],
            count=s["count"],
            points=Decimal(s["points"]),
            area=AREA_IDS[s["area"]] if s["area"] else None,
            difficulty=s["difficulty"],
        )
        for s in spec["sections"]
    ]


def test_blueprints_cover_levels_5_and_4_of_each_occupation():
    exams = {(b["occupation"], b["level"]) for b in BLUEPRINTS if b["level"]}
    assert exams == {(o, level) for o in QUESTIONS_BY_OCCUPATION for level in (5, 4)}


@pytest.mark.parametrize("spec", BLUEPRINTS, ids=[b["name"] for b in BLUEPRINTS])
def test_each_blueprint_adds_up_to_100_and_its_bank_has_twice_what_each_section_needs(spec):
    sections, pool = sections_of(spec), pool_of(spec["occupation"])
    assert drawing.blueprint_problems(sections, total_points=Decimal(100), pass_mark=Decimal(60)) == []
    usable = [q for q in pool if spec["level"] is None or q.level in (None, spec["level"])]
    for s in sections:
        assert sum(s.accepts(q) for q in usable) >= 2 * s.count, s
    assert drawing.check(sections, pool, level=spec["level"]) == []
    for seed in ("a", "b", "c"):
        paper = drawing.draw(sections, pool, seed, level=spec["level"])
        assert len({d.question_id for d in paper}) == len(paper) == sum(s.count for s in sections)
        assert sum(d.points for d in paper) == 100


@pytest.mark.parametrize("spec", RUBRICS, ids=[r["name"] for r in RUBRICS])
def test_each_rubric_adds_up_to_100(spec):
    assert sum(Decimal(c["max_points"]) for c in spec["criteria"]) == 100
    assert all(c["title"] and c["description"] for c in spec["criteria"])
    assert len({c["title"] for c in spec["criteria"]}) == len(spec["criteria"])


def test_rubrics_cover_levels_5_and_4_of_each_occupation():
    assert {(r["occupation"], r["level"]) for r in RUBRICS} == {
        (o, level) for o in QUESTIONS_BY_OCCUPATION for level in (5, 4)
    }


# --- seeding ---------------------------------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    models = (QuestionBank, Question, Blueprint, BlueprintSection, Rubric, RubricCriterion)
    return {m._meta.model_name: m.objects.count() for m in models}


@pytest.mark.django_db
def test_seeding_creates_the_banks_blueprints_and_rubrics_and_nothing_else():
    counts = seed_exam_content()

    assert counts["banks"] == 2 and counts["questions"] == len(ALL) and counts["questions_updated"] == 0
    assert counts["blueprints"] == len(BLUEPRINTS) and counts["rubrics"] == len(RUBRICS)
    for occupation, (name, _description) in BANKS.items():
        bank = QuestionBank.objects.get(name=name, provider=None)
        assert bank.occupation == occupation
        assert bank.questions.filter(occupation=occupation, active=True).count() >= 300
    for rubric in Rubric.objects.all():
        assert sum(c.max_points for c in rubric.criteria.all()) == 100
    for model in (Sitting, Candidate, Attempt, PracticalSession):
        assert not model.objects.exists()


@pytest.mark.django_db
def test_seeded_questions_pass_the_bank_services_validation():
    seed_exam_content()
    for question in Question.objects.select_related("bank"):
        question_validate(question)  # raises ValidationError if not


@pytest.mark.django_db
def test_seeded_banks_export_to_the_xlsx_template_and_import_back_unchanged():
    seed_exam_content()
    fields = ["type", "stem", "options", "answer", "reference_answer", "explanation", "knowledge_area_id"]
    fields += ["difficulty", "level", "external_id"]
    for bank in QuestionBank.objects.all():
        copy = QuestionBank.objects.create(name=f"{bank.name}（导入）", occupation=bank.occupation)

        result = questions_import(bank=copy, data=questions_export(bank.questions.order_by("pk")))

        assert result.errors == [] and result.created == bank.questions.count()
        assert list(copy.questions.order_by("external_id").values(*fields)) == list(
            bank.questions.order_by("external_id").values(*fields)
        )


@pytest.mark.django_db
def test_seeded_blueprints_draw_full_papers_through_the_bank_selectors():
    seed_exam_content()
    assert Blueprint.objects.count() == len(BLUEPRINTS)
    for blueprint in Blueprint.objects.all():
        sections, pool = bank_selectors.draw_inputs(blueprint)
        papers = [drawing.draw(sections, pool, seed, level=blueprint.level) for seed in ("1", "2", "3")]
        for paper in papers:
            assert len({d.question_id for d in paper}) == len(paper) == sum(s.count for s in sections)
            assert sum(d.points for d in paper) == blueprint.total_points == 100
        assert len({tuple(d.question_id for d in paper) for paper in papers}) == 3  # candidates get different papers
        if blueprint.level:
            levels = set(Question.objects.filter(pk__in=[d.question_id for d in papers[0]]).values_list("level"))
            assert levels <= {(None,), (blueprint.level,)}


@pytest.mark.django_db
def test_seeding_twice_creates_and_changes_nothing():
    seed_exam_content()
    before = row_counts()
    criterion_ids = sorted(RubricCriterion.objects.values_list("pk", flat=True))

    counts = seed_exam_content()

    assert set(counts.values()) == {0}
    assert row_counts() == before
    assert sorted(RubricCriterion.objects.values_list("pk", flat=True)) == criterion_ids


@pytest.mark.django_db
def test_seeding_again_restores_edited_content_in_place():
    seed_exam_content()
    question = Question.objects.get(external_id="BY-0212")
    question.stem, question.answer = "改过的题目（  ）。", ["A"]
    question.save()
    section = BlueprintSection.objects.filter(blueprint__level=5).first()
    section.count = 1
    section.save()

    counts = seed_exam_content()

    assert counts["questions"] == 0 and counts["questions_updated"] == 1
    question.refresh_from_db()
    assert question.stem.startswith("1岁以内婴儿睡眠时") and question.answer == ["B"]
    section.refresh_from_db()
    assert section.count > 1


@pytest.mark.django_db
def test_a_provider_gets_its_own_copy():
    seed_exam_content()
    provider = f.TrainingProviderFactory()

    counts = seed_exam_content(provider=provider)

    assert counts["banks"] == 2 and counts["questions"] == len(ALL)
    assert QuestionBank.objects.filter(provider=provider).count() == 2
    assert set(Blueprint.objects.filter(provider=provider).values_list("banks__provider", flat=True)) == {provider.pk}
    assert Rubric.objects.filter(provider=provider).count() == len(RUBRICS)


@pytest.mark.django_db
def test_knowledge_areas_of_the_content_are_the_seeded_ones():
    assert set(KnowledgeArea.objects.values_list("code", flat=True)) >= {q["knowledge_area"] for q in ALL}
    assert QuestionType.SHORT_ANSWER in {q["type"] for q in ALL}
