"""reports.selectors.statistics against the database: indicators, scoping, the staff list and targets."""

import datetime as dt
import hashlib
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from certificates.models import Certificate
from lms.learning.choices import HoursSource, TrainingKind
from lms.learning.models import HoursEntry
from lms.registry.models import Post, Role
from reports import exports
from reports.models import ChildCount, QualifyingPost, Target
from reports.selectors import scope, sources, statistics
from tests import factories as f
from tests.certificates.factories import in_service_requirement, issue_certificate, make_course

ON = dt.date(2025, 6, 30)


@pytest.fixture
def world(registry_world):
    """County A (麒麟区): 3 on-duty staff in qualifying posts, 2 certified on ``ON``; county B: 1, none certified.

    * ``a.person`` (caregiver): training certificate issued 2025-01-05 -> certified;
    * the colleague (caregiver): skill certificate revoked later (now) -> still certified on ``ON``;
    * a director with only an award certificate -> not certified;
    * an ``other`` post with a training certificate -> not counted at all;
    * someone who left in 2024 with a certificate -> not on duty;
    * ``b.person``: training certificate issued after ``ON`` -> not certified.
    """
    w = registry_world
    issue_certificate(holder=w.a.person, issued_on=dt.date(2025, 1, 5))
    revoked = issue_certificate(holder=w.colleague, type_code="skill", issued_on=dt.date(2024, 5, 1))
    Certificate.objects.filter(pk=revoked.pk).update(
        status="revoked", revoked_at=timezone.now(), revocation_reason="fraud"
    )
    director = f.EmploymentFactory(institution=w.a.institution, post=Post.DIRECTOR).person
    issue_certificate(holder=director, type_code="award", issued_on=dt.date(2025, 1, 5))
    other = f.EmploymentFactory(institution=w.a.institution, post=Post.OTHER).person
    issue_certificate(holder=other, issued_on=dt.date(2025, 1, 5))
    gone = f.EmploymentFactory(institution=w.a.institution, end_date=dt.date(2024, 12, 31)).person
    issue_certificate(holder=gone, issued_on=dt.date(2024, 5, 1))
    issue_certificate(holder=w.b.person, issued_on=dt.date(2025, 7, 1))
    w.director = director
    return w


def rows(table, key="code"):
    return {row[key]: row for row in table.frame.to_dict("records")}


def test_certified_rate_by_county(world):
    table = statistics.indicator_table(None, "certified_rate", region=world.city, by="county", year=2025, on=ON)
    by_code = rows(table)
    assert (by_code["530302"]["staff"], by_code["530302"]["certified"], by_code["530302"]["rate"]) == (3, 2, 66.67)
    assert (by_code["530381"]["staff"], by_code["530381"]["certified"], by_code["530381"]["rate"]) == (1, 0, 0.0)
    assert table.target is None  # seed 001's target is for 2026
    assert table.value_key == "rate"
    assert [key for key, _ in table.columns] == ["code", "name", "staff", "certified", "rate"]


def test_certified_rate_at_every_level_adds_up(world):
    city = statistics.indicator_table(None, "certified_rate", region=world.city, by="city", year=2025, on=ON)
    assert city.frame[["staff", "certified"]].iloc[0].tolist() == [4, 2]
    township = statistics.indicator_table(None, "certified_rate", region=world.city, by="township", year=2025, on=ON)
    assert rows(township)[world.a.township.code]["certified"] == 2
    institutions = statistics.indicator_table(
        None, "certified_rate", region=world.a.county, by="institution", year=2025, on=ON
    )
    assert list(institutions.frame["id"]) == [world.a.institution.pk]
    assert "region" in dict(institutions.columns)
    province = statistics.indicator_table(None, "certified_rate", region=world.province, by="county", year=2025, on=ON)
    assert province.frame["staff"].sum() == 4


def test_revoked_before_the_date_and_expired_certificates_do_not_count(world):
    Certificate.objects.filter(holder=world.colleague).update(revoked_at=timezone.make_aware(dt.datetime(2025, 6, 1)))
    table = statistics.indicator_table(None, "certified_rate", region=world.a.county, by="county", year=2025, on=ON)
    assert table.frame["certified"].iloc[0] == 1
    later = statistics.indicator_table(
        None, "certified_rate", region=world.a.county, by="county", year=2027, on=dt.date(2027, 6, 30)
    )
    assert later.frame["certified"].iloc[0] == 0  # the training certificate expired on 31 March 2026


def test_qualifying_posts_are_configuration(world):
    QualifyingPost.objects.create(post=Post.OTHER)
    table = statistics.indicator_table(None, "certified_rate", region=world.a.county, by="county", year=2025, on=ON)
    assert table.frame[["staff", "certified"]].iloc[0].tolist() == [4, 3]


def test_a_county_officer_never_sees_the_other_county(world):
    officer = world.users[Role.HEALTH_OFFICER.value]
    with pytest.raises(PermissionDenied):
        statistics.indicator_table(officer, "certified_rate", region=world.b.county, by="institution", year=2025)
    with pytest.raises(PermissionDenied):
        statistics.indicator_table(officer, "certified_rate", region=world.city, by="county", year=2025)
    with pytest.raises(PermissionDenied):
        statistics.staff_list(officer, institution=world.b.institution, on=ON)
    with pytest.raises(PermissionDenied):
        statistics.target_progress(officer, region=world.city, indicator="certified_rate", year=2026)
    table = statistics.indicator_table(officer, "certified_rate", region=world.a.county, by="institution", year=2025)
    assert set(table.frame["id"]) == {world.a.institution.pk}
    codes = set(statistics.regions_for(officer).values_list("code", flat=True))
    assert world.a.county.code in codes and world.a.township.code in codes
    assert world.b.county.code not in codes and world.city.code not in codes
    assert [r.code for r in statistics.top_regions(officer)] == [world.a.county.code]


@pytest.mark.parametrize("role", [Role.INSPECTOR.value, Role.PROVIDER_STAFF.value, "caregiver"])
def test_other_roles_may_not_report(world, role):
    user = world.users[role]
    assert not statistics.can_report(user)
    assert not statistics.regions_for(user).exists()
    with pytest.raises(PermissionDenied):
        statistics.indicator_table(user, "certified_rate", region=world.a.county, by="county", year=2025)


def test_unknown_indicator_or_level_is_an_error(world):
    with pytest.raises(ValueError):
        statistics.indicator_table(None, "nope", region=world.city, by="county", year=2025)
    with pytest.raises(ValueError):
        statistics.indicator_table(None, "certified_rate", region=world.a.county, by="city", year=2025)


def test_staff_list_shows_masked_ids_and_certification(world):
    table = statistics.staff_list(world.users["institution_admin"], institution=world.a.institution, on=ON)
    by_id = rows(table, "id")
    person = by_id[world.a.person.pk]
    assert person["id_number"] == world.a.person.id_number_masked
    assert world.a.person.id_number not in table.frame.to_string()
    assert person["certified"] and person["qualifying"]
    assert person["certificates"].startswith("PX")
    assert not by_id[world.director.pk]["certified"]
    assert len(table.frame) == 4  # the one who left is not on duty


def ledger(person, kind, hours, *, course=None, day=dt.date(2025, 3, 1)):
    return HoursEntry.objects.create(
        person=person,
        year=day.year,
        occurred_on=day,
        kind=kind,
        source=HoursSource.MANUAL,
        hours=Decimal(hours),
        course=course,
        key=f"t:{HoursEntry.objects.count()}",
    )


def test_training_person_times_and_people_trained(world):
    course = make_course(kind=TrainingKind.PRE_JOB)
    ledger(world.a.person, TrainingKind.PRE_JOB, "2", course=course)
    ledger(world.a.person, TrainingKind.PRE_JOB, "3", course=course)  # same course: one person-time
    ledger(world.director, TrainingKind.DIRECTOR, "6")
    ledger(world.b.person, TrainingKind.IN_SERVICE, "4")
    ledger(world.b.person, TrainingKind.IN_SERVICE, "-4")  # corrected away
    ledger(world.colleague, TrainingKind.IN_SERVICE, "2", day=dt.date(2024, 3, 1))  # another year
    table = statistics.indicator_table(None, "training_person_times", region=world.city, by="county", year=2025, on=ON)
    a, b = rows(table)["530302"], rows(table)["530381"]
    assert (a["person_times"], a["hours"], a["director"], a["care"]) == (2, 11.0, 1, 1)
    assert a["occupation_childcare_worker"] == 1
    assert b["person_times"] == 0
    people = statistics.indicator_table(None, "people_trained", region=world.city, by="county", year=2025, on=ON)
    assert rows(people)["530302"]["people"] == 2
    assert rows(people)["530381"]["people"] == 0


def test_in_service_and_health_check_compliance(world):
    in_service_requirement(post=Post.CAREGIVER, hours="24.0")
    ledger(world.a.person, TrainingKind.IN_SERVICE, "24")
    ledger(world.colleague, TrainingKind.IN_SERVICE, "10")
    table = statistics.indicator_table(None, "in_service_compliance", region=world.city, by="county", year=2025, on=ON)
    a = rows(table)["530302"]
    assert (a["staff"], a["compliant"], a["rate"]) == (2, 1, 50.0)  # the two caregivers of county A
    f.HealthCheckFactory(person=world.director, checked_on=dt.date(2024, 7, 1))  # valid until 2025-06-30
    f.HealthCheckFactory(person=world.colleague, checked_on=dt.date(2024, 6, 30))  # expired the day before
    health = statistics.indicator_table(
        None, "health_check_compliance", region=world.a.county, by="county", year=2025, on=ON
    )
    assert health.frame[["staff", "checked"]].iloc[0].tolist() == [4, 1]


def test_staff_ratio_reports_institutions_below_it_where_counts_exist(world):
    # county A's institution: 2 caregivers; 4 infants (2 needed) + 6 younger (2 needed) -> 4 required, 2 short
    ChildCount.objects.create(institution=world.a.institution, counted_on=dt.date(2025, 1, 1), infants=4, younger=6)
    ChildCount.objects.create(institution=world.a.institution, counted_on=dt.date(2025, 9, 1), infants=1)  # later
    table = statistics.indicator_table(None, "staff_ratio", region=world.city, by="county", year=2025, on=ON)
    a, b = rows(table)["530302"], rows(table)["530381"]
    assert (a["institutions"], a["below"], a["required"], a["caregivers"], a["shortfall"]) == (1, 1, 4, 2, 2)
    assert b["institutions"] == 0
    by_institution = statistics.indicator_table(
        None, "staff_ratio", region=world.city, by="institution", year=2025, on=ON
    )
    assert list(by_institution.frame["id"]) == [world.a.institution.pk]  # only where counts exist


def test_seeded_targets_and_progress(world):
    assert Target.objects.filter(region_id="530300", indicator="certified_rate", year=2026, value=70).exists()
    person_times = Target.objects.get(region_id="530300", indicator="training_person_times", measure="care")
    assert (person_times.value, person_times.from_year) == (Decimal("1500"), 2024)
    table = statistics.indicator_table(None, "certified_rate", region=world.city, by="county", year=2026, on=ON)
    assert table.target == Decimal("70")
    progress = statistics.target_progress(None, region=world.city, indicator="certified_rate", year=2026, on=ON)
    by_code = {p.region.code: p for p in progress}
    # county A: 0% at the ends of 2023 and 2024 (the first certificate was issued... in May 2024 but revoked
    # today, so valid then: 1 of 2 at the end of 2024), 66.67% on ON; the 曲靖市 target of 70% applies
    assert by_code["530302"].target == Decimal("70")
    assert by_code["530302"].actual == 66.67
    assert by_code["530302"].projected is not None
    assert by_code["530381"].actual == 0.0
    assert by_code["530381"].will_miss
    people = statistics.target_progress(None, region=world.city, indicator="people_trained", year=2026, on=ON)
    assert all(p.target is None for p in people)  # count targets are not inherited by the counties


def test_several_levels_from_one_load_equal_the_single_tables(world):
    tables = statistics.indicator_tables(
        None, "certified_rate", region=world.city, levels=["county", "institution"], year=2025, on=ON
    )
    for by, table in tables.items():
        single = statistics.indicator_table(None, "certified_rate", region=world.city, by=by, year=2025, on=ON)
        assert table.frame.equals(single.frame)
        assert table.title == single.title
    assert tables["county"].title != tables["institution"].title


def test_institution_rows_are_in_a_stable_order(world):
    """Region name, name, then id: same-named institutions of one township always come out in the same order,
    whatever order the database returns them in, so a report pack of unchanged data has the same SHA-256."""
    twins = [f.InstitutionFactory(region=world.a.township, name="同名托育园") for _ in range(3)]
    for twin in twins:
        f.EmploymentFactory(institution=twin, post=Post.CAREGIVER)
    institutions = scope.institutions_frame(world.a.county, with_names=True)
    located = scope.with_unit(institutions, "institution")
    expected = scope.units_frame(world.a.county, "institution", located)
    for seed in range(3):
        shuffled = located.sample(frac=1, random_state=seed).reset_index(drop=True)
        assert scope.units_frame(world.a.county, "institution", shuffled).equals(expected)

    def table():
        return statistics.indicator_table(
            None, "certified_rate", region=world.a.county, by="institution", year=2025, on=ON
        )

    first = table()
    ids = [i for i, name in zip(first.frame["id"], first.frame["name"], strict=True) if name == "同名托育园"]
    assert ids == sorted(t.pk for t in twins)
    content = exports.to_xlsx([first])
    assert hashlib.sha256(content).digest() == hashlib.sha256(exports.to_xlsx([table()])).digest()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:  # dated by the report date, not the time of writing
        assert f"{ON.isoformat()}T00:00:00Z" in archive.read("docProps/core.xml").decode()


@pytest.mark.django_db
def test_server_settings_hold_for_the_block_only():
    if connection.vendor != "postgresql":
        with sources.server_settings("default", jit="off"):  # nothing to set elsewhere
            pass
        return

    def current():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('jit'), current_setting('work_mem')")
            return cursor.fetchone()

    before = current()
    with sources.server_settings("default", jit="off", work_mem="48MB"):
        assert current() == ("off", "48MB")
    assert current() == before  # the test's own transaction keeps its settings


def test_person_times_without_a_course_are_days_netted_exactly(world):
    day, next_day = dt.date(2025, 3, 1), dt.date(2025, 3, 2)
    ledger(world.colleague, TrainingKind.IN_SERVICE, "2", day=day)
    ledger(world.colleague, TrainingKind.IN_SERVICE, "1.5", day=day)  # the same day: one person-time
    ledger(world.colleague, TrainingKind.IN_SERVICE, "1", day=next_day)  # another day: another
    for hours in ("0.1", "0.2", "-0.3"):  # nets to exactly nothing
        ledger(world.director, TrainingKind.DIRECTOR, hours, day=day)
    table = statistics.indicator_table(None, "training_person_times", region=world.city, by="county", year=2025, on=ON)
    a = rows(table)["530302"]
    assert (a["person_times"], a["hours"], a["care"], a["director"]) == (2, 4.5, 2, 0)
