"""The province-scale dataset of the reports benchmark, written straight into PostgreSQL (issue 6).

≈ 200,000 staff of 30,000 childcare institutions in all 16 prefectures and 129 counties of 云南省 (GB/T 2260
codes; townships get 9-digit codes in GB/T 10114 style, as in ``lms.registry.demo_data``), ≈ 500,000
certificates of the three kinds, 3,000,000 training-hour ledger entries and ≈ 280,000 health checks.
Everything is a pure function of the row numbers and of :data:`AS_OF` (a fixed date): the same database
comes out of every build. The regions, providers and institutions are drawn in Python (``random.Random``
with a fixed seed, the registry demo's name tables) and COPYed in; people, employments, certificates,
ledger entries and health checks are computed by ``INSERT … SELECT`` over ``generate_series`` inside the
server from ``hashint8extended`` of the row number (no rows travel through Python). The large tables'
secondary indexes and constraints are dropped for the load and recreated after it (re-adding the foreign
keys checks the data), then everything is ``VACUUM ANALYZE``d.

Built once per generator version into a template database (:func:`ensure_database`; a few minutes); each run
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
DATABASE_URL of a migrated empty database) writes the data; ``python -m tests.benchmarks.report_db measure N``
(DATABASE_URL of the clone) times the SQL floor and the product's tables (``test_reports``). ``BENCH_REPORT_SCALE``
(1.0) scales every count (0.02 for a smoke run).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import random
import re
import subprocess
import sys
import time
from datetime import date, datetime
from datetime import time as dt_time
from pathlib import Path
from urllib.parse import urlparse, urlunparse
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
SCALE = float(os.environ.get("BENCH_REPORT_SCALE", "1.0"))
AS_OF = date(2026, 10, 31)  # the report date every figure is computed on
YEAR = AS_OF.year
SEED = 530000
INSTITUTIONS = round(30_000 * SCALE)
STAFF = round(200_000 * SCALE)  # current employments (≈ 97 % of them on duty on AS_OF)
FORMER = round(45_000 * SCALE)  # former staff and trainees without a current employment
HOURS = round(3_000_000 * SCALE)
PROVIDERS = 40
ADMIN = "bench-reports-admin"
PROVINCE = "530000"
FRESH_APPS = "reports"  # apps (by module prefix) migrated on each clone, not in the template

TEMPLATE_PREFIX = "tuoyu_bench_reports_tpl"


def _h(x: str, salt: int) -> str:
    """SQL: a deterministic pseudo-random integer in [0, 2^30) from the bigint expression ``x`` and a salt."""
    return f"(hashint8extended(({x})::bigint, {salt}) & 1073741823)::int"


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


# ---- SQL: people, employments, health checks, certificates, ledger -----------------------------------------

H = _h


def _post(x: str, salt: int) -> str:
    """SQL: the post of a staff member other than the director (12 % health care, 18 % other, the rest caregivers)."""
    h = H(x, salt)
    return f"CASE WHEN {h} % 100 < 12 THEN 'health' WHEN {h} % 100 < 30 THEN 'other' ELSE 'caregiver' END"


STAGING_SQL = f"""
CREATE TEMP TABLE bench_person AS
SELECT i.first_person + k AS p, i.id AS inst, k, i.county, i.certified,
       CASE WHEN k = 0 THEN 'director' ELSE {_post("i.first_person + k", 1)} END AS post
FROM bench_inst i CROSS JOIN LATERAL generate_series(0, i.n - 1) k
UNION ALL
SELECT p, NULL, NULL, (%(counties)s::text[])[1 + {H("p", 2)} % cardinality(%(counties)s::text[])], 450, {_post("p", 1)}
FROM generate_series(%(staff)s + 1, %(staff)s + %(former)s) p
"""  # noqa: S608 - built from constants

PERSON_SQL = f"""
INSERT INTO registry_person (id, name, id_number_encrypted, id_number_hash, id_number_masked, birth_date, gender,
                             phone_encrypted, phone_masked, photo, created_at, updated_at, user_id)
SELECT p,
       (%(surnames)s::text[])[1 + {H("p", 3)} % cardinality(%(surnames)s::text[])]
         || CASE WHEN {H("p", 4)} % 10 < 3 THEN ''
                 ELSE substr(%(given)s::text, 1 + {H("p", 5)} % length(%(given)s::text), 1) END
         || substr(%(given)s::text, 1 + {H("p", 6)} % length(%(given)s::text), 1),
       %(token)s,
       encode(sha256(convert_to('bench-person:' || p, 'UTF8')), 'hex'),
       county || '********' || lpad(({H("p", 7)} % 10000)::text, 4, '0'),
       %(d)s::date - (21 * 365 + {H("p", 8)} % (35 * 365)),
       CASE WHEN {H("p", 9)} % 100 < 92 THEN 'F' ELSE 'M' END,
       '', '', '', %(ts)s, %(ts)s, NULL
FROM bench_person
"""  # noqa: S608 - built from constants

EMPLOYMENT_SQL = f"""
INSERT INTO registry_employment (id, person_id, institution_id, post, start_date, end_date, created_at, updated_at)
SELECT id, person_id, institution_id, post, start_date, end_date, %(ts)s, %(ts)s FROM (
  -- the current spell: r < 20 starts after AS_OF, < 30 on it, < 70 fixed term, < 80 ends on AS_OF, < 110 left
  SELECT p * 4 AS id, p AS person_id, inst AS institution_id, post,
         CASE WHEN r < 20 THEN %(d)s::date + 1 + {H("p", 11)} % 60 WHEN r < 30 THEN %(d)s::date
              ELSE %(d)s::date - 30 - {H("p", 11)} % 2900 END AS start_date,
         CASE WHEN r < 30 OR r >= 110 THEN NULL WHEN r < 70 THEN %(d)s::date + {H("p", 12)} % 400
              WHEN r < 80 THEN %(d)s::date ELSE %(d)s::date - 1 - {H("p", 12)} % 25 END AS end_date
  FROM (SELECT *, {H("p", 10)} % 1000 AS r FROM bench_person WHERE inst IS NOT NULL) s
  UNION ALL  -- 1 %: a second post at a neighbouring institution at the same time
  SELECT p * 4 + 1, p, (inst + {H("p", 14)} % 3) % %(institutions)s + 1, post,
         %(d)s::date - 10 - {H("p", 15)} % 1000, NULL
  FROM bench_person WHERE inst IS NOT NULL AND {H("p", 13)} % 100 = 0
  UNION ALL  -- 15 %: an earlier spell somewhere else, ended before the current one started
  SELECT p * 4 + 2, p, 1 + {H("p", 17)} % %(institutions)s, {_post("p", 18)},
         %(d)s::date - 3000 - {H("p", 19)} % 1500, %(d)s::date - 2950 - {H("p", 20)} % 40
  FROM bench_person WHERE inst IS NOT NULL AND {H("p", 16)} % 100 < 15
  UNION ALL  -- 80 % of the former staff: one ended spell
  SELECT p * 4 + 3, p, 1 + {H("p", 17)} % %(institutions)s, post,
         %(d)s::date - 2000 - {H("p", 19)} % 1500, %(d)s::date - 1 - {H("p", 20)} % 1900
  FROM bench_person WHERE inst IS NULL AND {H("p", 16)} % 100 < 80
) e
"""  # noqa: S608 - built from constants

HEALTH_SQL = f"""
INSERT INTO registry_healthcheck (id, person_id, checked_on, certificate_number, issued_by)
SELECT p * 2, p, %(d)s::date - {H("p", 21)} % 540, 'JK' || p, '' FROM bench_person WHERE inst IS NOT NULL
UNION ALL
SELECT p * 2 + 1, p, %(d)s::date - {H("p", 21)} % 540 - 365 - {H("p", 22)} % 60, 'JK' || p || '-1', ''
FROM bench_person WHERE inst IS NOT NULL AND {H("p", 23)} % 100 < 40
"""  # noqa: S608 - built from constants

# Per person: holders (certified share of the institution) get 1-5 certificates, the first a training or skill
# one; 30 % of the others one award or one long-expired training certificate.
CERTIFICATE_SQL = f"""
INSERT INTO certificates_certificate (
  id, type_id, holder_id, achievement_key, provider_id, occupation, level, number, status_index, signing_key_id,
  snapshot, digest, payload, issued_on, expires_on, status, revoked_at, revocation_reason, revocation_note,
  suspended_at, suspension_reason, suspension_note, renewed_at, photo, pdf, pdf_sha256, issued_by_id, created_at)
SELECT c, (%(types)s::bigint[])[kind], p, 'bench:' || c,
       CASE WHEN kind = 3 THEN NULL ELSE 1 + {H("c", 40)} % {PROVIDERS} END,
       CASE WHEN kind = 2 THEN (CASE WHEN {H("c", 41)} % 10 < 6 THEN 'childcare_worker' ELSE 'infant_carer' END)
            WHEN kind = 3 OR post IN ('caregiver', 'other') THEN 'childcare_worker'
            WHEN post = 'health' THEN 'health_care' ELSE 'director' END,
       CASE WHEN kind = 2 THEN 5 - j % 3 ELSE 0 END,
       'B' || kind || lpad(c::text, 12, '0'), c, %(key)s, '{{}}'::jsonb, left(md5(c::text), 32), '',
       issued_on,
       CASE WHEN kind <> 1 THEN NULL
            ELSE make_date(extract(year FROM issued_on)::int + 1 + (CASE WHEN holder THEN {H("c", 42)} % 4 ELSE 0 END),
                           3, 31) END,
       status,
       CASE WHEN status = 'revoked' THEN at END, CASE WHEN status = 'revoked' THEN 'error' ELSE '' END, '',
       CASE WHEN status = 'suspended' THEN at END, CASE WHEN status = 'suspended' THEN 'fraud' ELSE '' END, '',
       NULL, '', '', '', NULL, (issued_on + time '10:00') AT TIME ZONE 'Asia/Shanghai'
FROM (
  SELECT *,
         ((CASE WHEN {H("c", 45)} % 2 = 0 THEN %(d)s::date - 1 - {H("c", 46)} % 200
                ELSE %(d)s::date + 1 + {H("c", 46)} % 200 END) + time '15:00') AT TIME ZONE 'Asia/Shanghai' AS at
  FROM (
    SELECT *,
           CASE WHEN s < 30 THEN 'revoked' WHEN s < 50 THEN 'suspended' ELSE 'valid' END AS status,
           CASE WHEN NOT holder THEN %(d)s::date - 800 - {H("c", 44)} % 2000
                WHEN {H("c", 44)} % 1000 < 15 THEN %(d)s::date + 1 + {H("c", 47)} % 90
                ELSE %(d)s::date - {H("c", 47)} % 3000 END AS issued_on
    FROM (
      SELECT bp.p, bp.post, bp.holder, j, bp.p * 8 + j AS c, {H("bp.p * 8 + j", 43)} % 1000 AS s,
             CASE WHEN NOT bp.holder THEN (CASE WHEN {H("bp.p", 33)} % 2 = 0 THEN 3 ELSE 1 END)
                  WHEN j = 0 THEN (CASE WHEN {H("bp.p", 34)} % 10 < 6 THEN 1 ELSE 2 END)
                  WHEN {H("bp.p * 8 + j", 35)} % 10 < 5 THEN 1 WHEN {H("bp.p * 8 + j", 35)} % 10 < 9 THEN 2
                  ELSE 3 END AS kind
      FROM (SELECT p, post, {H("p", 30)} % 1000 < certified AS holder FROM bench_person) bp
      CROSS JOIN LATERAL generate_series(0, CASE WHEN bp.holder THEN {H("bp.p", 31)} % 5
                                                 WHEN {H("bp.p", 32)} % 10 < 3 THEN 0 ELSE -1 END) j
    ) a
  ) b
) x
"""  # noqa: S608 - built from constants

KINDS = (  # training kind, cumulative per cent
    ("in_service", 45), ("pre_job", 60), ("skill_upgrade", 75), ("health_care", 85), ("director", 93),
    ("transfer", 97), ("entrepreneurship", 100),
)  # fmt: skip
HOURS_SQL = f"""
INSERT INTO learning_hoursentry (id, person_id, year, occurred_on, kind, source, hours, course_id, key, note,
                                 created_by_id, created_at)
SELECT i, p, year, occurred_on,
       CASE {" ".join(f"WHEN {H('i', 54)} % 100 < {pct} THEN '{kind}'" for kind, pct in KINDS[:-1])}
            ELSE '{KINDS[-1][0]}' END,
       CASE WHEN {H("i", 55)} % 100 < 70 THEN 'online' WHEN {H("i", 55)} % 100 < 95 THEN 'classroom'
            ELSE 'manual' END,
       ((1 + {H("i", 56)} % 16) / 2.0)::numeric(6, 1), NULL, 'bench:' || i, '', NULL,
       (occurred_on + time '12:00') AT TIME ZONE 'Asia/Shanghai'
FROM (
  SELECT i, p, year,
         make_date(year, 1, 1) + {H("i", 53)} % (CASE WHEN year = %(year)s
                                                       THEN %(d)s::date - make_date(year, 1, 1) + 1 ELSE 365 END)
           AS occurred_on
  FROM (
    SELECT i, CASE WHEN {H("i", 50)} % 10 < 9 THEN 1 + {H("i", 51)} % %(staff)s
                   ELSE %(staff)s + 1 + {H("i", 51)} % %(former)s END AS p,
           %(year)s - 4 + {H("i", 52)} % 5 AS year
    FROM generate_series(1, %(hours)s) i
  ) a
) b
"""  # noqa: S608 - built from constants

BIG_TABLES = ("registry_person", "registry_employment", "registry_healthcheck", "certificates_certificate",
              "learning_hoursentry")  # fmt: skip
ALL_TABLES = ("registry_region", "registry_trainingprovider", "registry_institution", *BIG_TABLES)


def _escaped(sql: str) -> str:
    """The SQL above writes ``%`` for modulo; psycopg wants ``%%`` next to ``%(name)s`` parameters."""
    return re.sub(r"%%\((\w+)\)s", r"%(\1)s", sql.replace("%", "%%"))


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
    restore = [sql for _name, sql in indexes]
    restore += [f'ALTER TABLE {t} ADD CONSTRAINT "{name}" {sql}' for t, name, kind, sql in reversed(constraints)]
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

    def step(name, sql):
        t0 = time.perf_counter()
        cursor.execute(_escaped(sql), params)
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
        step("staging", STAGING_SQL)
        cursor.execute("ALTER TABLE bench_person ADD PRIMARY KEY (p)")
        cursor.execute("ANALYZE bench_person")
        step("people", PERSON_SQL)
        step("employments", EMPLOYMENT_SQL)
        step("health checks", HEALTH_SQL)
        step("certificates", CERTIFICATE_SQL)
        step("ledger", HOURS_SQL)
        t0 = time.perf_counter()
        for sql in restore:
            cursor.execute(sql)
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


# ---- Databases: the template and the clone each run measures ---------------------------------------------


def generator_version() -> str:
    """Changes whenever the generator's code or the scale does: the template database is keyed by it."""
    source = inspect.getsource(sys.modules[__name__])
    generator = source[source.index("def _h(") : source.index("# ---- Databases")]
    return hashlib.sha256(f"{generator}|{SCALE}|{AS_OF}".encode()).hexdigest()[:10]


def _url_with(database_url: str, name: str) -> str:
    return urlunparse(urlparse(database_url)._replace(path=f"/{name}"))


def _admin(database_url: str, own: bool = False):
    """An autocommit connection to the server's ``postgres`` database (or to ``database_url``'s own with ``own``)."""
    import psycopg

    url = urlparse(database_url)
    return psycopg.connect(host=url.hostname or "127.0.0.1", port=url.port or 5432, user=url.username or "postgres",
                           password=url.password or None, dbname=url.path.lstrip("/") if own else "postgres",
                           autocommit=True)  # fmt: skip


def _databases(admin) -> set[str]:
    return {name for (name,) in admin.execute("SELECT datname FROM pg_database")}


def _drop(admin, name: str) -> None:
    if name in _databases(admin):
        admin.execute(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE false ALLOW_CONNECTIONS true')
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _run(*args: str, env: dict, timeout: float = 1800) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
    return done.stdout


def subprocess_env(database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="tests.benchmarks.bench_settings",
               PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1", BENCH_REPORT_SCALE=str(SCALE))  # fmt: skip
    return env


def migrate_template() -> None:
    """Migrate every app except the reports apps (whose migrations are applied to each clone)."""
    from django.apps import apps
    from django.core.management import call_command

    for config in apps.get_app_configs():
        if not config.name.startswith(FRESH_APPS) and os.path.isdir(os.path.join(config.path, "migrations")):
            call_command("migrate", config.label, verbosity=0)


def ensure_database(database_url: str, log=print) -> dict:
    """A fresh copy of the dataset at ``database_url``, fully migrated: cloned from the template database of this
    generator version (built first if missing, and older versions' templates dropped). Returns what it did."""
    name = urlparse(database_url).path.lstrip("/")
    family = f"{TEMPLATE_PREFIX}_s{SCALE:g}_".replace(".", "p")  # one template per scale
    template = family + generator_version()
    info = {"template": template, "built": None}
    with _admin(database_url) as admin:
        if template not in _databases(admin):
            for old in sorted(n for n in _databases(admin) if n.startswith(family)):
                log(f"dropping {old} (another generator version)")
                _drop(admin, old)
            building = f"{template}_building"
            _drop(admin, building)
            admin.execute(f'CREATE DATABASE "{building}"')
            env = subprocess_env(_url_with(database_url, building))
            log(f"building {template}: migrate all apps but {FRESH_APPS}* …")
            t0 = time.perf_counter()
            _run(sys.executable, "-m", "tests.benchmarks.report_db", "migrate-template", env=env)
            migrate_s = time.perf_counter() - t0
            log("generating the dataset …")
            info["built"] = json.loads(_run(sys.executable, "-m", "tests.benchmarks.report_db", "generate", env=env))
            info["built"]["timings"]["migrate"] = round(migrate_s, 1)
            admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
            admin.execute(f'ALTER DATABASE "{template}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false')
        t0 = time.perf_counter()
        _drop(admin, name)
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        info["clone_s"] = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    _run(sys.executable, "manage.py", "migrate", "-v0", env=subprocess_env(database_url))
    with _admin(database_url, own=True) as clone:
        clone.execute("ANALYZE")  # the tables the migrations just created and filled (configuration)
    info["migrate_s"] = round(time.perf_counter() - t0, 1)
    return info


# ---- Measuring: the SQL floor and the product's tables, in the clone ---------------------------------------

# 持证上岗率 by county and by institution in one statement: on-duty staff in qualifying posts, each person once per
# unit, certified when they hold a qualifying certificate valid on the date (issued by then, not expired, valid, or
# revoked/suspended after the day). The qualifying posts and certificate types are read from the reports app's
# configuration first, as the product does. The certificates are probed with a correlated EXISTS, which
# PostgreSQL runs as one hashed scan of the valid qualifying certificates.
FLOOR_SQL = """
WITH staff AS (
  SELECT e.institution_id, e.person_id, left(r.code, 6) AS county,
         EXISTS (SELECT 1 FROM certificates_certificate c
                 WHERE c.holder_id = e.person_id AND c.type_id = ANY(%(types)s)
                   AND c.issued_on <= %(d)s AND (c.expires_on IS NULL OR c.expires_on >= %(d)s)
                   AND (c.status = 'valid'
                        OR (c.status = 'revoked' AND c.revoked_at >= %(after)s
                            AND (c.suspended_at IS NULL OR c.suspended_at >= %(after)s))
                        OR (c.status = 'suspended' AND c.suspended_at >= %(after)s))) AS certified
  FROM registry_employment e
  JOIN registry_institution i ON i.id = e.institution_id
  JOIN registry_region r ON r.id = i.region_id
  WHERE r.code LIKE %(prefix)s AND e.post = ANY(%(posts)s)
    AND e.start_date <= %(d)s AND (e.end_date IS NULL OR e.end_date >= %(d)s)
)
SELECT county, institution_id, count(DISTINCT person_id), count(DISTINCT person_id) FILTER (WHERE certified)
FROM staff GROUP BY GROUPING SETS ((county), (institution_id))
"""


def floor(jit: bool = False) -> tuple[dict, dict]:
    """The SQL floor: ({county code: (staff, certified)}, {institution id: (staff, certified)}). Without ``jit``
    the statement runs with ``SET LOCAL jit = off``: compiling it costs more than it saves (the planner's cost
    estimate of the EXISTS passes the server's JIT thresholds)."""
    from django.db import connection, transaction

    from reports.selectors.sources import day_end

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(post) FROM reports_qualifyingpost")
        posts = cursor.fetchone()[0] or []
        cursor.execute("SELECT array_agg(certificate_type_id) FROM reports_qualifyingcertificatetype")
        types = cursor.fetchone()[0] or []
        if not jit:
            cursor.execute("SET LOCAL jit = off")
        params = {"prefix": PROVINCE[:2] + "%", "d": AS_OF, "after": day_end(AS_OF), "posts": posts, "types": types}
        cursor.execute(FLOOR_SQL, params)
        rows = cursor.fetchall()
    counties = {county: (staff, certified) for county, inst, staff, certified in rows if county is not None}
    institutions = {inst: (staff, certified) for county, inst, staff, certified in rows if inst is not None}
    return counties, institutions


def _figures(frame, key: str) -> dict:
    """{unit: (staff, certified, rate)} of a certified_rate table's frame, units with staff only."""
    rows = frame[frame["staff"] > 0]
    figures = zip(rows[key], rows["staff"], rows["certified"], rows["rate"], strict=True)
    return {(k if isinstance(k, str) else int(k)): (int(s), int(c), float(r)) for k, s, c, r in figures}


def _disagreements(product: dict, sql: dict, limit: int = 5) -> list[str]:
    """Where the product's figures differ from the floor's (counts exactly, rate to the displayed 0.01)."""
    out = []
    for unit in sorted(set(product) | set(sql), key=str):
        mine, theirs = product.get(unit), sql.get(unit)
        expected = theirs and (*theirs, round(100 * theirs[1] / theirs[0], 2))
        if mine is None or expected is None or mine[:2] != expected[:2] or abs(mine[2] - expected[2]) > 0.0051:
            out.append(f"{unit}: product {mine}, SQL {expected}")
    return out[:limit] + ([f"… {len(out) - limit} more"] if len(out) > limit else [])


def measure(repeats: int, profile: bool) -> dict:
    """Median seconds of the SQL floor, indicator_table by county and by institution, and to_xlsx of the
    institution table, run in turns ``repeats`` times after one untimed warm-up round; the figures compared."""
    import statistics

    from django.contrib.auth import get_user_model
    from django.db import connection

    from lms.registry.models import Institution, Region
    from reports.exports import to_xlsx
    from reports.selectors import statistics as reports

    user = get_user_model().objects.get(username=ADMIN)
    province = Region.objects.get(code=PROVINCE)

    def table(by: str):
        return reports.indicator_table(user, "certified_rate", region=province, by=by, year=YEAR, on=AS_OF)

    def tables():  # both levels from one load of the sources, where the reports app offers it
        levels = ["county", "institution"]
        return reports.indicator_tables(user, "certified_rate", region=province, levels=levels, year=YEAR, on=AS_OF)

    profiled = ""
    if profile:
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(lambda: (table("county"), table("institution")))
        out = io.StringIO()
        sort = os.environ.get("BENCH_PROFILE_SORT", "cumulative")
        pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(40)
        profiled = out.getvalue()
    steps = {
        "floor": floor,
        "floor_jit": lambda: floor(jit=True),
        "county": lambda: table("county"),
        "institution": lambda: table("institution"),
        "xlsx": lambda: to_xlsx([results["institution"]]),
    }
    if hasattr(reports, "indicator_tables"):
        steps["both"] = tables
    times: dict[str, list[float]] = {name: [] for name in steps}
    results: dict = {}
    for turn in range(repeats + 1):  # the first round warms caches, imports and the database's buffers
        for name, run in steps.items():
            start = time.perf_counter()
            results[name] = run()
            if turn:
                times[name].append(time.perf_counter() - start)
    assert results["floor_jit"] == results["floor"]
    county_sql, institution_sql = results["floor"]
    county, institution = results["county"].frame, results["institution"].frame
    if "both" in results:  # the same tables as one level at a time
        for by, frame in (("county", county), ("institution", institution)):
            assert results["both"][by].frame.equals(frame), f"indicator_tables differs from indicator_table by {by}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), current_setting('work_mem'), version()")
        jit, work_mem, version = cursor.fetchone()
    return {
        "times": times,
        "medians": {name: statistics.median(t) for name, t in times.items()},
        "rows": {"county": len(county), "institution": len(institution), "xlsx_bytes": len(results["xlsx"])},
        "institutions": Institution.objects.count(),
        "staff": int(county["staff"].sum()),
        "certified": int(county["certified"].sum()),
        "province_rate": round(100 * int(county["certified"].sum()) / max(1, int(county["staff"].sum())), 2),
        "floor_units": {"county": len(county_sql), "institution": len(institution_sql)},
        "disagree": {
            "county": _disagreements(_figures(county, "unit"), county_sql),
            "institution": _disagreements(_figures(institution, "unit"), institution_sql),
        },
        "postgres": {"jit": jit, "work_mem": work_mem, "version": version.split(" on ")[0]},
        "profile": profiled,
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.benchmarks.bench_settings")
    import django

    django.setup()
    if sys.argv[1:] == ["migrate-template"]:
        migrate_template()
    elif sys.argv[1:] == ["generate"]:
        json.dump(generate(log=lambda msg: print(msg, file=sys.stderr)), sys.stdout)
    elif sys.argv[1:2] == ["measure"]:
        json.dump(measure(int(sys.argv[2]), bool(os.environ.get("BENCH_PROFILE"))), sys.stdout)
    else:
        raise SystemExit(__doc__)
