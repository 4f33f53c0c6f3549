"""The `strategy:` section: the Strategy of POST, i.e. voice, pillars and channels."""

from pydantic import Field

from smplan.model.base import FrequencyField, Id, Language, Model, Percent, Ref, Text


class Voice(Model):
    """How the brand sounds everywhere: its tone and what it never does."""

    tone: list[str] | None = Field(
        default=None,
        title="Tone",
        description="Adjectives for the brand's voice, e.g. `[warm, expert]`.",
    )
    avoid: list[Text] | None = Field(
        default=None,
        title="Avoid",
        description="What the brand never says or does in public, e.g. `price disputes in public`.",
    )
    examples: list[Text] | None = Field(
        default=None,
        title="Examples",
        description="Sample sentences that sound like the brand.",
    )


class Pillar(Model):
    """A content theme, with its share of what is published."""

    id: Id | None = Field(
        default=None,
        title="Id",
        description="A kebab-case id calendar items refer to, e.g. `brew-school`.",
    )
    name: str | None = Field(
        default=None,
        title="Name",
        description="What the theme is called, e.g. `Brew school`.",
    )
    description: Text | None = Field(
        default=None,
        title="Description",
        description="What content belongs to this pillar, and why the audience cares.",
    )
    share: Percent | None = Field(
        default=None,
        title="Share",
        description="Percent of content in this pillar, 0-100; shares should add up to 100.",
    )
    promotional: bool | None = Field(
        default=None,
        title="Promotional",
        description="`true` when the pillar sells (offers, products); their total share is capped.",
    )


class ChannelFormat(Model):
    """A content format used on a channel, adapted to it."""

    format: str | None = Field(
        default=None,
        title="Format",
        description="The format, e.g. `reel`, `story`, `carousel`, `short`, `live`.",
    )
    frequency: FrequencyField | None = Field(
        default=None,
        title="Frequency",
        description="How often this format is published: `2/week` or `{count: 2, per: week}`.",
    )
    adaptation: Text | None = Field(
        default=None,
        title="Adaptation",
        description="How content is adapted to this format and network, e.g. `9:16, captions`.",
    )


class Channel(Model):
    """A presence on a social network: whom it serves, how often, in what language and tone."""

    id: Id = Field(
        title="Id",
        description="A kebab-case id KPIs, campaigns and calendar items refer to, e.g. `ig`.",
    )
    network: str = Field(
        title="Network",
        description="The social network, by free name, e.g. `instagram`, `tiktok`, `linkedin`.",
    )
    handle: str | None = Field(
        default=None,
        title="Handle",
        description="The account name on the network, e.g. `@cafeverde`.",
    )
    url: str | None = Field(
        default=None,
        title="URL",
        description="The profile's address, e.g. `https://instagram.com/cafeverde`.",
    )
    purpose: Text | None = Field(
        default=None,
        title="Purpose",
        description="The role this channel plays in the mix, in a sentence.",
    )
    audiences: list[Ref] | None = Field(
        default=None,
        title="Audiences",
        description="Whom the channel serves: audience ids (-> audiences).",
    )
    objectives: list[Ref] | None = Field(
        default=None,
        title="Objectives",
        description="What the channel works towards: objective ids (-> objectives).",
    )
    languages: list[Language] | None = Field(
        default=None,
        title="Languages",
        description="Languages it publishes in (BCP 47); at least one its audiences read.",
    )
    tone: str | None = Field(
        default=None,
        title="Tone",
        description="The tone on this network, within the brand voice, e.g. `friendly`.",
    )
    frequency: FrequencyField | None = Field(
        default=None,
        title="Frequency",
        description="How often it publishes: `4/week` or `{count: 4, per: week}`.",
    )
    formats: list[ChannelFormat] | None = Field(
        default=None,
        title="Formats",
        description="The formats used and how content is adapted to each.",
    )
    owner: Ref | None = Field(
        default=None,
        title="Owner",
        description="Who runs the channel: a member id (-> team.members).",
    )
    tools: list[Ref] | None = Field(
        default=None,
        title="Tools",
        description="The tools that publish to or measure the channel: tool ids (-> tools).",
    )


class Strategy(Model):
    """How the objectives will be reached: voice, content pillars and channels."""

    summary: Text | None = Field(
        default=None,
        title="Summary",
        description="The strategy in a few sentences (Markdown).",
    )
    voice: Voice | None = Field(
        default=None,
        title="Voice",
        description="The brand's tone and what it avoids: `{tone: [warm], avoid: [...]}`.",
    )
    pillars: list[Pillar] | None = Field(
        default=None,
        title="Content pillars",
        description="The content themes and their shares of what is published.",
    )
    channels: list[Channel] | None = Field(
        default=None,
        title="Channels",
        description="The networks used: audiences, objectives, languages, tone, cadence, formats.",
    )
