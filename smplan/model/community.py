"""The `community:` section: how comments and messages are handled."""

from pydantic import Field

from smplan.model.base import Duration, Model, Ref, Text


class Hours(Model):
    """When the community is looked after, and what happens outside those hours."""

    timezone: str | None = Field(
        default=None,
        title="Time zone",
        description="The IANA time zone of the hours, e.g. `Europe/Madrid`.",
    )
    coverage: str | None = Field(
        default=None,
        title="Coverage",
        description="When someone answers, in words, e.g. `09-21 daily` or `Mon-Fri 9-18`.",
    )
    out_of_hours_reply: bool | None = Field(
        default=None,
        title="Out-of-hours reply",
        description="`true` when an automatic reply tells people when they will hear back.",
    )
    out_of_hours_message: Text | None = Field(
        default=None,
        title="Out-of-hours message",
        description="The text of the automatic out-of-hours reply.",
    )


class ResponseTime(Model):
    """How fast the team answers, by kind of message (e.g. `4h`, `30m`, `PT4H`)."""

    default: Duration | None = Field(
        default=None,
        title="Default",
        description="The answer time for anything not listed below, e.g. `4h`.",
    )
    complaint: Duration | None = Field(
        default=None,
        title="Complaint",
        description="The answer time for a public complaint, e.g. `1h`.",
    )
    question: Duration | None = Field(
        default=None,
        title="Question",
        description="The answer time for a question in comments, e.g. `2h`.",
    )
    message: Duration | None = Field(
        default=None,
        title="Private message",
        description="The answer time for a direct or private message, e.g. `4h`.",
    )


class Moderation(Model):
    """What is hidden, deleted, never deleted, and when to escalate to the crisis guide."""

    hide: list[str] | None = Field(
        default=None,
        title="Hide",
        description="Kinds of comments that are hidden, e.g. `[spam]`.",
    )
    delete: list[str] | None = Field(
        default=None,
        title="Delete",
        description="Kinds of comments that are deleted, e.g. `[hate-speech]`; never criticism.",
    )
    never_delete: list[str] | None = Field(
        default=None,
        title="Never delete",
        description="Kinds of comments that always stay up and get an answer, e.g. `[criticism]`.",
    )
    escalate_to: Ref | None = Field(
        default=None,
        title="Escalate to",
        description="The crisis level a moderator escalates to: a level id (-> crisis.levels).",
    )
    policy: Text | None = Field(
        default=None,
        title="Published policy",
        description="The house rules shown to the community, or a link to them.",
    )


class Community(Model):
    """Community management: coverage hours, response times and moderation."""

    hours: Hours | None = Field(
        default=None,
        title="Hours",
        description="When someone answers: `{timezone, coverage, out_of_hours_reply}`.",
    )
    response_time: ResponseTime | None = Field(
        default=None,
        title="Response time",
        description="How fast the team answers: `{default: 4h, complaint: 1h}`.",
    )
    moderation: Moderation | None = Field(
        default=None,
        title="Moderation",
        description="What is hidden, deleted or never deleted, and where to escalate.",
    )
