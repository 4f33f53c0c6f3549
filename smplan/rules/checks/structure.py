"""Cross-reference checks: ids are unique, and every reference resolves."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from smplan.findings import Finding
from smplan.paths import DocPath, format_path
from smplan.rules.base import CheckContext
from smplan.validate import ITEM_LABELS, describe

# (pattern of the referring value, collection it names, whether `all` is allowed)
REFERENCES: tuple[tuple[str, str, bool], ...] = (
    ("plan.owner", "members", False),
    ("plan.approved_by", "members", False),
    ("objectives[*].audiences[*]", "audiences", False),
    ("kpis[*].objective", "objectives", False),
    ("kpis[*].channels[*]", "channels", False),
    ("kpis[*].source", "tools", False),
    ("kpis[*].owner", "members", False),
    ("strategy.channels[*].audiences[*]", "audiences", False),
    ("strategy.channels[*].objectives[*]", "objectives", False),
    ("strategy.channels[*].owner", "members", False),
    ("strategy.channels[*].tools[*]", "tools", False),
    ("campaigns[*].objectives[*]", "objectives", False),
    ("campaigns[*].kpis[*]", "kpis", False),
    ("campaigns[*].channels[*]", "channels", False),
    ("campaigns[*].owner", "members", False),
    ("calendar[*].channel", "channels", False),
    ("calendar[*].pillar", "pillars", False),
    ("calendar[*].campaign", "campaigns", False),
    ("calendar[*].owner", "members", False),
    ("community.moderation.escalate_to", "levels", False),
    ("crisis.monitoring.tool", "tools", False),
    ("crisis.contacts[*].member", "members", False),
    ("crisis.levels[*].owner", "members", False),
    ("crisis.levels[*].approver", "members", False),
    ("crisis.levels[*].backup", "members", False),
    ("crisis.levels[*].notify[*]", "members", True),
    ("crisis.holding_statements[*].levels[*]", "levels", False),
    ("crisis.holding_statements[*].approved_by", "members", False),
    ("team.raci[*].responsible[*]", "members", False),
    ("team.raci[*].accountable", "members", False),
    ("team.raci[*].consulted[*]", "members", False),
    ("team.raci[*].informed[*]", "members", True),
    ("budget.lines[*].campaign", "campaigns", False),
    ("actuals[*].kpi", "kpis", False),
    ("actuals[*].channel", "channels", False),
    ("actuals[*].campaign", "campaigns", False),
)

_NOUNS = {
    "members": "team member",
    "audiences": "audience",
    "objectives": "objective",
    "channels": "channel",
    "tools": "tool",
    "kpis": "KPI",
    "pillars": "pillar",
    "campaigns": "campaign",
    "levels": "crisis level",
}
_WHERE = {
    "members": "team.members",
    "audiences": "audiences",
    "objectives": "objectives",
    "channels": "strategy.channels",
    "tools": "tools",
    "kpis": "kpis",
    "pillars": "strategy.pillars",
    "campaigns": "campaigns",
    "levels": "crisis.levels",
}


def unresolved_reference(ctx: CheckContext) -> Iterator[Finding]:
    ids = ctx.index.ids
    for pattern, collection, allow_all in REFERENCES:
        known = ids[collection]
        for path, value in ctx.expand(pattern):
            if not isinstance(value, str) or value in known or (allow_all and value == "all"):
                continue
            yield Finding(path, _unresolved_message(ctx.data, path, value, collection, known))


def _unresolved_message(
    data: Any, path: DocPath, value: str, collection: str, known: dict[str, DocPath]
) -> str:
    noun = _NOUNS[collection]
    field_path = path[:-1] if isinstance(path[-1], int) else path
    field = str(field_path[-1])
    subject = describe(data, field_path[:-1])
    message = f"{field} '{value}' of {subject} is not a known {noun}"
    if not known:
        return f"{message}; no {noun}s are defined in {_WHERE[collection]}"
    hint = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    if hint:
        return f"{message}; did you mean '{hint[0]}'?"
    shown = ", ".join(sorted(known)[:5]) + (", ..." if len(known) > 5 else "")
    return f"{message} (known: {shown})"


def duplicate_id(ctx: CheckContext) -> Iterator[Finding]:
    yield from _duplicates(ctx.data, ())


def _duplicates(node: Any, path: DocPath) -> Iterator[Finding]:
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, list | dict):
                yield from _duplicates(value, (*path, key))
    elif isinstance(node, list):
        first: dict[str, int] = {}
        for index, item in enumerate(node):
            if not isinstance(item, dict):
                continue
            ident = item.get("id")
            if isinstance(ident, str):
                if ident in first:
                    label = ITEM_LABELS.get(str(path[-1]) if path else "", "item")
                    yield Finding(
                        (*path, index, "id"),
                        f"{label} id '{ident}' is already used by item #{first[ident] + 1} "
                        f"of {_path_words(path)}; ids must be unique",
                    )
                else:
                    first[ident] = index
            yield from _duplicates(item, (*path, index))


def _path_words(path: DocPath) -> str:
    return format_path(path) or "the plan"
