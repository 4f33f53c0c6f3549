"""Cross-reference checks: ids are unique, and every reference resolves."""

from __future__ import annotations

import difflib
import functools
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from smplan.findings import Finding
from smplan.paths import DocPath, format_path
from smplan.rules.base import CheckContext
from smplan.salvage import ANY_ID
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

    __slots__ = ("fields", "items", "leaves", "targets")

    def __init__(self) -> None:
        self.fields: dict[str, _Trie] = {}
        self.items: _Trie | None = None  # [*]
        self.targets: list[tuple[str, bool]] = []  # (collection, allow_all) of a value here
        # When every field below is a plain reference (``actuals[*]``: kpi, channel,
        # campaign), each item is checked in a tight loop instead of a call per field.
        self.leaves: list[tuple[str, str, bool]] | None = None

    def seal(self) -> None:
        for child in self.fields.values():
            child.seal()
        if self.items is not None:
            self.items.seal()
        flat = all(not c.fields and c.items is None for c in self.fields.values())
        if self.fields and flat and self.items is None and not self.targets:
            self.leaves = [(n, *t) for n, c in self.fields.items() for t in c.targets]


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
    root.seal()
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
        items = node.items
        if items is not None and value.__class__ is list:
            leaves = items.leaves
            if leaves is not None:
                for index, item in enumerate(value):
                    if item.__class__ is not dict:
                        continue
                    for name, collection, allow_all in leaves:
                        ref = item.get(name)
                        if not isinstance(ref, str) or ref in ids[collection]:
                            continue
                        if not (allow_all and ref == "all"):
                            found.append(((*path, index, name), ref, collection))
                return
            for index, item in enumerate(value):
                path.append(index)
                walk(item, items)
                path.pop()
        if node.fields and value.__class__ is dict:
            for name, child in node.fields.items():
                if name in value:
                    path.append(name)
                    walk(value[name], child)
                    path.pop()

    walk(ctx.data, _REFERENCE_TRIE)
    cut = ctx.index.cut_ids  # items that exist but failed validation
    for where, value, collection in found:
        unseen = cut.get(collection, ())
        if value in unseen or ANY_ID in unseen:
            continue
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
    for pattern in id_lists():
        for path, items in ctx.expand(pattern):
            if items.__class__ is not list:
                continue
            first: dict[str, int] = {}
            for index, item in enumerate(items):
                ident = item.get("id") if item.__class__ is dict else None
                if not isinstance(ident, str):
                    continue
                if ident in first:
                    label = ITEM_LABELS.get(str(path[-1]) if path else "", "item")
                    yield Finding(
                        (*path, index, "id"),
                        f"{label} id '{ident}' is already used by item #{first[ident] + 1} "
                        f"of {_path_words(path)}; ids must be unique",
                    )
                else:
                    first[ident] = index


@functools.cache
def id_lists() -> tuple[str, ...]:
    """Every list of the DSL whose items have an id (``kpis``, ``strategy.channels[*].formats``).

    Read from the models, so a new collection is checked without a change here,
    and long lists without ids (a 100,000-row ``actuals``) are never walked.
    """
    from smplan.model import Plan

    found: list[str] = []

    def visit(model: type[BaseModel], prefix: str, depth: int) -> None:
        for name, field in model.model_fields.items():
            key = field.alias or name
            for inner, is_list in _models_in(field.annotation):
                pattern = f"{prefix}{key}"
                if is_list and "id" in inner.model_fields:
                    found.append(pattern)
                if depth < 8:  # the DSL nests five levels deep; this bounds a cycle
                    visit(inner, f"{pattern}[*]." if is_list else f"{pattern}.", depth + 1)

    visit(Plan, "", 0)
    return tuple(dict.fromkeys(found))


def _models_in(annotation: Any, in_list: bool = False) -> Iterator[tuple[type[BaseModel], bool]]:
    """The models an annotation holds (``list[Kpi] | None`` -> Kpi, in a list)."""
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation, in_list
    elif origin is list:
        for arg in typing.get_args(annotation):
            yield from _models_in(arg, True)
    elif origin is not None:  # Union, Optional, Annotated
        for arg in typing.get_args(annotation):
            yield from _models_in(arg, in_list)


def _path_words(path: DocPath) -> str:
    return format_path(path) or "the plan"
