"""What the templates see: the plan plus lookups and sums a document needs.

Templates stay declarative: references are resolved here (a member id
becomes a name), totals are computed here, and here is the one place that
decides which sections a plan has, so an empty section is never rendered.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, get_args

from pydantic import BaseModel

from smplan.model import (
    CalendarItem,
    Campaign,
    Channel,
    CrisisLevel,
    Kpi,
    Member,
    Money,
    Objective,
    Plan,
)
from smplan.model.calendar import CalendarStatus
from smplan.render.fmt import Formatter, humanize
from smplan.render.i18n import Labels
from smplan.status import DEFAULT_TOLERANCE, KpiStatus, Point, evaluate

if TYPE_CHECKING:
    from smplan.render.results import Results

SECTIONS = (
    "summary",
    "situation",
    "post",
    "kpis",
    "results",
    "campaigns",
    "content",
    "budget",
    "community",
    "crisis",
    "team",
    "appendix",
)
"""Every section in the order of the method (situation, POST, KPIs, crisis)."""

RACI_ROLES = ("responsible", "accountable", "consulted", "informed")

PDF_CALENDAR_LIMIT = 200
"""Up to this many posts the PDF lists every one; above it, the PDF counts them.

A post takes a twelfth of a page; 200 posts are about 15 pages, and a
year of daily posting on several channels would be a hundred pages nobody
reads on paper (and minutes of WeasyPrint). Above the limit the PDF shows
the calendar month by month (posts per channel, pillar, campaign and
status) and says that every post is in the HTML and Markdown documents,
which always list them all. See docs/build.md.
"""


def filled(value: Any) -> bool:
    """True when a value holds something worth printing (not None, blank or empty)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple | set | dict):
        items = value.values() if isinstance(value, dict) else value
        return any(filled(item) for item in items)
    if isinstance(value, BaseModel):
        return any(filled(getattr(value, name)) for name in type(value).model_fields)
    return True


@dataclass(frozen=True, slots=True)
class Finding:
    """A lint finding as the appendix prints it."""

    severity: str
    rule: str
    message: str
    where: str


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str


@dataclass(slots=True)
class Share:
    """One slice of a whole: a label, an amount and its percentage."""

    label: str
    amount: float
    percent: float = 0.0
    key: str = ""


@dataclass(slots=True)
class RaciMatrix:
    members: list[str] = field(default_factory=list)
    rows: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass(slots=True)
class MonthOverview:
    """One month of the calendar in counts (the PDF's overview of a long calendar)."""

    month: str
    posts: int = 0
    channels: list[tuple[str, int]] = field(default_factory=list)
    pillars: list[tuple[str, int]] = field(default_factory=list)
    campaigns: list[tuple[str, int]] = field(default_factory=list)
    statuses: list[tuple[str, int]] = field(default_factory=list)


POST_STATUSES: tuple[str, ...] = get_args(CalendarStatus)


def _counts(values: Iterable[str | None], order: Iterable[str] = ()) -> list[tuple[str, int]]:
    """``[b, a, b]`` -> ``[(a, 1), (b, 2)]`` in ``order``, then as first seen; blanks skipped.

    The same order every month, so a column reads down like a table.
    """
    counts: dict[str, int] = dict.fromkeys(order, 0)
    for value in values:
        if value:
            counts[value] = counts.get(value, 0) + 1
    return [(key, count) for key, count in counts.items() if count]


def _shares(items: Iterable[tuple[str, float, str]]) -> list[Share]:
    rows = [Share(label, amount, key=key) for label, amount, key in items]
    total = sum(r.amount for r in rows)
    for row in rows:
        row.percent = row.amount / total * 100 if total else 0.0
    return rows


def _amount(money: Money | None) -> float:
    return money.amount if money is not None else 0.0


class Document:
    """A plan prepared for rendering in one language."""

    def __init__(
        self,
        plan: Plan,
        labels: Labels,
        fmt: Formatter,
        *,
        findings: Sequence[Finding] = (),
        draft: bool = False,
        built_on: date | None = None,
        tracking: tuple[float, str] = (DEFAULT_TOLERANCE, "linear"),
        pdf_calendar_limit: int | None = None,
        today: date | None = None,
    ) -> None:
        self.plan = plan
        self.pdf_calendar_limit = (
            PDF_CALENDAR_LIMIT if pdf_calendar_limit is None else pdf_calendar_limit
        )
        self.tolerance, self.pace = tracking
        self.info = plan.plan
        self.labels = labels
        self.fmt = fmt
        self.findings = list(findings)
        self.draft = draft
        self.built_on = built_on
        self.language = fmt.tag  # the BCP 47 tag as asked for (html lang, PDF /Lang)
        team = plan.team
        self.members: dict[str, Member] = {
            m.id: m for m in (team.members or [] if team else []) if m.id
        }
        self.channels: dict[str, Channel] = {
            c.id: c for c in (plan.strategy.channels or [] if plan.strategy else [])
        }
        self.objectives: dict[str, Objective] = {o.id: o for o in plan.objectives or []}
        self.kpis: dict[str, Kpi] = {k.id: k for k in plan.kpis or []}
        # Every figure of a KPI comes from one evaluation, as ``smplan track`` makes it:
        # the KPI table, its chart and the Results section cannot disagree.
        self.as_of, statuses = evaluate(
            plan, today=today or date.today(), tolerance=self.tolerance, pace=self.pace
        )
        self.statuses: dict[str, KpiStatus] = {}
        for item in statuses:
            self.statuses.setdefault(item.kpi.id, item)
        self.campaigns: dict[str, Campaign] = {c.id: c for c in plan.campaigns or [] if c.id}
        self.levels: dict[str, CrisisLevel] = {
            lv.id: lv for lv in (plan.crisis.levels or [] if plan.crisis else []) if lv.id
        }
        self.audience_names = {a.id: a.name or a.id for a in plan.audiences or [] if a.id}
        self.tool_names = {t.id: t.name or t.id for t in plan.tools or [] if t.id}
        strategy = plan.strategy
        self.pillar_names = {
            p.id: p.name or p.id for p in (strategy.pillars or [] if strategy else []) if p.id
        }
        self.sections = [
            Section(name, labels.get(f"section.{name}")) for name in SECTIONS if self._has(name)
        ]

    # ------------------------------------------------------------ sections
    def _has(self, name: str) -> bool:
        plan = self.plan
        strategy = plan.strategy
        match name:
            case "summary":
                return bool(self.objectives or self.kpis or self.channels or self.budget_total)
            case "situation":
                return filled(plan.situation)
            case "post":
                return any(
                    filled(x)
                    for x in (
                        plan.audiences,
                        plan.objectives,
                        strategy and strategy.summary,
                        strategy and strategy.voice,
                        strategy and strategy.channels,
                        plan.tools,
                    )
                )
            case "kpis":
                return bool(self.kpis)
            case "results":
                return self.results is not None
            case "campaigns":
                return filled(plan.campaigns)
            case "content":
                return filled(strategy and strategy.pillars) or filled(plan.calendar)
            case "budget":
                return filled(plan.budget)
            case "community":
                return filled(plan.community)
            case "crisis":
                return filled(plan.crisis)
            case "team":
                return filled(plan.team)
            case "appendix":
                return bool(self.findings)
        return False

    def has(self, name: str) -> bool:
        return any(s.id == name for s in self.sections)

    def number(self, name: str) -> int:
        """The section's number in the document (1-based), for headings and the TOC."""
        for index, section in enumerate(self.sections, 1):
            if section.id == name:
                return index
        return 0

    @cached_property
    def results(self) -> Results | None:
        """Measured results as of the latest measurement (the Results section)."""
        from smplan.render.results import results_for

        return results_for(self.as_of, [*self.statuses.values()], self.plan)

    # -------------------------------------------------------------- lookups
    def member_name(self, ref: str | None) -> str:
        if ref is None:
            return ""
        if ref == "all":
            return self.labels.get("team.all")
        member = self.members.get(ref)
        return (member.name or ref) if member else ref

    def member_names(self, refs: Iterable[str] | None) -> str:
        return ", ".join(self.member_name(r) for r in refs or [])

    def member(self, ref: str | None) -> Member | None:
        return self.members.get(ref) if ref else None

    def network(self, name: str | None) -> str:
        if not name:
            return ""
        return self.labels.get(f"network.{name.lower()}", humanize(name))

    def channel_name(self, ref: str | None) -> str:
        """A channel by its network; the handle is added when two share a network."""
        if ref is None:
            return ""
        channel = self.channels.get(ref)
        if channel is None:
            return ref
        name = self.network(channel.network)
        same = [c for c in self.channels.values() if c.network == channel.network]
        if len(same) > 1 and channel.handle:
            return f"{name} ({channel.handle})"
        return name

    def channel_names(self, refs: Iterable[str] | None) -> str:
        return ", ".join(self.channel_name(r) for r in refs or [])

    def networks(self, names: Iterable[str] | None) -> str:
        return ", ".join(self.network(n) for n in names or [])

    def audience_list(self, refs: Iterable[str] | None) -> str:
        return ", ".join(self.audience_names.get(r, r) for r in refs or [])

    def objective_list(self, refs: Iterable[str] | None) -> str:
        return ", ".join(self.objective_title(r) for r in refs or [])

    def objective_title(self, ref: str | None) -> str:
        """A short name for an objective: the statement's first clause."""
        if ref is None:
            return ""
        objective = self.objectives.get(ref)
        if objective is None:
            return ref
        return short_statement(objective.statement) or humanize(ref)

    def kpi_list(self, refs: Iterable[str] | None) -> str:
        return ", ".join((self.kpis[r].name or r) if r in self.kpis else r for r in refs or [])

    def tool_list(self, refs: Iterable[str] | None) -> str:
        return ", ".join(self.tool_names.get(r, r) for r in refs or [])

    def tool_channels(self, tool: str | None) -> list[str]:
        """The channels a tool serves (for the Technology table)."""
        return [c.id for c in self.channels.values() if tool and tool in (c.tools or [])]

    def pillar_name(self, ref: str | None) -> str:
        return self.pillar_names.get(ref, ref) if ref else ""

    def campaign_name(self, ref: str | None) -> str:
        if ref is None:
            return ""
        campaign = self.campaigns.get(ref)
        return (campaign.name or ref) if campaign else ref

    def level_name(self, ref: str | None) -> str:
        if ref is None:
            return ""
        level = self.levels.get(ref)
        return (level.name or ref) if level else ref

    def level_names(self, refs: Iterable[str] | None) -> str:
        return ", ".join(self.level_name(r) for r in refs or [])

    def languages(self, tags: Iterable[str] | None) -> str:
        return ", ".join(self.fmt.language_name(t) for t in tags or [])

    # ---------------------------------------------------------- objectives
    @property
    def primary_objective(self) -> Objective | None:
        objectives = self.plan.objectives or []
        for objective in objectives:
            if objective.primary:
                return objective
        return objectives[0] if objectives else None

    def kpis_for(self, objective: str | None) -> list[Kpi]:
        return [k for k in self.kpis.values() if objective and k.objective == objective]

    @property
    def summary_kpis(self) -> list[Kpi]:
        """The primary objective's KPIs, or every KPI when there is no primary one."""
        primary = self.primary_objective
        kpis = self.kpis_for(primary.id) if primary else []
        return kpis or list(self.kpis.values())

    def actuals(self, kpi: str) -> tuple[Point, ...]:
        """A KPI's values up to the report date, oldest first (given or computed)."""
        item = self.statuses.get(kpi)
        return item.points if item else ()

    def latest(self, kpi: str) -> Point | None:
        """A KPI's latest value and its date on the report date (from ``evaluate``)."""
        points = self.actuals(kpi)
        return points[-1] if points else None

    @property
    def has_actuals(self) -> bool:
        return any(item.points for item in self.statuses.values())

    def kpi_range(self, kpi: Kpi) -> str:
        """``1,200 → 2,400``: the baseline-to-target line every KPI table shows."""
        base = kpi.baseline.value if kpi.baseline else None
        goal = kpi.target.value if kpi.target else None
        left = self.fmt.value(base, kpi.unit) if base is not None else "—"
        right = self.fmt.value(goal, kpi.unit) if goal is not None else "—"
        return f"{left} → {right}"

    # ------------------------------------------------------------ calendar
    def calendar_months(self) -> list[tuple[str, list[CalendarItem]]]:
        """Posts grouped by month in date order; undated ideas come last."""
        groups: dict[date, list[CalendarItem]] = defaultdict(list)
        undated: list[CalendarItem] = []
        for item in self.plan.calendar or []:
            if item.at is None:
                undated.append(item)
            else:
                groups[item.at.date().replace(day=1)].append(item)
        months: list[tuple[str, list[CalendarItem]]] = []
        for month in sorted(groups):
            items = sorted(groups[month], key=_post_order)
            months.append((self.fmt.month(month), items))
        if undated:
            months.append((self.labels.get("calendar.undated"), undated))
        return months

    @property
    def calendar_summarised(self) -> bool:
        """True when the PDF counts the posts instead of listing them (see the limit)."""
        return len(self.plan.calendar or []) > self.pdf_calendar_limit

    def calendar_overview(self) -> list[MonthOverview]:
        """Each month's posts counted by channel, pillar, campaign and status."""
        return [self._overview(month, items) for month, items in self.calendar_months()]

    def calendar_total(self) -> MonthOverview:
        """The whole calendar in counts (the overview's last row)."""
        return self._overview(self.labels.get("calendar.total"), self.plan.calendar or [])

    def _overview(self, label: str, items: Sequence[CalendarItem]) -> MonthOverview:
        channels = [self.channel_name(ref) for ref in self.channels]
        pillars = list(self.pillar_names.values())
        campaigns = [self.campaign_name(ref) for ref in self.campaigns]
        statuses = [self.fmt.enum("post_status", key) for key in POST_STATUSES]
        return MonthOverview(
            month=label,
            posts=len(items),
            channels=_counts((self.channel_name(i.channel) for i in items), channels),
            pillars=_counts((self.pillar_name(i.pillar) for i in items), pillars),
            campaigns=_counts((self.campaign_name(i.campaign) for i in items), campaigns),
            statuses=_counts(
                (self.fmt.enum("post_status", i.status) if i.status else None for i in items),
                statuses,
            ),
        )

    # -------------------------------------------------------------- budget
    @property
    def budget_total(self) -> float:
        budget = self.plan.budget
        return _amount(budget.total) if budget else 0.0

    @property
    def budget_allocated(self) -> float:
        budget = self.plan.budget
        return sum(_amount(line.amount) for line in budget.lines or []) if budget else 0.0

    @property
    def campaign_budgets_total(self) -> float:
        return sum(_amount(c.budget) for c in self.plan.campaigns or [])

    def budget_by_campaign(self) -> list[Share]:
        """Budget lines summed per campaign (plan order), then the rest; else campaign budgets."""
        lines = self.plan.budget.lines if self.plan.budget else None
        sums: dict[str | None, float] = defaultdict(float)
        if lines and any(line.campaign for line in lines):
            for line in lines:
                sums[line.campaign] += _amount(line.amount)
        else:
            for campaign in self.plan.campaigns or []:
                if campaign.budget is not None and campaign.id:
                    sums[campaign.id] += campaign.budget.amount
        order = [c.id for c in self.plan.campaigns or [] if c.id and c.id in sums]
        order += sorted(k for k in sums if k is not None and k not in order)
        items = [(self.campaign_name(k), sums[k], k) for k in order if sums[k] > 0]
        if sums.get(None):
            items.append((self.labels.get("budget.no_campaign"), sums[None], ""))
        return _shares(items)

    def budget_by_category(self) -> list[Share]:
        sums: dict[str, float] = defaultdict(float)
        for line in self.plan.budget.lines or [] if self.plan.budget else []:
            sums[line.category or ""] += _amount(line.amount)
        items = [
            (
                self.fmt.enum("budget_category", key) if key else self.labels.get("budget.other"),
                amount,
                key,
            )
            for key, amount in sums.items()
            if amount > 0
        ]
        return _shares(sorted(items, key=lambda item: -item[1]))

    def pillar_shares(self) -> list[Share]:
        strategy = self.plan.strategy
        pillars = strategy.pillars or [] if strategy else []
        return [
            Share(p.name or p.id or "", p.share or 0.0, p.share or 0.0, p.id or "")
            for p in pillars
            if p.share
        ]

    # ---------------------------------------------------------------- team
    def raci(self) -> RaciMatrix:
        """RACI as a matrix: activities down, people across, letters in the cells."""
        team = self.plan.team
        entries = team.raci or [] if team else []
        if not entries:
            return RaciMatrix()
        named: list[str] = []
        for entry in entries:
            for role in RACI_ROLES:
                value = getattr(entry, role)
                refs = [value] if isinstance(value, str) else value or []
                named += [r for r in refs if r != "all" and r not in named]
        members = [m for m in self.members if m in named] or named
        members += [r for r in named if r not in members]
        matrix = RaciMatrix(members=[self.member_name(m) for m in members])
        for entry in entries:
            cells: list[str] = []
            for member in members:
                letters = ""
                for role in RACI_ROLES:
                    value = getattr(entry, role)
                    refs = [value] if isinstance(value, str) else value or []
                    everyone = "all" in refs and not letters
                    if member in refs or (role == "informed" and everyone):
                        letters += role[0].upper()
                cells.append(letters)
            matrix.rows.append((self.activity(entry.activity), cells))
        return matrix

    def activity(self, name: str | None) -> str:
        if not name:
            return ""
        return self.labels.get(f"activity.{name}", humanize(name))

    # -------------------------------------------------------------- crisis
    def contacts(self) -> list[tuple[Member | None, str, str]]:
        """(member, name, role) for the crisis contact list, in the plan's order."""
        crisis = self.plan.crisis
        rows: list[tuple[Member | None, str, str]] = []
        for contact in crisis.contacts or [] if crisis else []:
            member = self.member(contact.member)
            rows.append((member, self.member_name(contact.member), contact.role or ""))
        return rows


def short_statement(text: str, limit: int = 72) -> str:
    """``Attract visitors to the shop: double sessions...`` -> ``Attract visitors to the shop``.

    Objectives have statements, not names; lists need a few words.
    """
    text = " ".join(text.split())
    clause = re.split(r":\s|;\s|\.\s|\s\(|\s[—–]\s", text, maxsplit=1)[0].rstrip(".")
    if len(clause) <= limit:
        return clause
    cut = clause[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut}…"


def _post_order(item: CalendarItem) -> tuple[datetime | None, str]:
    return (item.at, item.id or "")
