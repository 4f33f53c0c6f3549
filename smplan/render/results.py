"""The Results section: each KPI's actuals against its path from baseline to target.

View data comes from :mod:`smplan.status`, as ``smplan track`` shows it, on
the same report date: the latest measurement on or before today (``--today``),
so the same plan, actuals and today always give the same document. The chart is drawn with the chart
module's SVG writer, in its style: values written on the chart, status in
words as well as colour, readable in grey.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from markupsafe import Markup

from smplan import metrics
from smplan.render import charts
from smplan.status import KpiStatus, Spend, budget_pacing

if TYPE_CHECKING:
    from smplan.model import Plan
    from smplan.render.theme import Palette
    from smplan.render.view import Document

BADGES = {
    "achieved": "ok",
    "on-track": "ok",
    "at-risk": "sev-warning",
    "off-track": "sev-error",
    "no-data": "",
}
"""Status -> the badge class suffix the theme already styles."""

_STATUS_INK = {"at-risk": "#8a6a10", "off-track": "#b42318"}


@dataclass(frozen=True, slots=True)
class Results:
    """What the section prints: every KPI's status, what to redefine, spend."""

    as_of: date
    kpis: list[KpiStatus]
    spend: list[Spend]

    @property
    def measured(self) -> list[KpiStatus]:
        """KPIs with at least one measurement and the numbers to chart it."""
        return [k for k in self.kpis if k.points and _chartable(k)]

    @property
    def off_track(self) -> list[KpiStatus]:
        return [k for k in self.kpis if k.status == "off-track"]

    def badge(self, item: KpiStatus) -> str:
        """The badge class suffix of a status (the theme styles ok, warning, error)."""
        return BADGES[item.status]


def results_for(as_of: date, kpis: list[KpiStatus], plan: Plan) -> Results | None:
    """The section from the document's statuses on ``as_of``; None when nothing was measured.

    The statuses are the document's own (:class:`~smplan.render.view.Document`
    evaluates once, with kpi-off-track's tolerance and pace, as ``smplan
    track`` and the lint do), so the KPI table and Results show one figure.
    """
    if not any(item.points for item in kpis):
        return None
    return Results(as_of, kpis, budget_pacing(plan, as_of))


def _chartable(item: KpiStatus) -> bool:
    kpi = item.kpi
    return bool(
        kpi.baseline
        and kpi.target
        and kpi.baseline.value is not None
        and kpi.target.value is not None
        and kpi.baseline.as_of
        and kpi.target.by
        and kpi.target.by > kpi.baseline.as_of
    )


class ResultCharts:
    """``result_chart(item)`` for the templates: one progress chart per measured KPI."""

    def __init__(self, doc: Document, palette: Palette) -> None:
        self.doc = doc
        self.palette = palette

    def __call__(self, item: KpiStatus) -> Markup:
        if not item.points or not _chartable(item):
            return Markup("")
        doc, fmt, kpi = self.doc, self.doc.fmt, item.kpi
        assert kpi.baseline is not None and kpi.target is not None
        assert kpi.baseline.value is not None and kpi.target.value is not None
        assert kpi.baseline.as_of is not None and kpi.target.by is not None
        status = doc.labels.get(f"results.status.{item.status}")
        title = doc.labels.get(
            "results.chart_title",
            name=kpi.name or kpi.id,
            status=status,
            actual=fmt.value(item.actual, kpi.unit),
        )
        svg = progress_chart(
            uid=f"chart-result-{kpi.id}",
            title=title,
            start=(kpi.baseline.as_of, kpi.baseline.value),
            end=(kpi.target.by, kpi.target.value),
            actuals=[(p.as_of, p.value) for p in item.points],
            expected_at=item.measured,
            label=lambda v: fmt.value(v, kpi.unit),
            status=(item.status, status),
            captions=(
                (doc.labels.get("kpi.baseline"), fmt.date_short(kpi.baseline.as_of)),
                (doc.labels.get("kpi.target"), fmt.date_short(kpi.target.by)),
            ),
            expected_caption=doc.labels.get("results.expected_path"),
            pace=doc.pace,
            palette=self.palette,
        )
        return Markup(svg)


def progress_chart(
    *,
    uid: str,
    title: str,
    start: tuple[date, float],
    end: tuple[date, float],
    actuals: list[tuple[date, float]],
    expected_at: date | None,
    label: Callable[[float], str],
    status: tuple[str, str],
    captions: tuple[tuple[str, str], tuple[str, str]],
    expected_caption: str,
    palette: Palette,
    pace: str = "linear",
) -> str:
    """Actuals (solid) against the expected path (dashed) from baseline to target.

    A hollow ring marks where the KPI was expected to be on the date of its
    latest measurement; the status is written top left, in words and colour.
    """
    width, height = 320.0, 150.0
    left, right, top, bottom = 14.0, 306.0, 38.0, 110.0
    svg = charts.Svg(width, height, title, uid, palette)
    (since, base), (by, goal) = start, end
    span = (by - since).days
    values = [base, goal, *(v for _, v in actuals)]
    low, high = min(values), max(values)
    pad = (high - low) * 0.12 or abs(high) * 0.1 or 1.0
    low, high = low - pad, high + pad  # the range that moves, not zero to the top

    def x_of(day: date) -> float:
        share = (day - since).days / span
        return left + (right - left) * min(max(share, -0.05), 1.05)

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    def planned(day: date) -> float:
        progress = metrics.expected_progress((day - since).days / span, pace)
        return base + (goal - base) * progress

    for fraction in (0.0, 0.5, 1.0):
        y = bottom - fraction * (bottom - top)
        svg.line(left, y, right, y, palette.line, stroke_width="1")
    steps = 24
    path = [since + timedelta(days=span * i / steps) for i in range(steps + 1)]
    svg.polyline(
        [(x_of(day), y_of(planned(day))) for day in path],
        palette.accent,
        stroke_width="2",
        stroke_dasharray="5 4",
    )
    key, words = status
    ink = _STATUS_INK.get(key, palette.accent if key in ("achieved", "on-track") else palette.muted)
    if expected_at is not None:
        svg.circle(
            x_of(expected_at),
            y_of(planned(expected_at)),
            4.5,
            palette.paper,
            stroke=palette.accent,
            stroke_width="1.8",
        )
    line = [(x_of(since), y_of(base))] + [(x_of(d), y_of(v)) for d, v in actuals]
    svg.polyline(line, ink, stroke_width="2.4")
    for x, y in line[1:]:
        svg.circle(x, y, 3.2, ink)
    svg.circle(line[0][0], line[0][1], 4.2, palette.muted)
    last_x, last_y = line[-1]
    text = label(actuals[-1][1])
    half = charts.text_width(text, 11) / 2
    # on the side of the point away from the expected path, so neither hides the other
    below = y_of(planned(actuals[-1][0])) < last_y
    svg.text(
        min(max(last_x, left + half), right - half),
        last_y + 17 if below else last_y - 10,
        text,
        size=11,
        fill=ink,
        anchor="middle",
        weight="700",
    )
    svg.text(right, y_of(goal) - 9, label(goal), size=11.5, anchor="end", fill=palette.accent)
    svg.text(left, 16, words, size=12, fill=ink, weight="700")
    svg.text(right, 16, expected_caption, size=10, fill=palette.muted, anchor="end")
    for x, (name, when), anchor in ((left, captions[0], "start"), (right, captions[1], "end")):
        svg.text(x, bottom + 18, name, size=10.5, fill=palette.muted, anchor=anchor)
        svg.text(x, bottom + 31, when, size=10.5, anchor=anchor)
    return svg.render("chart-result")
