"""The `calendar:` section: the editorial calendar, one item per post."""

from typing import Literal

from pydantic import AwareDatetime, ConfigDict, Field

from smplan.model.base import Id, Language, Model, Ref, Text

CalendarStatus = Literal["idea", "planned", "approved", "published"]
"""How far a calendar item has gone on its way to publication."""


class CalendarItem(Model):
    """One planned post: when, where, in which pillar and campaign, with its copy."""

    # The DSL key `copy` lives in the attribute `copy_` (`BaseModel.copy` is a
    # method); validation and serialisation both use the name `copy`.
    model_config = ConfigDict(serialize_by_alias=True)

    id: Id | None = Field(
        default=None,
        title="Id",
        description="A kebab-case id for the post, e.g. `c-001`.",
    )
    at: AwareDatetime | None = Field(
        default=None,
        title="At",
        description=(
            "When it goes out, with a UTC offset, e.g. `2027-11-18T18:00+01:00` (quote it in YAML)."
        ),
    )
    channel: Ref | None = Field(
        default=None,
        title="Channel",
        description="Where it is published: a channel id (-> strategy.channels).",
    )
    format: str | None = Field(
        default=None,
        title="Format",
        description="The format, e.g. `reel`, `carousel`, `story`; one of the channel's formats.",
    )
    pillar: Ref | None = Field(
        default=None,
        title="Pillar",
        description="The content theme: a pillar id (-> strategy.pillars).",
    )
    campaign: Ref | None = Field(
        default=None,
        title="Campaign",
        description="The campaign it belongs to, if any: a campaign id (-> campaigns).",
    )
    language: Language | None = Field(
        default=None,
        title="Language",
        description="The language of the copy, as a BCP 47 tag, e.g. `es`.",
    )
    title: str | None = Field(
        default=None,
        title="Title",
        description="A working title for the post.",
    )
    copy_: Text | None = Field(
        default=None,
        alias="copy",
        title="Copy",
        description="The post text exactly as published; checked against the network's limit.",
    )
    link: str | None = Field(
        default=None,
        title="Link",
        description="The URL the post points to, e.g. a product page with UTM tags.",
    )
    hashtags: list[str] | None = Field(
        default=None,
        title="Hashtags",
        description='Hashtags to add, e.g. `["#coffee", "#brewing"]`.',
    )
    assets: list[str] | None = Field(
        default=None,
        title="Assets",
        description="The images or videos to use: file paths or URLs.",
    )
    owner: Ref | None = Field(
        default=None,
        title="Owner",
        description="Who prepares and publishes it: a member id (-> team.members).",
    )
    status: CalendarStatus | None = Field(
        default=None,
        title="Status",
        description="How far it has gone: idea, planned, approved or published.",
    )
    notes: Text | None = Field(
        default=None,
        title="Notes",
        description="Briefing for the designer, approvals, anything else (Markdown).",
    )
