"""The Simplified Chinese catalogue (locale/zh_Hans) is complete, compiled and consistent.

No database and no GNU gettext needed: the .po and the committed .mo are read with polib.
After adding strings: ``manage.py makemessages -l zh_Hans --no-location --ignore=.venv --ignore=.tools``
(the catalogue keeps no source comments), translate, then
``manage.py compilemessages -l zh_Hans --ignore=.venv`` (see the header of the .po).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.utils import translation

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"

# printf-style conversions as Python's %-formatting reads them (named or positional); "%%" is a literal.
_PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _placeholders(text: str) -> Counter:
    return Counter(m.group(0) for m in _PLACEHOLDER.finditer(text) if m.group(0) != "%%")


def _named_placeholders(text: str) -> Counter:
    return Counter(m.group(0) for m in _PLACEHOLDER.finditer(text) if m.group("name") is not None)


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    assert PO_PATH.exists(), f"{PO_PATH} is missing: run manage.py makemessages -l zh_Hans"
    return polib.pofile(str(PO_PATH))


@pytest.fixture(scope="module")
def mo() -> polib.MOFile:
    assert MO_PATH.exists(), f"{MO_PATH} is missing: run manage.py compilemessages -l zh_Hans --ignore=.venv"
    return polib.mofile(str(MO_PATH))


def _entries(catalogue) -> list:
    return [e for e in catalogue if not e.obsolete and e.msgid != ""]


def _key(entry) -> tuple:
    return (entry.msgctxt or None, entry.msgid, entry.msgid_plural or None)


def _value(entry):
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural, key=int))
    return entry.msgstr


def test_catalogue_is_not_empty(po):
    assert len(_entries(po)) > 100
    assert po.metadata.get("Plural-Forms", "").startswith("nplurals=1;")


def test_every_entry_is_translated_and_not_fuzzy(po):
    problems = []
    for entry in _entries(po):
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        if entry.msgid_plural:
            if not entry.msgstr_plural or not all(entry.msgstr_plural.values()):
                problems.append(f"untranslated plural: {entry.msgid!r}")
        elif not entry.msgstr.strip():
            problems.append(f"untranslated: {entry.msgid!r}")
    assert not problems, "\n".join(problems)
    assert not po.metadata_is_fuzzy, "the header is marked fuzzy"


def test_translations_are_chinese(po):
    """Every msgstr contains Chinese (all our msgids are English prose, never bare codes)."""
    not_chinese = [e.msgid for e in _entries(po) if not all(_CJK.search(s) for s in _as_list(_value(e)))]
    assert not not_chinese, not_chinese


def _as_list(value) -> list[str]:
    return list(value) if isinstance(value, tuple) else [value]


def test_compiled_mo_matches_po(po, mo):
    """The committed .mo is what compilemessages makes of the .po (same msgid -> msgstr map)."""
    expected = {_key(e): _value(e) for e in _entries(po) if "fuzzy" not in e.flags}
    compiled = {_key(e): _value(e) for e in _entries(mo)}
    missing = sorted(str(k) for k in expected.keys() - compiled.keys())
    extra = sorted(str(k) for k in compiled.keys() - expected.keys())
    stale = sorted(str(k) for k in expected.keys() & compiled.keys() if expected[k] != compiled[k])
    assert not (missing or extra or stale), (
        "locale/zh_Hans/LC_MESSAGES/django.mo is out of date; run "
        "`manage.py compilemessages -l zh_Hans --ignore=.venv`.\n"
        f"missing from .mo: {missing}\nonly in .mo: {extra}\ndifferent: {stale}"
    )


def test_placeholders_match(po):
    problems = []
    for entry in _entries(po):
        python_format = "python-format" in entry.flags
        pick = _placeholders if python_format else _named_placeholders
        if entry.msgid_plural:
            pairs = [(entry.msgid_plural, s) for s in entry.msgstr_plural.values()]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, target in pairs:
            if pick(source) != pick(target):
                problems.append(f"{source!r}: {dict(pick(source))} != {target!r}: {dict(pick(target))}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("msgid", "expected"),
    [
        ("The ID number's check digit is wrong", "身份证号校验位错误"),
        ("Workforce registry", "从业人员登记"),
        ("Import staff roster", "导入从业人员花名册"),
        ("unified social credit code", "统一社会信用代码"),
        ("Public (公办)", "公办"),
        ("Caregiver (保育人员)", "保育人员"),
    ],
)
def test_key_strings_in_chinese(msgid, expected):
    with translation.override("zh-hans"):
        assert translation.gettext(msgid) == expected
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


def test_formatted_and_lazy_strings_in_chinese():
    from django.apps import apps

    from lms.registry.models import Institution

    msgid = "This ID number is registered as “%(registered)s”, not “%(given)s”."
    with translation.override("zh-hans"):
        text = translation.gettext(msgid) % {"registered": "张*华", "given": "张小明"}
        assert text == "该身份证号已登记为“张*华”，与姓名“张小明”不一致。"
        assert str(apps.get_app_config("registry").verbose_name) == "从业人员登记"
        assert str(Institution._meta.verbose_name) == "托育机构"
        assert str(Institution.Kind.PUBLIC.label) == "公办"
        # Django's own catalogue is active too.
        assert translation.gettext("Yes") == "是"


def test_validator_messages_follow_active_language():
    from lms.registry.validators import parse_id_number

    bad_check_digit = "110105194912310020"  # the right check character would be X
    with translation.override("zh-hans"), pytest.raises(ValueError, match="身份证号校验位错误"):
        parse_id_number(bad_check_digit)
    with translation.override("en"), pytest.raises(ValueError, match="check digit"):
        parse_id_number(bad_check_digit)
