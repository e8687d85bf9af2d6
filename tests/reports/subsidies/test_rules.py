"""The subsidy rules as pure functions: one test per rule, with facts built by hand (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from reports.subsidies import rules
from reports.subsidies.rules import CertificateFacts, HeldClaim, PersonFacts, Terms

TRAINING = "vocational_training"
ASSESSMENT = "skill_assessment"
UPGRADE = "skill_upgrade"
CW = "childcare_worker"
IC = "infant_carer"

TERMS = Terms(subsidy_type=TRAINING, amount=Decimal("1500"))
CERT = CertificateFacts(id=10, kind=rules.SKILL, occupation=CW, level=4, issued_on=date(2025, 3, 10))
ON = date(2025, 6, 1)


def codes(**kw) -> list[str]:
    args = {"terms": TERMS, "certificate": CERT, "person": PersonFacts(), "claimed_on": ON, **kw}
    return [f.code for f in rules.check(**args)]


def held(id=1, subsidy_type=TRAINING, occupation=CW, level=4, year=2025, certificate_id=99, paid=True) -> HeldClaim:
    return HeldClaim(id, subsidy_type, occupation, level, year, certificate_id, paid)


def test_a_clean_claim_passes():
    assert codes() == []


def test_no_amount_for_the_occupation_and_level():
    failures = rules.check(terms=replace(TERMS, amount=None), certificate=CERT, person=PersonFacts(), claimed_on=ON)
    assert [f.code for f in failures] == [rules.NO_AMOUNT]
    assert failures[0].params == {"occupation": CW, "level": 4}


@pytest.mark.parametrize(
    ("kind", "accepts_training", "accepts_skill", "fails"),
    [
        (rules.TRAINING, False, True, True),  # 技能评价补贴: training certificates excluded
        (rules.TRAINING, True, True, False),
        (rules.SKILL, True, False, True),
        (rules.AWARD, True, True, True),  # award certificates never qualify
    ],
)
def test_certificate_kinds_the_policy_accepts(kind, accepts_training, accepts_skill, fails):
    terms = replace(TERMS, accepts_training=accepts_training, accepts_skill=accepts_skill)
    certificate = replace(CERT, kind=kind, level=0 if kind == rules.TRAINING else 4)
    assert (rules.CERTIFICATE_KIND in codes(terms=terms, certificate=certificate)) is fails


@pytest.mark.parametrize(
    ("status", "expires_on", "shown"),
    [("revoked", None, "revoked"), ("suspended", None, "suspended"), ("valid", date(2025, 5, 31), "expired")],
)
def test_the_certificate_must_be_valid_now(status, expires_on, shown):
    failures = rules.check(
        terms=TERMS,
        certificate=replace(CERT, status=status, expires_on=expires_on),
        person=PersonFacts(),
        claimed_on=ON,
    )
    assert [(f.code, f.params) for f in failures] == [(rules.CERTIFICATE_NOT_VALID, {"status": shown})]


def test_expiring_on_the_claim_day_is_still_valid():
    assert codes(certificate=replace(CERT, expires_on=ON)) == []


def test_claim_within_twelve_months_of_the_certificate_date():
    assert codes(claimed_on=date(2026, 3, 10)) == []  # the last day
    failures = rules.check(terms=TERMS, certificate=CERT, person=PersonFacts(), claimed_on=date(2026, 3, 11))
    assert [(f.code, f.params) for f in failures] == [(rules.CLAIM_WINDOW, {"months": 12, "deadline": "2026-03-10"})]
    assert codes(terms=replace(TERMS, claim_window_months=24), claimed_on=date(2026, 3, 11)) == []


def test_a_claim_before_the_certificate_date_is_refused():
    assert codes(claimed_on=date(2025, 3, 9)) == [rules.CLAIM_BEFORE_CERTIFICATE]


def test_add_months_keeps_the_day_or_takes_the_last_of_a_short_month():
    assert rules.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert rules.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert rules.add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)


def test_insured_months_count_distinct_months_up_to_the_claim():
    periods = [(date(2024, 1, 1), date(2024, 6, 1)), (date(2024, 4, 1), date(2024, 9, 1)), (date(2025, 3, 1), None)]
    # 2024-01..2024-09 = 9 months (the overlap counts once) + 2025-03..2025-06 = 4 months
    assert rules.insured_months(periods, on=date(2025, 6, 1)) == 13
    assert rules.insured_months(periods, on=date(2024, 2, 15)) == 2
    assert rules.insured_months([], on=ON) == 0


def test_skill_upgrade_needs_twelve_insured_months():
    terms = replace(TERMS, subsidy_type=UPGRADE, min_insured_months=12)
    eleven = PersonFacts(insured=((date(2024, 8, 1), None),))  # 2024-08 .. 2025-06 = 11 months
    twelve = PersonFacts(insured=((date(2024, 7, 1), None),))
    failures = rules.check(terms=terms, certificate=CERT, person=eleven, claimed_on=ON)
    assert [(f.code, f.params) for f in failures] == [(rules.INSURED_MONTHS, {"months": 11, "required": 12})]
    assert codes(terms=terms, person=twelve) == []
    assert codes(terms=replace(TERMS, min_insured_months=0), person=PersonFacts()) == []  # no requirement


def test_skill_assessment_only_for_a_first_assessment():
    terms = replace(TERMS, subsidy_type=ASSESSMENT, first_assessment_only=True)
    earlier = replace(CERT, id=5, level=5, issued_on=date(2023, 5, 1))
    other_occupation = replace(CERT, id=6, occupation=IC, level=5, issued_on=date(2023, 5, 1))
    later = replace(CERT, id=11, level=3, issued_on=date(2025, 5, 1))
    assert codes(terms=terms, person=PersonFacts(skill_certificates=(CERT, other_occupation, later))) == []
    assert codes(terms=terms, person=PersonFacts(skill_certificates=(CERT, earlier))) == [rules.NOT_FIRST_ASSESSMENT]
    assert (
        codes(terms=replace(terms, first_assessment_only=False), person=PersonFacts(skill_certificates=(earlier,)))
        == []
    )


def test_same_occupation_and_level_never_twice():
    assert codes(person=PersonFacts(held=(held(level=4),))) == [rules.ALREADY_CLAIMED]
    assert codes(person=PersonFacts(held=(held(level=4, paid=False),))) == [rules.ALREADY_CLAIMED]  # held, unpaid
    assert codes(person=PersonFacts(held=(held(level=4, occupation=IC),))) == []
    assert codes(person=PersonFacts(held=(held(level=4, subsidy_type=ASSESSMENT),))) == []  # another subsidy


def test_the_same_certificate_is_never_claimed_twice_for_one_subsidy():
    assert codes(person=PersonFacts(held=(held(level=5, certificate_id=CERT.id, occupation=IC),))) == [
        rules.ALREADY_CLAIMED
    ]


def test_the_claim_itself_is_not_counted_against_itself():
    mine = held(id=7, certificate_id=CERT.id)
    assert codes(person=PersonFacts(held=(mine,)), claim_id=7) == []


def test_once_per_occupation_at_any_level():
    terms = replace(TERMS, subsidy_type=ASSESSMENT, once_per_occupation=True, forbid_lower_level=False)
    other_level = held(subsidy_type=ASSESSMENT, level=5)
    assert codes(terms=terms, person=PersonFacts(held=(other_level,))) == [rules.ALREADY_CLAIMED]
    assert rules.slot_level(terms, 4) == 0 and rules.slot_level(TERMS, 4) == 4


def test_no_lower_level_after_a_higher_one_was_paid():
    higher = held(level=3)  # 三级 paid; claiming 四级
    failures = rules.check(terms=TERMS, certificate=CERT, person=PersonFacts(held=(higher,)), claimed_on=ON)
    assert [(f.code, f.params) for f in failures] == [(rules.LOWER_LEVEL, {"level": 4, "higher": 3})]
    assert codes(person=PersonFacts(held=(held(level=5),))) == []  # a lower one paid before: moving up is fine
    assert codes(terms=replace(TERMS, forbid_lower_level=False), person=PersonFacts(held=(higher,))) == []
    training_cert = replace(CERT, kind=rules.TRAINING, level=0)
    assert codes(certificate=training_cert, person=PersonFacts(held=(higher,))) == []  # no level: not lower


def test_at_most_three_subsidies_per_person_and_year_including_skill_upgrade():
    three = (
        held(id=1, subsidy_type=TRAINING, occupation=IC, level=5),
        held(id=2, subsidy_type=ASSESSMENT, occupation=IC, level=5),
        held(id=3, subsidy_type=UPGRADE, occupation=IC, level=4),
    )
    failures = rules.check(terms=TERMS, certificate=CERT, person=PersonFacts(held=three), claimed_on=ON)
    assert [(f.code, f.params) for f in failures] == [(rules.YEARLY_LIMIT_TOTAL, {"year": 2025, "limit": 3})]
    assert codes(person=PersonFacts(held=three[:2])) == []
    last_year = tuple(replace(c, year=2024) for c in three)
    assert codes(person=PersonFacts(held=last_year)) == []  # the limit is per calendar year
    assert codes(terms=replace(TERMS, yearly_limit_total=None), person=PersonFacts(held=three)) == []


def test_skill_upgrade_once_a_year():
    terms = replace(TERMS, subsidy_type=UPGRADE, yearly_limit_type=1)
    one = held(subsidy_type=UPGRADE, occupation=IC, level=5)
    assert codes(terms=terms, person=PersonFacts(held=(one,))) == [rules.YEARLY_LIMIT_TYPE]
    assert codes(terms=terms, person=PersonFacts(held=(held(occupation=IC, level=5),))) == []  # another type


def test_every_failure_is_reported_in_order():
    terms = replace(TERMS, amount=None, accepts_skill=False, min_insured_months=12)
    certificate = replace(CERT, status="revoked")
    got = codes(terms=terms, certificate=certificate, claimed_on=date(2027, 1, 1))
    assert got == [
        rules.NO_AMOUNT,
        rules.CERTIFICATE_KIND,
        rules.CERTIFICATE_NOT_VALID,
        rules.CLAIM_WINDOW,
        rules.INSURED_MONTHS,
    ]
    assert all(code in rules.CODES for code in got)


@pytest.mark.parametrize(
    ("start", "days", "end"),
    [
        (date(2025, 6, 2), 5, date(2025, 6, 6)),  # Monday + 5 working days = Friday
        (date(2025, 6, 5), 5, date(2025, 6, 11)),  # Thursday: the weekend is skipped
        (date(2025, 6, 7), 1, date(2025, 6, 9)),  # a Saturday start counts from Monday
    ],
)
def test_working_days(start, days, end):
    assert rules.add_working_days(start, days) == end


def test_working_days_skip_holidays_and_count_make_up_days():
    # 国庆节 2025: 10-01..10-08 off, Sunday 09-28 and Saturday 10-11 worked (调休)
    overrides = {date(2025, 10, d): False for d in range(1, 9)} | {date(2025, 9, 28): True, date(2025, 10, 11): True}
    assert rules.add_working_days(date(2025, 9, 26), 3, overrides) == date(2025, 9, 29)  # Fri, Sun (worked), Mon
    assert rules.add_working_days(date(2025, 9, 30), 3, overrides) == date(2025, 10, 10)  # Tue, then 10-09, 10-10
    with pytest.raises(ValueError):
        rules.add_working_days(date(2025, 1, 1), 0)
