"""A caregiver takes a timed theory exam on a phone: answers autosave, a reload in the middle keeps every answer,
and when time runs out the page submits by itself.

The sitting lasts 2 minutes; Playwright's clock (installed before the page loads, flowing in real time) is then
fast-forwarded past the deadline, so the countdown reaches zero without waiting. The server's own rules are
unchanged (its deadline is real time; the page submits, the server grades).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def timed_exam(caregiver):
    """A 2-minute sitting open now, with the caregiver approved: one question of four types."""
    from tests.lms.exams import factories as xf

    person = caregiver.person
    bank = xf.QuestionBankFactory(name="保育师四级题库")
    xf.QuestionFactory(bank=bank, stem="幼儿被烫伤后，保育师首先应当怎样处理？")
    xf.QuestionFactory(bank=bank, true_false=True, stem="婴幼儿午睡时保育师可以离开睡眠室。")
    xf.QuestionFactory(
        bank=bank, fill_blank=True, stem="婴幼儿每日户外活动时间不少于____小时，其中____活动不少于1小时。"
    )
    xf.QuestionFactory(bank=bank, short_answer=True, stem="简述婴幼儿进餐环节的保育要点。")
    blueprint = xf.blueprint_with_sections(
        banks=[bank], provider=bank.provider,
        sections=(("single", 1, "40"), ("true_false", 1, "20"), ("fill_blank", 1, "20"), ("short_answer", 1, "20")),
    )  # fmt: skip
    sitting = xf.SittingFactory(title="保育师四级理论知识考试（模拟）", blueprint=blueprint, provider=bank.provider,
                                duration_minutes=2)  # fmt: skip
    return xf.CandidateFactory(sitting=sitting, person=person)


def _saved(page: Page) -> None:
    expect(page.get_by_test_id("save-state")).to_have_attribute("data-state", "saved", timeout=10_000)


@pytest.mark.browser_context_args(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
def test_a_timed_exam_on_a_phone(page: Page, live_server, caregiver, timed_exam):
    from lms.exams.models import Attempt

    page.clock.install()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", caregiver.username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.goto(f"{live_server.url}/exams/")
    page.get_by_test_id("start").click()

    expect(page.get_by_test_id("question")).to_have_count(4)
    countdown = page.get_by_test_id("countdown")
    expect(countdown).to_contain_text("0")
    assert 100 <= int(countdown.get_attribute("data-seconds-left")) <= 120

    single = page.locator('fieldset[data-type="single"]')
    single.locator("label.choice").nth(2).click()
    _saved(page)
    page.locator('fieldset[data-type="true_false"] label.choice').nth(1).click()
    blanks = page.locator('fieldset[data-type="fill_blank"] input[type=text]')
    blanks.nth(0).fill("２")
    blanks.nth(1).fill("体育")
    page.locator('fieldset[data-type="short_answer"] textarea').fill("营造愉快的进餐氛围，培养独立进餐习惯。")
    page.locator('fieldset[data-type="short_answer"] textarea').blur()
    _saved(page)
    expect(page.locator("[data-answered]")).to_have_text("4")

    # reload in the middle: every answer comes back from the server
    page.reload()
    expect(page.get_by_test_id("question")).to_have_count(4)
    expect(single.locator("input").nth(2)).to_be_checked()
    expect(page.locator('fieldset[data-type="true_false"] input').nth(1)).to_be_checked()
    expect(blanks.nth(0)).to_have_value("２")
    expect(blanks.nth(1)).to_have_value("体育")
    expect(page.locator('fieldset[data-type="short_answer"] textarea')).to_have_value(
        "营造愉快的进餐氛围，培养独立进餐习惯。"
    )
    expect(page.locator("[data-nav].answered")).to_have_count(4)
    attempt = Attempt.objects.get()
    assert attempt.questions.filter(response__isnull=False).count() == 4

    # time runs out: the page submits by itself and shows the result page
    page.clock.fast_forward("03:00")
    expect(page.get_by_test_id("result")).to_be_visible(timeout=15_000)
    expect(page.get_by_test_id("auto-submitted")).to_be_visible()
    expect(page.get_by_test_id("result-pending")).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.MARKING and attempt.auto_submitted and attempt.answered_count == 4
    assert page.viewport_size == {"width": 390, "height": 844}
