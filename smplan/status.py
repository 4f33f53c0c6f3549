"""Where each KPI stands: actuals against the path from baseline to target.

For every KPI at a date: the latest measurement on or before it, how far it
has come from baseline to target (attainment), how far it should have come
by the time it was measured (expected, from the pace), and a status:

- ``achieved``: the target is reached (direction-aware: a CPA at or below it);
- ``on-track``: attainment >= expected - tolerance;
- ``at-risk``: attainment >= expected - 2 x tolerance;
- ``off-track``: below that; the KPI's ``on_miss`` says what to do;
- ``no-data``: no measurement yet, or no baseline and target (values and
  dates) to judge one against.

A KPI is judged on the date of its latest measurement, not on the report
date: a quarterly share of voice measured in March is compared with where it
should have been in March. ``maintain`` KPIs are judged by distance from the
target instead: within the tolerance (as a share of the target) on track,
within twice it at risk.

The measurements behind a KPI on one date may be several rows, one per
channel: raw figures are added up before the metric is computed (reach is
then an upper bound, people seen on two channels count twice); values add up
only for counts (``unit: count``, or a count metric such as clicks).
:func:`collect` does this once per plan and says which rows
it could not use; ``actuals-invalid`` reports those.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from smplan import metrics

if TYPE_CHECKING:
    from smplan.model import Kpi, Measurement, Money, Plan

Status = Literal["achieved", "on-track", "at-risk", "off-track", "no-data"]
STATUSES: tuple[Status, ...] = ("achieved", "on-track", "at-risk", "off-track", "no-data")
DEFAULT_TOLERANCE = 0.10


def tracking_options(options: Mapping[str, Any]) -> tuple[float, str]:
    """``kpi-off-track``'s tolerance and pace, checked: track, build and the rule agree.

    ``options`` are the rule's options as configured for the plan (defaults
    filled in); a bad value is a one-line usage error.
    """
    from smplan.diagnostics import SmplanError

    tolerance, pace = options.get("tolerance", DEFAULT_TOLERANCE), options.get("pace", "linear")
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or tolerance < 0:
        raise SmplanError(
            f"kpi-off-track option 'tolerance' must be a number >= 0, not {tolerance!r}"
        )
    if pace not in metrics.PACES:
        raise SmplanError(
            f"kpi-off-track option 'pace' must be one of {', '.join(metrics.PACES)}, not {pace!r}"
        )
    return float(tolerance), str(pace)


_EPSILON = 1e-9  # 0.4 - 0.1 is 0.30000000000000004: do not call that at risk


class Point(NamedTuple):
    """A KPI's value on one date, and the measurements (indexes in actuals) behind it.

    A named tuple: a large export makes a hundred thousand of them.
    """

    as_of: date
    value: float
    rows: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """A measurement smplan could not use, at ``actuals[index].field``."""

    index: int
    field: str | None
    message: str


@dataclass(slots=True)
class Series:
    """Every KPI's points in date order, plus the rows that could not become one."""

    points: dict[str, list[Point]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def latest_upto(self, as_of: date) -> date | None:
        """The date of the latest measurement (of any KPI) on or before ``as_of``."""
        dates = [p[-1].as_of for kpi in self.points if (p := self.upto(kpi, as_of))]
        return max(dates) if dates else None

    def upto(self, kpi: str, as_of: date) -> list[Point]:
        """The KPI's points on or before ``as_of``."""
        points = self.points.get(kpi, [])
        end = bisect.bisect_right([p.as_of for p in points], as_of)
        return points[:end]


# ----------------------------------------------------------------- series
_CACHE: list[tuple[Plan, Series]] = []


def collect(plan: Plan) -> Series:
    """Measurements -> points per KPI; computed once per plan (rules share it)."""
    if _CACHE and _CACHE[0][0] is plan:
        return _CACHE[0][1]
    series = _collect(plan)
    _CACHE[:] = [(plan, series)]
    return series


def _collect(plan: Plan) -> Series:
    series = Series()
    kpis: dict[str, Kpi] = {}
    for kpi in plan.kpis or []:
        kpis.setdefault(kpi.id, kpi)
    actuals = plan.actuals or []
    # One pass over the rows: hot on large exports, so plain loops, no helpers.
    groups: dict[tuple[str, date], list[int]] = {}
    find = groups.get
    for index, measurement in enumerate(actuals):
        if measurement.kpi not in kpis:
            continue  # unresolved-reference says so
        key = (measurement.kpi, measurement.as_of)
        group = find(key)
        if group is None:
            groups[key] = [index]
            continue
        channel = measurement.channel
        for other in group:
            if actuals[other].channel == channel:
                series.problems.append(_duplicate(index, measurement))
                break
        else:
            group.append(index)
    currency = plan.plan.currency
    adds_up = {kpi_id: _adds_up(kpi) for kpi_id, kpi in kpis.items()}
    points = series.points
    for (kpi_id, as_of), indexes in groups.items():
        value = actuals[indexes[0]].value if len(indexes) == 1 else None
        if value is None:  # several channels, or raw figures
            rows = [actuals[i] for i in indexes]
            value = _combine(kpis[kpi_id], adds_up[kpi_id], rows, indexes, currency, series)
            if value is None:
                continue
        line = points.get(kpi_id)
        if line is None:
            points[kpi_id] = line = []
        line.append(Point(as_of, value, tuple(indexes)))
    for line in points.values():
        line.sort(key=lambda p: p.as_of)
    return series


def _duplicate(index: int, measurement: Measurement) -> Problem:
    channel = f" on channel '{measurement.channel}'" if measurement.channel else ""
    return Problem(
        index,
        "as_of",
        f"KPI '{measurement.kpi}' is already measured on "
        f"{measurement.as_of.isoformat()}{channel} (by an earlier row or file); "
        "keep one measurement per KPI and date",
    )


def _combine(
    kpi: Kpi,
    adds_up: bool,
    rows: list[Measurement],
    indexes: list[int],
    currency: str | None,
    series: Series,
) -> float | None:
    """One value from several channel rows, or from raw figures; else a problem."""
    values = [r.value for r in rows]
    given = [v for v in values if v is not None]
    if len(given) == len(values) and adds_up:
        return math.fsum(given)
    first = rows[0]
    if not given:
        figures, foreign = _figures(rows, metrics.figures_for(kpi.metric), currency)
        try:
            return metrics.compute(kpi.metric, figures)
        except metrics.MetricError as exc:
            reason = str(exc)
            if foreign:
                reason += f" ({' and '.join(foreign)} in another currency than {currency})"
            series.problems.append(
                Problem(
                    indexes[0],
                    None,
                    f"the measurement of KPI '{kpi.id}' on {first.as_of.isoformat()} has no "
                    f"value, and {reason}; add 'value' or the missing figures",
                )
            )
            return None
    day = first.as_of.isoformat()
    on = f"KPI '{kpi.id}' has {len(rows)} measurements on {day}, one per channel,"
    if len(given) < len(values):
        why = "but some give a value and some raw figures; give the same for every channel"
    else:
        why = (
            f"whose values cannot be added up ({kpi.metric or 'no metric'} is not a count); "
            "give the raw figures per channel, or one measurement without channel"
        )
    series.problems.append(Problem(indexes[1], "channel", f"{on} {why}"))
    return None


def _adds_up(kpi: Kpi) -> bool:
    """Counts (``unit: count`` or a count metric) from several channels add up."""
    return kpi.unit == "count" or metrics.additive(kpi.metric)


def _figures(
    rows: Iterable[Measurement], names: tuple[str, ...], currency: str | None
) -> tuple[dict[str, float], list[str]]:
    """The figures ``names`` summed across rows; money only in the plan's currency."""
    sums: dict[str, float] = {}
    foreign: list[str] = []
    for row in rows:
        for name in names:
            raw: float | Money | None = getattr(row, name)
            if raw is None:
                continue
            if not isinstance(raw, float):  # Money (spend, revenue); counts are floats
                if raw.currency is not None and currency is not None and raw.currency != currency:
                    foreign.append(name)
                    continue
                raw = raw.amount
            if not math.isfinite(raw):
                continue  # money may be .inf in YAML; it gives no rate
            sums[name] = sums.get(name, 0.0) + raw
    return sums, foreign


# ----------------------------------------------------------------- status
@dataclass(frozen=True, slots=True)
class KpiStatus:
    """One KPI at the report date."""

    index: int  # in plan.kpis
    kpi: Kpi
    status: Status
    actual: float | None
    measured: date | None  # the date of that actual
    attainment: float | None
    expected: float | None
    points: tuple[Point, ...]  # every point up to the report date, for charts

    @property
    def baseline(self) -> float | None:
        return _finite(self.kpi.baseline.value) if self.kpi.baseline else None

    @property
    def target(self) -> float | None:
        return _finite(self.kpi.target.value) if self.kpi.target else None


def default_as_of(series: Series, today: date) -> date:
    """The report date: the latest measurement on or before today, else today.

    The one rule for ``smplan track``, the lint and the built document: the
    same plan, actuals and ``--today`` give the same date everywhere. A report
    is as fresh as its data, and data dated after today is not counted yet.
    """
    return series.latest_upto(today) or today


def evaluate(
    plan: Plan,
    as_of: date | None = None,
    *,
    today: date | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    pace: str = "linear",
) -> tuple[date, list[KpiStatus]]:
    """The report date and every KPI's status on it, in plan order.

    The one evaluation behind the KPI table and chart, the Results section,
    ``smplan track`` and the lint, so a value computed from raw figures shows
    in every view.
    """
    series = collect(plan)
    when = as_of or default_as_of(series, today or date.today())
    out = []
    for index, kpi in enumerate(plan.kpis or []):
        points = tuple(series.upto(kpi.id, when))
        out.append(judge(index, kpi, points, when, tolerance, pace))
    return when, out


def judge(
    index: int,
    kpi: Kpi,
    points: tuple[Point, ...],
    as_of: date,
    tolerance: float = DEFAULT_TOLERANCE,
    pace: str = "linear",
) -> KpiStatus:
    """The status of one KPI from its points up to ``as_of``."""
    base = _finite(kpi.baseline.value) if kpi.baseline else None
    since = kpi.baseline.as_of if kpi.baseline else None
    target = _finite(kpi.target.value) if kpi.target else None
    by = kpi.target.by if kpi.target else None
    latest = points[-1] if points else None  # the one "latest actual" every view shows
    measured = latest.as_of if latest else as_of
    expected = _expected(since, by, measured, pace)
    if latest is None or base is None or target is None:
        return KpiStatus(index, kpi, "no-data", None, None, None, expected, points)
    actual = latest.value
    attained = metrics.attainment(actual, base, target)
    if kpi.direction == "maintain" or attained is None:
        status = _maintained(actual, target, tolerance, by is not None and measured >= by)
    elif attained >= 1 - _EPSILON:
        status = "achieved"
    elif expected is None:
        status = "no-data"
    elif attained >= expected - tolerance - _EPSILON:
        status = "on-track"
    elif attained >= expected - 2 * tolerance - _EPSILON:
        status = "at-risk"
    else:
        status = "off-track"
    return KpiStatus(index, kpi, status, actual, latest.as_of, attained, expected, points)


def _finite(value: float | None) -> float | None:
    """A KPI's own numbers may be ``.inf`` in YAML; nothing can be judged against that."""
    return value if value is not None and math.isfinite(value) else None


def _expected(since: date | None, by: date | None, when: date, pace: str) -> float | None:
    if since is None or by is None or by <= since:
        return None
    elapsed = (when - since).days / (by - since).days
    return metrics.expected_progress(elapsed, pace)


def _maintained(actual: float, target: float, tolerance: float, due: bool) -> Status:
    scale = abs(target) or 1.0
    off = abs(actual - target) / scale
    if off <= tolerance + _EPSILON:
        return "achieved" if due else "on-track"
    return "at-risk" if off <= 2 * tolerance + _EPSILON else "off-track"


# ----------------------------------------------------------------- budget
@dataclass(frozen=True, slots=True)
class Spend:
    """Money spent to date against a budget: one campaign, or the whole plan."""

    campaign: str | None  # None: the plan's total
    index: int | None  # in plan.campaigns
    spent: float
    budget: float | None
    elapsed: float | None  # share of the campaign's (or plan's) time gone, 0-1

    @property
    def share(self) -> float | None:
        return self.spent / self.budget if self.budget else None

    @property
    def overspent(self) -> bool:
        return self.budget is not None and self.spent > self.budget + 0.005


def budget_pacing(plan: Plan, as_of: date) -> list[Spend]:
    """Spend to date per campaign (with spend, or paid with a budget) and in total.

    Spend comes from measurements' ``spend`` on or before ``as_of``, in the
    plan's currency. The same spend often stands behind two KPIs (a CPA and a
    ROAS row for one week): it counts once per campaign, channel and period.
    Spend without a campaign counts in the total only.
    """
    currency = plan.plan.currency
    seen: dict[tuple[str | None, str | None, date, date], float] = {}
    for row in plan.actuals or []:
        if row.spend is None or row.as_of > as_of:
            continue
        if row.spend.currency not in (None, currency) or not math.isfinite(row.spend.amount):
            continue  # currency-mismatch reports the currency; .inf is no amount
        start, end = (row.period.start, row.period.end) if row.period else (row.as_of, row.as_of)
        key = (row.campaign, row.channel, start, end)
        seen[key] = max(seen.get(key, 0.0), row.spend.amount)
    by_campaign: dict[str | None, float] = {}
    for (name, _, _, _), amount in seen.items():
        by_campaign[name] = by_campaign.get(name, 0.0) + amount
    if not seen:
        return []
    out: list[Spend] = []
    for index, campaign in enumerate(plan.campaigns or []):
        if campaign.id is None:
            continue
        spent = by_campaign.get(campaign.id)
        budget = _amount(campaign.budget, currency)
        if spent is None and (budget is None or campaign.paid is False):
            continue  # an organic campaign's budget is not spent on ads
        elapsed = _elapsed(campaign.start, campaign.end, as_of)
        out.append(Spend(campaign.id, index, spent or 0.0, budget, elapsed))
    total = plan.budget.total if plan.budget else None
    period = plan.plan.period
    out.append(
        Spend(
            None,
            None,
            math.fsum(by_campaign.values()),
            _amount(total, currency),
            _elapsed(period.start, period.end, as_of),
        )
    )
    return out


def _amount(money: Money | None, currency: str | None) -> float | None:
    if money is None or money.currency not in (None, currency):
        return None
    return _finite(money.amount)


def _elapsed(start: date | None, end: date | None, as_of: date) -> float | None:
    if start is None or end is None or end < start:
        return None
    share = ((as_of - start).days + 1) / ((end - start).days + 1)
    return min(max(share, 0.0), 1.0)


# ----------------------------------------------------------------- words
def format_value(value: float, unit: str | None) -> str:
    """``1,650``, ``3.4%``, ``29.5 EUR``: a KPI value as people write it."""
    if not math.isfinite(value):
        return str(value)
    shown = f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    if unit == "%":
        return f"{shown}%"
    if unit and len(unit) == 3 and unit.isupper():
        return f"{shown} {unit}"
    return shown


def percent(share: float | None) -> str:
    """0.375 -> ``38%``; None -> an empty string."""
    return "" if share is None else f"{share * 100:.0f}%"


# --------------------------------------------------------------- tracking
@dataclass(frozen=True, slots=True)
class Tracking:
    """What ``smplan track`` reports: every KPI and the budget, on one date."""

    as_of: date
    kpis: list[KpiStatus]
    spend: list[Spend]
    currency: str | None

    def count(self, status: Status) -> int:
        return sum(1 for item in self.kpis if item.status == status)


def track(
    plan: Plan,
    as_of: date | None = None,
    *,
    today: date | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    pace: str = "linear",
) -> Tracking:
    """KPI statuses and budget pacing on ``as_of`` (default: :func:`default_as_of`)."""
    when, kpis = evaluate(plan, as_of, today=today, tolerance=tolerance, pace=pace)
    return Tracking(when, kpis, budget_pacing(plan, when), plan.plan.currency)


def to_json(tracking: Tracking) -> dict[str, object]:
    """The public JSON shape of ``smplan track --format json`` (a documented contract)."""

    def number(value: float | None, digits: int | None = None) -> float | int | None:
        if value is None or not math.isfinite(value):
            return None
        if digits is not None:
            value = round(value, digits)
        return int(value) if value == int(value) and abs(value) < 2**53 else value

    return {
        "as_of": tracking.as_of.isoformat(),
        "kpis": [
            {
                "kpi": item.kpi.id,
                "objective": item.kpi.objective,
                "baseline": number(item.baseline),
                "actual": number(item.actual),
                "target": number(item.target),
                "attainment": number(item.attainment, 4),
                "expected": number(item.expected, 4),
                "status": item.status,
            }
            for item in tracking.kpis
        ],
    }
