"""Results against the plan: measurements that cannot be used, KPIs behind
their pace, campaigns that spent more than their budget.

These rules run on every plan but only do work when it has actuals (inline
or from the files ``plan.actuals`` names, merged into ``actuals``), so
:mod:`smplan.status` is imported only then.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from smplan.findings import Finding
from smplan.paths import DocPath
from smplan.rules.base import CheckContext
from smplan.rules.checks._common import money, option_number


def _pace(ctx: CheckContext) -> str:
    from smplan.metrics import PACES

    pace = str(ctx.options.get("pace", "linear"))
    if pace not in PACES:
        raise ValueError(f"option 'pace' must be one of {', '.join(PACES)}, not '{pace}'")
    return pace


# ---------------------------------------------------------- actuals-invalid
def actuals_invalid(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.plan.actuals:
        return
    from smplan.status import collect

    period = ctx.plan.plan.period
    since: dict[str, date] = {}
    for kpi in ctx.plan.kpis or []:
        base = kpi.baseline.as_of if kpi.baseline else None
        since.setdefault(kpi.id, min(period.start, base) if base else period.start)
    if period.start <= period.end:  # a reversed period is date-range-reversed's
        for index, row in enumerate(ctx.plan.actuals):
            first = since.get(row.kpi, period.start)
            if first <= row.as_of <= period.end:
                continue
            side = "before" if row.as_of < first else "after"
            limit = first if row.as_of < first else period.end
            what = "its baseline or the plan start" if first < period.start else "the plan start"
            bound = what if side == "before" else "the plan end"
            yield Finding(
                ("actuals", index, "as_of"),
                f"the measurement of KPI '{row.kpi}' is dated {row.as_of.isoformat()}, {side} "
                f"{bound} ({limit.isoformat()}); correct the date, or leave results of another "
                "period out of this plan",
            )
    for problem in collect(ctx.plan).problems:
        path = ("actuals", problem.index) + ((problem.field,) if problem.field else ())
        yield Finding(path, problem.message)


# ------------------------------------------------------------ kpi-off-track
def kpi_off_track(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.plan.actuals:
        return
    from smplan.status import collect, default_as_of, evaluate, format_value, percent

    tolerance = option_number(ctx.options.get("tolerance"), 0.10)
    as_of = default_as_of(collect(ctx.plan), ctx.today)
    _, statuses = evaluate(ctx.plan, as_of, tolerance=tolerance, pace=_pace(ctx))
    for item in statuses:
        if item.status != "off-track":
            continue
        kpi = item.kpi
        assert item.actual is not None and item.measured is not None
        unit = kpi.unit
        actual = format_value(item.actual, unit)
        if kpi.direction == "maintain" or item.attainment is None:
            where = f"{actual} on {item.measured.isoformat()} is more than twice the "
            where += f"tolerance ({percent(tolerance)}) away from the target "
            where += f"{format_value(item.target or 0.0, unit)}"
        else:
            where = (
                f"{actual} on {item.measured.isoformat()} is {percent(item.attainment)} of the "
                f"way from {format_value(item.baseline or 0.0, unit)} to "
                f"{format_value(item.target or 0.0, unit)}, where {percent(item.expected or 0)} "
                f"was due by then (tolerance {percent(tolerance)})"
            )
        serves = f" (objective '{kpi.objective}')" if kpi.objective else ""
        action = " ".join((kpi.on_miss or "").split())
        todo = f"; on miss: {action}" if action else "; say in 'on_miss' what the team does now"
        yield Finding(("kpis", item.index), f"KPI '{kpi.id}'{serves} is off track: {where}{todo}")


# --------------------------------------------------------- budget-overspent
def budget_overspent(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.plan.actuals:
        return
    from smplan.status import budget_pacing, percent

    tolerance = option_number(ctx.options.get("tolerance"), 0.0)
    currency = ctx.plan.plan.currency
    for spend in budget_pacing(ctx.plan, ctx.today):
        if spend.budget is None or spend.spent <= spend.budget * (1 + tolerance) + 0.005:
            continue
        path: DocPath
        if spend.campaign is None:
            subject, path = "the plan", ("budget", "total")
            owner = "the plan's total budget"
        else:
            assert spend.index is not None
            subject, path = f"campaign '{spend.campaign}'", ("campaigns", spend.index, "budget")
            owner = "its budget"
        time = f", with {percent(spend.elapsed)} of its time gone" if spend.elapsed else ""
        yield Finding(
            path,
            f"{subject} has spent {money(spend.spent, currency)} by {ctx.today.isoformat()}, "
            f"{percent(spend.share or 0)} of {owner} ({money(spend.budget, currency)}){time}; "
            "pause or cut spend, or raise the budget if the extra is approved",
        )
