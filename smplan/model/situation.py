"""The `situation:` section: internal and external analysis feeding a SWOT."""

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from smplan.model.base import Id, Model, Percent, Period, Text

ResourceLevel = Literal["sufficient", "limited"]
"""Whether the resources for social media are enough for the plan."""


# ------------------------------------------------------------------ internal
class Offering(Model):
    """A product, service or line the organization offers."""

    id: Id | None = Field(
        default=None,
        title="Id",
        description="A kebab-case id for the offering, e.g. `beans`.",
    )
    name: str | None = Field(
        default=None,
        title="Name",
        description="What the offering is called, e.g. `Roasted beans`.",
    )
    type: str | None = Field(
        default=None,
        title="Type",
        description="The kind of offering, in your own words: product, service, subscription...",
    )
    description: Text | None = Field(
        default=None,
        title="Description",
        description="What it is and what makes it worth talking about (Markdown).",
    )


class Resources(Model):
    """The people, time and means available for social media."""

    level: ResourceLevel | None = Field(
        default=None,
        title="Level",
        description="Whether the resources are `sufficient` or `limited` for what the plan asks.",
    )
    people: float | None = Field(
        default=None,
        ge=0,
        title="People",
        description="Full-time equivalents working on social media, e.g. `1.5`.",
    )
    hours_per_week: float | None = Field(
        default=None,
        ge=0,
        title="Hours per week",
        description="Total hours per week the team can give to social media.",
    )
    notes: Text | None = Field(
        default=None,
        title="Notes",
        description="Skills, gaps and constraints, e.g. `One part-time designer`.",
    )


class Sentiment(Model):
    """How mentions split by tone, in percent (they should add up to 100)."""

    positive: Percent | None = Field(
        default=None,
        title="Positive",
        description="Share of mentions that are positive, 0-100.",
    )
    neutral: Percent | None = Field(
        default=None,
        title="Neutral",
        description="Share of mentions that are neutral, 0-100.",
    )
    negative: Percent | None = Field(
        default=None,
        title="Negative",
        description="Share of mentions that are negative, 0-100.",
    )


class Reputation(Model):
    """An assessment of what people say about the organization online."""

    as_of: date | None = Field(
        default=None,
        title="As of",
        description="When the assessment was made (ISO 8601); old ones are flagged as stale.",
    )
    summary: Text | None = Field(
        default=None,
        title="Summary",
        description="What people say about us on social networks, in a few sentences.",
    )
    sentiment: Sentiment | None = Field(
        default=None,
        title="Sentiment",
        description="The split of mentions: `{positive: 62, neutral: 30, negative: 8}` (percent).",
    )
    issues: list[Text] | None = Field(
        default=None,
        title="Recurring issues",
        description="Complaints or risks that come up again and again.",
    )
    sources: list[str] | None = Field(
        default=None,
        title="Sources",
        description=(
            "Where the assessment comes from, by free name (e.g. `google-reviews`, "
            "`instagram-comments`); not references."
        ),
    )


class HistoryItem(Model):
    """Something already done: a past campaign or action and how it went."""

    id: Id | None = Field(
        default=None,
        title="Id",
        description="A kebab-case id for the past action, e.g. `xmas-2026`.",
    )
    name: str | None = Field(
        default=None,
        title="Name",
        description="What the action was called.",
    )
    period: Period | None = Field(
        default=None,
        title="Period",
        description="When it ran: `{start: 2026-12-01, end: 2026-12-24}`.",
    )
    channels: list[str] | None = Field(
        default=None,
        title="Channels",
        description=(
            "Where it ran, by free name, online or offline (e.g. `instagram`, `in-store`); "
            "not references."
        ),
    )
    description: Text | None = Field(
        default=None,
        title="Description",
        description="What was done.",
    )
    result: Text | None = Field(
        default=None,
        title="Result",
        description="What it achieved, ideally in numbers, e.g. `+900 followers`.",
    )
    lessons: Text | None = Field(
        default=None,
        title="Lessons",
        description="What to repeat or avoid next time.",
    )


class Internal(Model):
    """Internal analysis: who we are, what we offer, what we have, what was done."""

    about: Text | None = Field(
        default=None,
        title="About",
        description="Who we are, in a few sentences (Markdown).",
    )
    offering: list[Offering] | None = Field(
        default=None,
        title="Offering",
        description="What we offer: products, services or lines.",
    )
    resources: Resources | None = Field(
        default=None,
        title="Resources",
        description="The people and means for social media, and whether they are enough.",
    )
    reputation: Reputation | None = Field(
        default=None,
        title="Online reputation",
        description="What people say about us on social networks, as of a date.",
    )
    history: list[HistoryItem] | None = Field(
        default=None,
        title="History",
        description="What was already done and where (campaigns, online and offline channels).",
    )


# ------------------------------------------------------------------ external
class Competitor(Model):
    """A competitor's social-media presence: what they do, how and where."""

    id: Id | None = Field(
        default=None,
        title="Id",
        description="A kebab-case id for the competitor, e.g. `rival`.",
    )
    name: str | None = Field(
        default=None,
        title="Name",
        description="The competitor's name.",
    )
    url: str | None = Field(
        default=None,
        title="Website",
        description="The competitor's website or main profile URL.",
    )
    channels: list[str] | None = Field(
        default=None,
        title="Networks",
        description="The networks they are active on, by free name (e.g. `instagram`).",
    )
    what: Text | None = Field(
        default=None,
        title="What",
        description="What they publish: topics, content types, offers.",
    )
    how: Text | None = Field(
        default=None,
        title="How",
        description="How they do it: tone, cadence, formats, paid or organic.",
    )
    where: Text | None = Field(
        default=None,
        title="Where",
        description="Where it works best for them (networks, communities, regions).",
    )
    notes: Text | None = Field(
        default=None,
        title="Notes",
        description="Anything else worth knowing: strengths to learn from, gaps to exploit.",
    )


class Factors(Model):
    """The macro-environment (PEST and beyond): one list of observations per factor."""

    demographic: list[Text] | None = Field(
        default=None,
        title="Demographic",
        description="Population trends that matter: age, location, household, education.",
    )
    economic: list[Text] | None = Field(
        default=None,
        title="Economic",
        description="Prices, income, spending and market conditions that matter.",
    )
    technological: list[Text] | None = Field(
        default=None,
        title="Technological",
        description="Platform changes, new formats, tools and devices that matter.",
    )
    political: list[Text] | None = Field(
        default=None,
        title="Political",
        description="Regulation, policy and legal changes that matter (e.g. advertising rules).",
    )
    socio_cultural: list[Text] | None = Field(
        default=None,
        title="Socio-cultural",
        description="Values, habits, trends and cultural moments that matter.",
    )
    environmental: list[Text] | None = Field(
        default=None,
        title="Environmental",
        description="Optional (PESTEL): climate, sustainability and seasonal factors.",
    )
    legal: list[Text] | None = Field(
        default=None,
        title="Legal",
        description="Optional (PESTEL): laws and obligations, when kept apart from political.",
    )


class External(Model):
    """External analysis: competitors and macro-environmental factors."""

    competitors: list[Competitor] | None = Field(
        default=None,
        title="Competitors",
        description="Competitors profiled by what they do, how and where.",
    )
    factors: Factors | None = Field(
        default=None,
        title="Factors",
        description=(
            "Demographic, economic, technological, political and socio-cultural factors, "
            "each a list of observations."
        ),
    )


# ---------------------------------------------------------------------- SWOT
class SwotItem(Model):
    """One SWOT entry: a plain string, or `{text, source}` to say where it comes from."""

    text: Text = Field(
        title="Text",
        description="The strength, weakness, opportunity or threat.",
    )
    source: str | None = Field(
        default=None,
        title="Source",
        description="Where it comes from: a finding, report or section (e.g. `reputation`).",
    )


def _swot_item(value: Any) -> Any:
    """Normalise the string shorthand of a SWOT item to `{text: ...}`."""
    if isinstance(value, str):
        return {"text": value}
    return value


SwotItemField = Annotated[
    SwotItem,
    BeforeValidator(_swot_item, json_schema_input_type=Text | SwotItem),
]
"""A SWOT item: a plain string or `{text, source}`; always a `SwotItem` once validated."""


class Swot(Model):
    """Strengths, weaknesses, opportunities and threats drawn from the analysis."""

    strengths: list[SwotItemField] | None = Field(
        default=None,
        title="Strengths",
        description="Internal advantages; each a string or `{text, source}`.",
    )
    weaknesses: list[SwotItemField] | None = Field(
        default=None,
        title="Weaknesses",
        description="Internal limitations; each a string or `{text, source}`.",
    )
    opportunities: list[SwotItemField] | None = Field(
        default=None,
        title="Opportunities",
        description="External chances to use; each a string or `{text, source}`.",
    )
    threats: list[SwotItemField] | None = Field(
        default=None,
        title="Threats",
        description="External risks to guard against; each a string or `{text, source}`.",
    )


class Situation(Model):
    """Situation analysis: internal, external, and the SWOT that sums them up."""

    internal: Internal | None = Field(
        default=None,
        title="Internal analysis",
        description="Who we are, what we offer, our resources, reputation and history.",
    )
    external: External | None = Field(
        default=None,
        title="External analysis",
        description="Competitors and demographic, economic, technological, political and "
        "socio-cultural factors.",
    )
    swot: Swot | None = Field(
        default=None,
        title="SWOT",
        description="Strengths, weaknesses, opportunities and threats.",
    )
