"""Community checks: the team promises a response time and never deletes criticism."""

from __future__ import annotations

from collections.abc import Iterator

from smplan.findings import Finding
from smplan.rules.base import CheckContext
from smplan.rules.checks._common import fold, option_list, raw

_RESPONSE_EXAMPLE = "e.g. response_time: {default: 4h, complaint: 1h}"


def response_time_missing(ctx: CheckContext) -> Iterator[Finding]:
    community = ctx.plan.community
    if community is None:
        yield Finding(
            (),
            "the plan has no community section, so no response time; add a 'community' "
            f"section that says how fast the team answers ({_RESPONSE_EXAMPLE})",
        )
        return
    times = community.response_time
    if times is not None and any(
        value is not None
        for value in (times.default, times.complaint, times.question, times.message)
    ):
        return
    section = raw(ctx.data, "community")
    where = (
        ("community", "response_time")
        if isinstance(section, dict) and "response_time" in section
        else ("community",)
    )
    yield Finding(
        where,
        f"community management sets no response time; say how fast the team answers "
        f"({_RESPONSE_EXAMPLE})",
        key=True,
    )


def moderation_deletes_criticism(ctx: CheckContext) -> Iterator[Finding]:
    community = ctx.plan.community
    moderation = community.moderation if community is not None else None
    if moderation is None or not moderation.delete:
        return
    criticism = {fold(term) for term in option_list(ctx.options.get("criticism"))}
    protected = {fold(item) for item in moderation.never_delete or []}
    for k, item in enumerate(moderation.delete):
        folded = fold(item)
        path = ("community", "moderation", "delete", k)
        if folded in criticism:
            yield Finding(
                path,
                f"moderation deletes '{item}', which is criticism; answer it in public "
                "instead (hide only what is abusive) and list it under 'never_delete'",
            )
        elif folded in protected:
            yield Finding(
                path,
                f"moderation both deletes and never deletes '{item}'; remove it from "
                "'delete', since 'never_delete' protects it",
            )
