"""The `tools:` section: the Technology of POST."""

from typing import Literal

from pydantic import Field

from smplan.model.base import Id, Model, Text

ToolCategory = Literal["publishing", "analytics", "listening", "ads", "design", "crm"]
"""What a tool is used for."""


class Tool(Model):
    """A tool that publishes, measures, listens, runs ads, designs or manages contacts."""

    id: Id | None = Field(
        default=None,
        title="Id",
        description="A kebab-case id channels, KPIs and monitoring refer to, e.g. `planner`.",
    )
    name: str | None = Field(
        default=None,
        title="Name",
        description="The product's name, e.g. `Planner`, `GA4`.",
    )
    category: ToolCategory | None = Field(
        default=None,
        title="Category",
        description="What it is used for: publishing, analytics, listening, ads, design or crm.",
    )
    url: str | None = Field(
        default=None,
        title="URL",
        description="Where the tool is, e.g. its login page.",
    )
    can_pause_queue: bool | None = Field(
        default=None,
        title="Can pause queue",
        description="`true` when it can pause every scheduled post at once (needed in a crisis).",
    )
    notes: Text | None = Field(
        default=None,
        title="Notes",
        description="Who has access, plan or licence, anything else worth knowing.",
    )
