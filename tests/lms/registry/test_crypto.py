"""Encryption at rest, key rotation and keyed lookup hashes; the ID number never lands in clear."""

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings

from lms.registry import crypto, services
from lms.registry.models import Person, RosterImport
from lms.registry.roster_file import load_table
from lms.registry.services.keys import field_keys_rotate
from tests.factories import InstitutionFactory, PersonFactory, RoleGrantFactory, make_id_number, register_person

pytestmark = pytest.mark.django_db


def primary(settings) -> Fernet:
    return Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode())


def test_roundtrip_and_fresh_ciphertext():
    token = crypto.encrypt("张小华 530302199001010125")
    assert crypto.decrypt(token) == "张小华 530302199001010125"
    assert crypto.encrypt("x") != crypto.encrypt("x")  # random IV: equal values do not look equal


def test_bytes_roundtrip():
    assert crypto.decrypt_bytes(memoryview(crypto.encrypt_bytes(b"\x00csv"))) == b"\x00csv"


def test_second_key_still_decrypts_and_rotate_moves_to_primary(settings):
    old = Fernet(settings.FIELD_ENCRYPTION_KEYS[1].encode()).encrypt(b"secret").decode()
    assert crypto.decrypt(old) == "secret"
    with pytest.raises(InvalidToken):
        primary(settings).decrypt(old.encode())
    new = crypto.rotate(old)
    assert new != old
    assert primary(settings).decrypt(new.encode()) == b"secret"


def test_unknown_key_refused(settings):
    foreign = Fernet(Fernet.generate_key()).encrypt(b"secret").decode()
    with pytest.raises(ImproperlyConfigured):
        crypto.decrypt(foreign)


def test_lookup_hash_is_keyed_and_stable(settings):
    value = make_id_number()
    h = crypto.lookup_hash(value)
    assert h == crypto.lookup_hash(value) and len(h) == 64 and value not in h
    with override_settings(PERSONAL_ID_HASH_KEY="another-key"):
        assert crypto.lookup_hash(value) != h
    with override_settings(PERSONAL_ID_HASH_KEY=""), pytest.raises(ImproperlyConfigured):
        crypto.lookup_hash(value)


def test_field_keys_rotate_reencrypts_people_and_uploads(settings):
    new_key = Fernet.generate_key().decode()
    id_number = make_id_number(serial=44)
    person = PersonFactory(id_number=id_number, phone="13912345678")
    institution = InstitutionFactory()
    user = RoleGrantFactory(institution_admin=True, institution=institution).user
    roster = services.roster_preview(institution=institution, data=b"a,b\n1,2\n", filename="r.csv", actor=user)
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, *settings.FIELD_ENCRYPTION_KEYS]):
        assert field_keys_rotate(batch_size=1) == 1
        person.refresh_from_db()
        roster.refresh_from_db()
        fernet = Fernet(new_key.encode())
        assert fernet.decrypt(person.id_number_encrypted.encode()).decode() == id_number
        assert fernet.decrypt(person.phone_encrypted.encode()).decode() == "13912345678"
        assert load_table(fernet.decrypt(bytes(roster.content_encrypted))).rows == [(2, ["1", "2"])]
    # once the old keys are dropped, the data is still readable
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]):
        assert Person.objects.get(pk=person.pk).id_number == id_number


def test_id_number_and_phone_never_stored_in_clear():
    id_number = make_id_number(serial=55, gender="M")
    person = register_person(name="王大明", id_number=id_number, phone="13812345678")
    assert person.id_number == id_number and person.phone == "13812345678"
    table = Person._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [person.pk])  # noqa: S608
        columns = [c[0] for c in cursor.description]
        (raw,) = cursor.fetchall()
    stored = dict(zip(columns, raw, strict=True))
    for column, value in stored.items():
        text = str(value)
        assert id_number not in text, column
        assert id_number[6:14] + id_number[14:17] not in text, column  # no partial clear copy
        assert "13812345678" not in text, column
    assert stored["id_number_masked"] == id_number[:6] + "********" + id_number[-4:]
    assert stored["phone_masked"] == "138****5678"


def test_audit_log_holds_no_clear_id_number():
    from wagtail.models import ModelLogEntry

    id_number = make_id_number(serial=56)
    register_person(name="王小二", id_number=id_number)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ModelLogEntry._meta.db_table}")  # noqa: S608
        rows = cursor.fetchall()
    assert rows
    assert not any(id_number in str(value) for row in rows for value in row)


def test_roster_upload_stored_encrypted():
    institution = InstitutionFactory()
    user = RoleGrantFactory(institution_admin=True, institution=institution).user
    id_number = make_id_number(serial=57)
    data = f"姓名,身份证号,岗位,入职日期\n张三,{id_number},保育人员,2024-03-01\n".encode()
    roster = services.roster_preview(institution=institution, data=data, filename="r.csv", actor=user)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {RosterImport._meta.db_table} WHERE id = %s", [roster.pk])  # noqa: S608
        (raw,) = cursor.fetchall()
    assert not any(
        id_number.encode() in (bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode()) for v in raw
    )
