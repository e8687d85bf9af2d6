"""The inputs of the indicator frames, loaded with one query per source and only the columns needed.

Each loader returns a DataFrame with the columns documented on the matching ``reports.frames`` function. Rows
come straight from the database cursor (``frame_from``): Django's per-row model/values machinery is skipped,
which matters at province scale (≈200k staff, 3M ledger rows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from itertools import chain

import numpy as np
import pandas as pd
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import Case, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, Round
from django.utils import timezone

from certificates.models import Certificate
from lms.learning.choices import TrainingKind
from lms.learning.models import AnnualHoursRequirement, CoursePage, HoursEntry
from lms.registry.models import Employment, HealthCheck, Post, Region
from lms.registry.selectors import on_duty_q

from .. import frames
from ..models import ChildCount, QualifyingCertificateType, QualifyingPost, StaffRatio


def frame_from(queryset: QuerySet, columns: list[str], *, ordered: bool = False, ints: bool = False) -> pd.DataFrame:
    """The rows of a ``values_list`` queryset as a DataFrame, read from the cursor in one go.

    Unless ``ordered``, the model's default ordering is dropped (``Employment``'s would join people and sort by
    name). ``ints``: every column is a non-null integer (or boolean), read straight into one int64 array (several
    times faster than building the frame from row tuples)."""
    if not ordered:
        queryset = queryset.order_by()
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        dtype = "int64" if ints else object
        return pd.DataFrame({column: pd.Series(dtype=dtype) for column in columns})
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if ints:
        values = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=len(rows) * len(columns))
        return pd.DataFrame(values.reshape(len(rows), len(columns)), columns=columns)
    return pd.DataFrame.from_records(rows, columns=columns, coerce_float=True)


@contextmanager
def server_settings(using: str, **settings: str) -> Iterator[None]:
    """On PostgreSQL, run the block in a transaction (or savepoint) with these run-time settings (``SET LOCAL``)
    and put the previous values back at its end, so an enclosing transaction keeps its own; elsewhere just run
    it. E.g. ``jit="off"``, ``work_mem="64MB"``."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not settings:
        yield
        return
    names = list(settings)
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(["current_setting(%s)"] * len(names)), names)
            previous = cursor.fetchone()
            for name in names:
                cursor.execute("SELECT set_config(%s, %s, true)", [name, settings[name]])
        yield  # an error rolls the transaction or savepoint back, and the settings with it
        with connection.cursor() as cursor:
            for name, value in zip(names, previous, strict=True):
                cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def in_region(region: Region, path: str = "institution__") -> Q:
    return Q(**{f"{path}region__code__startswith": region.scope_prefix})


def day_end(on: date) -> dt.datetime:
    """The first instant after ``on`` (local time): things revoked before it were revoked on or before ``on``."""
    return timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))


def certificate_valid_q(on: date, path: str = "") -> Q:
    """Certificates valid on ``on``: issued by then, not expired, and valid then (revoked or suspended later)."""
    p = f"{path}__" if path else ""
    after = day_end(on)
    never_suspended_then = Q(**{f"{p}suspended_at__isnull": True}) | Q(**{f"{p}suspended_at__gte": after})
    return (
        Q(**{f"{p}issued_on__lte": on})
        & (Q(**{f"{p}expires_on__isnull": True}) | Q(**{f"{p}expires_on__gte": on}))
        & (
            Q(**{f"{p}status": Certificate.Status.VALID})
            | (Q(**{f"{p}status": Certificate.Status.REVOKED, f"{p}revoked_at__gte": after}) & never_suspended_then)
            | Q(**{f"{p}status": Certificate.Status.SUSPENDED, f"{p}suspended_at__gte": after})
        )
    )


def qualifying_posts() -> list[str]:
    return list(QualifyingPost.objects.values_list("post", flat=True))


def qualifying_type_ids() -> list[int]:
    return list(QualifyingCertificateType.objects.values_list("certificate_type_id", flat=True))


def certified_exists(on: date, type_ids: list[int]) -> Exists:
    """For an Employment queryset: whether the person holds a valid qualifying certificate on ``on``."""
    return Exists(
        Certificate.objects.filter(certificate_valid_q(on), holder_id=OuterRef("person_id"), type_id__in=type_ids)
    )


def _flagged(employments: QuerySet, flag: Exists, name: str) -> pd.DataFrame:
    """``institution_id``, ``person_id`` of ``employments`` and ``name``: the value of ``flag`` (an ``EXISTS``
    on the person) — one scan of the employments.

    PostgreSQL runs the ``EXISTS`` as a hashed scan of the qualifying rows for a province and as index probes for
    a county (its planner picks by the number of employments). JIT is off for the statement: its cost estimate
    at province scale passes the JIT thresholds, and compiling took longer than the query."""
    rows = employments.annotate(**{name: flag}).values_list("institution_id", "person_id", name)
    with server_settings(employments.db, jit="off"):
        staff = frame_from(rows, ["institution_id", "person_id", name], ints=True)
    staff[name] = staff[name].astype(bool)
    return staff


def certified_staff(region: Region, on: date) -> pd.DataFrame:
    """On-duty staff of qualifying posts under ``region``: ``institution_id``, ``person_id``, ``certified``."""
    employments = Employment.objects.filter(on_duty_q(on), in_region(region), post__in=qualifying_posts())
    return _flagged(employments, certified_exists(on, qualifying_type_ids()), "certified")


def checked_exists(on: date) -> Exists:
    """For an Employment queryset: whether the person's health certificate is valid on ``on`` (examined within
    the previous 365 days)."""
    first_valid = on - dt.timedelta(days=HealthCheck.VALID_DAYS - 1)
    return Exists(
        HealthCheck.objects.filter(person_id=OuterRef("person_id"), checked_on__lte=on, checked_on__gte=first_valid)
    )


def checked_staff(region: Region, on: date) -> pd.DataFrame:
    """All on-duty staff under ``region``: ``institution_id``, ``person_id``, ``checked`` (health certificate
    valid on ``on``)."""
    employments = Employment.objects.filter(on_duty_q(on), in_region(region))
    return _flagged(employments, checked_exists(on), "checked")


def on_duty_staff(region: Region, on: date, posts: list[str] | None = None) -> pd.DataFrame:
    """On-duty staff under ``region``: ``institution_id``, ``person_id``, ``post`` (optionally of ``posts``)."""
    employments = Employment.objects.filter(on_duty_q(on), in_region(region))
    if posts is not None:
        employments = employments.filter(post__in=posts)
    return frame_from(
        employments.values_list("institution_id", "person_id", "post"), ["institution_id", "person_id", "post"]
    )


def year_staff(region: Region, year: int, on: date) -> pd.DataFrame:
    """Who counts where for the year's training: ``institution_id``, ``person_id`` of employments under
    ``region`` running at some time between 1 January and ``on``, latest start last (the one that counts)."""
    employments = Employment.objects.filter(in_region(region), start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=date(year, 1, 1))
    )
    rows = employments.order_by("start_date", "id").values_list("institution_id", "person_id")
    return frame_from(rows, ["institution_id", "person_id"], ordered=True, ints=True)


class DayNumber(Func):
    """A date as a whole number of days (PostgreSQL: days since 2000-01-01; SQLite: the Julian day number)."""

    template = "(%(expressions)s - DATE '2000-01-01')"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(julianday(%(expressions)s) AS INTEGER)", **extra)


def ledger_events(region: Region, year: int, on: date) -> pd.DataFrame:
    """The year's person-times up to ``on`` of people employed under ``region`` that year: ``person_id``,
    ``kind``, ``occupation`` (the course's, "" without one), ``count`` (person-times) and ``hours`` per person,
    kind and course.

    A person-time is a training event — a course, or a day of credits without a course — whose net hours
    (corrections are negative entries) are positive. The entries travel as five integers each (person, kind
    code, course, day number, tenths of an hour) and are netted per event and counted in numpy
    (:func:`reports.frames.course_event_counts`): at province scale (600,000 entries a year) that is several
    times faster than PostgreSQL's group-by of nearly as many events (which spilled to disk with the default
    4 MB ``work_mem``). The statement runs with 32 MB (the hash of the year's staff fits) and without JIT."""
    people = Employment.objects.filter(in_region(region), start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=date(year, 1, 1))
    )
    kinds = list(TrainingKind.values)
    entries = (
        HoursEntry.objects.filter(year=year, occurred_on__lte=on, person_id__in=people.values("person_id"))
        .annotate(
            k=Case(*[When(kind=kind, then=Value(i)) for i, kind in enumerate(kinds)], output_field=IntegerField()),
            c=Coalesce(F("course_id"), Value(0)),
            d=Case(When(course__isnull=True, then=DayNumber("occurred_on")), default=Value(0)),
            t=Cast(Round(F("hours") * Value(10)), IntegerField()),
        )
        .values_list("person_id", "k", "c", "d", "t")
    )
    with server_settings(entries.db, work_mem="32MB", jit="off"):  # the semi-join's hash of staff in one batch
        values = frame_from(entries, ["person_id", "kind", "course", "day", "tenths"], ints=True)
    counts = frames.course_event_counts(*(values[c].to_numpy() for c in values.columns))
    occupation = pd.Series(dict(CoursePage.objects.values_list("pk", "occupation")), dtype=object)
    return pd.DataFrame(
        {
            "person_id": counts["person_id"],
            "kind": pd.Categorical.from_codes(counts["kind"], categories=kinds),
            "occupation": counts["course"].map(occupation).astype(object).fillna("").astype(str),
            "count": counts["count"],
            "hours": counts["hours"],
        }
    )


def requirements() -> pd.DataFrame:
    """Yearly hour requirements: ``post``, ``kind``, ``required``."""
    rows = AnnualHoursRequirement.objects.filter(hours__gt=0).values_list("post", "kind", "hours")
    frame = pd.DataFrame.from_records(list(rows), columns=["post", "kind", "required"])
    frame["required"] = frame["required"].astype(float)
    return frame


def person_hours(region: Region, year: int, kinds: list[str]) -> pd.DataFrame:
    """Each person's hours of ``kinds`` in ``year`` (people employed under ``region``): ``person_id``, ``kind``,
    ``hours`` — summed in SQL."""
    people = Employment.objects.filter(in_region(region)).values("person_id")
    rows = (
        HoursEntry.objects.filter(year=year, kind__in=kinds, person_id__in=people)
        .values_list("person_id", "kind")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    frame = frame_from(rows, ["person_id", "kind", "hours"])
    frame["hours"] = frame["hours"].astype(float)
    return frame


def ratios() -> dict[str, int]:
    return dict(StaffRatio.objects.values_list("group", "children_per_caregiver"))


def child_counts(region: Region, on: date, groups: list[str]) -> pd.DataFrame:
    """The latest child count on or before ``on`` of each institution under ``region``: ``institution_id`` and
    one column per group."""
    rows = (
        ChildCount.objects.filter(in_region(region), counted_on__lte=on)
        .order_by("institution_id", "counted_on")
        .values_list("institution_id", *groups)
    )
    frame = frame_from(rows, ["institution_id", *groups], ordered=True)
    return frame.drop_duplicates("institution_id", keep="last").reset_index(drop=True)


def caregivers(region: Region, on: date) -> pd.DataFrame:
    """On-duty caregivers under ``region``: ``institution_id``, ``person_id``."""
    return on_duty_staff(region, on, [Post.CAREGIVER])[["institution_id", "person_id"]]
