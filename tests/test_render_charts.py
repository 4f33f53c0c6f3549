"""The SVG charts: any valid period draws, labels stay apart, the legend tells the truth."""

from __future__ import annotations

import re
from datetime import date

from smplan.render import charts
from smplan.render.theme import Palette

PALETTE = Palette()


def _texts(svg: str) -> list[tuple[float, float, str, float, str]]:
    out = []
    for attrs, body in re.findall(r"<text([^>]*)>([^<]*)</text>", svg):
        get = dict(re.findall(r'([\w-]+)="([^"]*)"', attrs))
        out.append(
            (
                float(get["x"]),
                float(get["y"]),
                get.get("text-anchor", "start"),
                float(get["font-size"]),
                body,
            )
        )
    return out


def test_a_period_ending_on_the_last_date_python_has_draws() -> None:
    spans = [charts.Span("Always on", date(2027, 1, 1), date(9999, 12, 31), "forever")]
    svg = charts.timeline(
        uid="t",
        title="t",
        spans=spans,
        start=date(2027, 1, 1),
        end=date(9999, 12, 31),
        month_label=lambda m: m.strftime("%Y"),
        legend=None,
        palette=PALETTE,
    )
    labels = [t for t in _texts(svg) if t[3] == 11]
    assert 10 <= len(labels) <= 15  # about 14 year labels, not 96,000 months
    assert svg.count("<rect") < 40


def test_the_legend_swatches_take_the_colours_of_their_bars() -> None:
    spans = [
        charts.Span("Paid", date(2027, 1, 1), date(2027, 2, 1), ""),
        charts.Span("Organic", date(2027, 3, 1), date(2027, 4, 1), "", solid=False),
    ]
    svg = charts.timeline(
        uid="t",
        title="t",
        spans=spans,
        start=date(2027, 1, 1),
        end=date(2027, 6, 30),
        month_label=lambda m: m.strftime("%b"),
        legend=("paid", "organic"),
        palette=PALETTE,
    )
    rects = re.findall(r'<rect x="[^"]*" y="([^"]*)" width="18" height="10" fill="([^"]*)"', svg)
    assert [fill for _, fill in rects] == [PALETTE.series[0], PALETTE.series[1]]


def test_the_latest_actual_never_covers_the_target_label() -> None:
    # the cafe-verde case: 96.3 % measured on the target date of 95 %
    svg = charts.kpi_chart(
        uid="k",
        title="k",
        baseline=charts.Point(date(2026, 12, 31), 78, "78%"),
        target=charts.Point(date(2027, 6, 30), 95, "95%"),
        actuals=[charts.Point(date(2027, 6, 30), 96.3, "Actual 96.3%")],
        baseline_caption=("Baseline", "Dec 31, 2026"),
        target_caption=("Target", "Jun 30, 2027"),
        palette=PALETTE,
    )
    boxes = {
        body: charts._box(x, y, body, size, anchor) for x, y, anchor, size, body in _texts(svg)
    }
    assert not charts._overlaps(boxes["Actual 96.3%"], boxes["95%"])
    assert not charts._overlaps(boxes["Actual 96.3%"], boxes["78%"])
