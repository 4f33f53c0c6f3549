"""The `kpis:` section: how each objective is measured."""

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from smplan.model.base import Id, Model, Ref, Text
from smplan.model.plan import ReviewCadence

Direction = Literal["increase", "decrease", "maintain"]
"""Which way a KPI should move from its baseline."""


# Ways people write "percent" in a unit, folded (lower case, single spaces, no
# trailing dot). Every view and rule compares units with "%", so "percent"
# would otherwise print as "4.5 percent" and escape the 0-100 range check.
PERCENT_SPELLINGS = frozenset(
    {
        "%",
        "\uff05",  # full-width percent sign
        "percent",
        "percents",
        "per cent",
        "pct",
        "percentage",
        "percentages",
        "процент",
        "процента",
        "процентов",
        "проценты",
        "проц",
        "porcentaje",
        "porcentajes",
        "por ciento",
        "porcentagem",
        "percentagem",
        "por cento",
        "pourcent",
        "pour cent",
        "pourcentage",
        "prozent",
        "percentuale",
        "per cento",
    }
)


def _percent_as_sign(value: Any) -> Any:
    """``percent``, ``pct``, ``процентов`` -> ``%``; any other unit is kept as written."""
    if isinstance(value, str):
        folded = " ".join(value.casefold().split()).rstrip(".")
        if folded in PERCENT_SPELLINGS:
            return "%"
    return value


Unit = Annotated[str, BeforeValidator(_percent_as_sign)]
"""A KPI's unit; spellings of "percent" are stored as ``%``."""


class Baseline(Model):
    """Where a KPI stands at the start: a value measured on a date."""

    value: float | None = Field(
        default=None,
        title="Value",
        description="The measured value, in the KPI's unit.",
    )
    as_of: date | None = Field(
        default=None,
        title="As of",
        description="When the value was measured (ISO 8601).",
    )
    note: Text | None = Field(
        default=None,
        title="Note",
        description="How it was measured, or caveats about the number.",
    )


class Target(Model):
    """Where a KPI should be: a value to reach by a date."""

    value: float | None = Field(
        default=None,
        title="Value",
        description="The value to reach, in the KPI's unit.",
    )
    by: date | None = Field(
        default=None,
        title="By",
        description="The date to reach it by (ISO 8601), within the plan period.",
    )
    note: Text | None = Field(
        default=None,
        title="Note",
        description="Why this target is realistic (benchmarks, past growth).",
    )


class Kpi(Model):
    """A key performance indicator: a metric with a baseline, a target and an owner."""

    id: Id = Field(
        title="Id",
        description="A kebab-case id campaigns and actuals refer to, e.g. `social-sessions`.",
    )
    name: str | None = Field(
        default=None,
        title="Name",
        description="A readable name, e.g. `Sessions from social`.",
    )
    description: Text | None = Field(
        default=None,
        title="Description",
        description="What exactly is counted and how, when the metric name is not enough.",
    )
    objective: Ref | None = Field(
        default=None,
        title="Objective",
        description="The objective this KPI measures: an objective id (-> objectives).",
    )
    metric: str | None = Field(
        default=None,
        title="Metric",
        description=(
            "What is measured: followers, reach, impressions, engagement_rate, clicks, ctr, "
            "conversions, sessions, cpa, ... (open list)."
        ),
    )
    unit: Unit | None = Field(
        default=None,
        title="Unit",
        description=(
            'The unit of the values: `count`, `"%"` (0-100; `percent`, `pct` and other '
            "spellings are read as `%`), a currency code, or `ratio`."
        ),
    )
    direction: Direction | None = Field(
        default=None,
        title="Direction",
        description="Which way the target moves from the baseline: increase, decrease or maintain.",
    )
    baseline: Baseline | None = Field(
        default=None,
        title="Baseline",
        description="The starting point: `{value: 1200, as_of: 2026-12-31}`.",
    )
    target: Target | None = Field(
        default=None,
        title="Target",
        description="The goal: `{value: 2400, by: 2027-06-30}`.",
    )
    channels: list[Ref] | None = Field(
        default=None,
        title="Channels",
        description="The channels it is measured on: channel ids (-> strategy.channels).",
    )
    source: Ref | None = Field(
        default=None,
        title="Source",
        description="Where the number comes from: a tool id (-> tools).",
    )
    owner: Ref | None = Field(
        default=None,
        title="Owner",
        description="Who reports the number and acts on it: a member id (-> team.members).",
    )
    review: ReviewCadence | None = Field(
        default=None,
        title="Review cadence",
        description="How often the KPI is reviewed: weekly, monthly or quarterly.",
    )
    on_miss: Text | None = Field(
        default=None,
        title="On miss",
        description="What the team does when the KPI falls behind, e.g. `Revisit the pillar mix`.",
    )
