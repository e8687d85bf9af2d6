"""An examiner marks a candidate's practical assessment on a tablet and submits: the sheet locks."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TABLET = {"width": 820, "height": 1180}


@pytest.fixture
def practical(institution):
    """A session of a three-criterion rubric (30/30/40) with a panel of three and two candidates; the examiner
    ``zhang-kaopingyuan`` is the second examiner."""
    from django.contrib.auth import get_user_model

    from lms.exams.models import Examiner, PracticalCandidate, PracticalSession, Rubric, RubricCriterion
    from lms.registry.models import Region, TrainingProvider
    from tests.factories import PersonFactory, make_credit_code

    body = TrainingProvider.objects.create(
        name="曲靖市职业技能评价中心",
        kind=TrainingProvider.Kind.ASSESSMENT,
        body_code="QJPJ",
        credit_code=make_credit_code("530302", serial=76543210),
        region=Region.objects.get(code="530302"),
    )
    rubric = Rubric.objects.create(
        name="保育师四级操作技能评分表", occupation="childcare_worker", level=4, provider=body
    )
    for order, (title, points) in enumerate([("婴儿喂奶", 30), ("更换尿布", 30), ("异物卡喉急救", 40)]):
        RubricCriterion.objects.create(rubric=rubric, title=title, max_points=Decimal(points), sort_order=order)
    from django.utils import timezone

    session = PracticalSession.objects.create(
        title="保育师四级操作技能考核 第1场", rubric=rubric, provider=body, place="实训室一", starts_at=timezone.now()
    )
    users = [
        get_user_model().objects.create_user(name, password=PASSWORD) for name in ("chief", "zhang-kaopingyuan", "li")
    ]
    for i, user in enumerate(users):
        Examiner.objects.create(session=session, user=user, is_chief=(i == 0))
    for slot, name in ((1, "王小花"), (2, "赵丽")):
        PracticalCandidate.objects.create(session=session, person=PersonFactory(name=name), slot=slot)
    return session


@pytest.mark.browser_context_args(viewport=TABLET, is_mobile=True, has_touch=True)
def test_examiner_marks_on_a_tablet_and_submits_and_the_sheet_locks(page: Page, live_server, practical):
    from lms.exams.models import MarkSheet

    page.goto(f"{live_server.url}/exams/practical/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("input[name=username]", "zhang-kaopingyuan")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_test_id("login-submit").click()

    page.get_by_test_id(f"session-{practical.pk}").click()
    candidate = page.get_by_test_id("candidate-1")
    expect(candidate).to_contain_text("王*花")
    expect(page.locator("body")).not_to_contain_text("王小花")
    expect(candidate).to_have_attribute("data-status", "todo")
    candidate.click()

    sheet = page.get_by_test_id("mark-sheet")
    expect(sheet).to_have_attribute("data-locked", "false")
    first = page.get_by_test_id("mark-1")
    box = first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 80  # a finger-sized target
    first.fill("25")
    page.get_by_test_id("mark-2").fill("20")
    expect(page.get_by_test_id("live-total")).to_have_text("45")
    page.get_by_test_id("save").click()  # a draft
    expect(page.get_by_test_id("live-total")).to_have_text("45")
    assert not MarkSheet.objects.get().locked

    page.get_by_test_id("mark-3").fill("35")
    for _ in range(2):  # the + button adds a point each tap
        page.locator("#marks button.step[data-step='1']").last.tap()
    expect(page.get_by_test_id("mark-3")).to_have_value("37")
    expect(page.get_by_test_id("live-total")).to_have_text("82")

    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("mark-sheet")).to_have_attribute("data-locked", "true")
    assert dialogs and "82" in dialogs[0]
    expect(page.get_by_test_id("total")).to_have_text("82.00")
    expect(page.locator("input[name^=mark-]")).to_have_count(0)  # read-only now
    expect(page.get_by_test_id("locked-notice")).to_be_visible()

    sheet = MarkSheet.objects.get()
    assert sheet.locked and sheet.total == Decimal("82.00")
    assert sorted(sheet.marks.values()) == ["20", "25", "37"]

    page.get_by_test_id("back").click()
    expect(page.get_by_test_id("candidate-1")).to_have_attribute("data-status", "submitted")
    expect(page.get_by_test_id("candidate-2")).to_have_attribute("data-status", "todo")
