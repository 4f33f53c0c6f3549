"""The `audiences:` section: the People of POST, whom the plan targets."""

from pydantic import Field

from smplan.model.base import Id, Language, Model, Text


class Audience(Model):
    """A group of people the plan targets, and their traits."""

    id: Id | None = Field(
        default=None,
        title="Id",
        description="A kebab-case id other sections refer to, e.g. `home-brewers`.",
    )
    name: str | None = Field(
        default=None,
        title="Name",
        description="What the group is called, e.g. `Home brewers`.",
    )
    description: Text | None = Field(
        default=None,
        title="Description",
        description="Who they are and what they care about (Markdown).",
    )
    age: str | None = Field(
        default=None,
        title="Age",
        description="The age range, e.g. `25-40` or `55+`.",
    )
    locations: list[str] | None = Field(
        default=None,
        title="Locations",
        description="Where they live: cities, regions or countries.",
    )
    languages: list[Language] | None = Field(
        default=None,
        title="Languages",
        description="Languages they read, as BCP 47 tags (`es`, `en`); channels should speak one.",
    )
    networks: list[str] | None = Field(
        default=None,
        title="Networks",
        description="The social networks they use, by free name (e.g. `instagram`, `tiktok`).",
    )
    interests: list[str] | None = Field(
        default=None,
        title="Interests",
        description="Topics they follow and enjoy.",
    )
    needs: list[Text] | None = Field(
        default=None,
        title="Needs",
        description="The problems, questions and motivations our content should answer.",
    )
