"""The subsidy rules as pure functions (no database, no Django): facts in, failures out.

A claim asks for one subsidy (a :class:`Terms` of a policy, with the amount for the certificate's occupation and
level) on one certificate (:class:`CertificateFacts`) of one person (:class:`PersonFacts`: insurance periods,
other skill certificates, claims already held). :func:`check` returns every rule the claim breaks, in a fixed
order, as :class:`Failure` codes with parameters; ``reasons.message`` turns them into translated text. An empty
list means the claim passes.

Which rules apply and with which numbers is policy data (DESIGN.md §3 marks them "~", local variants):

* ``no_amount`` — the policy has no amount for the certificate's occupation and level;
* ``certificate_kind`` — the policy does not accept this kind of certificate (e.g. 技能评价补贴 excludes training
  certificates; award certificates never qualify);
* ``certificate_not_valid`` — the certificate is not valid today (revoked, suspended or expired: its *live*
  status, not the one it had when issued);
* ``claim_window`` — claimed more than ``claim_window_months`` after the certificate date;
* ``claim_before_certificate`` — the claim date is before the certificate date (bad data);
* ``insured_months`` — fewer than ``min_insured_months`` months of unemployment insurance before the claim;
* ``not_first_assessment`` — the person held a skill certificate of the same occupation before this one
  (技能评价补贴 pays the first assessment only);
* ``already_claimed`` — the same subsidy for the same occupation and level (for ``once_per_occupation``
  policies: for the same occupation at any level) is already held or paid;
* ``lower_level`` — a higher level of the same occupation was already paid (or is held for payment);
* ``yearly_limit_type`` / ``yearly_limit_total`` — the person already holds ``yearly_limit_type`` subsidies of
  this type / ``yearly_limit_total`` subsidies of any type (技能提升补贴 included) in the calendar year.

Levels follow the national scale: 1 (一级/高级技师) is the highest, 5 (五级/初级工) the lowest, 0 = no level
(training certificates).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

TRAINING, SKILL, AWARD = "training", "skill", "award"  # certificate kinds (certificates.models.Kind codes)
VALID = "valid"

# failure codes, in the order :func:`check` reports them
NO_AMOUNT = "no_amount"
CERTIFICATE_KIND = "certificate_kind"
CERTIFICATE_NOT_VALID = "certificate_not_valid"
CLAIM_BEFORE_CERTIFICATE = "claim_before_certificate"
CLAIM_WINDOW = "claim_window"
INSURED_MONTHS = "insured_months"
NOT_FIRST_ASSESSMENT = "not_first_assessment"
ALREADY_CLAIMED = "already_claimed"
LOWER_LEVEL = "lower_level"
YEARLY_LIMIT_TYPE = "yearly_limit_type"
YEARLY_LIMIT_TOTAL = "yearly_limit_total"
# decided before the rules run (no policy to check against), listed here so that every code lives in one place
NO_POLICY = "no_policy"
NOT_SELF_CLAIMABLE = "not_self_claimable"

CODES = (
    NO_POLICY,
    NOT_SELF_CLAIMABLE,
    NO_AMOUNT,
    CERTIFICATE_KIND,
    CERTIFICATE_NOT_VALID,
    CLAIM_BEFORE_CERTIFICATE,
    CLAIM_WINDOW,
    INSURED_MONTHS,
    NOT_FIRST_ASSESSMENT,
    ALREADY_CLAIMED,
    LOWER_LEVEL,
    YEARLY_LIMIT_TYPE,
    YEARLY_LIMIT_TOTAL,
)


@dataclass(frozen=True)
class Failure:
    code: str
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"code": self.code, "params": dict(self.params)}


@dataclass(frozen=True)
class Terms:
    """What one policy says, for one claim (``amount`` = the policy's amount for the certificate's occupation and
    level, None if it has none)."""

    subsidy_type: str
    amount: Decimal | None
    accepts_training: bool = True
    accepts_skill: bool = True
    claim_window_months: int = 12
    min_insured_months: int = 0
    first_assessment_only: bool = False
    once_per_occupation: bool = False
    forbid_lower_level: bool = True
    yearly_limit_total: int | None = 3
    yearly_limit_type: int | None = None


@dataclass(frozen=True)
class CertificateFacts:
    id: int
    kind: str  # TRAINING, SKILL or AWARD
    occupation: str
    level: int  # 0 = none
    issued_on: date
    status: str = VALID  # valid / suspended / revoked
    expires_on: date | None = None


@dataclass(frozen=True)
class HeldClaim:
    """Another claim of the person that is held for payment or paid (not failed, rejected or in a draft)."""

    id: int
    subsidy_type: str
    occupation: str
    level: int
    year: int
    certificate_id: int
    paid: bool = False


@dataclass(frozen=True)
class PersonFacts:
    insured: tuple[tuple[date, date | None], ...] = ()  # (first month, last month or None = still insured)
    skill_certificates: tuple[CertificateFacts, ...] = ()  # every skill certificate the person holds
    held: tuple[HeldClaim, ...] = ()


# --- dates ------------------------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (the 31st becomes the last day of a shorter month)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def insured_months(periods: Iterable[tuple[date, date | None]], *, on: date) -> int:
    """Distinct calendar months covered by the insurance ``periods`` up to and including the month of ``on``
    (overlapping periods count once; an open period runs to ``on``)."""
    last = _month_index(on)
    months: set[int] = set()
    for start, end in periods:
        stop = min(last, _month_index(end) if end else last)
        months.update(range(_month_index(start), stop + 1))
    return len(months)


def live_valid(certificate: CertificateFacts, *, on: date) -> bool:
    """Valid on ``on``: not revoked or suspended now, issued by then and not expired."""
    return (
        certificate.status == VALID
        and certificate.issued_on <= on
        and (certificate.expires_on is None or certificate.expires_on >= on)
    )


def slot_level(terms: Terms, level: int) -> int:
    """The level part of the "payable slot" a claim takes: its level, or 0 (any) for once-per-occupation
    subsidies. Two claims with the same person, type, occupation and slot level never both hold."""
    return 0 if terms.once_per_occupation else level


# --- the rules --------------------------------------------------------------------------------------------------


def check(
    *, terms: Terms, certificate: CertificateFacts, person: PersonFacts, claimed_on: date, claim_id: int | None = None
) -> list[Failure]:
    """Every rule the claim breaks (empty = it passes). ``person.held`` may include this claim (``claim_id``):
    it is left out."""
    failures: list[Failure] = []
    held = [c for c in person.held if c.id != claim_id]
    if terms.amount is None:
        failures.append(Failure(NO_AMOUNT, {"occupation": certificate.occupation, "level": certificate.level}))
    accepted = {TRAINING: terms.accepts_training, SKILL: terms.accepts_skill}.get(certificate.kind, False)
    if not accepted:
        failures.append(Failure(CERTIFICATE_KIND, {"kind": certificate.kind}))
    if certificate.status != VALID:
        failures.append(Failure(CERTIFICATE_NOT_VALID, {"status": certificate.status}))
    elif certificate.expires_on is not None and certificate.expires_on < claimed_on:
        failures.append(Failure(CERTIFICATE_NOT_VALID, {"status": "expired"}))
    if claimed_on < certificate.issued_on:
        failures.append(Failure(CLAIM_BEFORE_CERTIFICATE, {"issued_on": certificate.issued_on.isoformat()}))
    else:
        deadline = add_months(certificate.issued_on, terms.claim_window_months)
        if claimed_on > deadline:
            failures.append(
                Failure(CLAIM_WINDOW, {"months": terms.claim_window_months, "deadline": deadline.isoformat()})
            )
    if terms.min_insured_months:
        months = insured_months(person.insured, on=claimed_on)
        if months < terms.min_insured_months:
            failures.append(Failure(INSURED_MONTHS, {"months": months, "required": terms.min_insured_months}))
    if terms.first_assessment_only:
        earlier = [
            c
            for c in person.skill_certificates
            if c.id != certificate.id
            and c.occupation == certificate.occupation
            and (c.issued_on, c.id) < (certificate.issued_on, certificate.id)
        ]
        if earlier:
            failures.append(Failure(NOT_FIRST_ASSESSMENT, {"issued_on": earlier[0].issued_on.isoformat()}))
    same_type = [c for c in held if c.subsidy_type == terms.subsidy_type]
    same_occupation = [c for c in same_type if c.occupation == certificate.occupation]
    if terms.once_per_occupation:
        duplicate = bool(same_occupation)
    else:
        duplicate = any(c.level == certificate.level for c in same_occupation)
    if duplicate or any(c.certificate_id == certificate.id for c in same_type):
        failures.append(Failure(ALREADY_CLAIMED, {"occupation": certificate.occupation, "level": certificate.level}))
    if terms.forbid_lower_level and certificate.level:
        higher = [c for c in same_occupation if 0 < c.level < certificate.level]
        if higher:
            failures.append(Failure(LOWER_LEVEL, {"level": certificate.level, "higher": min(c.level for c in higher)}))
    year = claimed_on.year
    in_year = [c for c in held if c.year == year]
    if terms.yearly_limit_type is not None:
        count = sum(c.subsidy_type == terms.subsidy_type for c in in_year)
        if count >= terms.yearly_limit_type:
            failures.append(Failure(YEARLY_LIMIT_TYPE, {"year": year, "limit": terms.yearly_limit_type}))
    if terms.yearly_limit_total is not None and len(in_year) >= terms.yearly_limit_total:
        failures.append(Failure(YEARLY_LIMIT_TOTAL, {"year": year, "limit": terms.yearly_limit_total}))
    return failures


# --- working days (the 公示 period) ----------------------------------------------------------------------------


def is_working_day(day: date, overrides: dict[date, bool]) -> bool:
    """Monday to Friday, unless ``overrides`` says otherwise (public holidays off, 调休 weekend days on)."""
    return overrides.get(day, day.weekday() < 5)


def add_working_days(start: date, days: int, overrides: dict[date, bool] | None = None) -> date:
    """The last day of a period of ``days`` working days that starts on ``start`` (counted if it is a working
    day): ``add_working_days(Monday, 5) == Friday``."""
    if days < 1:
        raise ValueError("a period has at least one working day")
    overrides = overrides or {}
    day, counted = start, 0
    while True:
        if is_working_day(day, overrides):
            counted += 1
            if counted == days:
                return day
        day = date.fromordinal(day.toordinal() + 1)
