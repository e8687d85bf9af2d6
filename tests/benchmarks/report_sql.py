"""The SQL that writes the bulk of the province-scale dataset (see ``report_db``): people, employments, health
checks, certificates and ledger entries, computed inside PostgreSQL by ``INSERT … SELECT`` over ``generate_series``
from ``hashint8extended`` of the row number. The templates write ``%`` for modulo; :func:`escaped` doubles it for
psycopg next to the ``%(name)s`` parameters that ``report_db.generate`` passes (the report date ``d``, its ``year``,
a timestamp ``ts``, the counts, the county codes, name tables, the encrypted ID token, the certificate type ids and
the signing key). ``bench_inst`` and ``bench_person`` are the staging tables ``generate`` fills first.
"""

from __future__ import annotations

import re

PROVIDERS = 40


def _h(x: str, salt: int) -> str:
    """SQL: a deterministic pseudo-random integer in [0, 2^30) from the bigint expression ``x`` and a salt."""
    return f"(hashint8extended(({x})::bigint, {salt}) & 1073741823)::int"


def escaped(sql: str) -> str:
    """The SQL above writes ``%`` for modulo; psycopg wants ``%%`` next to ``%(name)s`` parameters."""
    return re.sub(r"%%\((\w+)\)s", r"%(\1)s", sql.replace("%", "%%"))


H = _h  # short, for the templates below


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
