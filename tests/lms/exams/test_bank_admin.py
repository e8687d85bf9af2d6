"""Bank admin over HTTP: scoping matrix (provider A never sees provider B's banks, questions, blueprints), question
forms validated by type, blueprints refused when the banks cannot satisfy them, XLSX import errors and export."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import Workbook, load_workbook

from lms.exams.models import Blueprint, Question
from lms.registry.models import Role
from lms.registry.selectors import PLATFORM_ADMIN
from tests.lms.exams import factories as ef

pytestmark = pytest.mark.django_db

BANKS, QUESTIONS, BLUEPRINTS = "/admin/exams/banks/", "/admin/exams/questions/", "/admin/exams/blueprints/"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def world(registry_world):
    w = registry_world
    w.bank_a = ef.QuestionBankFactory(provider=w.a.provider, name="甲校题库")
    w.bank_b = ef.QuestionBankFactory(provider=w.b.provider, name="乙校题库")
    w.platform_bank = ef.QuestionBankFactory(provider=None, name="平台题库")
    w.q_a = ef.QuestionFactory(bank=w.bank_a, stem="甲校的题目")
    w.q_b = ef.QuestionFactory(bank=w.bank_b, stem="乙校的题目")
    w.q_p = ef.QuestionFactory(bank=w.platform_bank, stem="平台的题目")
    w.bp_a = ef.BlueprintFactory(provider=w.a.provider, name="甲校组卷")
    w.bp_b = ef.BlueprintFactory(provider=w.b.provider, name="乙校组卷")
    w.staff = w.users[Role.PROVIDER_STAFF.value]
    w.admin = w.users[PLATFORM_ADMIN]
    return w


def test_scoping_matrix_listings(world):
    staff = client_for(world.staff)
    banks = staff.get(BANKS).content.decode()
    assert "甲校题库" in banks and "平台题库" in banks and "乙校题库" not in banks
    questions = staff.get(QUESTIONS).content.decode()
    assert "甲校的题目" in questions and "平台的题目" in questions and "乙校的题目" not in questions
    assert "乙校题库" not in questions  # not even as a filter choice
    blueprints = staff.get(BLUEPRINTS).content.decode()
    assert "甲校组卷" in blueprints and "乙校组卷" not in blueprints

    admin = client_for(world.admin)
    assert "乙校题库" in admin.get(BANKS).content.decode()
    assert "乙校的题目" in admin.get(QUESTIONS).content.decode()
    assert "乙校组卷" in admin.get(BLUEPRINTS).content.decode()


def test_scoping_matrix_objects(world):
    staff = client_for(world.staff)
    for url in (
        f"{BANKS}edit/{world.bank_b.pk}/",
        f"{QUESTIONS}edit/{world.q_b.pk}/",
        f"{QUESTIONS}delete/{world.q_b.pk}/",
        f"{QUESTIONS}history/{world.q_b.pk}/",
        f"{BLUEPRINTS}edit/{world.bp_b.pk}/",
        f"/admin/exams/banks/{world.bank_b.pk}/import/",
        f"/admin/exams/banks/{world.bank_b.pk}/export/",
    ):
        assert staff.get(url).status_code == 404, url
    # the platform's rows: seen, not changed
    assert staff.get(f"{QUESTIONS}edit/{world.q_p.pk}/").status_code in (302, 403)  # Wagtail: back to the dashboard
    assert staff.get(f"/admin/exams/banks/{world.platform_bank.pk}/import/").status_code in (302, 403)
    assert staff.get(f"/admin/exams/banks/{world.platform_bank.pk}/export/").status_code == 200
    # their own
    assert staff.get(f"{QUESTIONS}edit/{world.q_a.pk}/").status_code == 200
    assert staff.get(f"{BLUEPRINTS}edit/{world.bp_a.pk}/").status_code == 200


def test_other_roles_have_no_bank_admin(world):
    for role in (Role.HEALTH_OFFICER.value, Role.INSTITUTION_ADMIN.value):
        client = client_for(world.users[role])
        assert client.get(BANKS).status_code in (302, 403)
        assert client.get(QUESTIONS).status_code in (302, 403)
        assert client.get("/admin/exams/bank-template/").status_code == 403


def test_exams_menu_lists_bank_items_for_staff(world):
    html = client_for(world.staff).get("/admin/").content.decode()
    assert "Question banks" in html and "Exam blueprints" in html
    assert "Knowledge areas" not in html  # platform admins only
    assert "Knowledge areas" in client_for(world.admin).get("/admin/").content.decode()
    assert client_for(world.staff).get("/admin/exams/knowledge-areas/").status_code in (302, 403)


def question_post(bank, **overrides):
    data = {
        "bank": bank.pk,
        "type": "multiple",
        "knowledge_area": ef.knowledge_area("safety_health").pk,
        "difficulty": "2",
        "level": "",
        "stem": "烫伤后正确的做法有？",
        "option_a": "冷水冲洗",
        "option_b": "涂牙膏",
        "option_c": "报告保健人员",
        "option_d": "",
        "option_e": "",
        "option_f": "",
        "answer_text": "A、C",
        "multiple_rule": "partial",
        "reference_answer": "",
        "explanation": "",
        "external_id": "S-1",
        "active": "on",
    }
    data.update(overrides)
    return data


def test_staff_adds_and_edits_a_question_in_their_bank(world):
    staff = client_for(world.staff)
    response = staff.post(f"{QUESTIONS}new/", question_post(world.bank_a))
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get(external_id="S-1")
    assert question.options == [
        {"key": "A", "text": "冷水冲洗"},
        {"key": "B", "text": "涂牙膏"},
        {"key": "C", "text": "报告保健人员"},
    ]
    assert question.answer == ["A", "C"] and question.multiple_rule == "partial"
    edit = staff.get(f"{QUESTIONS}edit/{question.pk}/").content.decode()
    assert 'value="AC"' in edit  # the answer comes back as text
    response = staff.post(
        f"{QUESTIONS}edit/{question.pk}/", question_post(world.bank_a, answer_text="B", type="single")
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.type == "single" and question.answer == ["B"]


def test_question_form_errors_and_bank_choices(world):
    staff = client_for(world.staff)
    response = staff.post(f"{QUESTIONS}new/", question_post(world.bank_a, answer_text="AE"))
    assert response.status_code == 200
    assert "The answer must use the letters of the options (ABC)." in response.content.decode()
    response = staff.post(f"{QUESTIONS}new/", question_post(world.bank_b))  # another provider's bank
    assert response.status_code == 200 and "bank" in response.context["form"].errors
    response = staff.post(f"{QUESTIONS}new/", question_post(world.platform_bank))  # read-only for them
    assert response.status_code == 200 and "bank" in response.context["form"].errors
    assert not Question.objects.filter(external_id="S-1").exists()


def blueprint_post(bank, *, sections, provider, **overrides):
    data = {
        "name": "保育师四级理论",
        "provider": provider.pk,
        "occupation": "childcare_worker",
        "level": "4",
        "banks": [bank.pk],
        "duration_minutes": "90",
        "total_points": "100",
        "pass_mark": "60",
        "shuffle_options": "on",
        "review_policy": "after_publish",
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "1",
        "sections-MAX_NUM_FORMS": "1000",
    }
    for i, (qtype, count, points, area) in enumerate(sections):
        data.update(
            {
                f"sections-{i}-type": qtype,
                f"sections-{i}-knowledge_area": area.pk if area else "",
                f"sections-{i}-difficulty": "",
                f"sections-{i}-count": str(count),
                f"sections-{i}-points": points,
                f"sections-{i}-ORDER": str(i + 1),
                f"sections-{i}-id": "",
                f"sections-{i}-DELETE": "",
            }
        )
    data.update(overrides)
    return data


def test_blueprint_refused_with_a_clear_message_then_accepted(world):
    safety = ef.knowledge_area("safety_health")
    ef.QuestionFactory.create_batch(40, bank=world.bank_a)
    ef.QuestionFactory.create_batch(3, bank=world.bank_a, knowledge_area=safety, true_false=True)
    staff = client_for(world.staff)
    sections = [("single", 40, "2", None), ("true_false", 5, "4", safety)]
    response = staff.post(
        f"{BLUEPRINTS}new/", blueprint_post(world.bank_a, sections=sections, provider=world.a.provider)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Section 2 (True or false (判断题), 安全健康管理) needs 5 questions" in html
    assert "the question banks have only 3 that fit." in html
    assert not Blueprint.objects.filter(name="保育师四级理论").exists()

    sections = [("single", 41, "2", None), ("true_false", 3, "6", safety)]
    ok = blueprint_post(
        world.bank_a, sections=[("single", 40, "2", None), ("true_false", 2, "10", safety)], provider=world.a.provider
    )
    response = staff.post(f"{BLUEPRINTS}new/", ok)
    assert response.status_code == 302, response.content.decode()[:2000]
    blueprint = Blueprint.objects.get(name="保育师四级理论")
    assert [(s.type, s.count, s.points) for s in blueprint.sections.all()] == [
        ("single", 40, Decimal("2.00")),
        ("true_false", 2, Decimal("10.00")),
    ]
    del sections


def test_blueprint_cannot_use_another_providers_bank(world):
    ef.QuestionFactory.create_batch(50, bank=world.bank_b)
    staff = client_for(world.staff)
    data = blueprint_post(world.bank_b, sections=[("single", 50, "2", None)], provider=world.a.provider)
    response = staff.post(f"{BLUEPRINTS}new/", data)
    assert response.status_code == 200 and "banks" in response.context["form"].errors
    data = blueprint_post(world.bank_a, sections=[("single", 1, "100", None)], provider=world.b.provider)
    response = staff.post(f"{BLUEPRINTS}new/", data)
    assert response.status_code == 200 and "provider" in response.context["form"].errors
    assert not Blueprint.objects.filter(name="保育师四级理论").exists()


def workbook(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "题型", "题干", "选项A", "选项B", "答案", "知识领域"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.name = "questions.xlsx"
    buffer.seek(0)
    return buffer


def test_import_shows_row_errors_then_imports(world):
    staff = client_for(world.staff)
    url = f"/admin/exams/banks/{world.bank_a.pk}/import/"
    assert staff.get(url).status_code == 200
    bad = workbook(
        [["X1", "单选题", "题一", "甲", "乙", "A", "生活照料"], ["X2", "单选题", "题二", "甲", "乙", "C", "生活照料"]]
    )
    response = staff.post(url, {"file": bad})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="import-errors"' in html and 'data-row="3"' in html
    assert "The answer must use the letters of the options (AB)." in html
    assert not world.bank_a.questions.filter(external_id="X1").exists()

    good = workbook(
        [["X1", "单选题", "题一", "甲", "乙", "A", "生活照料"], ["X2", "判断题", "题二", None, None, "对", "职业道德"]]
    )
    response = staff.post(url, {"file": good})
    assert response.status_code == 302 and response.url.endswith(f"?bank={world.bank_a.pk}")
    assert set(world.bank_a.questions.values_list("external_id", flat=True)) == {"", "X1", "X2"}


def test_export_downloads_a_valid_workbook(world):
    ef.QuestionFactory(bank=world.bank_a, fill_blank=True, external_id="F1")
    response = client_for(world.staff).get(f"/admin/exams/banks/{world.bank_a.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content))["题目"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "题型", "题干")
    assert len(rows) == 3
    assert any(r[0] == "F1" and r[1] == "填空题" and r[9] == "2|两|二;体育|户外体育" for r in rows)
    template = client_for(world.staff).get("/admin/exams/bank-template/")
    assert template.status_code == 200 and load_workbook(io.BytesIO(template.content)).sheetnames == ["题目", "说明"]


def test_staff_creates_a_bank_only_for_their_provider(world):
    staff = client_for(world.staff)
    data = {"name": "新题库", "provider": world.b.provider.pk, "occupation": "childcare_worker", "description": ""}
    response = staff.post(f"{BANKS}new/", data)
    assert response.status_code == 200 and "provider" in response.context["form"].errors
    data["provider"] = ""
    assert "provider" in staff.post(f"{BANKS}new/", data).context["form"].errors  # no platform banks either
    data["provider"] = world.a.provider.pk
    assert staff.post(f"{BANKS}new/", data).status_code == 302
    assert world.a.provider.question_banks.filter(name="新题库").exists()


def test_a_bank_with_questions_keeps_its_occupation(world):
    staff = client_for(world.staff)
    data = {"name": "甲校题库", "provider": world.a.provider.pk, "occupation": "infant_carer", "description": ""}
    response = staff.post(f"{BANKS}edit/{world.bank_a.pk}/", data)
    assert response.status_code == 200
    assert "A bank that has questions keeps its occupation." in response.content.decode()
    empty = ef.QuestionBankFactory(provider=world.a.provider)
    assert staff.post(f"{BANKS}edit/{empty.pk}/", {**data, "name": "空题库"}).status_code == 302
    empty.refresh_from_db()
    assert empty.occupation == "infant_carer"
