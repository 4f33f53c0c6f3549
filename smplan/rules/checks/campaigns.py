"""Campaign checks: dates inside the plan, paid campaigns judged on cost."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from smplan.findings import Finding
from smplan.rules.base import CheckContext
from smplan.rules.checks._common import by_id, fold, listing, option_list


def _outside(day: date, start: date, end: date) -> str | None:
    if day < start:
        return "before"
    if day > end:
        return "after"
    return None


def campaign_outside_period(ctx: CheckContext) -> Iterator[Finding]:
    period = ctx.plan.plan.period
    start, end = period.start, period.end
    if start > end:
        return  # date-range-reversed reports the period itself
    bounds = f"{start.isoformat()} to {end.isoformat()}"
    campaigns = ctx.plan.campaigns or []
    for i, campaign in enumerate(campaigns):
        name = f"campaign '{campaign.id}'" if campaign.id else f"campaign #{i + 1}"
        for key, verb in (("start", "starts"), ("end", "ends")):
            day = campaign.start if key == "start" else campaign.end
            side = _outside(day, start, end) if day is not None else None
            if side is None:
                continue
            yield Finding(
                ("campaigns", i, key),
                f"{name} {verb} on {day}, {side} the plan period ({bounds}); move it into "
                "the period or widen plan.period",
            )
    by_campaign = by_id(campaigns)
    for j, item in enumerate(ctx.plan.calendar or []):
        if item.at is None:
            continue
        day = item.at.date()
        label = f"calendar item '{item.id}'" if item.id else f"calendar item #{j + 1}"
        side = _outside(day, start, end)
        if side is not None:
            yield Finding(
                ("calendar", j, "at"),
                f"{label} goes out on {day}, {side} the plan period ({bounds}); reschedule "
                "it or move it to the plan for that period",
            )
            continue
        found = by_campaign.get(item.campaign) if item.campaign else None
        if found is None:
            continue
        campaign = found[1]
        if campaign.start and campaign.end and campaign.start > campaign.end:
            continue  # date-range-reversed
        if campaign.start and day < campaign.start:
            problem = f"before campaign '{item.campaign}' starts ({campaign.start})"
        elif campaign.end and day > campaign.end:
            problem = f"after campaign '{item.campaign}' ends ({campaign.end})"
        else:
            continue
        yield Finding(
            ("calendar", j, "at"),
            f"{label} goes out on {day}, {problem}; reschedule it into the campaign's dates "
            "or unlink it from the campaign",
        )


def paid_campaign_without_cost_kpi(ctx: CheckContext) -> Iterator[Finding]:
    metrics = option_list(ctx.options.get("cost-metrics"))
    cost = {fold(m) for m in metrics}
    kpis = by_id(ctx.plan.kpis)
    budget = ctx.plan.budget
    paid_media = {
        line.campaign
        for line in ((budget.lines or []) if budget is not None else [])
        if line.category == "paid_media" and line.campaign
    }
    for i, campaign in enumerate(ctx.plan.campaigns or []):
        paid = campaign.paid is True or (campaign.paid is None and campaign.id in paid_media)
        if not paid:
            continue
        refs = campaign.kpis or []
        if any(ref not in kpis for ref in refs):
            continue  # unresolved-reference; the unknown KPI may be the cost one
        if any(fold(kpis[ref][1].metric or "") in cost for ref in refs):
            continue
        name = f"'{campaign.id}'" if campaign.id else f"#{i + 1}"
        why = "" if campaign.paid else " (it has paid_media in the budget)"
        yield Finding(
            ("campaigns", i, "kpis") if refs else ("campaigns", i),
            f"paid campaign {name}{why} has no cost KPI; link a KPI whose metric is "
            f"{listing(metrics, 'or')} in its 'kpis' so the spend can be judged",
        )
