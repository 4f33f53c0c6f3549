"""The `crisis:` section: the crisis guide the whole team knows."""

from datetime import date

from pydantic import Field

from smplan.model.base import Duration, FrequencyField, Id, Language, Model, Ref, Text


class Monitoring(Model):
    """How the team hears about a crisis early: the listening tool and what it watches."""

    tool: Ref | None = Field(
        default=None,
        title="Tool",
        description="The listening tool: a tool id (-> tools).",
    )
    keywords: list[str] | None = Field(
        default=None,
        title="Keywords",
        description='Names, handles and terms to watch, e.g. `["café verde", "@cafeverde"]`.',
    )
    frequency: FrequencyField | None = Field(
        default=None,
        title="Check frequency",
        description="How often someone reviews the alerts, e.g. `2/day`.",
    )


class CrisisContact(Model):
    """A person on the crisis contact list, and the role they play."""

    member: Ref | None = Field(
        default=None,
        title="Member",
        description="Who: a member id (-> team.members), whose phone and availability apply.",
    )
    role: str | None = Field(
        default=None,
        title="Role",
        description="Their role in a crisis, e.g. `spokesperson`, `legal`, `on-call`.",
    )


class CrisisLevel(Model):
    """A severity level: when it applies, who owns and approves, how fast, what to do."""

    id: Id | None = Field(
        default=None,
        title="Id",
        description="A kebab-case id moderation and holding statements refer to, e.g. `sev1`.",
    )
    name: str | None = Field(
        default=None,
        title="Name",
        description="What the level is called, e.g. `Minor`, `Critical`.",
    )
    criteria: Text | None = Field(
        default=None,
        title="Criteria",
        description="When a situation is at this level, e.g. `Health, legal or media`.",
    )
    owner: Ref | None = Field(
        default=None,
        title="Owner",
        description="Who leads the response: a member id (-> team.members).",
    )
    approver: Ref | None = Field(
        default=None,
        title="Approver",
        description="Who approves public statements: a member id (-> team.members).",
    )
    backup: Ref | None = Field(
        default=None,
        title="Backup",
        description="Who steps in when the approver is away; not the approver (-> team.members).",
    )
    acknowledge_within: Duration | None = Field(
        default=None,
        title="Acknowledge within",
        description="How soon the issue is acknowledged in public, e.g. `30m`, `4h`.",
    )
    respond_within: Duration | None = Field(
        default=None,
        title="Respond within",
        description="How soon a full answer or update follows, e.g. `24h`.",
    )
    notify: list[Ref] | None = Field(
        default=None,
        title="Notify",
        description="Who is told at once: member ids (-> team.members), or `all` for everyone.",
    )
    actions: list[str] | None = Field(
        default=None,
        title="Actions",
        description=(
            "What to do at once, e.g. `[pause_scheduled_posts, publish_holding_statement]`."
        ),
    )


class HoldingStatement(Model):
    """A pre-approved first public answer, ready to publish while facts are checked."""

    id: Id | None = Field(
        default=None,
        title="Id",
        description="A kebab-case id for the statement, e.g. `hs-1`.",
    )
    levels: list[Ref] | None = Field(
        default=None,
        title="Levels",
        description="The crisis levels it is for: level ids (-> crisis.levels).",
    )
    language: Language | None = Field(
        default=None,
        title="Language",
        description="The statement's language, as a BCP 47 tag; one per channel language.",
    )
    text: Text | None = Field(
        default=None,
        title="Text",
        description="The statement as it will be published.",
    )
    approved_by: Ref | None = Field(
        default=None,
        title="Approved by",
        description="Who approved the text: a member id (-> team.members).",
    )
    approved_on: date | None = Field(
        default=None,
        title="Approved on",
        description="When the text was approved (ISO 8601).",
    )


class Crisis(Model):
    """The crisis guide: monitoring, contacts, severity levels, steps and statements."""

    monitoring: Monitoring | None = Field(
        default=None,
        title="Monitoring",
        description="How a crisis is spotted early: `{tool, keywords}`.",
    )
    contacts: list[CrisisContact] | None = Field(
        default=None,
        title="Contacts",
        description="The crisis contact list: team members and their crisis roles.",
    )
    levels: list[CrisisLevel] | None = Field(
        default=None,
        title="Levels",
        description="Severity levels, lowest first: criteria, owner, approver, timing.",
    )
    steps: list[Text] | None = Field(
        default=None,
        title="Steps",
        description="What to do, in order, when a crisis starts.",
    )
    holding_statements: list[HoldingStatement] | None = Field(
        default=None,
        title="Holding statements",
        description="Pre-approved first answers, by level and language.",
    )
    last_drill: date | None = Field(
        default=None,
        title="Last drill",
        description="When the team last rehearsed the guide (ISO 8601).",
    )
    next_drill: date | None = Field(
        default=None,
        title="Next drill",
        description="When the next rehearsal is scheduled (ISO 8601).",
    )
