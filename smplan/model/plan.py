"""The `plan:` section: what the plan is, for whom, when, and who signs it off."""

from datetime import date
from typing import Literal

from pydantic import Field

from smplan.model.base import Currency, Id, Language, Model, Period, Ref, Text

PlanStatus = Literal["draft", "review", "approved", "active", "archived"]
"""The life-cycle stage of a plan."""

ReviewCadence = Literal["weekly", "monthly", "quarterly"]
"""How often something is reviewed (the plan, a KPI)."""


class PlanInfo(Model):
    """Identity, period, owner and approval of the plan."""

    id: Id = Field(
        title="Plan id",
        description="A kebab-case id for this plan, e.g. `verde-2027`.",
    )
    name: str = Field(
        title="Name",
        description="The plan's human-readable title, e.g. `Café Verde 2027`.",
    )
    organization: str | None = Field(
        default=None,
        title="Organization",
        description="The company or brand the plan is for.",
    )
    description: Text | None = Field(
        default=None,
        title="Description",
        description="A short summary of the plan: context, ambition, scope (Markdown).",
    )
    language: Language | None = Field(
        default=None,
        title="Language",
        description=(
            "The language the plan is written and rendered in, as a BCP 47 tag "
            "(`en`, `es`, `es-MX`); `en` when absent."
        ),
    )
    period: Period = Field(
        # Not just "Period": pydantic drops a field title equal to its model's title.
        title="Plan period",
        description="The dates the plan covers: `{start: 2027-01-01, end: 2027-12-31}`.",
    )
    currency: Currency | None = Field(
        default=None,
        title="Currency",
        description="The ISO 4217 code of every bare money amount in the plan, e.g. `EUR`.",
    )
    status: PlanStatus | None = Field(
        default=None,
        title="Status",
        description=(
            "Where the plan is in its life cycle: draft, review, approved, active or archived. "
            "approved and active need `approved_by` and `approved_on`."
        ),
    )
    owner: Ref | None = Field(
        default=None,
        title="Owner",
        description="Who is responsible for the plan: a member id (-> team.members).",
    )
    approved_by: Ref | None = Field(
        default=None,
        title="Approved by",
        description="Who approved the plan: a member id (-> team.members).",
    )
    approved_on: date | None = Field(
        default=None,
        title="Approved on",
        description="The date the plan was approved (ISO 8601, e.g. 2026-12-15).",
    )
    review_cadence: ReviewCadence | None = Field(
        default=None,
        title="Review cadence",
        description="How often the plan is reviewed against results: weekly, monthly or quarterly.",
    )
    actuals: str | None = Field(
        default=None,
        title="Actuals files",
        description=(
            "A glob, relative to this file, of the files holding measured results "
            "(YAML lists of measurements or CSV with columns `kpi,as_of,value`), "
            "e.g. `actuals/*.csv`."
        ),
    )
