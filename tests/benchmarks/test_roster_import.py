"""Roster import of 10,000 rows (5 % bad) against a bare bulk insert of the same valid rows.

* import: ``services.roster_preview`` + ``services.roster_commit`` on the uploaded bytes (CSV or
  XLSX): parsing, validation, ID hashing and encryption, the database checks and the writes;
* bare: ``bulk_create`` of the same people (fields precomputed with ``services.people.id_fields``
  and ``phone_fields`` *outside* the timing), their employments and health checks.

Each is run ``BENCH_REPEATS`` times (default 5) from an empty registry; the table shows medians.
Target: the import within 3x of the bare insert.
"""

from __future__ import annotations

import csv
import io
import os
import statistics
import time
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from lms.registry import crypto, services
from lms.registry.models import Employment, HealthCheck, Institution, Person, Region, Role, RosterImport
from lms.registry.services.people import id_fields, phone_fields
from lms.registry.validators import id_check_char, org_code_check_char, parse_id_number, uscc_check_char

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db(transaction=True)]

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
TARGET_RATIO = 3.0
HEADER = ["姓名", "身份证号", "手机号", "岗位", "入职日期", "离职日期", "健康体检日期"]
POSTS = ["保育人员", "卫生保健人员", "负责人", "其他"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "秀英丽敏静芳娜玉兰华红梅霞燕萍"


def _id_number(n: int) -> str:
    born = date(1970, 1, 1) + timedelta(days=n % 10950)
    first17 = f"530302{born:%Y%m%d}{n // 10950:03d}"
    return first17 + id_check_char(first17)


def _rows(count: int) -> tuple[list[list[str]], int]:
    """Spreadsheet rows (strings) with 5 % bad rows spread through the file; returns (rows, bad)."""
    rows, bad = [], 0
    for i in range(count):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)] + GIVEN[(i // 7) % len(GIVEN)]
        row = [
            name,
            _id_number(i),
            f"139{i:08d}" if i % 3 else "",
            POSTS[i % 4],
            "2024-03-01",
            "",
            "2025-02-20" if i % 2 else "",
        ]
        if i % 20 == 19:  # 5 %: four kinds of bad row, in turn
            kind = (i // 20) % 4
            if kind == 0:
                row[1] = row[1][:17] + ("0" if row[1][17] != "0" else "1")  # wrong check digit
            elif kind == 1:
                row[3] = "厨师"  # unknown post
            elif kind == 2:
                row[5] = "2023-01-01"  # ends before it starts
            else:
                row[0], row[1] = rows[i - 1][0], rows[i - 1][1]  # the person of the row above, again
            bad += 1
        rows.append(row)
    return rows, bad


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    # A regular (not write-only) workbook, like Excel, WPS and our own template: it records the
    # sheet's <dimension>; without one, openpyxl's read-only reader scans the whole sheet first.
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _credit_code(region: str) -> str:
    org = "12345678"
    first17 = f"52{region}{org}{org_code_check_char(org)}"
    return first17 + uscc_check_char(first17)


@pytest.fixture
def world(transactional_db):
    province = Region.objects.create(code="530000", name="云南省", level=Region.Level.PROVINCE)
    city = Region.objects.create(code="530300", name="曲靖市", level=Region.Level.CITY, parent=province)
    county = Region.objects.create(code="530302", name="麒麟区", level=Region.Level.COUNTY, parent=city)
    institution = Institution.objects.create(
        name="基准测试托育中心", credit_code=_credit_code(county.code), kind=Institution.Kind.PUBLIC, region=county
    )
    admin = get_user_model().objects.create_user("bench-admin", password="x-Bench-123")
    services.role_grant(user=admin, role=Role.INSTITUTION_ADMIN, institution=institution)
    return institution, admin


def _empty_registry() -> None:
    HealthCheck.objects.all().delete()
    Employment.objects.all().delete()
    Person.objects.all().delete()
    RosterImport.objects.all().delete()


def _bare_objects(rows, institution):
    """What the import writes, built outside the timing: people, then employments and checks per person."""
    from lms.registry.staff_rows import POST_NAMES

    people, employments, checks = [], [], []
    for row in rows:
        ident = parse_id_number(row[1])
        people.append(Person(name=row[0], **id_fields(ident), **phone_fields(row[2])))
        employments.append(
            {"institution": institution, "post": POST_NAMES[row[3]], "start_date": date(2024, 3, 1), "end_date": None}
        )
        checks.append(date(2025, 2, 20) if row[6] else None)
    return people, employments, checks


def _bare_insert(people, employments, checks) -> None:
    fresh = [Person(**{f.attname: getattr(p, f.attname) for f in Person._meta.concrete_fields}) for p in people]
    Person.objects.bulk_create(fresh, batch_size=500)
    Employment.objects.bulk_create(
        [Employment(person_id=p.pk, **e) for p, e in zip(fresh, employments, strict=True)], batch_size=500
    )
    HealthCheck.objects.bulk_create(
        [HealthCheck(person_id=p.pk, checked_on=c) for p, c in zip(fresh, checks, strict=True) if c], batch_size=500
    )


def _interleaved_medians(runs: dict, repeats: int) -> dict[str, float]:
    """Median seconds of each run, from an empty registry; runs take turns so that load on the
    machine during the benchmark weighs on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            _empty_registry()
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def test_roster_import_10k_rows_within_3x_of_bare_bulk_insert(world):
    institution, admin = world
    rows, bad = _rows(ROWS)
    files = {"csv": ("花名册.csv", _csv(rows)), "xlsx": ("花名册.xlsx", _xlsx(rows))}
    valid = ROWS - bad

    def full_import(filename, data):
        roster = services.roster_preview(institution=institution, data=data, filename=filename, actor=admin)
        assert roster.error_rows == bad, roster.errors[:5]
        roster = services.roster_commit(roster_id=roster.pk, actor=admin)
        assert roster.created_count == valid

    # the bare insert writes exactly the rows the import accepts
    roster = services.roster_preview(institution=institution, data=files["csv"][1], filename="a.csv", actor=admin)
    bad_rows = {e["row"] for e in roster.errors}
    good = [r for n, r in enumerate(rows, start=2) if n not in bad_rows]
    assert len(good) == valid
    people, employments, checks = _bare_objects(good, institution)
    runs = {"bare": lambda: _bare_insert(people, employments, checks)}
    for fmt, (filename, data) in files.items():
        runs[fmt] = lambda filename=filename, data=data: full_import(filename, data)
    if os.environ.get("BENCH_PROFILE"):  # cProfile one run first, e.g. BENCH_PROFILE=xlsx
        import cProfile

        _empty_registry()
        cProfile.runctx("runs[os.environ['BENCH_PROFILE']]()", globals(), locals(), sort="cumtime")
    medians = _interleaved_medians(runs, REPEATS)
    bare = medians["bare"]
    assert Person.objects.count() == valid
    assert crypto.lookup_hash(_id_number(0)) in set(Person.objects.values_list("id_number_hash", flat=True))

    vendor = f"{connection.vendor} ({connection.settings_dict['NAME']})"
    lines = [
        f"Roster import benchmark: {ROWS} rows, {bad} bad, {valid} imported; median of {REPEATS}; {vendor}",
        f"{'file':<6}{'import s':>10}{'rows/s':>10}{'bare s':>10}{'bare rows/s':>13}{'ratio':>8}",
    ]
    ratios = {}
    for fmt in files:
        t = medians[fmt]
        ratios[fmt] = t / bare
        lines.append(f"{fmt:<6}{t:>10.3f}{ROWS / t:>10.0f}{bare:>10.3f}{valid / bare:>13.0f}{t / bare:>8.2f}")
    lines.append(f"target: import / bare <= {TARGET_RATIO}")
    print("\n".join(lines))
    over = {fmt: round(r, 2) for fmt, r in ratios.items() if r > TARGET_RATIO}
    assert not over, f"import slower than {TARGET_RATIO}x a bare bulk insert: {over}"
