"""The `budget:` section: how much the plan may spend, and on what."""

from typing import Literal

from pydantic import Field

from smplan.model.base import Model, MoneyField, Ref, Text

BudgetCategory = Literal["paid_media", "content", "tools", "people", "influencers", "contingency"]
"""What a budget line pays for."""


class BudgetLine(Model):
    """An amount set aside for one kind of spending, optionally for one campaign."""

    category: BudgetCategory | None = Field(
        default=None,
        title="Category",
        description=(
            "What it pays for: paid_media, content, tools, people, influencers or contingency."
        ),
    )
    amount: MoneyField | None = Field(
        default=None,
        title="Amount",
        description="How much: a number in the plan currency, or `{amount, currency}`.",
    )
    campaign: Ref | None = Field(
        default=None,
        title="Campaign",
        description="The campaign it funds, if any: a campaign id (-> campaigns).",
    )
    description: Text | None = Field(
        default=None,
        title="Description",
        description="What exactly is bought, e.g. `Photo shoot for the spring menu`.",
    )


class Budget(Model):
    """The total budget and its lines; lines and campaign budgets must fit in the total."""

    total: MoneyField | None = Field(
        default=None,
        title="Total",
        description="The spending cap: a number in the plan currency, or `{amount, currency}`.",
    )
    lines: list[BudgetLine] | None = Field(
        default=None,
        title="Lines",
        description="How the total is split by category and campaign.",
    )
