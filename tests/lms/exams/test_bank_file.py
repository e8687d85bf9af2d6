"""The XLSX question template: import with a per-row error report (all or nothing), re-import by 编号 updates,
attempts keep their snapshot, export imports back unchanged."""

import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook
from wagtail.models import ModelLogEntry

from lms.exams import bank_file
from lms.exams.models import Question
from lms.exams.services.bank_import import questions_export, questions_import, template_xlsx
from tests import factories as f
from tests.lms.exams import factories as ef

pytestmark = pytest.mark.django_db

HEADER = [
    "编号",
    "题型",
    "题干",
    "选项A",
    "选项B",
    "选项C",
    "选项D",
    "答案",
    "多选计分",
    "知识领域",
    "难度",
    "等级",
    "解析",
]

GOOD_ROWS = [
    [
        "Q001",
        "单选题",
        "幼儿被烫伤后首先应当？",
        "冷水冲洗",
        "涂牙膏",
        "包扎",
        "继续活动",
        "A",
        "",
        "安全健康管理",
        "易",
        "",
        "先降温",
    ],
    [
        "Q002",
        "多选题",
        "进餐环节保育要点有？",
        "愉快氛围",
        "催促进餐",
        "独立进餐",
        "关注过敏",
        "A、C、D",
        "按比例得分",
        "生活照料",
        "中",
        "四级",
        "",
    ],
    ["Q003", "判断题", "午睡时保育师可以离开睡眠室。", "", "", "", "", "错", "", "安全健康管理", "2", "4", ""],
    [
        "Q004",
        "填空题",
        "每日户外活动不少于____小时，其中体育活动不少于____小时。",
        "",
        "",
        "",
        "",
        "2|两；1|一",
        "",
        "生活照料",
        "难",
        "五级/初级工",
        "",
    ],
    ["Q005", "简答题", "简述七步洗手法。", "", "", "", "", "内、外、夹、弓、大、立、腕", "", "保健与护理", "", "", ""],
    [1006.0, "单选", "职业道德的核心是？", "爱岗敬业", "追求利润", None, None, "a", None, "ethics", None, None, None],
]


def workbook_bytes(rows, header=HEADER):
    wb = Workbook()
    ws = wb.active
    ws.title = "题目"
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- pure parsing ------------------------------------------------------------------------------------------


AREAS = {"安全健康管理": 5, "safety_health": 5, "生活照料": 3}


def parse(**cells):
    base = {
        "type": "单选题",
        "stem": "题",
        "option_A": "甲",
        "option_B": "乙",
        "answer": "A",
        "knowledge_area": "生活照料",
    }
    return bank_file.parse_row(bank_file.Row(7, {**base, **cells}), areas=AREAS)


def test_parse_row_fields():
    parsed = parse(difficulty="难", level="三级/高级工", external_id=12.0)
    assert parsed.errors == []
    assert parsed.fields["options"] == [{"key": "A", "text": "甲"}, {"key": "B", "text": "乙"}]
    assert parsed.fields["difficulty"] == 3 and parsed.fields["level"] == 3
    assert parsed.fields["external_id"] == "12" and parsed.fields["knowledge_area_id"] == 3


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"type": "选择题"}, "题型: “选择题” is not one of the allowed values."),
        ({"type": ""}, "题型 is empty."),
        ({"knowledge_area": "育儿"}, "知识领域: unknown knowledge area “育儿”."),
        ({"difficulty": "很难"}, "难度: “很难” is not one of the allowed values."),
        ({"level": "六级"}, "等级: “六级” is not one of the allowed values."),
        ({"level": "7"}, "等级: “7” is not one of the allowed values."),
        ({"answer": "C"}, "答案: The answer must use the letters of the options (AB)."),
        ({"answer": "甲"}, "答案: Write the answer as option letters, for example “B” or “ACD”."),
        ({"answer": ""}, "答案: The answer is missing."),
        (
            {"type": "判断题", "option_A": "", "option_B": "", "answer": "不知道"},
            "答案: Write the answer of a true-or-false question as “对” or “错”.",
        ),
        ({"type": "判断题", "answer": "对"}, "options: Only choice questions have options."),
        (
            {"type": "填空题", "stem": "____和____", "option_A": "", "option_B": "", "answer": "甲"},
            "答案: The question text has 2 blanks but the answer gives 1.",
        ),
        ({"stem": ""}, "题干: The question text is missing."),
        ({"external_id": "x" * 41}, "编号 is longer than 40 characters."),
    ],
)
def test_parse_row_errors_name_the_column(cells, message):
    parsed = parse(**cells)
    assert message in parsed.errors
    assert parsed.fields == {}


def test_read_rows_errors():
    with pytest.raises(bank_file.BankFileError, match="not a valid .xlsx"):
        bank_file.read_rows(b"not a workbook")
    with pytest.raises(bank_file.BankFileError, match="missing: 答案、知识领域"):
        bank_file.read_rows(workbook_bytes([["单选题", "题"]], header=["题型", "题干"]))
    with pytest.raises(bank_file.BankFileError, match="no questions"):
        bank_file.read_rows(workbook_bytes([]))


# --- import service ------------------------------------------------------------------------------------------


def test_import_all_types_and_audit():
    bank = ef.QuestionBankFactory()
    actor = f.UserFactory()
    result = questions_import(bank=bank, data=workbook_bytes(GOOD_ROWS), filename="bank.xlsx", actor=actor)
    assert result.ok and (result.created, result.updated) == (6, 0)
    by_id = {q.external_id: q for q in bank.questions.all()}
    assert by_id["Q002"].answer == ["A", "C", "D"] and by_id["Q002"].multiple_rule == "partial"
    assert by_id["Q002"].level == 4
    assert by_id["Q003"].answer == [False] and by_id["Q003"].options == []
    assert by_id["Q004"].answer == [["2", "两"], ["1", "一"]] and by_id["Q004"].level == 5
    assert by_id["Q004"].difficulty == 3
    assert by_id["Q005"].answer == [] and by_id["Q005"].reference_answer == "内、外、夹、弓、大、立、腕"
    assert by_id["1006"].answer == ["A"] and by_id["1006"].knowledge_area.code == "ethics"
    assert all(q.occupation == bank.occupation and q.active for q in by_id.values())
    entry = ModelLogEntry.objects.get(action="exams.question.import")
    assert entry.user == actor and entry.data == {"filename": "bank.xlsx", "created": 6, "updated": 0}
    assert entry.object_id == str(bank.pk)


def test_import_is_all_or_nothing_with_row_numbers():
    bank = ef.QuestionBankFactory()
    rows = [
        *GOOD_ROWS[:2],
        ["Q009", "单选题", "题", "甲", "乙", "", "", "E", "", "生活照料", "", "", ""],  # row 4
        [],  # a blank row is skipped, but numbering follows the sheet
        ["Q001", "判断题", "重复编号", "", "", "", "", "对", "", "火星", "", "", ""],  # row 6
    ]
    result = questions_import(bank=bank, data=workbook_bytes(rows))
    assert not result.ok
    assert [(e.row, e.messages) for e in result.errors] == [
        (4, ["答案: The answer must use the letters of the options (AB)."]),
        (6, ["知识领域: unknown knowledge area “火星”.", "编号 “Q001” is already used on row 2."]),
    ]
    assert not Question.objects.exists()
    assert not ModelLogEntry.objects.filter(action="exams.question.import").exists()


def test_bad_file_is_one_error():
    result = questions_import(bank=ef.QuestionBankFactory(), data=b"PK\x03\x04 broken")
    assert [(e.row, e.messages) for e in result.errors] == [(0, ["The file is not a valid .xlsx workbook."])]


def test_reimport_updates_by_external_id_and_keeps_attempt_snapshots():
    bank = ef.QuestionBankFactory()
    questions_import(bank=bank, data=workbook_bytes(GOOD_ROWS))
    q1 = bank.questions.get(external_id="Q001")
    drawn = ef.AttemptQuestionFactory(question=q1)
    q1.active = False
    q1.save()
    changed = [list(GOOD_ROWS[0]), ["Q100", "判断题", "新题", "", "", "", "", "对", "", "职业道德", "", "", ""]]
    changed[0][2], changed[0][7] = "幼儿被烫伤后应当？（修订）", "C"
    result = questions_import(bank=bank, data=workbook_bytes(changed))
    assert (result.created, result.updated) == (1, 1)
    assert bank.questions.count() == 7
    q1.refresh_from_db()
    assert q1.stem.endswith("（修订）") and q1.answer == ["C"] and not q1.active
    drawn.refresh_from_db()
    assert drawn.snapshot["answer"] == ["A"] and drawn.snapshot["stem"] == "幼儿被烫伤后首先应当？"
    # the same 编号 in another bank is another question
    other = ef.QuestionBankFactory()
    assert questions_import(bank=other, data=workbook_bytes(changed)).created == 2


def test_export_round_trip():
    bank = ef.QuestionBankFactory()
    questions_import(bank=bank, data=workbook_bytes(GOOD_ROWS))
    fields = [
        "type",
        "stem",
        "options",
        "answer",
        "multiple_rule",
        "reference_answer",
        "explanation",
        "knowledge_area_id",
        "difficulty",
        "level",
        "external_id",
    ]
    before = list(bank.questions.order_by("external_id").values(*fields))
    exported = questions_export(bank.questions.order_by("pk"))
    sheet = load_workbook(io.BytesIO(exported))["题目"]
    assert [c.value for c in sheet[1]][:3] == ["编号", "题型", "题干"]
    assert sheet.max_row == 7
    result = questions_import(bank=bank, data=exported)
    assert (result.created, result.updated) == (0, 6)
    assert list(bank.questions.order_by("external_id").values(*fields)) == before
    # into an empty bank: the same questions
    copy = ef.QuestionBankFactory()
    assert questions_import(bank=copy, data=exported).created == 6
    assert list(copy.questions.order_by("external_id").values(*fields)) == before


def test_template_has_header_and_instructions():
    workbook = load_workbook(io.BytesIO(template_xlsx()))
    assert workbook.sheetnames == ["题目", "说明"]
    assert [c.value for c in workbook["题目"][1]] == list(bank_file.HEADERS.values())
    with pytest.raises(bank_file.BankFileError, match="no questions"):
        bank_file.read_rows(template_xlsx())
