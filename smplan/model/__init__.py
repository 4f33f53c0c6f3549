"""Pydantic models of the plan DSL (DOMAIN.md §2), one module per section.

`Plan` is the root; validate a parsed YAML document with `Plan.model_validate(data)`.
The JSON Schema of the DSL is generated from these models.
"""

from smplan.model.actuals import Measurement
from smplan.model.audiences import Audience
from smplan.model.base import Frequency, Model, Money, Period
from smplan.model.budget import Budget, BudgetLine
from smplan.model.calendar import CalendarItem
from smplan.model.campaigns import Campaign
from smplan.model.community import Community, Hours, Moderation, ResponseTime
from smplan.model.crisis import (
    Crisis,
    CrisisContact,
    CrisisLevel,
    HoldingStatement,
    Monitoring,
)
from smplan.model.document import Plan
from smplan.model.kpis import Baseline, Kpi, Target
from smplan.model.objectives import Objective
from smplan.model.plan import PlanInfo
from smplan.model.situation import (
    Competitor,
    External,
    Factors,
    HistoryItem,
    Internal,
    Offering,
    Reputation,
    Resources,
    Sentiment,
    Situation,
    Swot,
    SwotItem,
)
from smplan.model.strategy import Channel, ChannelFormat, Pillar, Strategy, Voice
from smplan.model.team import Member, RaciEntry, Team
from smplan.model.tools import Tool

__all__ = [
    "Audience",
    "Baseline",
    "Budget",
    "BudgetLine",
    "CalendarItem",
    "Campaign",
    "Channel",
    "ChannelFormat",
    "Community",
    "Competitor",
    "Crisis",
    "CrisisContact",
    "CrisisLevel",
    "External",
    "Factors",
    "Frequency",
    "HistoryItem",
    "HoldingStatement",
    "Hours",
    "Internal",
    "Kpi",
    "Measurement",
    "Member",
    "Model",
    "Moderation",
    "Money",
    "Monitoring",
    "Objective",
    "Offering",
    "Period",
    "Pillar",
    "Plan",
    "PlanInfo",
    "RaciEntry",
    "Reputation",
    "Resources",
    "ResponseTime",
    "Sentiment",
    "Situation",
    "Strategy",
    "Swot",
    "SwotItem",
    "Target",
    "Team",
    "Tool",
    "Voice",
]
