"""Server-rendered SVG charts for the dashboards: no JavaScript, no chart library, no CDN (works offline).

Pure: no Django, no database. Strings come in already translated, markup goes out with every text escaped.
Each chart is ``role="img"`` labelled by its ``<title>`` and ``<desc>``; every bar and point carries its own
``<title>`` (a tooltip, and what a screen reader reads), and the page shows the same figures as a table next to
the chart (the fallback when the picture is of no use).

* :func:`bar_chart` — one horizontal bar per region or institution (long Chinese names fit on the left), an
  optional dashed target line, bars that meet the target styled apart from those below it, bars as links for
  the drill-down;
* :func:`line_chart` — a trend over years, projected years dashed, with the optional target line.

Colours are attributes (``fill``/``stroke``) so the SVG looks right on its own; classes let a stylesheet
override them. Values are never shown by colour alone: each bar is followed by its value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 720
FONT = 13  # px
ROW = 26  # px per bar
BAR = 16  # bar thickness
LABEL_WIDTH = 176  # px kept for the labels on the left of the bars
VALUE_WIDTH = 72  # px kept for the value after the longest bar
MAX_BARS = 60  # more rows than this: the chart shows the first ones and says so; the table has them all

COLOURS = {"bar": "#2e6da4", "met": "#2f7d32", "below": "#c0392b", "target": "#333333", "grid": "#dddddd"}


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: no data (no bar, shown as a dash)
    href: str = ""  # drill-down link, if any


@dataclass(frozen=True)
class Point:
    label: str  # the x label, e.g. "2025"
    value: float | None
    projected: bool = False  # a projection, not a measured value (drawn dashed)


def plain(value: float) -> str:
    """1234.0 -> "1234", 12.5 -> "12.5" (the default value format)."""
    if float(value).is_integer():
        return f"{value:.0f}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def percent(value: float) -> str:
    """A rate in percent, as the statistics give it: 70.53 -> "70.5%"."""
    return f"{plain(round(value, 1))}%"


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 x 10^k at or above ``value`` (the end of an axis); 1 for nothing."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power * (1 + 1e-9):
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def ticks(top: float, count: int = 5) -> list[float]:
    """Evenly spaced ticks from 0 to ``top`` (a nice ceiling), ``count`` intervals."""
    return [top * i / count for i in range(count + 1)]


def text_width(text: str, size: int = FONT) -> float:
    """Estimated rendered width: a CJK (wide) character is about 1 em, others about 0.6 em."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.6 for ch in text)


def fit(text: str, width: float, size: int = FONT) -> str:
    """``text`` cut with an ellipsis to fit ``width`` (the full text stays in the element's <title>)."""
    if text_width(text, size) <= width:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > width:
            break
        out += ch
    return out + "…"


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg_open(chart_id: str, title: str, description: str, height: float, css: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" id="{escape(chart_id)}" role="img" '
        f'viewBox="0 0 {WIDTH} {_n(height)}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'font-family="sans-serif" font-size="{FONT}" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]


def _empty(chart_id: str, title: str, description: str, css: str, message: str) -> str:
    parts = _svg_open(chart_id, title, description, 60, css)
    parts.append(f'<text x="{WIDTH / 2}" y="34" text-anchor="middle" class="chart-empty">{escape(message)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str = "",
    target: float | None = None,
    target_label: str = "",
    fmt: Callable[[float], str] = plain,
    empty_message: str = "-",
    more_message: str = "",
    chart_id: str = "chart-bars",
) -> str:
    """Horizontal bars, one per item, with a dashed vertical target line when ``target`` is given.

    ``target_label`` is shown at the top of the line (e.g. "Target 70%"). With a target, bars at or above it get
    the class ``bar--met``, those below ``bar--below``. ``more_message`` is shown when there are more than
    :data:`MAX_BARS` bars (e.g. "First 60 of 240; the table lists all").
    """
    if not bars:
        return _empty(chart_id, title, description, "chart chart--bars", empty_message)
    shown = list(bars[:MAX_BARS])
    values = [b.value for b in shown if b.value is not None]
    top = nice_ceiling(max([*values, target or 0, 0]))
    head = 30  # room for the target label
    foot = 22  # the axis tick labels
    note = 20 if len(bars) > MAX_BARS and more_message else 0
    height = head + ROW * len(shown) + foot + note
    plot_left = LABEL_WIDTH + 8
    plot_width = WIDTH - plot_left - VALUE_WIDTH

    def x(value: float) -> float:
        return plot_left + plot_width * max(0.0, min(value, top)) / top

    parts = _svg_open(chart_id, title, description, height, "chart chart--bars")
    axis_y = head + ROW * len(shown)
    for tick in ticks(top):  # grid and axis labels
        parts.append(
            f'<line class="chart-grid" x1="{_n(x(tick))}" y1="{head - 4}" x2="{_n(x(tick))}" y2="{axis_y}" '
            f'stroke="{COLOURS["grid"]}" stroke-width="1"/>'
            f'<text class="chart-tick" x="{_n(x(tick))}" y="{axis_y + 16}" text-anchor="middle" '
            f'font-size="11">{escape(fmt(tick))}</text>'
        )
    for i, bar in enumerate(shown):
        y = head + ROW * i
        value_text = "–" if bar.value is None else fmt(bar.value)
        css, colour = "bar", COLOURS["bar"]
        if target is not None and bar.value is not None:
            kind = "met" if bar.value >= target else "below"
            css, colour = f"bar bar--{kind}", COLOURS[kind]
        end = x(bar.value) if bar.value is not None else plot_left
        item = [
            f'<g class="chart-row" data-label="{escape(bar.label)}" data-value="{escape(value_text)}">',
            f"<title>{escape(bar.label)}: {escape(value_text)}</title>",
            f'<text class="chart-label" x="{LABEL_WIDTH}" y="{y + ROW / 2 + 4}" text-anchor="end">'
            f"{escape(fit(bar.label, LABEL_WIDTH))}</text>",
        ]
        if bar.value is not None:
            item.append(
                f'<rect class="{css}" x="{_n(plot_left)}" y="{y + (ROW - BAR) / 2}" '
                f'width="{_n(max(end - plot_left, 0))}" height="{BAR}" fill="{colour}"/>'
            )
        item.append(f'<text class="chart-value" x="{_n(end + 6)}" y="{y + ROW / 2 + 4}">{escape(value_text)}</text>')
        item.append("</g>")
        if bar.href:
            item = [f'<a href="{escape(bar.href)}">', *item, "</a>"]
        parts.extend(item)
    if target is not None:
        tx = _n(x(target))
        parts.append(
            f'<g class="chart-target"><line x1="{tx}" y1="{head - 8}" x2="{tx}" y2="{axis_y}" '
            f'stroke="{COLOURS["target"]}" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{tx}" y="{head - 12}" text-anchor="middle" font-weight="bold">'
            f"{escape(target_label or fmt(target))}</text></g>"
        )
    if note:
        parts.append(
            f'<text class="chart-note" x="{plot_left}" y="{height - 4}" font-size="11">{escape(more_message)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    points: Sequence[Point],
    *,
    title: str,
    description: str = "",
    target: float | None = None,
    target_label: str = "",
    fmt: Callable[[float], str] = plain,
    empty_message: str = "-",
    chart_id: str = "chart-trend",
) -> str:
    """A trend: measured points joined by a solid line, projected points (``Point.projected``) by a dashed one
    continuing from the last measured point, and the target as a dashed horizontal line."""
    known = [p for p in points if p.value is not None]
    if not known:
        return _empty(chart_id, title, description, "chart chart--trend", empty_message)
    height, head, foot, left, right = 260, 28, 28, 64, 24
    top = nice_ceiling(max([*(p.value for p in known), target or 0, 0]))
    plot_h = height - head - foot
    step = (WIDTH - left - right) / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return left + step * i if len(points) > 1 else (left + WIDTH - right) / 2

    def y(value: float) -> float:
        return head + plot_h * (1 - max(0.0, min(value, top)) / top)

    parts = _svg_open(chart_id, title, description, height, "chart chart--trend")
    for tick in ticks(top, 4):
        parts.append(
            f'<line class="chart-grid" x1="{left}" y1="{_n(y(tick))}" x2="{WIDTH - right}" y2="{_n(y(tick))}" '
            f'stroke="{COLOURS["grid"]}" stroke-width="1"/>'
            f'<text class="chart-tick" x="{left - 6}" y="{_n(y(tick) + 4)}" text-anchor="end" font-size="11">'
            f"{escape(fmt(tick))}</text>"
        )
    for i, point in enumerate(points):
        parts.append(
            f'<text class="chart-tick" x="{_n(x(i))}" y="{height - 8}" text-anchor="middle">'
            f"{escape(point.label)}</text>"
        )
    measured = [(x(i), y(p.value)) for i, p in enumerate(points) if p.value is not None and not p.projected]
    projected = [(x(i), y(p.value)) for i, p in enumerate(points) if p.value is not None and p.projected]
    if measured:
        parts.append(
            '<polyline class="chart-line" fill="none" stroke="{}" stroke-width="2.5" points="{}"/>'.format(
                COLOURS["bar"], " ".join(f"{_n(a)},{_n(b)}" for a, b in measured)
            )
        )
    if projected:
        path = ([measured[-1]] if measured else []) + projected
        parts.append(
            '<polyline class="chart-line chart-line--projected" fill="none" stroke="{}" stroke-width="2" '
            'stroke-dasharray="5 4" points="{}"/>'.format(COLOURS["bar"], " ".join(f"{_n(a)},{_n(b)}" for a, b in path))
        )
    for i, point in enumerate(points):
        if point.value is None:
            continue
        css = "chart-point chart-point--projected" if point.projected else "chart-point"
        fill = "#ffffff" if point.projected else COLOURS["bar"]
        parts.append(
            f'<circle class="{css}" cx="{_n(x(i))}" cy="{_n(y(point.value))}" r="4.5" fill="{fill}" '
            f'stroke="{COLOURS["bar"]}" stroke-width="2"><title>{escape(point.label)}: {escape(fmt(point.value))}'
            f"</title></circle>"
        )
    if target is not None:
        ty = _n(y(target))
        parts.append(
            f'<g class="chart-target"><line x1="{left}" y1="{ty}" x2="{WIDTH - right}" y2="{ty}" '
            f'stroke="{COLOURS["target"]}" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{WIDTH - right}" y="{_n(y(target) - 6)}" text-anchor="end" font-weight="bold">'
            f"{escape(target_label or fmt(target))}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)
