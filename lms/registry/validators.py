"""Pure validators for Chinese identity and organisation numbers (no database).

* 居民身份证号 — GB 11643-1999, ISO 7064 MOD 11-2 check character (0-9 or X).
* 统一社会信用代码 — GB 32100-2015, MOD 31 check character; embeds a GB/T 2260 division
  code and a GB 11714 organisation code (which carries its own MOD 11 check character).
* 行政区划代码 — GB/T 2260 six-digit codes, nine digits for townships (GB/T 10114).

Each ``parse_*``/``validate_*`` raises :class:`ValueError` with a translated, user-facing
message (Chinese by default); callers turn it into a form or import-row error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_USCC_RE = re.compile(r"^[1-9A-HJ-NP-RTUWXY][0-9A-HJ-NP-RTUWXY]\d{6}[0-9A-HJ-NP-RTUWXY]{10}$")
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

_PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
_REGION_RE = re.compile(r"^(\d{6}|\d{9})$")


def normalize(value: str) -> str:
    """Full-width to half-width (NFKC), strip all white space, upper-case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or "")).upper()


@dataclass(frozen=True)
class IdNumber:
    value: str
    birth_date: date
    gender: str  # "M" or "F"

    @property
    def region_code(self) -> str:
        return self.value[:6]


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def parse_id_number(raw: str, *, today: date | None = None) -> IdNumber:
    """Validate an 18-character resident ID number and derive birth date and gender."""
    value = normalize(raw)
    if not value:
        raise ValueError(_("The ID number is empty"))
    if not _ID_RE.match(value):
        raise ValueError(_("An ID number has 18 characters: 17 digits, then a digit or X"))
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValueError(_("The birth date inside the ID number is not a real date")) from None
    today = today or date.today()
    if born > today or born.year < 1900:
        raise ValueError(_("The birth date inside the ID number is not a real date"))
    if id_check_char(value[:17]) != value[17]:
        raise ValueError(_("The ID number's check digit is wrong"))
    return IdNumber(value=value, birth_date=born, gender="M" if int(value[16]) % 2 else "F")


def org_code_check_char(first8: str) -> str:
    c = 11 - sum(_ORG_ALPHABET.index(ch) * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def uscc_check_char(first17: str) -> str:
    c = 31 - sum(_USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True)) % 31
    return _USCC_ALPHABET[0 if c == 31 else c]


def validate_credit_code(raw: str) -> str:
    """Validate a 统一社会信用代码 and return its normalized form."""
    value = normalize(raw)
    if len(value) != 18 or not _USCC_RE.match(value):
        raise ValueError(_("A unified social credit code has 18 digits or capital letters (no I, O, S, V or Z)"))
    org = value[8:17]
    if not org[:8].isalnum() or org_code_check_char(org[:8]) != org[8]:
        raise ValueError(_("The organisation code inside the credit code has a wrong check character"))
    if uscc_check_char(value[:17]) != value[17]:
        raise ValueError(_("The unified social credit code's check character is wrong"))
    return value


def validate_phone(raw: str) -> str:
    value = normalize(raw).removeprefix("+86")
    if not _PHONE_RE.match(value):
        raise ValueError(_("A mobile number has 11 digits and starts with 1"))
    return value


def validate_region_code(raw: str) -> str:
    value = normalize(raw)
    if not _REGION_RE.match(value):
        raise ValueError(_("A division code has 6 digits (province, city, county) or 9 digits (township)"))
    return value
