"""The question bank XLSX template: read rows into questions, write questions back (pure: no database).

The template is documented in ``docs/exams-question-template.md``. One question per row on the first sheet, headers
on the first non-empty row (Chinese, in any order; unknown columns are ignored):

编号 · 题型 · 题干 · 选项A … 选项F · 答案 · 多选计分 · 知识领域 · 难度 · 等级 · 解析

:func:`read_rows` reads the workbook, :func:`parse_row` turns one row into the fields of a question or a list of
problems (translated, each naming the column), :func:`write_xlsx` writes questions in the same template, so an
exported file imports back unchanged. Knowledge areas are looked up by the caller (``areas``: name or code -> id).
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .choices import Difficulty, MultipleRule, QuestionType
from .questions import OPTION_KEYS, AnswerError, format_answer, options_from_texts, parse_answer, question_errors

MAX_ROWS = 5000
SHEET_TITLE = "题目"

# column key -> header written in the template
HEADERS = {
    "external_id": "编号",
    "type": "题型",
    "stem": "题干",
    **{f"option_{k}": f"选项{k}" for k in OPTION_KEYS},
    "answer": "答案",
    "multiple_rule": "多选计分",
    "knowledge_area": "知识领域",
    "difficulty": "难度",
    "level": "等级",
    "explanation": "解析",
}
REQUIRED = ("type", "stem", "answer", "knowledge_area")
ALIASES = {
    "外部编号": "external_id",
    "题号": "external_id",
    "id": "external_id",
    "题目类型": "type",
    "题目": "stem",
    "试题": "stem",
    "正确答案": "answer",
    "参考答案": "answer",
    "计分方式": "multiple_rule",
    "知识点": "knowledge_area",
    "知识领域/知识点": "knowledge_area",
    "难易程度": "difficulty",
    "难易度": "difficulty",
    "适用等级": "level",
    "答案解析": "explanation",
    **{k.lower(): f"option_{k}" for k in OPTION_KEYS},
}

TYPE_WORDS = {
    QuestionType.SINGLE: ("单选题", "单选", "单项选择题", "单项选择", "single"),
    QuestionType.MULTIPLE: ("多选题", "多选", "多项选择题", "多项选择", "multiple"),
    QuestionType.TRUE_FALSE: ("判断题", "判断", "是非题", "true_false"),
    QuestionType.FILL_BLANK: ("填空题", "填空", "fill_blank"),
    QuestionType.SHORT_ANSWER: ("简答题", "简答", "问答题", "论述题", "short_answer"),
}
TYPE_NAMES = {t: words[0] for t, words in TYPE_WORDS.items()}
DIFFICULTY_WORDS = {
    Difficulty.EASY: ("易", "容易", "简单", "低", "1"),
    Difficulty.MEDIUM: ("中", "中等", "一般", "适中", "2"),
    Difficulty.HARD: ("难", "困难", "较难", "高", "3"),
}
DIFFICULTY_NAMES = {d: words[0] for d, words in DIFFICULTY_WORDS.items()}
RULE_WORDS = {
    MultipleRule.ALL_OR_NOTHING: ("全对得分", "全对", "全部正确", "all_or_nothing"),
    MultipleRule.PARTIAL: ("按比例得分", "按比例", "部分得分", "少选得分", "partial"),
}
RULE_NAMES = {r: words[0] for r, words in RULE_WORDS.items()}
ALL_LEVELS = ("", "全部", "通用", "不限", "所有等级")
LEVEL_WORDS = {
    1: ("一级", "高级技师", "一级/高级技师"),
    2: ("二级", "技师", "二级/技师"),
    3: ("三级", "高级工", "三级/高级工"),
    4: ("四级", "中级工", "四级/中级工"),
    5: ("五级", "初级工", "五级/初级工"),
}
LEVEL_NAMES = {level: words[0] for level, words in LEVEL_WORDS.items()}


class BankFileError(ValueError):
    """The file as a whole cannot be read (the message is shown to the user)."""


@dataclass
class Row:
    number: int  # the spreadsheet row number (the header is usually row 1)
    cells: dict[str, object]


@dataclass
class ParsedRow:
    number: int
    fields: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def _lookup(words: Mapping) -> dict[str, object]:
    return {_key(w): value for value, ws in words.items() for w in ws}


_TYPES, _DIFFICULTIES, _RULES, _LEVELS = (
    _lookup(TYPE_WORDS),
    _lookup(DIFFICULTY_WORDS),
    _lookup(RULE_WORDS),
    _lookup({**LEVEL_WORDS, None: ALL_LEVELS}),
)
_HEADER_KEYS = {**{_key(h): k for k, h in HEADERS.items()}, **{_key(a): k for a, k in ALIASES.items()}}


def cell_text(value: object) -> str:
    """A cell as text: numbers Excel stored as floats lose their ``.0`` (编号 1001, 难度 2)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "对" if value else "错"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(data: bytes) -> list[Row]:
    """The question rows of an uploaded workbook (blank rows skipped); raises :class:`BankFileError`."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise BankFileError(_("The file is not a valid .xlsx workbook.")) from None
    try:
        sheet = workbook[SHEET_TITLE] if SHEET_TITLE in workbook.sheetnames else workbook.worksheets[0]
        columns: list[str | None] | None = None
        rows: list[Row] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if all(cell_text(v) == "" for v in values):
                continue
            if columns is None:
                columns = [_HEADER_KEYS.get(_key(cell_text(v))) for v in values]
                missing = [HEADERS[k] for k in REQUIRED if k not in columns]
                if missing:
                    raise BankFileError(
                        _("The first row must hold the template's column headers; missing: %(columns)s.")
                        % {"columns": "、".join(missing)}
                    )
                continue
            cells = {key: value for key, value in zip(columns, values, strict=False) if key}
            rows.append(Row(number, cells))
            if len(rows) > MAX_ROWS:
                raise BankFileError(_("The file has more than %(max)d questions; split it.") % {"max": MAX_ROWS})
    finally:
        workbook.close()
    if columns is None:
        raise BankFileError(_("The file is empty."))
    if not rows:
        raise BankFileError(_("The file has no questions below the header row."))
    return rows


def _column_error(key: str, value: str) -> str:
    return _("%(column)s: “%(value)s” is not one of the allowed values.") % {"column": HEADERS[key], "value": value}


def parse_row(row: Row, *, areas: Mapping[str, int]) -> ParsedRow:
    """The question fields of one row, or its problems. ``areas`` maps knowledge area names and codes to ids."""
    text = {key: cell_text(value) for key, value in row.cells.items()}
    parsed = ParsedRow(row.number)
    errors = parsed.errors

    qtype = _TYPES.get(_key(text.get("type", "")))
    if qtype is None:
        errors.append(
            _column_error("type", text.get("type", ""))
            if text.get("type")
            else _("%(column)s is empty.") % {"column": HEADERS["type"]}
        )
    area = text.get("knowledge_area", "")
    area_id = areas.get(area) or areas.get(area.lower())
    if area_id is None:
        errors.append(
            _("%(column)s: unknown knowledge area “%(value)s”.") % {"column": HEADERS["knowledge_area"], "value": area}
            if area
            else _("%(column)s is empty.") % {"column": HEADERS["knowledge_area"]}
        )
    difficulty = _DIFFICULTIES.get(_key(text.get("difficulty", "") or "2"))
    if difficulty is None:
        errors.append(_column_error("difficulty", text["difficulty"]))
    level_text = _key(text.get("level", ""))
    level = _LEVELS.get(level_text) if not level_text.isdigit() else int(level_text)
    if (level is None and level_text not in {_key(w) for w in ALL_LEVELS}) or (
        level is not None and not 1 <= level <= 5
    ):
        errors.append(_column_error("level", text["level"]))
        level = None
    rule = _RULES.get(_key(text.get("multiple_rule", "") or RULE_NAMES[MultipleRule.ALL_OR_NOTHING]))
    if rule is None:
        errors.append(_column_error("multiple_rule", text["multiple_rule"]))
    external_id = text.get("external_id", "")
    if len(external_id) > 40:
        errors.append(_("%(column)s is longer than 40 characters.") % {"column": HEADERS["external_id"]})
    if qtype is None:
        return parsed

    try:
        answer, reference = parse_answer(qtype, text.get("answer", ""))
    except AnswerError as exc:
        errors.append(f"{HEADERS['answer']}: {exc}")
        return parsed
    options = options_from_texts([text.get(f"option_{k}", "") for k in OPTION_KEYS])
    fields = {
        "type": qtype,
        "stem": text.get("stem", ""),
        "options": options,
        "answer": answer,
        "multiple_rule": rule if qtype == QuestionType.MULTIPLE and rule else MultipleRule.ALL_OR_NOTHING,
        "reference_answer": reference,
        "explanation": text.get("explanation", ""),
        "knowledge_area_id": area_id,
        "difficulty": difficulty,
        "level": level,
        "external_id": external_id,
    }
    problems = question_errors(
        qtype=qtype,
        stem=fields["stem"],
        options=options,
        answer=answer,
        multiple_rule=fields["multiple_rule"],
        reference_answer=reference,
    )
    column_of = {"stem": "stem", "answer": "answer", "reference_answer": "answer", "multiple_rule": "multiple_rule"}
    for name, messages in problems.items():
        column = HEADERS[column_of[name]] if name in column_of else _("options")
        errors.extend(f"{column}: {m}" for m in messages)
    if not errors:
        parsed.fields = fields
    return parsed


# --- writing -------------------------------------------------------------------------------------------------


def question_row(question: Mapping, *, area_name: str) -> list[str]:
    """One question (a mapping of its fields) as a template row."""
    options = {o["key"]: o["text"] for o in question.get("options") or ()}
    qtype = question["type"]
    values = {
        "external_id": question.get("external_id") or "",
        "type": TYPE_NAMES[qtype],
        "stem": question["stem"],
        **{f"option_{k}": options.get(k, "") for k in OPTION_KEYS},
        "answer": format_answer(qtype, question.get("answer") or [], question.get("reference_answer") or ""),
        "multiple_rule": RULE_NAMES[question.get("multiple_rule") or MultipleRule.ALL_OR_NOTHING]
        if qtype == QuestionType.MULTIPLE
        else "",
        "knowledge_area": area_name,
        "difficulty": DIFFICULTY_NAMES[question.get("difficulty") or Difficulty.MEDIUM],
        "level": LEVEL_NAMES.get(question.get("level"), ""),
        "explanation": question.get("explanation") or "",
    }
    return [values[key] for key in HEADERS]


def write_xlsx(rows: Iterable[list[str]], *, instructions: bool = True) -> bytes:
    """A workbook in the template: the 题目 sheet with ``rows`` (see :func:`question_row`) and a 说明 sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(list(HEADERS.values()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = {"stem": 50, "answer": 24, "explanation": 40, "knowledge_area": 14}
    for index, key in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(key, 12 if key != "type" else 10)
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.number_format = "@"  # text: 编号 "001" and 答案 "1" stay as typed
    sheet.freeze_panes = "A2"
    if instructions:
        notes = workbook.create_sheet("说明")
        for line in INSTRUCTIONS:
            notes.append([line])
        notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


INSTRUCTIONS = (
    "每行一道题，第一行为表头（列的顺序可以调整，未知的列会被忽略）。必填：题型、题干、答案、知识领域。",
    "题型：单选题、多选题、判断题、填空题、简答题。",
    "选项A～选项F：单选题和多选题至少两个选项，按 A、B、C… 连续填写；其他题型不填选项。",
    "答案：单选题填一个字母（B）；多选题填两个及以上字母（ACD）；判断题填“对”或“错”；"
    "填空题各空之间用“;”分隔，同一空的多个可接受答案用“|”分隔（2|两;体育）；简答题填参考答案或评分要点。",
    "多选计分：全对得分（默认）或按比例得分（未选错时按选对的比例得分，选错不得分）。",
    "知识领域：职业道德、基础知识、生活照料、保健与护理、安全健康管理、早期学习支持、合作共育、培训与指导（或其代码）。",
    "难度：易、中（默认）、难。等级：留空表示适用所有等级，或填一级～五级。",
    "编号：题目在本题库中的唯一编号。再次导入相同编号的题目会更新该题，不会重复添加；已经作答的试卷不受影响。",
    "导入时任何一行有错误，整个文件都不会导入；请按错误报告中的行号修改后重新上传。",
)
