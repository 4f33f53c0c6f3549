"""Document paths: how every stage names a node (``kpis[2].objective``).

Rules and validators speak in paths; only the SourceMap turns them into
file positions. A *stable* path names list items by id
(``kpis[id=reach].objective``) so baselines and fingerprints survive edits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

PathPart = str | int
DocPath = tuple[PathPart, ...]

_SIMPLE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_TOKEN = re.compile(r"\[(\d+)\]|\[\"((?:[^\"\\]|\\.)*)\"\]|\.?([A-Za-z_][A-Za-z0-9_-]*)")


def format_path(path: Sequence[PathPart]) -> str:
    """``("kpis", 2, "objective")`` -> ``kpis[2].objective``."""
    out: list[str] = []
    for part in path:
        out.append(f"[{part}]" if isinstance(part, int) else _key(part, first=not out))
    return "".join(out)


def _key(part: str, *, first: bool) -> str:
    if _SIMPLE_KEY.match(part):
        return part if first else f".{part}"
    escaped = part.replace("\\", "\\\\").replace('"', '\\"')
    return f'["{escaped}"]'


def parse_path(text: str) -> DocPath:
    """The inverse of :func:`format_path`."""
    parts: list[PathPart] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ValueError(f"invalid document path {text!r} at character {pos + 1}")
        index, quoted, name = match.groups()
        if index is not None:
            parts.append(int(index))
        elif quoted is not None:
            parts.append(re.sub(r"\\(.)", r"\1", quoted))
        else:
            parts.append(name)
        pos = match.end()
    return tuple(parts)


def stable_path(data: Any, path: Sequence[PathPart]) -> str:
    """Like :func:`format_path`, but list items with an ``id`` are named by it."""
    out: list[str] = []
    node = data
    for part in path:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            out.append(f"[id={ident}]" if isinstance(ident, str) else f"[{part}]")
            node = item
        else:
            out.append(_key(part, first=not out))
            node = node.get(part) if isinstance(node, dict) else None
    return "".join(out)


def expand(data: Any, pattern: str) -> list[tuple[DocPath, Any]]:
    """Every node matching ``pattern`` (``kpis[*].objective``, ``strategy.channels[*]``).

    ``[*]`` walks every item of a list; a name walks into a mapping. Missing
    nodes simply match nothing, so checks can run on partial drafts.
    """
    results: list[tuple[DocPath, Any]] = [((), data)]
    for part in _pattern_parts(pattern):
        step: list[tuple[DocPath, Any]] = []
        for path, node in results:
            if part == "*":
                if isinstance(node, list):
                    step.extend(((*path, i), item) for i, item in enumerate(node))
            elif isinstance(node, dict) and part in node:
                step.append(((*path, part), node[part]))
        results = step
    return results


_PATTERN_CACHE: dict[str, tuple[str, ...]] = {}


def _pattern_parts(pattern: str) -> tuple[str, ...]:
    parts = _PATTERN_CACHE.get(pattern)
    if parts is None:
        if pattern in ("", "$"):
            parts = ()
        else:
            parts = tuple(
                p for p in pattern.replace("[*]", ".*").removeprefix("$.").split(".") if p
            )
        _PATTERN_CACHE[pattern] = parts
    return parts
