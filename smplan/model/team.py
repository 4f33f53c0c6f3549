"""The `team:` section: who does what, and how to reach them."""

from typing import Literal

from pydantic import Field

from smplan.model.base import Id, Language, Model, Ref

Availability = Literal["24x7", "business_hours"]
"""When a member can be reached."""


class Member(Model):
    """A person on the team, and how to reach them."""

    id: Id | None = Field(
        default=None,
        title="Id",
        description="A kebab-case id the rest of the plan refers to, e.g. `ana`.",
    )
    name: str | None = Field(
        default=None,
        title="Name",
        description="Full name, e.g. `Ana Ruiz`.",
    )
    role: str | None = Field(
        default=None,
        title="Role",
        description="Job title or role, e.g. `Social media manager`.",
    )
    email: str | None = Field(
        default=None,
        title="Email",
        description="Work email address.",
    )
    phone: str | None = Field(
        default=None,
        title="Phone",
        description="Phone in international format, e.g. `+34 600 000 001`; crisis roles need one.",
    )
    available: Availability | None = Field(
        default=None,
        title="Availability",
        description="When they can be reached: `24x7` or `business_hours`.",
    )
    timezone: str | None = Field(
        default=None,
        title="Time zone",
        description="Their IANA time zone, e.g. `Europe/Madrid`.",
    )
    languages: list[Language] | None = Field(
        default=None,
        title="Languages",
        description="Languages they can write and answer in, as BCP 47 tags.",
    )


class RaciEntry(Model):
    """Who is Responsible, Accountable, Consulted and Informed for one activity."""

    activity: str | None = Field(
        default=None,
        title="Activity",
        description="The activity, e.g. `crisis-comms`, `publishing`, `reporting`.",
    )
    responsible: list[Ref] | None = Field(
        default=None,
        title="Responsible",
        description="Who does the work: member ids (-> team.members).",
    )
    accountable: Ref | None = Field(
        default=None,
        title="Accountable",
        description="The one person who answers for it: a member id (-> team.members).",
    )
    consulted: list[Ref] | None = Field(
        default=None,
        title="Consulted",
        description="Who is asked before: member ids (-> team.members).",
    )
    informed: list[Ref] | None = Field(
        default=None,
        title="Informed",
        description="Who is told after: member ids (-> team.members), or `all` for the whole team.",
    )


class Team(Model):
    """The team: its members and a RACI matrix of activities."""

    members: list[Member] | None = Field(
        default=None,
        title="Members",
        description="The people on the team.",
    )
    raci: list[RaciEntry] | None = Field(
        default=None,
        title="RACI",
        description="Who is Responsible, Accountable, Consulted and Informed, per activity.",
    )
