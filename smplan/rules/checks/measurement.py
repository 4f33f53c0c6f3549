"""KPIs and measurement: complete, moving the right way, realistic, in range,
measuring results rather than vanity, and due within the plan."""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

from smplan.findings import Finding
from smplan.model import Kpi
from smplan.paths import DocPath
from smplan.rules.base import CheckContext
from smplan.rules.checks.objectives import and_list, kpis_by_objective, normalize_word
from smplan.rules.checks.plan import fmt_number, is_empty, name_of, names, number

DAYS_PER_MONTH = 365.25 / 12

_HINTS = {
    "name": "a readable name",
    "objective": "the id of the objective it measures",
    "metric": "what is measured, e.g. sessions",
    "unit": 'count, "%", a currency code or ratio',
    "direction": "increase, decrease or maintain",
    "baseline": "where it stands now: {value, as_of}",
    "baseline.value": "the measured starting value",
    "baseline.as_of": "the date it was measured",
    "target": "where it should be: {value, by}",
    "target.value": "the value to reach",
    "target.by": "the date to reach it by",
    "channels": "the channel ids it is measured on",
    "source": "the id of the tool the number comes from",
    "owner": "the team member who reports it",
    "review": "weekly, monthly or quarterly",
    "on_miss": "what the team does when it falls behind",
}


# ------------------------------------------------------------- kpi-incomplete
def kpi_incomplete(ctx: CheckContext) -> Iterator[Finding]:
    required = [r.split(".") for r in names(ctx.options["required"])]
    for path, item in ctx.index.items("kpis"):
        # relative path of the node that lacks something -> the keys it lacks
        gaps: dict[DocPath, list[tuple[str, str]]] = {}
        for parts in required:
            node: Any = item
            parent: DocPath = ()
            for depth, part in enumerate(parts):
                value = node.get(part) if isinstance(node, dict) else None
                if is_empty(value):
                    full = ".".join(parts[: depth + 1])
                    lacking = gaps.setdefault(parent, [])
                    if all(key != part for key, _ in lacking):
                        lacking.append((part, full))
                    break
                node, parent = value, (*parent, part)
        kpi = name_of(ctx.data, path)
        for parent, lacking in gaps.items():
            subject = f"'{'.'.join(map(str, parent))}' of {kpi}" if parent else kpi
            keys = and_list([key for key, _ in lacking])
            hints = "; ".join(f"{key}: {_HINTS.get(full, 'see the docs')}" for key, full in lacking)
            yield Finding(
                (*path, *parent),
                f"{subject} lacks {keys}; add {'it' if len(lacking) == 1 else 'them'} ({hints})",
                key=bool(parent),
            )


# ------------------------------------------------------- kpi-target-direction
def kpi_target_direction(ctx: CheckContext) -> Iterator[Finding]:
    tolerance = float(ctx.options["maintain-tolerance"])
    for index, kpi in enumerate(ctx.plan.kpis or []):
        values = _values(kpi)
        if values is None or kpi.direction is None:
            continue
        base, target = values
        shown = f"its target {fmt_number(target)}"
        against = f"its baseline {fmt_number(base)}"
        subject = name_of(ctx.data, ("kpis", index))
        if kpi.direction == "increase" and not target > base:
            message = (
                f"{subject} should increase, but {shown} is not above {against}; "
                "raise the target, or set 'direction: decrease' or 'maintain'"
            )
        elif kpi.direction == "decrease" and not target < base:
            message = (
                f"{subject} should decrease, but {shown} is not below {against}; "
                "lower the target, or set 'direction: increase' or 'maintain'"
            )
        elif kpi.direction == "maintain" and abs(target - base) > tolerance * abs(base):
            allowed = f"within {tolerance:.0%} of" if tolerance else "equal to"
            message = (
                f"{subject} should be maintained, but {shown} is not {allowed} {against}; "
                "set the target to the baseline, or set 'direction: increase' or 'decrease'"
            )
        else:
            continue
        yield Finding(("kpis", index, "target", "value"), message)


def _values(kpi: Kpi) -> tuple[float, float] | None:
    base = number(kpi.baseline.value) if kpi.baseline else None
    target = number(kpi.target.value) if kpi.target else None
    return None if base is None or target is None else (base, target)


# ----------------------------------------------------- kpi-unrealistic-growth
def kpi_unrealistic_growth(ctx: CheckContext) -> Iterator[Finding]:
    cap = float(ctx.options["max-monthly-growth"])
    for index, kpi in enumerate(ctx.plan.kpis or []):
        values = _values(kpi)
        if values is None or kpi.direction not in ("increase", None):
            continue
        base, target = values
        assert kpi.baseline is not None and kpi.target is not None
        since, by = kpi.baseline.as_of, kpi.target.by
        if base <= 0 or target <= base or since is None or by is None or by <= since:
            continue
        months = (by - since).days / DAYS_PER_MONTH
        growth = (target / base) ** (1 / months) - 1
        if growth <= cap:
            continue
        yield Finding(
            ("kpis", index, "target", "value"),
            f"{name_of(ctx.data, ('kpis', index))} needs {growth:.1%} compound growth a month "
            f"({fmt_number(base)} to {fmt_number(target)} in {months:.1f} months), above the "
            f"{cap * 100:g}% cap; lower the target or give it more time (target.by); if it "
            "is realistic, say why in target.note and raise 'max-monthly-growth'",
        )


# ------------------------------------------------------ kpi-unit-out-of-range
def kpi_unit_out_of_range(ctx: CheckContext) -> Iterator[Finding]:
    percent_units = set(names(ctx.options["percent-units"]))
    counts = set(names(ctx.options["non-negative-units"]))
    low, high = float(ctx.options["min-percent"]), float(ctx.options["max-percent"])
    units: dict[str, str] = {}

    def problem(unit: str, value: float) -> str | None:
        if unit in percent_units and not low <= value <= high:
            side = "above" if value > high else "below"
            return (
                f"is a percentage {side} {fmt_number(high if value > high else low)}; "
                f"percentages run from {fmt_number(low)} to {fmt_number(high)} "
                "(write 12 for 12%), or change the unit"
            )
        if unit in counts and value < 0:
            return f"is negative, but a {unit} cannot be; correct the value or the unit"
        return None

    for index, kpi in enumerate(ctx.plan.kpis or []):
        if not kpi.unit:
            continue
        units[kpi.id] = kpi.unit
        subject = name_of(ctx.data, ("kpis", index))
        for part, holder in (("baseline", kpi.baseline), ("target", kpi.target)):
            value = number(holder.value) if holder is not None else None
            if value is None:
                continue
            found = problem(kpi.unit, value)
            if found:
                yield Finding(
                    ("kpis", index, part, "value"),
                    f"the {part} {fmt_number(value)} of {subject} {found}",
                )
    for index, measurement in enumerate(ctx.plan.actuals or []):
        unit = units.get(measurement.kpi)
        value = number(measurement.value)
        if unit is None or value is None:
            continue
        found = problem(unit, value)
        if found:
            yield Finding(
                ("actuals", index, "value"),
                f"the measured value {fmt_number(value)} of KPI '{measurement.kpi}' "
                f"({measurement.as_of.isoformat()}) {found}",
            )


# ------------------------------------------------------------ kpi-vanity-only
def _metric_key(metric: str) -> str:
    return normalize_word(metric.strip()).replace(" ", "_").replace("-", "_")


@functools.cache
def _vanity_matcher(metrics: tuple[str, ...]) -> Callable[[str], re.Match[str] | None]:
    """One regex for every vanity pattern, built once per option value, not per plan."""
    if not metrics:
        return re.compile(r"(?!)").match  # matches nothing
    return re.compile("|".join(fnmatch.translate(_metric_key(m)) for m in metrics)).match


def kpi_vanity_only(ctx: CheckContext) -> Iterator[Finding]:
    types = set(names(ctx.options["objective-types"]))
    matcher = _vanity_matcher(tuple(names(ctx.options["vanity-metrics"])))

    def vanity(metric: str) -> bool:
        return matcher(_metric_key(metric)) is not None

    by_objective = kpis_by_objective(ctx)
    for index, objective in enumerate(ctx.plan.objectives or []):
        if objective.type not in types:
            continue
        metrics = [k.metric for _, k in by_objective.get(objective.id, []) if k.metric]
        if not metrics or not all(vanity(m) for m in metrics):
            continue
        shown = ", ".join(dict.fromkeys(metrics))
        yield Finding(
            ("objectives", index),
            f"{name_of(ctx.data, ('objectives', index))} is a {objective.type} objective "
            f"measured only by vanity metrics ({shown}), which count attention, not results; "
            "add a KPI that counts the result itself, e.g. clicks, sessions, leads, "
            "conversions or sales",
        )


# ------------------------------------------------- kpi-deadline-outside-period
def kpi_deadline_outside_period(ctx: CheckContext) -> Iterator[Finding]:
    period = ctx.plan.plan.period
    if period.start > period.end:
        return  # date-range-reversed says so
    grace = timedelta(days=int(ctx.options["grace-days"]))
    first, last = period.start, period.end + grace

    def outside(when: date, what: str) -> str | None:
        if first <= when <= last:
            return None
        side = (
            f"before the plan starts ({period.start.isoformat()})"
            if when < first
            else f"after the plan ends ({period.end.isoformat()})"
        )
        return (
            f"{what} on {when.isoformat()}, {side}; set a date within the plan period "
            f"({period.start.isoformat()} to {period.end.isoformat()}), or change the period"
        )

    for index, kpi in enumerate(ctx.plan.kpis or []):
        if kpi.target is not None and kpi.target.by is not None:
            what = f"the target of {name_of(ctx.data, ('kpis', index))} is due"
            message = outside(kpi.target.by, what)
            if message:
                yield Finding(("kpis", index, "target", "by"), message)
    for index, objective in enumerate(ctx.plan.objectives or []):
        if objective.due is not None:
            what = f"{name_of(ctx.data, ('objectives', index))} is due"
            message = outside(objective.due, what)
            if message:
                yield Finding(("objectives", index, "due"), message)
