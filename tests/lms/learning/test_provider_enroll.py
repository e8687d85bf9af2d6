"""Training providers enroll registered learners in their own courses from a roster file (preview, then confirm)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.translation import gettext
from openpyxl import Workbook
from wagtail.models import ModelLogEntry

from lms.learning.models import Enrollment
from lms.registry.models import Role
from lms.registry.selectors import CAREGIVER
from tests import factories as f

from .classroom_world import make_classroom

pytestmark = pytest.mark.django_db

URL = "/admin/learning/provider-enroll/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def csv_file(rows, header=("姓名", "身份证号")) -> SimpleUploadedFile:
    text = "\n".join(",".join(r) for r in [header, *rows]) + "\n"
    return SimpleUploadedFile("学员名单.csv", text.encode("utf-8-sig"), content_type="text/csv")


def xlsx_file(rows, header=("姓名", "公民身份号码")) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("学员名单.xlsx", out.getvalue())


def token_of(html: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', html)
    assert match, "no confirm form"
    return match.group(1)


@pytest.fixture
def world():
    mine = make_classroom()  # mine.learner is already enrolled in mine.course
    theirs = make_classroom()
    people = [f.PersonFactory(name=name) for name in ("王芳", "李娜")]
    return mine, theirs, people


def test_preview_then_confirm_enrolls_registered_people(world, zh):
    mine, _, (wang, li) = world
    client = client_for(mine.instructor)
    assert client.get(URL).status_code == 200
    stranger_id = f.make_id_number(serial=88)
    rows = [
        ("王芳", wang.id_number),
        ("李 娜", li.id_number),  # a space inside the name still matches
        (mine.learner.name, mine.learner.id_number),
        ("张伟", stranger_id),
        ("赵敏", wang.id_number[:-1] + ("0" if wang.id_number[-1] != "0" else "1")),
    ]
    preview = client.post(URL, {"course": mine.course.pk, "roster": csv_file(rows)})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert not Enrollment.objects.filter(person__in=[wang, li]).exists()  # the preview writes nothing
    statuses = re.findall(r'data-status="(\w+)"', html)
    assert statuses == ["will_enroll", "will_enroll", "already_enrolled", "not_registered", "invalid"]
    assert gettext("No one with this ID number is registered on the platform.") in html
    assert wang.id_number not in html  # ID numbers are shown masked

    done = client.post(URL, {"token": token_of(html)})
    html = done.content.decode()
    assert re.findall(r'data-status="(\w+)"', html)[:3] == ["enrolled", "enrolled", "already_enrolled"]
    for person in (wang, li):
        enrollment = Enrollment.objects.get(person=person, course=mine.course)
        assert enrollment.source == Enrollment.Source.PROVIDER and enrollment.enrolled_by == mine.instructor
        entry = ModelLogEntry.objects.get(action="learning.enrollment.create", object_id=str(enrollment.pk))
        assert entry.user_id == mine.instructor.pk
    assert Enrollment.objects.filter(course=mine.course).count() == 3
    assert not Enrollment.objects.filter(person__name__in=["张伟", "赵敏"]).exists()


def test_name_mismatch_is_reported_and_not_enrolled(world, zh):
    mine, _, (wang, _li) = world
    client = client_for(mine.instructor)
    html = client.post(URL, {"course": mine.course.pk, "roster": xlsx_file([("王小芳", wang.id_number)])})
    html = html.content.decode()
    assert re.findall(r'data-status="(\w+)"', html) == ["name_mismatch"]
    assert gettext("The name does not match the registered name for this ID number.") in html
    assert 'name="token"' not in html
    assert not Enrollment.objects.filter(person=wang).exists()


def test_reupload_is_idempotent(world):
    mine, _, (wang, _li) = world
    client = client_for(mine.instructor)
    for _ in range(2):
        html = client.post(URL, {"course": mine.course.pk, "roster": csv_file([("王芳", wang.id_number)])})
        html = html.content.decode()
        if 'name="token"' in html:
            client.post(URL, {"token": token_of(html)})
    assert re.findall(r'data-status="(\w+)"', html) == ["already_enrolled"]
    assert Enrollment.objects.filter(person=wang, course=mine.course).count() == 1


def test_refusal_reason_is_shown(world, zh):
    mine, _, (wang, li) = world
    mine.course.capacity = 1  # taken by mine.learner
    mine.course.save_revision().publish()
    client = client_for(mine.instructor)
    html = client.post(URL, {"course": mine.course.pk, "roster": csv_file([("王芳", wang.id_number)])})
    html = html.content.decode()
    assert re.findall(r'data-status="(\w+)"', html) == ["refused"]
    assert gettext("The course is full.") in html


def test_another_providers_course_is_not_found(world):
    mine, theirs, (wang, _li) = world
    client = client_for(mine.instructor)
    assert f'value="{theirs.course.pk}"' not in client.get(URL).content.decode()
    response = client.post(URL, {"course": theirs.course.pk, "roster": csv_file([("王芳", wang.id_number)])})
    assert response.status_code == 404
    assert not Enrollment.objects.filter(person=wang).exists()


def test_tampered_or_foreign_token_enrolls_nobody(world):
    mine, theirs, (wang, _li) = world
    html = client_for(mine.instructor).post(
        URL, {"course": mine.course.pk, "roster": csv_file([("王芳", wang.id_number)])}
    )
    token = token_of(html.content.decode())
    assert wang.id_number not in token and wang.id_number[:14] not in html.content.decode()  # encrypted, masked
    other = client_for(theirs.instructor).post(URL, {"token": token})  # another provider's staff replays it
    assert 'data-testid="token-error"' in other.content.decode()
    bad = client_for(mine.instructor).post(URL, {"token": token[:-2] + "xx"})
    assert 'data-testid="token-error"' in bad.content.decode()
    assert not Enrollment.objects.filter(person=wang).exists()


def test_missing_column_is_a_form_error(world, zh):
    mine, _, (wang, _li) = world
    client = client_for(mine.instructor)
    html = client.post(URL, {"course": mine.course.pk, "roster": csv_file([("王芳",)], header=("姓名",))})
    assert "身份证号" in html.content.decode() and 'data-status="' not in html.content.decode()


def test_superuser_may_enroll_in_any_course(world):
    _, theirs, (wang, _li) = world
    client = client_for(f.UserFactory(is_superuser=True))
    html = client.post(URL, {"course": theirs.course.pk, "roster": csv_file([("王芳", wang.id_number)])})
    client.post(URL, {"token": token_of(html.content.decode())})
    assert Enrollment.objects.filter(person=wang, course=theirs.course).exists()


@pytest.mark.parametrize("role", [Role.INSTITUTION_ADMIN.value, CAREGIVER])
def test_institution_admins_and_caregivers_are_refused(client, registry_world, role):
    client.force_login(registry_world.users[role])
    assert client.get(URL).status_code in (302, 403)
    assert client.post(URL, {"course": 1}).status_code in (302, 403)


def test_menu_item_only_for_provider_staff(client, registry_world):
    client.force_login(registry_world.users[Role.PROVIDER_STAFF.value])
    assert URL in client.get("/admin/").content.decode()
    client.force_login(registry_world.users[Role.INSTITUTION_ADMIN.value])
    assert URL not in client.get("/admin/").content.decode()
