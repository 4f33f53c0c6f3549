"""The `campaigns:` section: time-boxed pushes, organic or paid."""

from datetime import date

from pydantic import Field

from smplan.model.base import Id, Model, MoneyField, Ref, Text


class Campaign(Model):
    """A time-boxed push towards objectives, on some channels, with a budget."""

    id: Id | None = Field(
        default=None,
        title="Id",
        description="A kebab-case id calendar items and budget lines refer to, e.g. `xmas`.",
    )
    name: str | None = Field(
        default=None,
        title="Name",
        description="What the campaign is called, e.g. `Christmas`.",
    )
    description: Text | None = Field(
        default=None,
        title="Description",
        description="The idea, the offer and the key message (Markdown).",
    )
    objectives: list[Ref] | None = Field(
        default=None,
        title="Objectives",
        description="What the campaign works towards: objective ids (-> objectives).",
    )
    kpis: list[Ref] | None = Field(
        default=None,
        title="KPIs",
        description="How the campaign is measured: KPI ids (-> kpis).",
    )
    channels: list[Ref] | None = Field(
        default=None,
        title="Channels",
        description="Where it runs: channel ids (-> strategy.channels).",
    )
    start: date | None = Field(
        default=None,
        title="Start",
        description="First day (ISO 8601), within the plan period.",
    )
    end: date | None = Field(
        default=None,
        title="End",
        description="Last day (ISO 8601), within the plan period.",
    )
    budget: MoneyField | None = Field(
        default=None,
        title="Budget",
        description="What it may spend: a number in the plan currency, or `{amount, currency}`.",
    )
    paid: bool | None = Field(
        default=None,
        title="Paid",
        description="`true` when it buys media (ads, boosts); then it needs a cost KPI.",
    )
    owner: Ref | None = Field(
        default=None,
        title="Owner",
        description="Who runs the campaign: a member id (-> team.members).",
    )
