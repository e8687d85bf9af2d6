"""The dashboards' SVG charts (pure: no database): well-formed, accessible, scaled, escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from reports.views import charts
from reports.views.charts import Bar, Point

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own markup; raises when malformed


def rows(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "chart-row"]


@pytest.mark.parametrize(
    ("value", "ceiling"),
    [(0, 1), (0.7, 1), (0.705, 1), (0.42, 0.5), (1, 1), (1.2, 2), (2.2, 2.5), (3, 5), (7, 10), (1234, 2000)],
)
def test_nice_ceiling(value, ceiling):
    assert charts.nice_ceiling(value) == pytest.approx(ceiling)


def test_formats():
    assert charts.plain(1500.0) == "1500"
    assert charts.plain(12.5) == "12.5"
    assert charts.percent(70.53) == "70.5%"
    assert charts.percent(70.0) == "70%"


def test_fit_cuts_long_labels_with_an_ellipsis():
    assert charts.fit("麒麟区", 176) == "麒麟区"
    cut = charts.fit("曲靖市麒麟区阳光普惠托育服务中心第一分园", 120)
    assert cut.endswith("…") and charts.text_width(cut) <= 120


def test_bar_chart_is_accessible_and_draws_one_bar_per_region():
    markup = charts.bar_chart(
        [Bar("麒麟区", 80.0, href="?region=530302"), Bar("宣威市", 50.0), Bar("会泽县", None)],
        title="Certified rate by county",
        description="Three counties",
        target=70.0,
        target_label="Target 70%",
        fmt=charts.percent,
        chart_id="certified",
    )
    root = parse(markup)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "certified-title certified-desc"
    assert root.find(f"{SVG}title").text == "Certified rate by county"
    assert root.find(f"{SVG}desc").text == "Three counties"
    found = rows(root)
    assert [g.get("data-label") for g in found] == ["麒麟区", "宣威市", "会泽县"]
    assert [g.find(f"{SVG}title").text for g in found] == ["麒麟区: 80%", "宣威市: 50%", "会泽县: –"]
    rects = list(root.iter(f"{SVG}rect"))
    assert [r.get("class") for r in rects] == ["bar bar--met", "bar bar--below"]  # no bar without data
    # the axis ends at 100%: 80% is 8/5 of 50%
    assert float(rects[0].get("width")) == pytest.approx(float(rects[1].get("width")) * 8 / 5, rel=0.01)
    target = [g for g in root.iter(f"{SVG}g") if g.get("class") == "chart-target"]
    assert len(target) == 1 and target[0].find(f"{SVG}text").text == "Target 70%"
    links = list(root.iter(f"{SVG}a"))
    assert [a.get("href") for a in links] == ["?region=530302"]


def test_bar_chart_target_line_sits_at_the_target_value():
    root = parse(charts.bar_chart([Bar("A", 50.0), Bar("B", 100.0)], title="t", target=100.0))
    line = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "chart-target").find(f"{SVG}line")
    rect_b = list(root.iter(f"{SVG}rect"))[1]
    assert float(line.get("x1")) == pytest.approx(float(rect_b.get("x")) + float(rect_b.get("width")), abs=0.1)


def test_bar_chart_without_target_has_plain_bars_and_no_line():
    root = parse(charts.bar_chart([Bar("A", 3), Bar("B", 0)], title="t"))
    assert {r.get("class") for r in root.iter(f"{SVG}rect")} == {"bar"}
    assert not [g for g in root.iter(f"{SVG}g") if g.get("class") == "chart-target"]


def test_text_is_escaped():
    markup = charts.bar_chart([Bar('<b>"x"&', 1, href='/a?b=1&c="2"')], title="<script>", description="a & b")
    root = parse(markup)
    assert "<script>" not in markup and "<b>" not in markup
    assert root.find(f"{SVG}title").text == "<script>"
    assert rows(root)[0].get("data-label") == '<b>"x"&'
    assert next(root.iter(f"{SVG}a")).get("href") == '/a?b=1&c="2"'


def test_empty_charts_say_so():
    for markup in (
        charts.bar_chart([], title="t", empty_message="No data"),
        charts.line_chart([Point("2024", None)], title="t", empty_message="No data"),
    ):
        root = parse(markup)
        assert root.find(f"{SVG}text").text == "No data"


def test_many_bars_are_capped_with_a_note():
    bars = [Bar(f"机构{i}", i) for i in range(charts.MAX_BARS + 5)]
    root = parse(charts.bar_chart(bars, title="t", more_message="First 60; the table lists all"))
    assert len(rows(root)) == charts.MAX_BARS
    assert any(t.get("class") == "chart-note" for t in root.iter(f"{SVG}text"))


def test_line_chart_draws_measured_and_projected_segments():
    points = [Point("2023", 40.0), Point("2024", 50.0), Point("2025", 60.0), Point("2026", 70.0, projected=True)]
    root = parse(charts.line_chart(points, title="Trend", target=70.0, fmt=charts.percent, chart_id="trend"))
    assert root.get("aria-labelledby") == "trend-title trend-desc"
    lines = list(root.iter(f"{SVG}polyline"))
    assert [line.get("class") for line in lines] == ["chart-line", "chart-line chart-line--projected"]
    assert len(lines[0].get("points").split()) == 3
    assert len(lines[1].get("points").split()) == 2  # continues from the last measured point
    titles = [c.find(f"{SVG}title").text for c in root.iter(f"{SVG}circle")]
    assert titles == ["2023: 40%", "2024: 50%", "2025: 60%", "2026: 70%"]
    # y grows downwards: the later, higher values are drawn higher up
    ys = [float(c.get("cy")) for c in root.iter(f"{SVG}circle")]
    assert ys == sorted(ys, reverse=True)
    target = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "chart-target").find(f"{SVG}line")
    assert float(target.get("y1")) == pytest.approx(ys[-1], abs=0.1)


def test_line_chart_with_one_point():
    root = parse(charts.line_chart([Point("2025", 12)], title="t"))
    assert len(list(root.iter(f"{SVG}circle"))) == 1
