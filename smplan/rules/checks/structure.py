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


class _Trie:
    """The reference patterns merged into one tree, so each list is walked once."""

    __slots__ = ("fields", "items", "targets")

    def __init__(self) -> None:
        self.fields: dict[str, _Trie] = {}
        self.items: _Trie | None = None  # [*]
        self.targets: list[tuple[str, bool]] = []  # (collection, allow_all) of a value here


def _compile(references: tuple[tuple[str, str, bool], ...]) -> _Trie:
    root = _Trie()
    for pattern, collection, allow_all in references:
        node = root
        for part in pattern.replace("[*]", ".*").split("."):
            if part == "*":
                node.items = node.items or _Trie()
                node = node.items
            else:
                node = node.fields.setdefault(part, _Trie())
        node.targets.append((collection, allow_all))
    return root


_REFERENCE_TRIE = _compile(REFERENCES)


def unresolved_reference(ctx: CheckContext) -> Iterator[Finding]:
    ids = ctx.index.ids
    found: list[tuple[DocPath, str, str]] = []
    path: list[str | int] = []

    def walk(value: Any, node: _Trie) -> None:
        for collection, allow_all in node.targets:
            known = ids[collection]
            if isinstance(value, str) and value not in known and not (allow_all and value == "all"):
                found.append((tuple(path), value, collection))
        if node.items is not None and value.__class__ is list:
            for index, item in enumerate(value):
                path.append(index)
                walk(item, node.items)
                path.pop()
        if node.fields and value.__class__ is dict:
            for name, child in node.fields.items():
                if name in value:
                    path.append(name)
                    walk(value[name], child)
                    path.pop()

    walk(ctx.data, _REFERENCE_TRIE)
    for where, value, collection in found:
        yield Finding(
            where, _unresolved_message(ctx.data, where, value, collection, ids[collection])
        )


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
    # Iterative, and a path is built only for a container that holds containers:
    # this walks every node of the plan, so it is one of the costliest checks.
    stack: list[tuple[Any, DocPath]] = [(ctx.data, ())]
    while stack:
        node, path = stack.pop()
        if node.__class__ is dict:
            for key, value in node.items():
                if value.__class__ is list or value.__class__ is dict:
                    stack.append((value, (*path, key)))
            continue
        first: dict[str, int] = {}
        for index, item in enumerate(node):
            if item.__class__ is not dict:
                if item.__class__ is list:
                    stack.append((item, (*path, index)))
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
            for value in item.values():
                if value.__class__ is list or value.__class__ is dict:
                    stack.append((item, (*path, index)))
                    break


def _path_words(path: DocPath) -> str:
    return format_path(path) or "the plan"
