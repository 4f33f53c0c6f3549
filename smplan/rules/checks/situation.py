"""Situation analysis: SWOT, external factors, competitors, online reputation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from smplan.findings import Finding
from smplan.paths import DocPath
from smplan.rules.base import CheckContext
from smplan.rules.checks.plan import is_empty, missing, name_of, names, node_at

_SITUATION: DocPath = ("situation",)
_INTERNAL: DocPath = ("situation", "internal")
_EXTERNAL: DocPath = ("situation", "external")

_QUADRANT_HINTS = {
    "strengths": "internal advantages",
    "weaknesses": "internal limitations",
    "opportunities": "external chances to use",
    "threats": "external risks to guard against",
}


# ------------------------------------------------------------ swot-incomplete
def swot_incomplete(ctx: CheckContext) -> Iterator[Finding]:
    quadrants = names(ctx.options["quadrants"])
    minimum = int(ctx.options["min-items"])
    path: DocPath = (*_SITUATION, "swot")
    found, swot = node_at(ctx.data, path)
    if not found or is_empty(swot) or not isinstance(swot, dict):
        yield missing(
            ctx.data,
            path,
            "the plan has no SWOT; add situation.swot with strengths, weaknesses, "
            "opportunities and threats drawn from the situation analysis",
        )
        return
    for quadrant in quadrants:
        items = swot.get(quadrant)
        count = len(items) if isinstance(items, list) else 0
        if count >= minimum:
            continue
        hint = _QUADRANT_HINTS.get(quadrant, "items")
        if count == 0:
            problem = f"the SWOT lists no {quadrant}"
        else:
            problem = f"the SWOT lists {count} item(s) under {quadrant}, fewer than {minimum}"
        yield missing(
            ctx.data,
            (*path, quadrant),
            f"{problem}; add {hint} under situation.swot.{quadrant}",
        )


# --------------------------------------------------- external-factors-missing
def external_factors_missing(ctx: CheckContext) -> Iterator[Finding]:
    wanted = names(ctx.options["factors"])
    path: DocPath = (*_EXTERNAL, "factors")
    found, factors = node_at(ctx.data, path)
    if not found or not isinstance(factors, dict) or not factors:
        if wanted:
            yield missing(
                ctx.data,
                path,
                f"no external factors are considered ({', '.join(wanted)}); add "
                "situation.external.factors with what matters in each, or say that "
                "nothing relevant was found",
            )
        return
    absent = []
    for factor in wanted:
        if factor not in factors:
            absent.append(factor)
        elif is_empty(factors[factor]):
            yield Finding(
                (*path, factor),
                f"the '{factor}' factor lists nothing; add what matters, or say "
                "that nothing relevant was found",
                key=True,
            )
    if absent:
        listed = _list(absent)
        yield Finding(
            path,
            f"external factors do not consider {listed}; add "
            f"{'it' if len(absent) == 1 else 'them'} under situation.external.factors, "
            "or say that nothing relevant was found",
            key=True,
        )


# -------------------------------------------------------- competitors-missing
def competitors_missing(ctx: CheckContext) -> Iterator[Finding]:
    fields = names(ctx.options["profile-fields"])
    minimum = int(ctx.options["min-competitors"])
    path: DocPath = (*_EXTERNAL, "competitors")
    found, competitors = node_at(ctx.data, path)
    items = competitors if found and isinstance(competitors, list) else []
    if len(items) < minimum:
        have = f"only {len(items)} competitor(s) are" if items else "no competitor is"
        yield missing(
            ctx.data,
            path,
            f"{have} profiled; add competitors under situation.external.competitors "
            "with what they publish, how and where",
        )
    for index, competitor in enumerate(items):
        if not isinstance(competitor, dict):
            continue
        lacking = [f for f in fields if not _profiled(competitor, f)]
        if lacking:
            yield Finding(
                (*path, index),
                f"{name_of(ctx.data, (*path, index))} is not profiled: "
                f"{_list(lacking)} {'is' if len(lacking) == 1 else 'are'} missing; "
                "say what they publish (what), how they do it (how) and where it works "
                "for them (where or channels)",
            )


def _profiled(competitor: dict[str, Any], field: str) -> bool:
    if not is_empty(competitor.get(field)):
        return True
    # The networks they use say "where" as well as free text does.
    return field == "where" and not is_empty(competitor.get("channels"))


def _list(items: list[str]) -> str:
    quoted = [f"'{n}'" for n in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


# ---------------------------------------------------------- reputation-missing
def reputation_missing(ctx: CheckContext) -> Iterator[Finding]:
    path: DocPath = (*_INTERNAL, "reputation")
    internal = ctx.plan.situation.internal if ctx.plan.situation else None
    reputation = internal.reputation if internal else None
    if reputation is None:
        yield missing(
            ctx.data,
            path,
            "the plan has no assessment of its online reputation; add "
            "situation.internal.reputation with what people say about you on social "
            "networks, the sentiment split and the date (as_of)",
        )
        return
    if reputation.summary is None and reputation.sentiment is None and not reputation.issues:
        yield Finding(
            path,
            "the reputation assessment records nothing; add a summary of what people say "
            "about you, the sentiment split or the recurring issues",
            key=True,
        )
    if reputation.as_of is None:
        yield Finding(
            path,
            "the reputation assessment has no date; add 'as_of' (when it was made) so "
            "readers know how current it is",
            key=True,
        )
        return
    max_age = int(ctx.options["max-age-days"])
    reference, label = _reference(ctx)
    age = (reference - reputation.as_of).days
    if age > max_age:
        yield Finding(
            (*path, "as_of"),
            f"the reputation assessment of {reputation.as_of.isoformat()} is {age} days "
            f"old {label} ({reference.isoformat()}), more than the {max_age} allowed; assess again "
            "what people say about you and update it",
        )


def _reference(ctx: CheckContext) -> tuple[date, str]:
    start = ctx.plan.plan.period.start
    mode = str(ctx.options["measure-from"])
    if mode == "today":
        return ctx.today, "today"
    if mode == "later" and ctx.today > start:
        return ctx.today, "today"
    return start, "at the plan start"
