"""SVG charts drawn at build time in Python: no JavaScript, nothing to fetch.

Every chart is plain SVG with its colours as attribute values (WeasyPrint
does not resolve CSS variables inside SVG), text as real text (selectable,
extractable from the PDF) and a ``<title>`` for screen readers. Dark ink on
a light ground so a black-and-white print stays readable; values are
written on the chart, never left to colour alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from smplan.render.theme import Palette

CHAR_WIDTH = 0.56
"""Average advance of a glyph, in font sizes: enough to lay out labels."""


def _n(value: float) -> str:
    """Coordinates rounded to 0.1: stable output, small files."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _attr(value: str) -> str:
    return escape(value, quote=True)


def text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


class Svg:
    """A tiny SVG writer: escaped text and attributes, rounded coordinates."""

    def __init__(self, width: float, height: float, title: str, uid: str, palette: Palette):
        self.width = width
        self.height = height
        self.title = title
        self.uid = uid
        self.palette = palette
        self.parts: list[str] = []

    def rect(self, x: float, y: float, w: float, h: float, fill: str, **extra: str) -> None:
        more = "".join(f' {k.replace("_", "-")}="{_attr(v)}"' for k, v in extra.items())
        self.parts.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0))}" height="{_n(h)}" '
            f'fill="{_attr(fill)}"{more}/>'
        )

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str, **extra: str) -> None:
        more = "".join(f' {k.replace("_", "-")}="{_attr(v)}"' for k, v in extra.items())
        self.parts.append(
            f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
            f'stroke="{_attr(stroke)}"{more}/>'
        )

    def circle(self, x: float, y: float, r: float, fill: str, **extra: str) -> None:
        more = "".join(f' {k.replace("_", "-")}="{_attr(v)}"' for k, v in extra.items())
        self.parts.append(
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="{_attr(fill)}"{more}/>'
        )

    def polyline(self, points: Sequence[tuple[float, float]], stroke: str, **extra: str) -> None:
        more = "".join(f' {k.replace("_", "-")}="{_attr(v)}"' for k, v in extra.items())
        coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
        self.parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{_attr(stroke)}"{more}/>'
        )

    def text(
        self,
        x: float,
        y: float,
        content: str,
        *,
        size: float = 12,
        fill: str | None = None,
        anchor: str = "start",
        weight: str = "normal",
    ) -> None:
        weight_attr = f' font-weight="{weight}"' if weight != "normal" else ""
        self.parts.append(
            f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" '
            f'fill="{_attr(fill or self.palette.ink)}" text-anchor="{anchor}"{weight_attr}>'
            f"{escape(content, quote=False)}</text>"
        )

    def render(self, css_class: str) -> str:
        title_id = f"{self.uid}-title"
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" '
            f'viewBox="0 0 {_n(self.width)} {_n(self.height)}" role="img" '
            f'aria-labelledby="{title_id}" font-family="{_attr(self.palette.font)}">'
            f'<title id="{title_id}">{escape(self.title, quote=False)}</title>'
        )
        return head + "".join(self.parts) + "</svg>"


def _fit(text: str, size: float, room: float) -> str:
    """Shorten a label with an ellipsis to fit ``room`` (units of the viewBox)."""
    if text_width(text, size) <= room:
        return text
    keep = max(1, int(room / (size * CHAR_WIDTH)) - 1)
    return text[:keep].rstrip() + "…"


# ------------------------------------------------------------------ KPIs
@dataclass(frozen=True, slots=True)
class Point:
    when: date | None
    value: float
    label: str


Box = tuple[float, float, float, float]
"""A text's extent: left, top, right, bottom in viewBox units."""


def _box(x: float, y: float, text: str, size: float, anchor: str) -> Box:
    """Where a text drawn at baseline ``y`` lies (cap height above, descenders below)."""
    width = text_width(text, size)
    start = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    return (start, y - 0.8 * size, start + width, y + 0.25 * size)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_label(
    text: str,
    x: float,
    y: float,
    *,
    below_first: bool,
    taken: Sequence[Box],
    room: tuple[float, float],
) -> tuple[float, float, str]:
    """A spot for the latest actual's label beside its point that no other label covers.

    Tried in order: the side away from the planned path (centred on the point,
    then ending at it), the other side, then left and right of the point.
    When none is free the first is kept.
    """
    half = text_width(text, 11) / 2
    centre = min(max(x, room[0] + half), room[1] - half)
    sides = [y + 17, y - 9] if below_first else [y - 9, y + 17]
    spots = [spot for side in sides for spot in ((centre, side, "middle"), (x, side, "end"))]
    spots += [(x - 7, y + 4, "end"), (x + 7, y + 4, "start")]
    for spot in spots:
        box = _box(spot[0], spot[1], text, 11, spot[2])
        inside = room[0] <= box[0] and box[2] <= room[1]
        if inside and not any(_overlaps(box, other) for other in taken):
            return spot
    return spots[0]


def kpi_chart(
    *,
    uid: str,
    title: str,
    baseline: Point,
    target: Point,
    actuals: Sequence[Point],
    baseline_caption: tuple[str, str],
    target_caption: tuple[str, str],
    palette: Palette,
) -> str:
    """Baseline to target as a dashed path over time; actuals, if any, as a solid line.

    Captions are (label, date) pairs, each on its own line so long labels
    (``Исходное значение``) never run into each other.
    """
    width, height = 320.0, 142.0
    left, right, top, bottom = 14.0, 306.0, 30.0, 104.0
    svg = Svg(width, height, title, uid, palette)
    points = [baseline, target, *actuals]
    values = [p.value for p in points]
    low = min(0.0, *values)
    high = max(values)
    if high == low:
        high = low + 1
    high += (high - low) * 0.12

    dated = baseline.when is not None and target.when is not None and target.when > baseline.when

    def x_of(point: Point, index: int) -> float:
        if dated and point.when is not None and baseline.when and target.when:
            span = (target.when - baseline.when).days or 1
            share = (point.when - baseline.when).days / span
            return left + (right - left) * min(max(share, -0.05), 1.05)
        return left if index == 0 else right

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    for fraction in (0.0, 0.5, 1.0):
        y = bottom - fraction * (bottom - top)
        svg.line(left, y, right, y, palette.line, stroke_width="1")
    bx, by = x_of(baseline, 0), y_of(baseline.value)
    tx, ty = x_of(target, 1), y_of(target.value)
    svg.line(bx, by, tx, ty, palette.accent, stroke_width="2", stroke_dasharray="5 4")
    if actuals:
        path = [(bx, by)] + [(x_of(p, 2), y_of(p.value)) for p in actuals]
        svg.polyline(path, palette.series[1], stroke_width="2.2")
        for x, y in path[1:]:
            svg.circle(x, y, 3.2, palette.series[1])
        lx, ly = path[-1]
        # the label goes on the side of the point away from the planned path,
        # unless it would cover the baseline's or the target's label there
        planned = by + (ty - by) * (lx - bx) / (tx - bx) if tx != bx else by
        taken = [
            _box(bx, by - 10, baseline.label, 13, "start"),
            _box(tx, ty - 11, target.label, 13, "end"),
            (tx - 6.25, ty - 6.25, tx + 6.25, ty + 6.25),  # the target's ring, r 5 + stroke
        ]
        label_x, label_y, anchor = _place_label(
            actuals[-1].label, lx, ly, below_first=ly >= planned, taken=taken, room=(left, right)
        )
        svg.text(
            label_x,
            label_y,
            actuals[-1].label,
            size=11,
            fill=palette.series[1],
            anchor=anchor,
            weight="600",
        )
    svg.circle(bx, by, 4.5, palette.muted)
    svg.circle(tx, ty, 5, palette.paper, stroke=palette.accent, stroke_width="2.5")
    svg.text(bx, by - 10, baseline.label, size=13, anchor="start", weight="600")
    svg.text(tx, ty - 11, target.label, size=13, anchor="end", weight="700", fill=palette.accent)
    for x, (label, when), anchor in (
        (left, baseline_caption, "start"),
        (right, target_caption, "end"),
    ):
        svg.text(x, bottom + 18, label, size=10.5, fill=palette.muted, anchor=anchor)
        if when:
            svg.text(x, bottom + 31, when, size=10.5, fill=palette.ink, anchor=anchor)
    return svg.render("chart-kpi")


# -------------------------------------------------------------- timeline
@dataclass(frozen=True, slots=True)
class Span:
    label: str
    start: date
    end: date
    note: str
    solid: bool = True


def _months(start: date, end: date) -> list[date]:
    """The first day of every month from ``start``'s to ``end``'s.

    Counted in years and months, not by adding days, so a period that ends
    in December 9999 (the last date Python has) needs no date after it.
    """
    months: list[date] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _month_step(count: int) -> int:
    """Label every month, quarter, year, or enough years that about 14 labels show."""
    if count <= 14:
        return 1
    if count <= 42:
        return 3
    return 12 * max(1, -(-count // (12 * 14)))


def _days_to_next_month(start: date, month: date) -> int:
    """Days from ``start`` to the first day after ``month`` (which may not exist)."""
    last = 31 if month.month == 12 else (date(month.year, month.month + 1, 1) - month).days
    return (month - start).days + last


def timeline(
    *,
    uid: str,
    title: str,
    spans: Sequence[Span],
    start: date,
    end: date,
    month_label: Callable[[date], str],
    legend: tuple[str, str] | None,
    palette: Palette,
) -> str:
    """Campaigns across the plan period: one labelled bar per campaign, months on top."""
    width = 720.0
    left, right = 6.0, 714.0
    header, row, footer = 30.0, 44.0, 30.0 if legend else 8.0
    height = header + row * len(spans) + footer
    svg = Svg(width, height, title, uid, palette)
    days = max((end - start).days + 1, 1)

    def x_at(offset: int) -> float:
        """Days after ``start`` (the day after ``end`` at most) to x: no date arithmetic."""
        return left + (right - left) * min(max(offset, 0), days) / days

    def x_of(day: date) -> float:
        return x_at((day - start).days)

    months = _months(start, end)
    step = _month_step(len(months))
    stripe = 1 if step <= 3 else step  # a long period is striped by the labelled span
    for index, month in enumerate(months):
        if index % stripe != 0 and index % step != 0:
            continue
        x = x_of(max(month, start))
        last = months[min(index + stripe, len(months)) - 1]
        x2 = x_at(_days_to_next_month(start, last))
        if index % (2 * stripe) == 0:
            svg.rect(x, header - 6, x2 - x, height - header - footer + 6, "#f3f6f8")
        if index % step == 0:
            svg.text(
                (x + x2) / 2 if step == 1 else x + 2,
                16,
                month_label(month),
                size=11,
                fill=palette.muted,
                anchor="middle" if step == 1 else "start",
            )
    svg.line(left, header - 6, right, header - 6, palette.line, stroke_width="1")
    for index, span in enumerate(spans):
        top = header + index * row
        colour = palette.series[index % len(palette.series)]
        x1, x2 = x_of(span.start), x_at((span.end - start).days + 1)
        bar_y = top + 20
        if span.solid:
            svg.rect(x1, bar_y, x2 - x1, 14, colour, rx="3")
        else:
            svg.rect(
                x1 + 0.75,
                bar_y + 0.75,
                x2 - x1 - 1.5,
                12.5,
                colour,
                rx="3",
                fill_opacity="0.22",
                stroke=colour,
                stroke_width="1.5",
            )
        label_x = min(x1, right - text_width(span.label, 12.5))
        svg.text(
            max(left, label_x),
            top + 14,
            _fit(span.label, 12.5, right - left),
            size=12.5,
            weight="600",
        )
        note_w = text_width(span.note, 10.5)
        if x2 + 6 + note_w <= right:
            svg.text(x2 + 6, bar_y + 11, span.note, size=10.5, fill=palette.muted)
        elif x1 - 6 - note_w >= left:
            svg.text(x1 - 6, bar_y + 11, span.note, size=10.5, fill=palette.muted, anchor="end")
    if legend:
        y = height - 12
        x = left
        for text, solid in ((legend[0], True), (legend[1], False)):
            kind = [i for i, span in enumerate(spans) if span.solid is solid]
            if not kind:
                continue  # no bar of this kind: nothing to explain
            colour = palette.series[kind[0] % len(palette.series)]
            if solid:
                svg.rect(x, y - 9, 18, 10, colour, rx="2")
            else:
                svg.rect(
                    x,
                    y - 9,
                    18,
                    10,
                    colour,
                    rx="2",
                    fill_opacity="0.22",
                    stroke=colour,
                    stroke_width="1.5",
                )
            svg.text(x + 24, y, text, size=10.5, fill=palette.muted)
            x += 24 + text_width(text, 10.5) + 22
    return svg.render("chart-timeline")


# ------------------------------------------------------------------ bars
@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    note: str


def bars(*, uid: str, title: str, rows: Sequence[Bar], palette: Palette) -> str:
    """Horizontal bars with the label above and the value beside: readable in grey."""
    width, row = 720.0, 40.0
    left, right = 6.0, 714.0
    height = row * len(rows) + 6
    svg = Svg(width, height, title, uid, palette)
    biggest = max((r.value for r in rows), default=0) or 1
    note_room = max((text_width(r.note, 11.5) for r in rows), default=0) + 10
    scale = (right - left - note_room) / biggest
    for index, bar in enumerate(rows):
        top = index * row + 4
        colour = palette.series[index % len(palette.series)]
        svg.text(left, top + 12, _fit(bar.label, 12.5, right - left), size=12.5, weight="600")
        length = max(bar.value * scale, 2)
        svg.rect(left, top + 18, length, 14, colour, rx="2")
        svg.text(left + length + 8, top + 29.5, bar.note, size=11.5, fill=palette.ink)
    return svg.render("chart-bars")


def share_bar(*, uid: str, title: str, rows: Sequence[Bar], palette: Palette) -> str:
    """A 100 % stacked bar with a legend that wraps: pillars, sentiment."""
    width = 720.0
    left, right = 6.0, 714.0
    total = sum(r.value for r in rows) or 1
    legend: list[tuple[float, float, str, str]] = []
    x, y = left, 48.0
    for index, bar in enumerate(rows):
        label = f"{bar.label} — {bar.note}"
        item = 16 + text_width(label, 11.5) + 18
        if x + item > right and x > left:
            x, y = left, y + 20
        legend.append((x, y, label, palette.series[index % len(palette.series)]))
        x += item
    height = y + 12
    svg = Svg(width, height, title, uid, palette)
    x = left
    for index, bar in enumerate(rows):
        length = (right - left) * bar.value / total
        svg.rect(x, 6, length, 22, palette.series[index % len(palette.series)])
        if length > 6:
            svg.line(x + length, 6, x + length, 28, palette.paper, stroke_width="1.5")
        x += length
    for lx, ly, label, colour in legend:
        svg.rect(lx, ly - 9, 11, 11, colour, rx="2")
        svg.text(lx + 16, ly, label, size=11.5)
    return svg.render("chart-share")
