"""Who may enter a track (pure, no database)."""

from datetime import date
from decimal import Decimal as D

import pytest

from lms.competitions.eligibility import OCCUPATION_POSTS, Facts, Job, Refusal, Rule, age_on, refusals, years_of_work

FIRST_DAY = date(2026, 10, 20)
UNIT = 7


def staff_rule(**fields):
    values = {
        "occupation": "childcare_worker",
        "group": "staff",
        "min_years_of_work": 0,
        "min_age": None,
        "max_age": None,
    }
    return Rule(**(values | fields))


def facts(*jobs, birth=date(1990, 5, 1), banned=False):
    return Facts(birth_date=birth, jobs=tuple(jobs), banned=banned)


def caregiver(start=date(2020, 3, 1), end=None, unit=UNIT, post="caregiver"):
    return Job(start=start, end=end, post=post, unit_id=unit)


def codes(found):
    return [r.code for r in found]


# --- age --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(1990, 10, 20), date(2026, 10, 20), 36),  # the birthday itself counts
        (date(1990, 10, 21), date(2026, 10, 20), 35),
        (date(1990, 1, 1), date(2026, 10, 20), 36),
        (date(2000, 2, 29), date(2026, 2, 28), 25),
        (date(2000, 2, 29), date(2026, 3, 1), 26),
    ],
)
def test_age_in_whole_years(birth, on, age):
    assert age_on(birth, on) == age


# --- years of work ----------------------------------------------------------------------------------------------


def test_one_open_job_counts_up_to_and_including_the_day():
    # 2020-01-01 .. 2025-01-01: 1828 days / 365.25 = 5.005 -> 5.0
    assert years_of_work([caregiver(start=date(2020, 1, 1))], date(2025, 1, 1)) == D("5.0")
    assert years_of_work([caregiver(start=date(2025, 1, 1))], date(2025, 1, 1)) == D("0.0")  # 1 day


def test_an_exact_anniversary_gives_whole_years():
    # 2021-10-20 .. 2026-10-20 with one leap day: 1827 days / 365.25 = 5.002 (4.9 if the day were left out)
    assert years_of_work([caregiver(start=date(2021, 10, 20))], date(2026, 10, 20)) == D("5.0")
    assert years_of_work([caregiver(start=date(2021, 10, 21))], date(2026, 10, 20)) == D("4.9")
    assert years_of_work([caregiver(start=date(2025, 10, 20))], date(2026, 10, 20)) == D("1.0")  # 366 days


def test_years_are_rounded_down_to_one_decimal():
    # 1080 days / 365.25 = 2.957 -> 2.9, not 3.0
    on = date(2023, 1, 1)
    start = date.fromordinal(on.toordinal() - 1079)
    assert years_of_work([caregiver(start=start)], on) == D("2.9")


def test_an_ended_job_counts_its_last_day():
    # 2020-01-01 .. 2020-12-31 inclusive = 366 days -> 1.0
    assert years_of_work([caregiver(start=date(2020, 1, 1), end=date(2020, 12, 31))], date(2026, 1, 1)) == D("1.0")


def test_overlapping_jobs_are_counted_once():
    jobs = [
        caregiver(start=date(2018, 1, 1), end=date(2020, 12, 31), unit=1),  # 2018-2020: 1096 days
        caregiver(start=date(2020, 1, 1), end=date(2021, 12, 31), unit=2),  # overlaps 2020; adds 2021: 365 days
        caregiver(start=date(2019, 6, 1), end=date(2019, 6, 30), unit=3),  # inside the first one: adds nothing
        caregiver(start=date(2023, 1, 1), end=None, unit=4),  # 2023-01-01 .. 2025-01-01: 732 days
    ]
    # 1096 + 365 + 732 = 2193 days / 365.25 = 6.004 -> 6.0
    assert years_of_work(jobs, date(2025, 1, 1)) == D("6.0")
    # the same jobs in another order
    assert years_of_work(list(reversed(jobs)), date(2025, 1, 1)) == D("6.0")


def test_jobs_after_the_day_do_not_count_and_a_gap_is_not_work():
    jobs = [
        caregiver(start=date(2015, 1, 1), end=date(2015, 12, 31)),  # 365 days
        caregiver(start=date(2024, 1, 1), end=None),  # 367 days up to 2025-01-01
        caregiver(start=date(2025, 6, 1), end=None),  # after the day
    ]
    # 732 / 365.25 = 2.004
    assert years_of_work(jobs, date(2025, 1, 1)) == D("2.0")
    assert years_of_work([], date(2025, 1, 1)) == D("0.0")


# --- refusals ---------------------------------------------------------------------------------------------------


def test_a_caregiver_on_duty_at_the_unit_is_eligible():
    assert refusals(staff_rule(), facts(caregiver()), on=FIRST_DAY, unit_id=UNIT) == []


def test_occupations_map_to_roster_posts():
    assert OCCUPATION_POSTS["childcare_worker"] == {"caregiver"}
    assert OCCUPATION_POSTS["infant_carer"] == {"caregiver"}
    assert OCCUPATION_POSTS["health_care"] == {"health"}
    assert OCCUPATION_POSTS["director"] == {"director"}


def test_banned_people_are_refused_in_every_group():
    assert codes(refusals(staff_rule(), facts(caregiver(), banned=True), on=FIRST_DAY, unit_id=UNIT)) == ["banned"]
    student = staff_rule(group="student")
    assert refusals(student, facts(banned=True), on=FIRST_DAY, unit_id=None) == [Refusal("banned", {})]


def test_staff_must_be_on_duty_at_the_registering_unit():
    other_unit = facts(caregiver(unit=8))
    assert codes(refusals(staff_rule(), other_unit, on=FIRST_DAY, unit_id=UNIT)) == ["not_on_duty"]
    left = facts(caregiver(end=date(2026, 10, 19)))
    assert codes(refusals(staff_rule(), left, on=FIRST_DAY, unit_id=UNIT)) == ["not_on_duty"]
    not_yet = facts(caregiver(start=date(2026, 10, 21)))
    assert codes(refusals(staff_rule(), not_yet, on=FIRST_DAY, unit_id=UNIT)) == ["not_on_duty"]
    assert codes(refusals(staff_rule(), facts(caregiver()), on=FIRST_DAY, unit_id=None)) == ["not_on_duty"]
    # leaving on the first day still counts as on duty that day
    assert refusals(staff_rule(), facts(caregiver(end=FIRST_DAY)), on=FIRST_DAY, unit_id=UNIT) == []


def test_staff_must_hold_a_post_of_the_occupation():
    found = refusals(staff_rule(), facts(caregiver(post="health")), on=FIRST_DAY, unit_id=UNIT)
    assert found == [Refusal("wrong_post", {"post": "health"})]
    health = staff_rule(occupation="health_care")
    assert refusals(health, facts(caregiver(post="health")), on=FIRST_DAY, unit_id=UNIT) == []
    # two current jobs at the unit: one in the right post is enough
    both = facts(caregiver(post="director"), caregiver())
    assert refusals(staff_rule(), both, on=FIRST_DAY, unit_id=UNIT) == []


def test_staff_need_the_years_of_work_over_all_their_jobs():
    jobs = (
        caregiver(start=date(2021, 10, 20), end=date(2023, 10, 19), unit=9),  # 2 years elsewhere
        caregiver(start=date(2023, 10, 20)),  # 3 years here up to the first day
    )
    assert refusals(staff_rule(min_years_of_work=5), facts(*jobs), on=FIRST_DAY, unit_id=UNIT) == []
    found = refusals(staff_rule(min_years_of_work=6), facts(*jobs), on=FIRST_DAY, unit_id=UNIT)
    assert found == [Refusal("too_few_years", {"required": 6, "actual": D("5.0")})]


def test_age_limits_apply_on_the_first_day():
    born = date(1990, 10, 21)  # 35 on the first day, 36 the day after
    assert codes(refusals(staff_rule(max_age=35), facts(caregiver(), birth=born), on=FIRST_DAY, unit_id=UNIT)) == []
    too_old = refusals(staff_rule(max_age=34), facts(caregiver(), birth=born), on=FIRST_DAY, unit_id=UNIT)
    assert too_old == [Refusal("too_old", {"max_age": 34, "age": 35})]
    too_young = refusals(staff_rule(min_age=36), facts(caregiver(), birth=born), on=FIRST_DAY, unit_id=UNIT)
    assert too_young == [Refusal("too_young", {"min_age": 36, "age": 35})]


def test_students_are_checked_only_for_the_ban_and_age():
    student = staff_rule(group="student", min_years_of_work=3, min_age=16, max_age=22)
    assert refusals(student, facts(birth=date(2006, 1, 1)), on=FIRST_DAY, unit_id=None) == []
    found = refusals(student, facts(birth=date(2000, 1, 1), banned=True), on=FIRST_DAY, unit_id=None)
    assert codes(found) == ["banned", "too_old"]


def test_every_reason_is_given_at_once():
    rule = staff_rule(min_years_of_work=10, min_age=40)
    found = refusals(rule, facts(caregiver(post="other"), banned=True), on=FIRST_DAY, unit_id=UNIT)
    assert codes(found) == ["banned", "wrong_post", "too_few_years", "too_young"]
