"""A lean ``bulk_create`` for hot bulk paths: one multi-row ``INSERT … RETURNING pk`` per batch.

Django's ``QuerySet.bulk_create`` compiles every value of every row through several layers (pre_save,
prepare_value, field_as_sql, placeholders) and costs about 10 µs per field and row; issuing 10,000
certificates spent most of its time there. This module keeps what matters of it — each field's default,
``pre_save`` (auto_now, files) and ``get_db_prep_save`` (JSON, dates, UUIDs, decimals adapted per backend) —
skips them where the value is a plain ``str``/``int``/``bool``/``None`` that every backend takes as it is,
and builds the SQL once per batch shape.

* :func:`insert` saves unsaved model instances and sets their primary keys, as ``bulk_create`` does;
* :func:`insert_rows` saves plain dicts (``attname -> value``; missing fields take their defaults) with no
  model instance at all, and returns the new primary keys in order.

Not covered (they go through ``bulk_create``, or raise for ``insert_rows``): multi-table inheritance,
database defaults (``db_default``) and backends that cannot return rows from a bulk insert.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from django.db import connections
from django.db.models import NOT_PROVIDED, FileField, Model

# Field types whose stored value is the attribute itself when it is a plain str/int/bool/None.
PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallAutoField",
        "SmallIntegerField",
        "TextField",
    }
)
PLAIN_VALUES = (str, int, bool, type(None))


def _supported(model: type[Model], using: str) -> bool:
    meta = model._meta
    return (
        not meta.parents
        and connections[using].features.can_return_rows_from_bulk_insert
        and all(f.db_default is NOT_PROVIDED for f in meta.concrete_fields)
    )


def _fields(model: type[Model], with_pk: bool) -> list:
    return [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]


def _execute(model: type[Model], fields: list, rows: list[list], using: str) -> list:
    """INSERT the already adapted ``rows`` (one value per field) in batches; the new primary keys in order."""
    connection = connections[using]
    meta = model._meta
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "  # noqa: S608 - quoted identifiers
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = f" RETURNING {quote(meta.pk.column)}"
    batch = max(1, connection.ops.bulk_batch_size(fields, rows))
    pks: list = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            cursor.execute(head + ", ".join([placeholder] * len(chunk)) + tail, [v for row in chunk for v in row])
            returned = cursor.fetchall()
            if len(returned) != len(chunk):  # pragma: no cover - a backend that drops RETURNING rows
                raise RuntimeError(f"{meta.label}: {len(chunk)} rows inserted, {len(returned)} keys returned")
            pks.extend(pk for (pk,) in returned)
    return pks


def _adapter(field, connection):
    """The backend's own adapters for the field's common value types, when the value needs nothing else
    (``get_db_prep_save`` ends in these same calls): ``(value type, adapt)`` pairs, none for other fields.
    An adapter returning None sends the value through ``get_db_prep_save`` instead."""
    ops = connection.ops
    kind = field.get_internal_type()
    if kind == "JSONField":
        return (dict, lambda value: ops.adapt_json_value(value, field.encoder)), (
            list,
            lambda value: ops.adapt_json_value(value, field.encoder),
        )
    if kind == "DateField":
        return ((date, ops.adapt_datefield_value),)
    if kind == "DateTimeField":
        # aware datetimes only: get_prep_value warns about and converts naive ones
        return ((datetime, lambda value: ops.adapt_datetimefield_value(value) if value.tzinfo else None),)
    return ()


def _plan(fields: list, connection) -> list[tuple]:
    """Per field: (field, takes plain values as they are, NULL needs no pre_save, adapters by value type)."""
    plan = []
    for f in fields:
        computed = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) or isinstance(f, FileField)
        plan.append(
            (
                f,
                f.get_internal_type() in PLAIN_TYPES,
                not computed,
                {} if computed else dict(_adapter(f, connection)),
            )
        )
    return plan


def insert(objs: Sequence[Model], *, using: str = "default") -> None:
    """Insert unsaved instances of one model; their primary keys are set from the database."""
    if not objs:
        return
    model = type(objs[0])
    if not _supported(model, using):
        model._base_manager.using(using).bulk_create(objs)
        return
    connection = connections[using]
    pk = model._meta.pk
    plan = _plan(_fields(model, with_pk=getattr(objs[0], pk.attname) is not None), connection)
    rows = []
    for obj in objs:  # the hot loop: ~25 fields x thousands of rows, kept free of per-value calls
        row = []
        for field, plain, null_ok, adapters in plan:
            value = getattr(obj, field.attname)
            if value is None:
                if null_ok:
                    row.append(None)
                    continue
            elif plain and type(value) in PLAIN_VALUES:
                row.append(value)
                continue
            else:
                adapt = adapters.get(type(value))
                adapted = adapt(value) if adapt is not None else None
                if adapted is not None:
                    row.append(adapted)
                    continue
            row.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
        rows.append(row)
    for obj, value in zip(objs, _execute(model, plan_fields(plan), rows, using), strict=True):
        setattr(obj, pk.attname, value)
        obj._state.adding = False
        obj._state.db = using


def insert_rows(model: type[Model], rows: Sequence[Mapping], *, using: str = "default") -> list:
    """Insert plain rows (``attname -> value``) of ``model`` without instances; returns the new primary keys.

    Fields missing from a row take their default (callable defaults are called per row); values go through
    the field's ``get_db_prep_save`` unless they are plain. ``auto_now``/``auto_now_add`` and file fields are
    not filled in: give their values.
    """
    if not rows:
        return []
    if not _supported(model, using):
        raise NotImplementedError(f"insert_rows cannot insert {model._meta.label} on {using!r}: use bulk_create")
    connection = connections[using]
    plan = _plan(_fields(model, with_pk=False), connection)
    unknown = set(rows[0]) - {step[0].attname for step in plan}
    if unknown:
        raise ValueError(f"{model._meta.label} has no field (attname) {', '.join(sorted(unknown))}")
    defaults = {f.attname: f.get_default() for f, *_rest in plan if not (f.has_default() and callable(f.default))}
    adapted = []
    for source in rows:
        row = []
        for field, plain, _null_ok, adapters in plan:
            name = field.attname
            value = source[name] if name in source else defaults[name] if name in defaults else field.get_default()
            if not (value is None or (plain and type(value) in PLAIN_VALUES)):
                adapt = adapters.get(type(value))
                adapted_value = adapt(value) if adapt is not None else None
                value = adapted_value if adapted_value is not None else field.get_db_prep_save(value, connection)
            row.append(value)
        adapted.append(row)
    return _execute(model, plan_fields(plan), adapted, using)


def plan_fields(plan: list[tuple]) -> list:
    return [step[0] for step in plan]
