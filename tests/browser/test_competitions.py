"""A judge marks a contestant on a tablet and submits; the public scoreboard, open in another browser, shows
the contestant's score without being reloaded."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TABLET = {"width": 820, "height": 1180}
CODE = "K7QM"


@pytest.fixture
def judged(transactional_db):
    """A competition under way with one practical round (100%) and a five-judge station; contestant K7QM's
    sheets are assigned and four judges have submitted (70, 72, 71, 69); the fifth judge (``judge-<station>-1``)
    has not marked yet. A second contestant has no marks at all."""
    from lms.competitions.services import judging
    from tests.factories import UserFactory
    from tests.lms.competitions.factories import (
        coded_entries,
        marks_for,
        practical_station,
        single_round_competition,
    )

    competition, track, final = single_round_competition(title="2026年曲靖市保育师职业技能竞赛")
    station = practical_station(track, final, judges=5, name="赛位一")
    entries = coded_entries(track, [CODE, "R3XD"])
    judging.sheets_assign(station=station, actor=UserFactory(is_superuser=True))
    panel = list(station.judges.order_by("pk"))
    others = [panel[0], *panel[2:]]
    for judge, points in zip(others, [(20, 20, 30), (22, 20, 30), (20, 21, 30), (20, 20, 29)], strict=True):
        sheet = station.sheets.get(judge=judge, entry=entries[0])
        judging.sheet_submit(sheet=sheet, actor=judge.user, marks=marks_for(station, *points), time_seconds=500)
    station.judge = panel[1]
    station.entries = entries
    return station


@pytest.mark.browser_context_args(viewport=TABLET, is_mobile=True, has_touch=True)
def test_a_judge_scores_on_a_tablet_and_the_scoreboard_updates(page: Page, browser: Browser, live_server, judged):
    from lms.competitions.models import Sheet, StationScore
    from tests.factories import DEFAULT_PASSWORD

    competition = judged.track.competition
    entry = judged.entries[0]

    # the public scoreboard, in a browser of its own (nobody logged in)
    spectators = browser.new_context(locale="zh-CN", viewport=TABLET)
    board = spectators.new_page()
    board.goto(f"{live_server.url}/competitions/{competition.pk}/scoreboard/")
    expect(board.get_by_test_id(f"sb-row-{CODE}")).to_be_visible()
    expect(board.get_by_test_id(f"sb-total-{CODE}")).to_have_text("—")
    expect(board.locator("body")).not_to_contain_text(entry.person.name)
    board.evaluate("window.__notReloaded = true")

    # the judge logs in on the tablet and opens the contestant by code
    page.goto(f"{live_server.url}/competitions/judge/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("input[name=username]", judged.judge.user.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id(f"station-{judged.pk}").click()
    row = page.get_by_test_id(f"contestant-{CODE}")
    expect(row).to_have_attribute("data-state", "todo")
    expect(page.locator("body")).not_to_contain_text(entry.person.name)
    expect(page.locator("body")).not_to_contain_text(entry.institution.name)
    row.click()

    sheet = page.get_by_test_id("mark-sheet")
    expect(sheet).to_have_attribute("data-locked", "false")
    expect(page.get_by_test_id("code")).to_have_text(CODE)
    first = page.get_by_test_id("mark-1")
    box = first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 80  # a finger-sized target
    first.fill("25")
    page.get_by_test_id("mark-2").fill("20")
    expect(page.get_by_test_id("live-total")).to_have_text("45")
    page.get_by_test_id("mark-3").fill("28")
    for _ in range(2):  # the + button adds a point each tap
        page.locator("#marks button.step[data-step='1']").last.tap()
    expect(page.get_by_test_id("mark-3")).to_have_value("30")
    expect(page.get_by_test_id("live-total")).to_have_text("75")
    time_box = page.get_by_test_id("time-used").bounding_box()
    assert time_box["height"] >= 44
    page.get_by_test_id("time-used").fill("08:30")

    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("mark-sheet")).to_have_attribute("data-locked", "true")
    assert dialogs and "75" in dialogs[0] and "08:30" in dialogs[0]
    expect(page.get_by_test_id("total")).to_have_text("75.00")
    expect(page.locator("input[name^=mark-]")).to_have_count(0)  # read-only now
    expect(page.get_by_test_id("locked-notice")).to_be_visible()

    mine = Sheet.objects.get(judge=judged.judge, entry=entry)
    assert mine.locked and mine.total == Decimal("75.00") and mine.time_seconds == 510
    # five judges: the highest (75) and the lowest (69) are dropped, the mean of 70, 72, 71 is 71
    assert StationScore.objects.get(station=judged, entry=entry).score == Decimal("71.00")

    # the scoreboard picks the score up by itself (it polls every 3 s), without a reload
    expect(board.get_by_test_id(f"sb-total-{CODE}")).to_have_text("71.00", timeout=10_000)
    expect(board.get_by_test_id(f"sb-rank-{CODE}")).to_have_text("1")
    assert board.evaluate("window.__notReloaded") is True
    expect(board.get_by_test_id("sb-total-R3XD")).to_have_text("—")
    expect(board.locator("body")).not_to_contain_text(entry.person.name)
    spectators.close()
