"""The root of a plan file: the DSL version, the plan's identity and every section."""

from typing import Any, Literal

from pydantic import Field, field_validator

from smplan.model.actuals import Measurement
from smplan.model.audiences import Audience
from smplan.model.base import Model
from smplan.model.budget import Budget
from smplan.model.calendar import CalendarItem
from smplan.model.campaigns import Campaign
from smplan.model.community import Community
from smplan.model.crisis import Crisis
from smplan.model.kpis import Kpi
from smplan.model.objectives import Objective
from smplan.model.plan import PlanInfo
from smplan.model.situation import Situation
from smplan.model.strategy import Strategy
from smplan.model.team import Team
from smplan.model.tools import Tool


class Plan(Model):
    """A social-media plan: situation, POST (People, Objectives, Strategy, Technology), KPIs."""

    smplan: Literal[1] = Field(
        title="DSL version",
        description="The version of the plan language this file is written in; always `1`.",
    )
    imports: list[str] | None = Field(
        default=None,
        title="Imports",
        description=(
            "Files whose sections (team, tools, crisis...) are shared across plans, "
            "as paths relative to this file that stay inside the repository."
        ),
    )
    plan: PlanInfo = Field(
        title="Plan",
        description="Identity, period, currency, owner and approval of the plan.",
    )
    situation: Situation | None = Field(
        default=None,
        title="Situation analysis",
        description="Internal and external analysis, summed up in a SWOT.",
    )
    audiences: list[Audience] | None = Field(
        default=None,
        title="Audiences",
        description="The People: whom the plan targets and their traits.",
    )
    objectives: list[Objective] | None = Field(
        default=None,
        title="Objectives",
        description="What the plan should achieve; realistic, measurable, one of them primary.",
    )
    kpis: list[Kpi] | None = Field(
        default=None,
        title="KPIs",
        description="How each objective is measured: metric, baseline, target, source, owner.",
    )
    strategy: Strategy | None = Field(
        default=None,
        title="Strategy",
        description="Voice, pillars and channels: where, how often, in what language and tone.",
    )
    campaigns: list[Campaign] | None = Field(
        default=None,
        title="Campaigns",
        description="Time-boxed pushes towards objectives, organic or paid.",
    )
    calendar: list[CalendarItem] | None = Field(
        default=None,
        title="Editorial calendar",
        description="Planned posts: when, on which channel, in which pillar and campaign.",
    )
    community: Community | None = Field(
        default=None,
        title="Community management",
        description="How comments and messages are handled: hours, response times, moderation.",
    )
    crisis: Crisis | None = Field(
        default=None,
        title="Crisis guide",
        description="The contingency plan for a reputation crisis, known to the whole team.",
    )
    team: Team | None = Field(
        default=None,
        title="Team",
        description="Who is on the team, how to reach them, and who does what (RACI).",
    )
    tools: list[Tool] | None = Field(
        default=None,
        title="Tools",
        description="The Technology: tools that publish, measure, listen, run ads, design.",
    )
    budget: Budget | None = Field(
        default=None,
        title="Budget",
        description="The total budget and how it is split.",
    )
    actuals: list[Measurement] | None = Field(
        default=None,
        title="Actuals",
        description=(
            "Measured results, one per KPI and date: `{kpi, as_of, value}`; "
            "they may also live in the files named by `plan.actuals`."
        ),
    )

    @field_validator("smplan", mode="before")
    @classmethod
    def _version_is_a_number(cls, value: Any) -> Any:
        # `smplan: true` would otherwise pass as 1 (bool is an int in Python).
        if isinstance(value, bool):
            raise ValueError("smplan must be the number 1 (the DSL version), not true/false")
        return value
