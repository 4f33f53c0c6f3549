"""The `objectives:` section: the Objectives of POST, realistic and measurable."""

from datetime import date
from typing import Literal

from pydantic import Field

from smplan.model.base import Id, Model, Ref, Text

ObjectiveType = Literal[
    "awareness", "engagement", "traffic", "leads", "sales", "loyalty", "care", "authority"
]
"""What kind of result an objective seeks."""


class Objective(Model):
    """A business goal the plan serves, measured by one or more KPIs."""

    id: Id = Field(
        title="Id",
        description="A kebab-case id KPIs, channels and campaigns refer to, e.g. `web-traffic`.",
    )
    statement: Text = Field(
        title="Statement",
        description=(
            "The objective in one sentence, concrete enough to measure, e.g. "
            "`Attract qualified visitors to the web shop`."
        ),
    )
    type: ObjectiveType | None = Field(
        default=None,
        title="Type",
        description=(
            "The kind of result sought: awareness, engagement, traffic, leads, sales, loyalty, "
            "care or authority."
        ),
    )
    primary: bool | None = Field(
        default=None,
        title="Primary",
        description="`true` for the one objective that wins when priorities conflict.",
    )
    audiences: list[Ref] | None = Field(
        default=None,
        title="Audiences",
        description="Whom the objective targets: audience ids (-> audiences).",
    )
    due: date | None = Field(
        default=None,
        title="Due",
        description="When the objective should be reached (ISO 8601), within the plan period.",
    )
    rationale: Text | None = Field(
        default=None,
        title="Rationale",
        description="Why this objective matters to the business, and which SWOT items it uses.",
    )
