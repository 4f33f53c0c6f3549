"""Actual results: measurements of KPIs (and raw channel figures) over time."""

from datetime import date
from typing import Annotated

from pydantic import Field

from smplan.model.base import Model, MoneyField, Period, Ref, Text

Count = Annotated[float, Field(ge=0, allow_inf_nan=False)]
"""A non-negative number of things (people, posts, clicks...)."""


class Measurement(Model):
    """One measured value of a KPI on a date, optionally with the raw figures behind it."""

    kpi: Ref = Field(
        title="KPI",
        description="The KPI measured: a KPI id (-> kpis).",
    )
    as_of: date = Field(
        title="As of",
        description="When it was measured (ISO 8601), e.g. `2027-03-31`.",
    )
    value: float | None = Field(
        default=None,
        allow_inf_nan=False,  # .inf would poison attainment, charts and JSON
        title="Value",
        description="The measured value, in the KPI's unit.",
    )
    note: Text | None = Field(
        default=None,
        title="Note",
        description="Context for the number: a campaign running, a tracking outage...",
    )
    channel: Ref | None = Field(
        default=None,
        title="Channel",
        description="The channel the raw figures are for: a channel id (-> strategy.channels).",
    )
    campaign: Ref | None = Field(
        default=None,
        title="Campaign",
        description=(
            "The campaign the spend and figures belong to: a campaign id (-> campaigns); "
            "spend is paced against that campaign's budget."
        ),
    )
    period: Period | None = Field(
        default=None,
        title="Period",
        description="The dates the raw figures cover: `{start, end}`.",
    )
    reach: Count | None = Field(
        default=None,
        title="Reach",
        description="Unique people who saw the content.",
    )
    impressions: Count | None = Field(
        default=None,
        title="Impressions",
        description="Times the content was shown.",
    )
    engagements: Count | None = Field(
        default=None,
        title="Engagements",
        description="Likes, comments, shares and saves together.",
    )
    clicks: Count | None = Field(
        default=None,
        title="Clicks",
        description="Link clicks.",
    )
    conversions: Count | None = Field(
        default=None,
        title="Conversions",
        description="Purchases, sign-ups or other goals completed from social.",
    )
    spend: MoneyField | None = Field(
        default=None,
        title="Spend",
        description="Money spent: a number in the plan currency, or `{amount, currency}`.",
    )
    revenue: MoneyField | None = Field(
        default=None,
        title="Revenue",
        description="Revenue attributed: a number in the plan currency, or `{amount, currency}`.",
    )
    followers_start: Count | None = Field(
        default=None,
        title="Followers at start",
        description="Followers on the first day of the period.",
    )
    followers_end: Count | None = Field(
        default=None,
        title="Followers at end",
        description="Followers on the last day of the period.",
    )
    mentions: Count | None = Field(
        default=None,
        title="Mentions",
        description="Mentions of the brand.",
    )
    competitor_mentions: Count | None = Field(
        default=None,
        title="Competitor mentions",
        description="Mentions of competitors, for share of voice.",
    )
    messages_received: Count | None = Field(
        default=None,
        title="Messages received",
        description="Comments and messages that needed an answer.",
    )
    messages_answered: Count | None = Field(
        default=None,
        title="Messages answered",
        description="Of those, how many were answered.",
    )
