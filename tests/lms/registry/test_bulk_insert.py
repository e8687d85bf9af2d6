"""The lean bulk insert stores exactly what bulk_create would (defaults, auto_now, JSON, bytes, dates, UUIDs)."""

import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import ModelLogEntry

from lms.registry import bulk_insert
from lms.registry.models import RosterImport
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def test_insert_sets_primary_keys_and_stores_every_kind_of_value():
    institution = InstitutionFactory()
    rows = [
        RosterImport(
            institution=institution,
            filename=f"名册{i}.xlsx",
            content_sha256="0" * 64,
            content_encrypted=b"\x00\xffsecret" if i else None,
            errors=[{"row": i, "error": "身份证号校验位错误"}] if i else [],
            committed_at=timezone.now() if i == 2 else None,
        )
        for i in range(3)
    ]
    before = timezone.now()
    bulk_insert.insert(rows)

    assert all(r.pk and not r._state.adding for r in rows)
    stored = RosterImport.objects.in_bulk([r.pk for r in rows])
    for i, original in enumerate(rows):
        got = stored[original.pk]
        assert got.filename == f"名册{i}.xlsx" and got.institution_id == institution.pk
        assert got.created_at >= before  # auto_now_add filled in
        assert got.status == RosterImport.Status.PREVIEWED and got.total_rows == 0  # defaults
    assert bytes(stored[rows[1].pk].content_encrypted) == b"\x00\xffsecret"
    assert stored[rows[0].pk].content_encrypted is None
    assert stored[rows[1].pk].errors == [{"row": 1, "error": "身份证号校验位错误"}]
    assert stored[rows[2].pk].committed_at == rows[2].committed_at


def test_insert_rows_fills_defaults_without_instances():
    content_type = ContentType.objects.get_for_model(RosterImport)
    shared = uuid.uuid4()
    now = timezone.now()
    pks = bulk_insert.insert_rows(
        ModelLogEntry,
        [
            {
                "content_type_id": content_type.pk,
                "label": f"row {i}",
                "action": "registry.roster.preview",
                "timestamp": now,
                "uuid": shared,
                "object_id": str(i),
                **({"data": {"n": i}} if i else {}),
            }
            for i in range(2)
        ],
    )
    entries = ModelLogEntry.objects.in_bulk(pks)
    assert [entries[pk].label for pk in pks] == ["row 0", "row 1"]  # keys come back in row order
    assert entries[pks[0]].data == {} and entries[pks[1]].data == {"n": 1}  # callable default per row
    assert {entries[pk].uuid for pk in pks} == {shared}
    assert not entries[pks[0]].deleted and not entries[pks[0]].content_changed


def test_insert_rows_refuses_unknown_fields():
    with pytest.raises(ValueError, match="content_type"):
        bulk_insert.insert_rows(ModelLogEntry, [{"content_type": 1}])


def test_empty_input_is_a_no_op():
    bulk_insert.insert([])
    assert bulk_insert.insert_rows(ModelLogEntry, []) == []
