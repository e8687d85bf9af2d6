"""The province-scale dataset of the reports benchmark, written straight into PostgreSQL (issue 6).

≈ 200,000 staff of 30,000 childcare institutions in all 16 prefectures and 129 counties of 云南省 (GB/T 2260
codes; townships get 9-digit codes in GB/T 10114 style, as in ``lms.registry.demo_data``), ≈ 500,000
certificates of the three kinds, 3,000,000 training-hour ledger entries and ≈ 280,000 health checks.
Everything is a pure function of the row numbers and of :data:`AS_OF` (a fixed date): the same database
comes out of every build. The regions, providers and institutions are drawn in Python (``random.Random``
with a fixed seed, the registry demo's name tables) and COPYed in; people, employments, certificates,
ledger entries and health checks are computed by ``INSERT … SELECT`` over ``generate_series`` inside the
server from ``hashint8extended`` of the row number (``report_sql``; no rows travel through Python). The large tables'
secondary indexes and constraints are dropped for the load and recreated after it (re-adding the foreign
keys checks the data), then everything is ``VACUUM ANALYZE``d.

Built once per generator version into a template database (``report_template.ensure_database``; a few minutes); each run
clones it (``CREATE DATABASE … TEMPLATE``, seconds) and migrates the clone, so the reports app's own tables
and configuration always come from the working tree's migrations (every other app is migrated in the
template; migrations added to them later are applied to each clone).

What the data holds on :data:`AS_OF` (the edge cases a 持证上岗率 must get right):

* employments: one current spell per staff member (a director first in every institution, then caregivers,
  health-care staff and other posts); 2 % start after the date, 1 % on it, 4 % end later (fixed term), 1 % end
  on the date, 3 % ended last month; 15 % have an earlier spell elsewhere, 1 % a second concurrent post at a
  neighbouring institution (sometimes in the next county); 45,000-odd former staff and trainees with ended or
  no employment;
* certificates: per institution a share of holders (county base 45-90 % ± 15 %), one to five certificates
  each (the first a training or skill certificate); 3 % revoked and 2 % suspended, half of them after the
  date (valid then), 1.5 % issued after the date; training certificates expire on 31 March one to four years
  after issue (most old ones have expired); others hold only an award or an expired training certificate;
* ledger entries for 2022-2026 (90 % of current staff), all seven training kinds.

People's ID numbers are not real: every row carries the same valid encrypted token (so decrypting works),
a made-up hash and a masked number with the institution's county code.

``python -m tests.benchmarks.report_db generate`` (DJANGO_SETTINGS_MODULE=tests.benchmarks.bench_settings,
DATABASE_URL of a migrated empty database) writes the data; ``python -m tests.benchmarks.report_measure N``
(DATABASE_URL of the clone) times the SQL floor and the product's tables (``test_reports``). ``BENCH_REPORT_SCALE``
(1.0) scales every count (0.02 for a smoke run).
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from datetime import date, datetime
from datetime import time as dt_time
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.benchmarks import report_sql as sql
from tests.benchmarks.report_sql import PROVIDERS, escaped

ROOT = Path(__file__).resolve().parents[2]
SCALE = float(os.environ.get("BENCH_REPORT_SCALE", "1.0"))
AS_OF = date(2026, 10, 31)  # the report date every figure is computed on
YEAR = AS_OF.year
SEED = 530000
INSTITUTIONS = round(30_000 * SCALE)
STAFF = round(200_000 * SCALE)  # current employments (≈ 97 % of them on duty on AS_OF)
FORMER = round(45_000 * SCALE)  # former staff and trainees without a current employment
HOURS = round(3_000_000 * SCALE)
ADMIN = "bench-reports-admin"
PROVINCE = "530000"
FRESH_APPS = "reports"  # apps (by module prefix) migrated on each clone, not in the template

TEMPLATE_PREFIX = "tuoyu_bench_reports_tpl"


# ---- Python-side rows: regions, providers, institutions ----------------------------------------------------


def _regions(rng: random.Random) -> tuple[list[tuple], list[dict]]:
    """(region rows (id, code, name, level, parent_id), counties: dict(code, name, city_short, weight, townships))."""
    from lms.registry import demo_data as data

    rows = [(1, data.PROVINCE[0], data.PROVINCE[1], 1, None)]
    cities = [(*data.QUJING, [(c, n, w, t) for c, n, w, t in data.QUJING_COUNTIES])]
    for c_code, c_name, short, counties in data.OTHER_CITIES:
        weight = 16 if c_code == "530100" else 9  # Kunming's districts are the most populous
        cities.append((c_code, c_name, short, [(cc, cn, rng.uniform(weight / 2, weight * 1.5),
                                               data.synthetic_townships(rng, cn)) for cc, cn in counties]))  # fmt: skip
    cities.sort(key=lambda c: c[0])
    counties: list[dict] = []
    for c_code, c_name, short, county_rows in cities:
        city_id = len(rows) + 1
        rows.append((city_id, c_code, c_name, 2, 1))
        for cc, cn, weight, townships in county_rows:
            county_id = len(rows) + 1
            rows.append((county_id, cc, cn, 3, city_id))
            county = {"id": county_id, "code": cc, "name": cn, "city": short, "weight": weight, "townships": []}
            serial = {"街道": 0, "镇": 100, "乡": 200}
            for tname in townships:
                suffix = "街道" if tname.endswith("街道") else tname[-1]
                serial[suffix] += 1
                township = (len(rows) + 1, f"{cc}{serial[suffix]:03d}", tname, 4, county_id)
                rows.append(township)
                county["townships"].append(township)
            counties.append(county)
    return rows, counties


def _credit_code(prefix: str, county_code: str, n: int) -> str:
    """A well-formed 统一社会信用代码, unique by ``n``."""
    from lms.registry.demo import USCC_CHARS
    from lms.registry.validators import org_code_check_char, uscc_check_char

    body = "MA"
    for _ in range(6):
        n, digit = divmod(n, len(USCC_CHARS))
        body += USCC_CHARS[digit]
    first17 = prefix + county_code + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


def _providers(rng: random.Random, counties: list[dict]) -> list[tuple]:
    rows = []
    for n in range(1, PROVIDERS + 1):
        county = rng.choice(counties)
        kind = "assessment" if n % 5 == 0 else "training"
        name = (
            f"{county['city']}{county['name']}{'职业技能评价中心' if kind == 'assessment' else '托育职业培训学校'}{n}"
        )
        rows.append((n, name[:120], kind, f"B{n:03d}", _credit_code("52", county["code"], 10**8 + n), county["id"]))
    return rows


def _institutions(rng: random.Random, counties: list[dict]) -> tuple[list[tuple], list[tuple]]:
    """(institution rows, staging rows (id, county code, first person id, staff, certified share ‰)).

    Institutions are numbered county by county, so neighbours by id mostly share a county."""
    from lms.registry import demo_data as data

    kinds, weights = list(data.KIND_WEIGHTS), list(data.KIND_WEIGHTS.values())
    total_weight = sum(c["weight"] for c in counties)
    shares = [max(1, round(INSTITUTIONS * c["weight"] / total_weight)) for c in counties]
    shares[-1] += INSTITUTIONS - sum(shares)
    drafts = []
    for county, share in zip(counties, shares, strict=True):
        base = rng.uniform(450, 900)  # the county's share of certified staff, per mille
        townships = county["townships"]
        tw = [2 if t[2].endswith("街道") else 1 for t in townships]
        for i in range(share):
            kind = "public" if i == 0 else rng.choices(kinds, weights=weights)[0]
            township = townships[0] if i == 0 else rng.choices(townships, tw)[0]
            low, high, step = data.CAPACITY[kind]
            capacity = rng.randrange(low, high + 1, step)
            name = data.institution_name(rng, county["city"], county["name"], township[2], kind, i == 0)
            staff_weight = 1 + capacity / 7 * rng.uniform(0.7, 1.3)
            certified = min(1000, max(0, round(base + rng.uniform(-150, 150))))
            drafts.append((county, township, kind, capacity, name, staff_weight, certified))
    scale = (STAFF - len(drafts)) / sum(d[5] - 1 for d in drafts)
    rows, staging, person = [], [], 1
    for n, (county, township, kind, capacity, name, weight, certified) in enumerate(drafts, start=1):
        staff = 1 + round((weight - 1) * scale)
        registration = data.REGISTRATION.get(kind) or rng.choice(["12", "52"])
        filing = rng.choices(["not_filed", "pending", "filed"], weights=[12, 8, 80])[0]
        filed_on = date.fromordinal(AS_OF.toordinal() - rng.randint(30, 1800)) if filing == "filed" else None
        address = f"云南省{county['city']}{county['name']}{township[2]}{rng.choice(data.ROADS)}{rng.randint(1, 399)}号"
        rows.append((n, name[:120], _credit_code(registration, county["code"], n), kind, address[:200], capacity,
                     filing, filed_on, township[0]))  # fmt: skip
        staging.append((n, county["code"], person, staff, certified))
        person += staff
    return rows, staging


BIG_TABLES = ("registry_person", "registry_employment", "registry_healthcheck", "certificates_certificate",
              "learning_hoursentry")  # fmt: skip
ALL_TABLES = ("registry_region", "registry_trainingprovider", "registry_institution", *BIG_TABLES)


def _copy(cursor, table: str, columns: str, rows: list[tuple]) -> None:
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _without_secondary_indexes(cursor, tables) -> list[str]:
    """Drop the tables' constraints (but primary keys) and other indexes; returns the statements that restore
    them, foreign keys last (their validation checks every reference)."""
    cursor.execute(
        """SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) FROM pg_constraint
           WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'c', 'f') ORDER BY contype <> 'f', conname""",
        [list(tables)],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index
           WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary
             AND indexrelid NOT IN (SELECT conindid FROM pg_constraint WHERE contype IN ('u', 'p', 'x'))
           ORDER BY 1""",
        [list(tables)],
    )
    indexes = cursor.fetchall()
    restore = [definition for _name, definition in indexes]
    restore += [
        f'ALTER TABLE {t} ADD CONSTRAINT "{name}" {definition}' for t, name, _kind, definition in reversed(constraints)
    ]
    for table, name, _kind, _sql in constraints:  # foreign keys first
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _sql in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return restore


def generate(log=print) -> dict:
    """Write the dataset into the (migrated, empty) database of the current Django settings."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from certificates.models import CertificateType
    from lms.registry import crypto
    from lms.registry import demo_data as data

    start = time.perf_counter()
    rng = random.Random(SEED)
    regions, counties = _regions(rng)
    providers = _providers(rng, counties)
    institutions, staging = _institutions(rng, counties)
    staff = sum(s[3] for s in staging)
    types = [
        CertificateType.objects.filter(kind=k).order_by("id").values_list("id", flat=True).first() for k in (1, 2, 3)
    ]
    assert all(types), f"certificate types missing: {types}"
    get_user_model().objects.create_user(ADMIN, password="x-Bench-123", is_superuser=True, is_staff=True)
    surnames = [s for s, w in data.SURNAMES for _ in range(w)]
    params = {
        "d": AS_OF, "year": YEAR, "ts": datetime.combine(AS_OF, dt_time(9), tzinfo=ZoneInfo("Asia/Shanghai")),
        "staff": staff, "former": FORMER, "hours": HOURS,
        "institutions": len(institutions), "counties": [c["code"] for c in counties], "surnames": surnames,
        "given": data.GIVEN_FEMALE + data.GIVEN_COMMON, "token": crypto.encrypt("530302199001010000"),
        "types": types,
    }  # fmt: skip
    timings = {}

    def step(name, statement):
        t0 = time.perf_counter()
        cursor.execute(escaped(statement), params)
        timings[name] = round(time.perf_counter() - t0, 1)
        log(f"  {name}: {cursor.rowcount} rows, {timings[name]} s")

    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET jit = off")  # compiling these expressions costs more than running them
        restore = _without_secondary_indexes(cursor, BIG_TABLES)
        _copy(cursor, "registry_region", "id, code, name, level, parent_id", regions)
        _copy(cursor, "registry_trainingprovider", "id, name, kind, body_code, credit_code, region_id", providers)
        columns = "id, name, credit_code, kind, address, capacity, filing_status, filed_on, region_id"
        _copy(cursor, "registry_institution", columns, institutions)
        cursor.execute(
            "CREATE TEMP TABLE bench_inst (id bigint, county text, first_person bigint, n int, certified int)"
        )
        _copy(cursor, "bench_inst", "id, county, first_person, n, certified", staging)
        cursor.execute(
            "INSERT INTO certificates_signingkey (kid, public_key, sealed_private_key, status, created_at) "
            "VALUES ('bench-reports', %s, %s, 'rotated', %s) RETURNING id",
            [bytes(32), b"", params["ts"]],
        )
        params["key"] = cursor.fetchone()[0]
        step("staging", sql.STAGING_SQL)
        cursor.execute("ALTER TABLE bench_person ADD PRIMARY KEY (p)")
        cursor.execute("ANALYZE bench_person")
        step("people", sql.PERSON_SQL)
        step("employments", sql.EMPLOYMENT_SQL)
        step("health checks", sql.HEALTH_SQL)
        step("certificates", sql.CERTIFICATE_SQL)
        step("ledger", sql.HOURS_SQL)
        t0 = time.perf_counter()
        for statement in restore:
            cursor.execute(statement)
        timings["indexes and constraints"] = round(time.perf_counter() - t0, 1)
        log(f"  indexes and constraints: {len(restore)} statements, {timings['indexes and constraints']} s")
        for table in ALL_TABLES:  # identity columns continue after the explicit ids
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608
        counts = {}
        for table in ALL_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    timings["vacuum analyze"] = round(time.perf_counter() - t0, 1)
    timings["total"] = round(time.perf_counter() - start, 1)
    return {"counts": counts, "timings": timings, "staff": staff}


# ---- The command line (run in the template's database by ``report_template.ensure_database``) --------


def migrate_template() -> None:
    """Migrate every app except the reports apps (whose migrations are applied to each clone)."""
    from django.apps import apps
    from django.core.management import call_command

    for config in apps.get_app_configs():
        if not config.name.startswith(FRESH_APPS) and os.path.isdir(os.path.join(config.path, "migrations")):
            call_command("migrate", config.label, verbosity=0)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.benchmarks.bench_settings")
    import django

    django.setup()
    if sys.argv[1:] == ["migrate-template"]:
        migrate_template()
    elif sys.argv[1:] == ["generate"]:
        json.dump(generate(log=lambda msg: print(msg, file=sys.stderr)), sys.stdout)
    else:
        raise SystemExit(__doc__)
