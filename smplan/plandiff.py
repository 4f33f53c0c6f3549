"""``smplan diff``: what changed in a plan, in the words a reviewer uses.

A text diff of YAML shows moved lines and changed indentation; a reviewer
wants to know that the KPI target went from 2400 to 3000, that an objective
was reworded, that a campaign budget grew. Both sides are loaded (imports
merged) and compared as data: collections are matched by id (or their natural
key), an id whose content stayed the same, or nearly, is a rename, and
shorthands that mean the same (``4/week`` and ``{count: 4, per: week}``, ``1800``
and ``{amount: 1800, currency: EUR}`` in a EUR plan) are not changes.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import MAX_PREC, Decimal, localcontext
from pathlib import Path
from typing import Any

from smplan.diagnostics import Severity, SmplanError
from smplan.markdown_text import code, line_start, text

# Sections in the order a plan reads (DOMAIN.md), with their headings.
SECTIONS = {
    "plan": "Plan",
    "imports": "Imports",
    "situation": "Situation",
    "audiences": "Audiences",
    "objectives": "Objectives",
    "kpis": "KPIs",
    "strategy": "Strategy",
    "campaigns": "Campaigns",
    "calendar": "Calendar",
    "community": "Community",
    "crisis": "Crisis guide",
    "team": "Team",
    "tools": "Tools",
    "budget": "Budget",
    "actuals": "Actuals",
}
# Collections (as paths with ``*`` for list items) -> what one item is called.
NOUNS = {
    "audiences": "audience",
    "objectives": "objective",
    "kpis": "KPI",
    "strategy.channels": "channel",
    "strategy.channels.*.formats": "format",
    "strategy.pillars": "pillar",
    "campaigns": "campaign",
    "calendar": "post",
    "crisis.levels": "crisis level",
    "crisis.contacts": "crisis contact",
    "crisis.holding_statements": "holding statement",
    "team.members": "member",
    "team.raci": "RACI activity",
    "tools": "tool",
    "budget.lines": "budget line",
    "actuals": "actual",
    "situation.internal.offering": "offering",
    "situation.internal.history": "past campaign",
    "situation.external.competitors": "competitor",
}
# Lists whose items have no ``id`` but a natural key.
KEYS: dict[str, tuple[str, ...]] = {
    "crisis.contacts": ("member",),
    "team.raci": ("activity",),
    "strategy.channels.*.formats": ("format",),
    "budget.lines": ("category", "campaign"),
    "actuals": ("kpi", "as_of"),
}
MONEY = {"campaigns.*.budget", "budget.total", "budget.lines.*.amount"}
RENAME_SIMILARITY = 0.8
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_LABEL_FIELDS = ("statement", "name", "title", "network", "criteria", "text", "role", "member")


@dataclass(slots=True)
class Change:
    """One semantic change; values are JSON-ready (dates as ISO text)."""

    section: str
    kind: str  # added | removed | renamed | reworded | changed | total
    path: str  # stable path on the new side: ``kpis[id=reach].target``
    label: str  # how a reviewer names it, as Markdown: "KPI `reach` target"
    old: Any = None
    new: Any = None
    old_path: str | None = None  # renames: the path on the old side

    def to_dict(self) -> dict[str, Any]:
        out = {
            "section": self.section,
            "kind": self.kind,
            "path": self.path,
            "label": self.label,
            "old": self.old,
            "new": self.new,
        }
        if self.old_path is not None:
            out["old_path"] = self.old_path
        return out


@dataclass(slots=True)
class PlanDiff:
    """The changes between two versions of one plan file."""

    old: str  # where the old side came from ("a.smplan.yaml", "plans/a.smplan.yaml at main")
    new: str
    name: str
    status: str = "changed"  # changed | added | removed
    changes: list[Change] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "name": self.name,
            "status": self.status,
            "changes": [c.to_dict() for c in self.changes],
        }


# ------------------------------------------------------------------- loading
def load(path: Path, display: str, root: Path | None = None, at: str = "") -> dict[str, Any]:
    """A plan's raw data with imports merged; anything that stops loading is an error.

    ``root`` bounds imports (a temporary copy of a git revision); ``at`` names
    that revision in messages.
    """
    import os

    from smplan.imports import resolve_imports
    from smplan.source import read_file

    suffix = f" (at {at})" if at else ""
    try:
        loaded = read_file(path, display)
    except FileNotFoundError:
        raise SmplanError(f"{display}: no such file{suffix}") from None
    except IsADirectoryError:
        raise SmplanError(f"{display}: is a folder; name a plan file") from None
    except OSError as exc:
        raise SmplanError(f"{display}: cannot read: {exc.strerror or exc}") from None
    if loaded.data is not None:
        resolve_imports(loaded, path, root)
    blocking = [
        d for d in loaded.diagnostics if d.rule in ("yaml-syntax", "duplicate-key", "import-error")
    ]
    if not blocking and loaded.data is None:
        # An unsupported tag, a recursive alias, a limit: say what, not "not a mapping".
        blocking = [d for d in loaded.diagnostics if d.severity == Severity.ERROR]
    if blocking:
        first = blocking[0]
        file = first.file
        if root is not None and Path(os.path.abspath(file)).is_relative_to(root):
            file = Path(os.path.abspath(file)).relative_to(root).as_posix()
        raise SmplanError(
            f"{file}:{first.line}:{first.column}: {first.message}{suffix}; "
            "cannot compare a plan that does not load"
        )
    if not isinstance(loaded.data, dict):
        raise SmplanError(f"{display}: not a plan (the top level is not a mapping){suffix}")
    data: dict[str, Any] = loaded.data
    return data


def diff_files(old: Path, new: Path) -> PlanDiff:
    """``smplan diff OLD NEW``."""
    from smplan.imports import display_name

    old_name, new_name = display_name(old), display_name(new)
    old_data, new_data = load(old, old_name), load(new, new_name)
    return PlanDiff(
        old_name, new_name, _name(new_data, old_data), changes=compare(old_data, new_data)
    )


def diff_since(ref: str, paths: Sequence[Path]) -> list[PlanDiff]:
    """``smplan diff --base REF [PATHS]``: every plan under PATHS, then and now."""
    from smplan import gitref
    from smplan.api import PLAN_SUFFIXES, discover
    from smplan.imports import display_name

    repo = gitref.Repo.find(Path.cwd())
    commit = repo.commit(ref)
    roots = list(paths) or [Path(".")]
    folders = []
    for root in roots:
        relative = repo.relative(root)
        if relative is None:
            raise SmplanError(f"{root}: outside the git repository {repo.root}")
        folders.append("" if relative == "." else relative)
    now = {repo.relative(p): p for p in discover([p for p in roots if p.exists()])}
    listed = repo.files(commit, folders)
    for root, folder in zip(roots, folders, strict=True):
        # A mistyped path would otherwise read as "No plan changed".
        if not root.exists() and not any(f == folder or f.startswith(folder + "/") for f in listed):
            raise SmplanError(f"{root}: no such file or folder, now or at {ref}")
    then = {f for f in listed if f.endswith(PLAN_SUFFIXES)}
    diffs = []
    with tempfile.TemporaryDirectory(prefix="smplan-diff-") as tmp:
        dest = Path(tmp)
        gitref.export(repo, commit, sorted(then), dest)
        for relative in sorted({*then, *(r for r in now if r is not None)}):
            display = display_name(repo.root / relative)
            label = f"{display} at {ref}"
            old_data = load(dest / relative, display, dest, ref) if relative in then else None
            new_data = load(now[relative], display) if relative in now else None
            diff = _pair(label, display, old_data, new_data)
            if diff.status != "changed" or diff.changes:  # reviewers want what changed
                diffs.append(diff)
    return diffs


def _pair(
    old_label: str, new_label: str, old: dict[str, Any] | None, new: dict[str, Any] | None
) -> PlanDiff:
    if old is None:
        return PlanDiff("", new_label, _name(new), "added")
    if new is None:
        return PlanDiff(old_label, "", _name(old), "removed")
    return PlanDiff(old_label, new_label, _name(new, old), changes=compare(old, new))


def _name(*sides: dict[str, Any] | None) -> str:
    for data in sides:
        plan = data.get("plan") if isinstance(data, dict) else None
        if isinstance(plan, dict) and plan.get("name"):
            return str(plan["name"])
    return ""


# ---------------------------------------------------------------- comparing
def compare(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from ``old`` to ``new``, grouped by section in reading order."""
    walker = _Walker(_currency(old), _currency(new))
    sections = [*SECTIONS, *sorted((set(old) | set(new)) - set(SECTIONS) - {"smplan"})]
    changes: list[Change] = []
    for section in sections:
        walker.changes = []
        walker.walk(old.get(section), new.get(section), (section,), (section,), "")
        changes.extend(walker.changes)
        if section == "campaigns":
            changes.extend(_total("campaigns", "campaign budgets total", old, new, "campaigns"))
        if section == "budget":
            changes.extend(_total("budget", "budget lines total", old, new, "budget.lines"))
    return changes


def _currency(data: dict[str, Any]) -> str | None:
    plan = data.get("plan")
    currency = plan.get("currency") if isinstance(plan, dict) else None
    return currency if isinstance(currency, str) else None


class _Walker:
    def __init__(self, old_currency: str | None, new_currency: str | None) -> None:
        self.currencies = (old_currency, new_currency)
        self.changes: list[Change] = []

    def walk(
        self,
        old: Any,
        new: Any,
        path: tuple[str, ...],
        pattern: tuple[str, ...],
        label: str,
    ) -> None:
        """``path`` names the node for people; ``pattern`` (``*`` for items) for the tables."""
        key = ".".join(pattern)
        if key in MONEY:
            old, new = _money(old, self.currencies[0]), _money(new, self.currencies[1])
        elif pattern[-1] == "frequency":
            old, new = _frequency(old), _frequency(new)
        old, new = _plain(old), _plain(new)
        if old == new:
            return
        old, new = _empty_like(old, new), _empty_like(new, old)
        part = pattern[-1] if len(pattern) > 1 and pattern[-1] != "*" else ""
        field_label = _join(label, text(part.replace("_", " ")))
        if (
            isinstance(old, dict)
            and isinstance(new, dict)
            and (pattern[-1] == "*" or not _flat(old, new))  # an item lists its fields
        ):
            for name in [*old, *(k for k in new if k not in old)]:
                self.walk(
                    old.get(name), new.get(name), (*path, name), (*pattern, name), field_label
                )
            return
        if isinstance(old, list) and isinstance(new, list):
            keys = _key_fields(key, old, new)
            if keys is not None:
                self._items(old, new, keys, path, pattern, label)
                return
        kind = "reworded" if pattern[-1] == "statement" else "changed"
        self.changes.append(Change(path[0], kind, _format(path), field_label, old, new))

    def _items(
        self,
        old: list[Any],
        new: list[Any],
        keys: tuple[str, ...],
        path: tuple[str, ...],
        pattern: tuple[str, ...],
        label: str,
    ) -> None:
        noun = text(NOUNS.get(".".join(pattern), _singular(pattern[-1])))
        before, after = _index(old, keys), _index(new, keys)
        removed = [k for k in before if k not in after]
        added = [k for k in after if k not in before]
        renames = _renames(removed, added, before, after, keys)
        item_pattern = (*pattern, "*")
        for ident in after:
            old_ident = ident if ident in before else renames.get(ident)
            if old_ident is None:
                continue
            item_path = (*path, f"[{_selector(keys, ident)}]")
            item_label = _join(label, f"{noun} {code(ident)}")
            if old_ident != ident:
                self.changes.append(
                    Change(
                        path[0],
                        "renamed",
                        _format(item_path),
                        item_label,
                        old_ident,
                        ident,
                        old_path=_format((*path, f"[{_selector(keys, old_ident)}]")),
                    )
                )
            old_item, new_item = _without(before[old_ident], keys), _without(after[ident], keys)
            self.walk(old_item, new_item, item_path, item_pattern, item_label)
        gone = set(renames.values())
        for ident in removed:
            if ident not in gone:
                where = _format((*path, f"[{_selector(keys, ident)}]"))
                item = before[ident]
                self.changes.append(
                    Change(
                        path[0], "removed", where, _join(label, f"{noun} {code(ident)}"), item, None
                    )
                )
        for ident in added:
            if ident not in renames:
                where = _format((*path, f"[{_selector(keys, ident)}]"))
                item = after[ident]
                self.changes.append(
                    Change(
                        path[0], "added", where, _join(label, f"{noun} {code(ident)}"), None, item
                    )
                )


def _empty_like(value: Any, other: Any) -> Any:
    """A section or collection that appears (or goes) is compared with an empty one,
    so its items are listed as added (or removed) one by one."""
    if value is None and isinstance(other, list):
        return []
    if value is None and isinstance(other, dict) and not _flat({}, other):
        return {}
    return value


def _join(label: str, part: str) -> str:
    return f"{label} {part}".strip() if part else label


def _singular(name: str) -> str:
    return name[:-1].replace("_", " ") if name.endswith("s") else name.replace("_", " ")


def _format(path: tuple[str, ...]) -> str:
    return "".join(p if p.startswith("[") or i == 0 else f".{p}" for i, p in enumerate(path))


def _plain(value: Any) -> Any:
    """JSON-ready data: dates as ISO text, ``.inf`` and ``.nan`` as text, else as loaded."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _flat(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Small mappings of plain values (a target, a period) read best whole."""
    merged = {**old, **new}
    return len(merged) <= 4 and not any(
        isinstance(v, dict | list) or (isinstance(v, str) and len(v) > 40) for v in merged.values()
    )


def _money(value: Any, currency: str | None) -> Any:
    if (
        isinstance(value, dict)
        and set(value) == {"amount", "currency"}
        and (value["currency"] == currency)
    ):
        return value["amount"]
    return value


def _frequency(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"count", "per"}:
        return f"{value['count']}/{value['per']}"
    if isinstance(value, str):
        return value.replace(" ", "")
    return value


def _key_fields(pattern: str, old: list[Any], new: list[Any]) -> tuple[str, ...] | None:
    items = [*old, *new]
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    keys = KEYS.get(pattern, ("id",))
    if all(any(i.get(k) is not None for k in keys) for i in items):
        return keys
    return None


def _ident(item: dict[str, Any], keys: tuple[str, ...]) -> str:
    return "/".join(str(item.get(k)) for k in keys if item.get(k) is not None)


def _selector(keys: tuple[str, ...], ident: str) -> str:
    return f"{'/'.join(keys)}={ident}"


def _index(items: list[Any], keys: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        ident = _ident(item, keys)
        while ident in out:  # a duplicate id is the linter's to report; keep both
            ident += "'"
        out[ident] = item
    return out


def _without(item: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in keys}


def _renames(
    removed: list[str],
    added: list[str],
    before: dict[str, dict[str, Any]],
    after: dict[str, dict[str, Any]],
    keys: tuple[str, ...],
) -> dict[str, str]:
    """new id -> old id, for items whose content (without the id) matches or nearly does."""
    if not removed or not added:
        return {}
    scored = []
    for old_ident in removed:
        old_text = _canonical(_without(before[old_ident], keys))
        for new_ident in added:
            new_text = _canonical(_without(after[new_ident], keys))
            if old_text == new_text:
                score = 1.0
            else:
                score = difflib.SequenceMatcher(None, old_text, new_text).ratio()
            if score >= RENAME_SIMILARITY:
                scored.append((score, old_ident, new_ident))
    renames: dict[str, str] = {}
    used: set[str] = set()
    for _score, old_ident, new_ident in sorted(scored, key=lambda s: -s[0]):
        if old_ident not in used and new_ident not in renames:
            renames[new_ident] = old_ident
            used.add(old_ident)
    return renames


def _canonical(value: Any) -> str:
    return json.dumps(_plain(value), sort_keys=True, ensure_ascii=False, default=str)


def _total(
    section: str, label: str, old: dict[str, Any], new: dict[str, Any], where: str
) -> list[Change]:
    field_name = "budget" if where == "campaigns" else "amount"
    before, after = _sum(old, where, field_name), _sum(new, where, field_name)
    if before == after:
        return []
    return [Change(section, "total", f"sum({where}[*].{field_name})", label, before, after)]


def _sum(data: dict[str, Any], where: str, field_name: str) -> float | int | str | None:
    """The exact total: amounts too large for a float (400 digits) still add up."""
    node: Any = data
    for part in where.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, list):
        return None
    total = Decimal(0)
    with localcontext(prec=MAX_PREC):  # sums are exact: no rounding to 28 digits
        for item in node:
            value = item.get(field_name) if isinstance(item, dict) else None
            if isinstance(value, dict):
                value = value.get("amount")
            if isinstance(value, int | float) and not isinstance(value, bool):
                total += Decimal(value) if isinstance(value, int) else Decimal(repr(value))
        return _number(total)


def _number(value: Decimal) -> float | int | str:
    """A JSON-ready number: an int, a float that says exactly the same, else its digits."""
    if not value.is_finite():
        return str(value).lower().replace("infinity", "inf")
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else str(value)


# ---------------------------------------------------------------- rendering
def render(diffs: Iterable[PlanDiff], output_format: str = "markdown") -> str:
    diffs = list(diffs)
    if output_format == "json":
        document = {"version": 1, "plans": [d.to_dict() for d in diffs]}
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    lines = ["## Plan changes", ""]
    if not diffs:
        lines.append("No plan changed.")
    for diff in diffs:
        lines += _markdown(diff)
    return "\n".join(lines).rstrip() + "\n"


def _markdown(diff: PlanDiff) -> list[str]:
    file = diff.new or diff.old
    title = f"{text(diff.name)} ({code(file)})" if diff.name else code(file)
    lines = [f"### {title}", ""]
    if diff.status == "added":
        return [*lines, "New plan.", ""]
    if diff.status == "removed":
        return [*lines, "Plan removed.", ""]
    if not diff.changes:
        return [*lines, "No semantic changes.", ""]
    section = None
    for change in diff.changes:
        if change.section != section:
            section = change.section
            if lines[-1] != "":
                lines.append("")
            lines += [f"#### {SECTIONS.get(section) or text(section)}", ""]
        lines.append(f"- {line_start(_line(change))}")
    return [*lines, ""]


def _line(change: Change) -> str:
    label = change.label or text(change.section)
    if change.kind == "added":
        return f"added {label}{_summary(change.new)}"
    if change.kind == "removed":
        return f"removed {label}{_summary(change.old)}"
    if change.kind == "renamed":
        noun = label.removesuffix(f" {code(change.new)}")
        return f"renamed {noun} {code(change.old)} → {code(change.new)}"
    if change.kind == "reworded":
        item = label.removesuffix(" statement")
        return f"{item} reworded: {_show(change.old)} → {_show(change.new)}"
    pattern = change.path.rsplit(".", 1)[-1]
    return f"{label}: {_show(change.old, pattern)} → {_show(change.new, pattern)}"


def _summary(item: Any) -> str:
    if isinstance(item, dict):
        for name in _LABEL_FIELDS:
            if isinstance(item.get(name), str | int | float) and item.get(name) != "":
                return f": {_show(item[name])}"
    return ""


def _show(value: Any, field_name: str = "") -> str:
    if value is None:
        return "(none)"
    if isinstance(value, dict) and field_name in ("baseline", "target") and "value" in value:
        when = value.get("as_of") if field_name == "baseline" else value.get("by")
        prefix = "as of" if field_name == "baseline" else "by"
        shown = f"{value['value']}" + (f" ({prefix} {when})" if when else "")
    elif isinstance(value, bool):
        shown = "yes" if value else "no"
    elif isinstance(value, list):
        shown = ", ".join(_flow(v) for v in value) or "(empty)"
    else:
        shown = _flow(value)
    if len(shown) > 160 and not _NUMBER.fullmatch(shown):  # a number is shown whole
        shown = shown[:159] + "…"
    if isinstance(value, str) and " " in shown:
        return f"“{text(shown)}”"
    return text(shown)


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return " ".join(str(value).split())
