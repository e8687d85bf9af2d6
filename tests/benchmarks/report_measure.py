"""The timed side of the reports benchmark, run in a subprocess on the clone of the province-scale dataset:
``python -m tests.benchmarks.report_measure N`` (DJANGO_SETTINGS_MODULE=tests.benchmarks.bench_settings, DATABASE_URL
of the clone) prints a JSON object with the runs' seconds, their medians and where the product's figures differ
from the SQL floor's (see ``test_reports``).
"""

from __future__ import annotations

import json
import os
import sys
import time

from tests.benchmarks.report_db import ADMIN, AS_OF, PROVINCE, YEAR

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


# Training person-times (人次) of the year up to the date in one statement, for the figures' check and as the
# training table's floor: the ledger summed per training event (a course, or a day without one) of the people
# employed in the province that year, and the events with positive net hours counted.
TRAINING_SQL = """
SELECT count(*) FROM (
  SELECT h.person_id, h.kind, h.course_id, CASE WHEN h.course_id IS NULL THEN h.occurred_on END AS day,
         sum(h.hours) AS net
  FROM learning_hoursentry h
  WHERE h.year = %(year)s AND h.occurred_on <= %(d)s AND h.person_id IN (
    SELECT e.person_id FROM registry_employment e
    JOIN registry_institution i ON i.id = e.institution_id JOIN registry_region r ON r.id = i.region_id
    WHERE r.code LIKE %(prefix)s AND e.start_date <= %(d)s AND (e.end_date IS NULL OR e.end_date >= %(jan1)s))
  GROUP BY 1, 2, 3, 4
) events WHERE net > 0
"""


def training_floor() -> int:
    """The province's training person-times of :data:`YEAR` up to :data:`AS_OF` (``TRAINING_SQL``, server
    settings)."""
    from datetime import date

    from django.db import connection

    with connection.cursor() as cursor:
        params = {"prefix": PROVINCE[:2] + "%", "d": AS_OF, "year": YEAR, "jan1": date(YEAR, 1, 1)}
        cursor.execute(TRAINING_SQL, params)
        return cursor.fetchone()[0]


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
    """Median seconds of the SQL floor, indicator_table by county and by institution, to_xlsx of the
    institution table, the training person-times by county and their SQL count, run in turns ``repeats`` times
    after one untimed warm-up round; the figures compared."""
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

    def training():
        return reports.indicator_table(user, "training_person_times", region=province, by="county", year=YEAR, on=AS_OF)

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
        "training_floor": training_floor,
        "training": training,
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
    person_times = int(results["training"].frame["person_times"].sum())
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), current_setting('work_mem'), version()")
        jit, work_mem, version = cursor.fetchone()
    return {
        "times": times,
        "medians": {name: statistics.median(t) for name, t in times.items()},
        "rows": {
            "county": len(county),
            "institution": len(institution),
            "xlsx_bytes": len(results["xlsx"]),
            "training": len(results["training"].frame),
        },
        "person_times": {"product": person_times, "sql": results["training_floor"]},
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
    json.dump(measure(int(sys.argv[1]), bool(os.environ.get("BENCH_PROFILE"))), sys.stdout)
