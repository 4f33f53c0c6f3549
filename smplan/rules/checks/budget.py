"""Budget checks: the parts fit in the total, and all money is in one currency."""

from __future__ import annotations

import math
from collections.abc import Iterator

from smplan.findings import Finding
from smplan.model import Money
from smplan.paths import DocPath
from smplan.rules.base import CheckContext
from smplan.rules.checks._common import money
from smplan.validate import describe

# Rounding noise when adding up amounts with cents, not a tolerance.
_EPSILON = 1e-6


def budget_exceeded(ctx: CheckContext) -> Iterator[Finding]:
    budget = ctx.plan.budget
    if budget is None or budget.total is None:
        return
    plan_currency = ctx.plan.plan.currency
    currency = budget.total.currency or plan_currency
    total = budget.total.amount

    def same(amount: Money | None) -> bool:
        return amount is not None and (amount.currency or plan_currency) == currency

    shown_total = money(total, currency)
    campaign_sum = math.fsum(
        c.budget.amount for c in ctx.plan.campaigns or [] if c.budget and same(c.budget)
    )
    if campaign_sum > total + _EPSILON:
        yield Finding(
            ("budget", "total"),
            f"campaign budgets add up to {money(campaign_sum, currency)}, "
            f"{money(campaign_sum - total, currency)} more than budget.total ({shown_total}); "
            "raise the total or cut campaign budgets",
        )
    line_sum = math.fsum(
        line.amount.amount for line in budget.lines or [] if line.amount and same(line.amount)
    )
    if line_sum > total + _EPSILON:
        yield Finding(
            ("budget", "lines"),
            f"budget lines add up to {money(line_sum, currency)}, "
            f"{money(line_sum - total, currency)} more than budget.total ({shown_total}); "
            "cut lines or raise the total",
            key=True,
        )


def _money_fields(ctx: CheckContext) -> Iterator[tuple[DocPath, Money]]:
    """Every amount of money in the plan, in document order of sections."""
    for i, campaign in enumerate(ctx.plan.campaigns or []):
        if campaign.budget is not None:
            yield ("campaigns", i, "budget"), campaign.budget
    budget = ctx.plan.budget
    if budget is not None:
        if budget.total is not None:
            yield ("budget", "total"), budget.total
        for i, line in enumerate(budget.lines or []):
            if line.amount is not None:
                yield ("budget", "lines", i, "amount"), line.amount
    for i, measurement in enumerate(ctx.plan.actuals or []):
        if measurement.spend is not None:
            yield ("actuals", i, "spend"), measurement.spend
        if measurement.revenue is not None:
            yield ("actuals", i, "revenue"), measurement.revenue


def currency_mismatch(ctx: CheckContext) -> Iterator[Finding]:
    expected = ctx.plan.plan.currency
    first = ""
    for path, amount in _money_fields(ctx):
        if amount.currency is None:
            continue  # a bare number is in the plan's currency
        if expected is None:
            expected = amount.currency  # no plan currency: the first one named sets it
            first = describe(ctx.data, path)
            continue
        if amount.currency == expected:
            continue
        subject = describe(ctx.data, path)
        if ctx.plan.plan.currency is not None:
            message = (
                f"{subject} is in {amount.currency}, but the plan's currency is {expected}; "
                f"write it in {expected} (or change plan.currency)"
            )
        else:
            message = (
                f"{subject} is in {amount.currency}, but {first} is in {expected}; set "
                "plan.currency and write every amount in it"
            )
        yield Finding((*path, "currency"), message)
