"""Roster import service: dry-run report, atomic and idempotent commit, encodings, upload purge."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import override
from openpyxl import Workbook

from lms.registry import services
from lms.registry.models import Employment, HealthCheck, Person, Post, RosterImport
from tests.factories import InstitutionFactory, PersonFactory, RoleGrantFactory, UserFactory, make_id_number

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "身份证号", "手机号", "岗位", "入职日期", "离职日期", "健康体检日期"]
IDS = [make_id_number(serial=n, gender="MF"[n % 2]) for n in range(1, 6)]
GOOD = [
    ["张小华", IDS[0], "13812345678", "保育人员", "2024-03-01", "", "2025-02-20"],
    ["李明", IDS[1], "", "卫生保健人员", "2024/4/1", "", ""],
    ["王芳", IDS[2], "13900001111", "负责人", "2023年9月1日", "2024-12-31", ""],
]
BAD = [
    ["", IDS[3], "", "保育人员", "2024-03-01", "", ""],  # row 5: no name
    ["赵六", IDS[4][:17], "123", "厨师", "2099-01-01", "", ""],  # row 6: four problems
]


def csv_bytes(rows, encoding="utf-8") -> bytes:
    return "\r\n".join(",".join(r) for r in [HEADER, *rows]).encode(encoding)


def xlsx_bytes(rows) -> bytes:
    wb = Workbook()
    for r in [HEADER, *rows]:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _english():
    with override("en"):
        yield


@pytest.fixture
def institution():
    return InstitutionFactory()


@pytest.fixture
def admin(institution):
    return RoleGrantFactory(institution_admin=True, institution=institution).user


def preview(institution, admin, data=None, filename="花名册.csv"):
    return services.roster_preview(
        institution=institution, data=data or csv_bytes(GOOD + BAD), filename=filename, actor=admin
    )


def counts():
    return (Person.objects.count(), Employment.objects.count(), HealthCheck.objects.count())


def test_preview_reports_every_bad_row_and_writes_no_staff(institution, admin):
    roster = preview(institution, admin)
    assert counts() == (0, 0, 0)
    assert (roster.status, roster.total_rows, roster.error_rows, roster.valid_rows) == ("previewed", 5, 2, 3)
    problems = {(e["row"], e["column"]) for e in roster.errors}
    assert problems == {(5, "姓名"), (6, "身份证号"), (6, "手机号"), (6, "岗位"), (6, "入职日期")}
    assert all(e["message"] for e in roster.errors)
    assert services.roster_can_commit(roster)
    assert IDS[4] not in str(roster.errors)  # the report holds no ID numbers


def test_preview_with_a_missing_column_has_nothing_to_import(institution, admin):
    data = "\r\n".join(",".join(r[:3]) for r in [HEADER, *GOOD]).encode()
    roster = preview(institution, admin, data)
    assert {(e["row"], e["column"]) for e in roster.errors} == {(1, "岗位"), (1, "入职日期")}
    assert roster.valid_rows == 0
    assert not services.roster_can_commit(roster)
    assert not services.roster_start_commit(roster=roster, actor=admin)


def test_unreadable_file_is_one_error(institution, admin):
    roster = preview(institution, admin, b"PK\x03\x04 broken", "r.xlsx")
    assert (roster.total_rows, roster.valid_rows) == (0, 0)
    assert roster.errors == [{"row": 0, "column": "", "message": "The file is not a valid .xlsx workbook."}]


def test_preview_refused_outside_own_institution(institution, admin):
    with pytest.raises(PermissionDenied):
        preview(InstitutionFactory(), admin)
    officer = RoleGrantFactory(health_officer=True, region=institution.region).user
    with pytest.raises(PermissionDenied):
        preview(institution, officer)


def test_commit_applies_valid_rows(institution, admin, django_capture_on_commit_callbacks):
    roster = preview(institution, admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.roster_start_commit(roster=roster, actor=admin)
    roster.refresh_from_db()
    assert roster.status == RosterImport.Status.COMMITTED and roster.committed_at
    assert (roster.created_count, roster.updated_count, roster.unchanged_count, roster.error_rows) == (3, 0, 0, 2)
    assert counts() == (3, 3, 1)
    zhang = Person.objects.get(name="张小华")
    assert (zhang.id_number, zhang.phone, zhang.gender) == (IDS[0], "13812345678", "F")
    assert zhang.health_checks.get().checked_on == date(2025, 2, 20)
    wang = Employment.objects.get(person__name="王芳")
    assert (wang.post, wang.start_date, wang.end_date) == (Post.DIRECTOR, date(2023, 9, 1), date(2024, 12, 31))
    assert set(Employment.objects.values_list("institution", flat=True)) == {institution.pk}
    assert roster.content_encrypted is None  # the clear upload is dropped


def test_commit_is_atomic(institution, admin, monkeypatch):
    roster = preview(institution, admin)

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(HealthCheck.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        services.roster_commit(roster_id=roster.pk)
    assert counts() == (0, 0, 0)
    roster.refresh_from_db()
    # nothing written, and the user sees that it failed (not "importing" for ever)
    assert roster.status == RosterImport.Status.FAILED and roster.content_encrypted


def test_failed_import_can_be_started_again(institution, admin, monkeypatch, django_capture_on_commit_callbacks):
    roster = preview(institution, admin)
    with monkeypatch.context() as patched:
        patched.setattr(HealthCheck.objects, "bulk_create", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("disk")))
        with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
            services.roster_start_commit(roster=roster, actor=admin)
    roster.refresh_from_db()
    assert roster.status == RosterImport.Status.FAILED and services.roster_can_commit(roster)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.roster_start_commit(roster=roster, actor=admin)
    roster.refresh_from_db()
    assert roster.status == RosterImport.Status.COMMITTED and counts() == (3, 3, 1)


def test_commit_twice_is_commit_once(institution, admin, django_capture_on_commit_callbacks):
    roster = preview(institution, admin)
    first = services.roster_commit(roster_id=roster.pk)
    after_first = counts()
    second = services.roster_commit(roster_id=roster.pk)
    assert counts() == after_first
    assert (second.created_count, second.status) == (first.created_count, "committed")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert not services.roster_start_commit(roster=second, actor=admin)
    assert callbacks == []


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (csv_bytes(GOOD), "r.csv"),
        (csv_bytes(GOOD, "gbk"), "gbk.csv"),
        (b"\xef\xbb\xbf" + csv_bytes(GOOD), "bom.csv"),
        (xlsx_bytes(GOOD), "r.xlsx"),
    ],
    ids=["utf-8", "gbk", "utf-8-bom", "xlsx"],
)
def test_reimport_same_file_changes_nothing(institution, admin, data, filename):
    first = services.roster_commit(roster_id=preview(institution, admin, data, filename).pk)
    assert (first.created_count, first.error_rows) == (3, 0)
    before = counts()
    people_before = list(Person.objects.order_by("pk").values_list("pk", "name", "phone_encrypted", "updated_at"))
    again = services.roster_commit(roster_id=preview(institution, admin, data, filename).pk)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert counts() == before
    people_after = list(Person.objects.order_by("pk").values_list("pk", "name", "phone_encrypted", "updated_at"))
    assert people_after == people_before


def test_reimport_with_changes_counts_updates(institution, admin):
    services.roster_commit(roster_id=preview(institution, admin, csv_bytes(GOOD)).pk)
    changed = [list(r) for r in GOOD]
    changed[0][2] = "13700000000"  # new phone
    changed[1][5] = "2025-01-31"  # left
    roster = services.roster_commit(roster_id=preview(institution, admin, csv_bytes(changed)).pk)
    assert (roster.created_count, roster.updated_count, roster.unchanged_count) == (0, 2, 1)
    assert Person.objects.get(name="张小华").phone == "13700000000"
    assert Employment.objects.get(person__name="李明").end_date == date(2025, 1, 31)


def test_registered_person_with_another_name_is_refused(institution, admin):
    PersonFactory(name="张大华", id_number=IDS[0])
    roster = services.roster_commit(roster_id=preview(institution, admin, csv_bytes(GOOD)).pk)
    assert roster.created_count == 2 and roster.error_rows == 1
    (error,) = roster.errors
    assert (error["row"], error["column"]) == (2, "姓名") and "张*华" in error["message"]
    assert Person.objects.get(id_number_hash=Person.objects.get(name="张大华").id_number_hash).name == "张大华"


def test_known_person_from_another_institution_gets_an_employment_here(institution, admin):
    other = InstitutionFactory()
    person = PersonFactory(name="张小华", id_number=IDS[0])
    Employment.objects.create(person=person, institution=other, post=Post.CAREGIVER, start_date=date(2020, 1, 1))
    roster = services.roster_commit(roster_id=preview(institution, admin, csv_bytes(GOOD[:1])).pk)
    assert roster.created_count == 1
    assert Person.objects.count() == 1
    assert set(person.employments.values_list("institution", flat=True)) == {institution.pk, other.pk}


def test_audit_entries(institution, admin):
    from wagtail.models import ModelLogEntry

    roster = services.roster_commit(roster_id=preview(institution, admin).pk)
    entries = ModelLogEntry.objects.for_instance(roster).order_by("pk")
    assert list(entries.values_list("action", flat=True)) == ["registry.roster.preview", "registry.roster.commit"]
    assert entries.last().user == admin
    assert entries.last().data["created"] == 3


def test_purge_stale_uploads(institution, admin):
    stale, fresh = preview(institution, admin), preview(institution, admin)
    committed = preview(institution, admin)
    services.roster_commit(roster_id=committed.pk)
    RosterImport.objects.filter(pk__in=[stale.pk, committed.pk]).update(created_at=timezone.now() - timedelta(days=8))
    assert services.purge_stale_uploads() == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.content_encrypted is None and fresh.content_encrypted is not None
    assert not services.roster_can_commit(stale)
    with pytest.raises(ValueError, match="purged"):
        services.roster_commit(roster_id=stale.pk)


def test_platform_admin_may_import_any_institution(institution):
    root = UserFactory(is_superuser=True)
    roster = services.roster_commit(roster_id=preview(institution, root, csv_bytes(GOOD)).pk)
    assert roster.created_count == 3
