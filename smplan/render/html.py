"""The HTML output: one self-contained file, also the source of the PDF.

Jinja2 autoescapes everything; the only markup that is not escaped comes
from markdown-it (``html=False``) and from the chart writer, which escapes
its own text. The page carries a Content-Security-Policy that forbids
scripts and any network access, as a second line of defence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from markupsafe import Markup

from smplan.model import Kpi
from smplan.render import charts
from smplan.render.fmt import humanize
from smplan.render.results import ResultCharts
from smplan.render.richtext import email_address, mailto, safe_url, to_html, to_html_inline
from smplan.render.theme import Palette, Theme
from smplan.render.view import Document, filled


@dataclass(frozen=True, slots=True)
class Stylesheets:
    screen: str
    print: str


def stylesheets(theme: Theme) -> Stylesheets:
    """``style.css`` then ``brand.css`` for every medium; ``print.css`` for paper."""
    screen = "\n".join(
        css.strip() for css in (theme.stylesheet("style.css"), theme.stylesheet("brand.css")) if css
    )
    printed = theme.stylesheet("print.css").strip()
    return Stylesheets(screen=Markup(_in_style(screen)), print=Markup(_in_style(printed)))


def _in_style(css: str) -> str:
    """CSS safe inside <style>: it can never close the element (``</`` -> ``<\\/``)."""
    return css.replace("</", "<\\/")


def css_string(text: str) -> str:
    """Text safe inside a CSS double-quoted string in a <style> element."""
    return re.sub(r'[\\"<>\n\r]', lambda m: f"\\{ord(m[0]):x} ", text)


def tel(number: str | None) -> str:
    """A phone number as a ``tel:`` target: digits and a leading plus only.

    Empty when there is no digit ("ask reception"): the theme then shows the
    text, not a ``tel:`` link that dials nothing.
    """
    if not number:
        return ""
    digits = re.sub(r"[^\d]", "", number)
    if not digits:
        return ""
    return f"+{digits}" if number.strip().startswith("+") else digits


def filters(doc: Document) -> dict[str, Callable[..., Any]]:
    """The formatting filters templates use, bound to the document's locale."""
    fmt = doc.fmt

    def rich(text: str | None) -> Markup:
        return Markup(to_html(text))

    def rich_inline(text: str | None) -> Markup:
        return Markup(to_html_inline(text))

    def enum(value: str | None, group: str) -> str:
        return fmt.enum(group, value)

    def period(start: date | None, end: date | None) -> str:
        return fmt.period(start, end)

    def short_period(start: date | None, end: date | None) -> str:
        return fmt.short_period(start, end)

    def day_month(value: datetime | date) -> str:
        return fmt.day_month(value.date() if isinstance(value, datetime) else value)

    return {
        "rich": rich,
        "rich_inline": rich_inline,
        "date": fmt.date,
        "date_short": fmt.date_short,
        "period": period,
        "short_period": short_period,
        "day_month": day_month,
        "time": fmt.time,
        "datetime": fmt.datetime,
        "money": fmt.money,
        "num": fmt.number,
        "pct": fmt.percent,
        "value": fmt.value,
        "duration": fmt.duration,
        "freq": fmt.frequency,
        "enum": enum,
        "humanize": humanize,
        "filled": filled,
        "safe_url": safe_url,
        "mailto": mailto,
        "email_address": email_address,
        "tel": tel,
        "css_string": css_string,
    }


class ChartMaker:
    """The document's charts, with ids unique within the page."""

    def __init__(self, doc: Document, palette: Palette) -> None:
        self.doc = doc
        self.palette = palette

    def kpi(self, kpi: Kpi) -> Markup:
        """Baseline to target (and actuals) for one KPI; nothing if values are missing."""
        doc, fmt = self.doc, self.doc.fmt
        base, goal = kpi.baseline, kpi.target
        if base is None or goal is None or base.value is None or goal.value is None:
            return Markup("")
        labels = doc.labels
        base_caption = (labels.get("kpi.baseline"), fmt.date_short(base.as_of))
        goal_caption = (labels.get("kpi.target"), fmt.date_short(goal.by))
        title = labels.get(
            "kpi.chart_title",
            name=kpi.name or kpi.id,
            baseline=fmt.value(base.value, kpi.unit),
            target=fmt.value(goal.value, kpi.unit),
        )
        actual = labels.get("kpi.actual")
        actuals = [
            charts.Point(m.as_of, m.value, f"{actual} {fmt.value(m.value, kpi.unit)}")
            for m in doc.actuals(kpi.id)
            if m.value is not None
        ]
        svg = charts.kpi_chart(
            uid=f"chart-kpi-{kpi.id}",
            title=title,
            baseline=charts.Point(base.as_of, base.value, fmt.value(base.value, kpi.unit)),
            target=charts.Point(goal.by, goal.value, fmt.value(goal.value, kpi.unit)),
            actuals=actuals,
            baseline_caption=base_caption,
            target_caption=goal_caption,
            palette=self.palette,
        )
        return Markup(svg)

    def timeline(self) -> Markup:
        doc, fmt = self.doc, self.doc.fmt
        spans = [
            charts.Span(
                label=c.name or c.id or "",
                start=c.start,
                end=c.end,
                note=" · ".join(
                    part for part in (fmt.short_period(c.start, c.end), fmt.money(c.budget)) if part
                ),
                solid=c.paid is not False,
            )
            for c in doc.plan.campaigns or []
            if c.start and c.end and c.end >= c.start
        ]
        if not spans:
            return Markup("")
        period = doc.info.period
        paid = any(s.solid for s in spans) and any(not s.solid for s in spans)
        legend = (doc.labels.get("campaign.paid"), doc.labels.get("campaign.organic"))
        svg = charts.timeline(
            uid="chart-timeline",
            title=doc.labels.get("campaign.timeline_title", name=doc.info.name),
            spans=spans,
            start=min(period.start, *(s.start for s in spans)),
            end=max(period.end, *(s.end for s in spans)),
            month_label=fmt.month_abbr,
            legend=legend if paid else None,
            palette=self.palette,
        )
        return Markup(svg)

    def budget(self) -> Markup:
        doc, fmt = self.doc, self.doc.fmt
        shares = doc.budget_by_campaign()
        if not shares:
            return Markup("")
        rows = [
            charts.Bar(s.label, s.amount, f"{fmt.money(s.amount)} · {fmt.percent(s.percent)}")
            for s in shares
        ]
        title = doc.labels.get("budget.by_campaign")
        return Markup(charts.bars(uid="chart-budget", title=title, rows=rows, palette=self.palette))

    def categories(self) -> Markup:
        doc, fmt = self.doc, self.doc.fmt
        shares = doc.budget_by_category()
        if len(shares) < 2:
            return Markup("")
        rows = [
            charts.Bar(s.label, s.amount, f"{fmt.money(s.amount)} ({fmt.percent(s.percent)})")
            for s in shares
        ]
        title = doc.labels.get("budget.by_category")
        return Markup(
            charts.share_bar(uid="chart-categories", title=title, rows=rows, palette=self.palette)
        )

    def pillars(self) -> Markup:
        doc, fmt = self.doc, self.doc.fmt
        shares = doc.pillar_shares()
        if not shares:
            return Markup("")
        rows = [charts.Bar(s.label, s.amount, fmt.percent(s.amount)) for s in shares]
        title = doc.labels.get("content.pillars")
        return Markup(
            charts.share_bar(uid="chart-pillars", title=title, rows=rows, palette=self.palette)
        )

    def sentiment(self) -> Markup:
        doc, fmt = self.doc, self.doc.fmt
        situation = doc.plan.situation
        internal = situation.internal if situation else None
        reputation = internal.reputation if internal else None
        sentiment = reputation.sentiment if reputation else None
        if sentiment is None:
            return Markup("")
        parts = [
            (doc.labels.get(f"sentiment.{key}"), getattr(sentiment, key), colour)
            for key, colour in (
                ("positive", "#2e7d4f"),
                ("neutral", "#8a99a6"),
                ("negative", "#b42318"),
            )
            if getattr(sentiment, key)
        ]
        if not parts:
            return Markup("")
        rows = [charts.Bar(label, value, fmt.percent(value)) for label, value, _ in parts]
        palette = Palette(
            ink=self.palette.ink,
            muted=self.palette.muted,
            line=self.palette.line,
            paper=self.palette.paper,
            accent=self.palette.accent,
            series=tuple(colour for _, _, colour in parts),
            font=self.palette.font,
        )
        title = doc.labels.get("situation.sentiment")
        return Markup(
            charts.share_bar(uid="chart-sentiment", title=title, rows=rows, palette=palette)
        )


def render_html(doc: Document, theme: Theme, *, error_count: int = 0, for_pdf: bool = False) -> str:
    """The whole document as one HTML page (styles and images inline).

    ``for_pdf`` is the page WeasyPrint prints: the same, except that a
    calendar longer than the PDF's limit is counted month by month
    (``doc.calendar_summarised``).
    """
    css = stylesheets(theme)
    maker = ChartMaker(doc, theme.palette(css.screen))
    env = theme.environment(filters(doc), autoescape=True)
    info = doc.info
    owner = doc.member_name(info.owner) if info.owner else ""
    author = ", ".join(part for part in (owner, info.organization or "") if part)
    primary = doc.primary_objective
    subject = doc.labels.get("meta.subject", name=info.name)
    if primary is not None:
        subject = " ".join(primary.statement.split())
    template = env.get_template("plan.html.j2")
    html = template.render(
        doc=doc,
        plan=doc.plan,
        t=doc.labels.get,
        css=css,
        logo=theme.logo(),
        author=author,
        subject=subject,
        error_count=error_count,
        for_pdf=for_pdf,
        kpi_chart=maker.kpi,
        result_chart=ResultCharts(doc, maker.palette),
        timeline_chart=maker.timeline(),
        budget_chart=maker.budget(),
        category_chart=maker.categories(),
        pillar_chart=maker.pillars(),
        sentiment_chart=maker.sentiment(),
    )
    return _tidy(html)


def _tidy(html: str) -> str:
    """No trailing spaces, no runs of blank lines: stable, diffable golden files."""
    lines = [line.rstrip() for line in html.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip() + "\n"
