"""Globs over a repository that always end: ``**`` never follows a symlinked folder.

Python's ``glob`` follows symlinked folders under ``**``, so three links to
``.`` make ``data/**/*.csv`` search for ever. This matcher walks real folders
only (``os.walk`` without ``followlinks``) and keeps ``glob``'s other habits:
a wildcard never matches a name starting with ``.`` unless the pattern's part
does, and leading ``..`` parts climb from the base folder.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator

_MAGIC = frozenset("*?[")


def iglob(pattern: str, base: str | os.PathLike[str]) -> Iterator[str]:
    """Files (and links to files) under ``base`` matching ``pattern``, as relative names.

    ``pattern`` is ``/``-separated; ``**`` matches any number of folders.
    """
    parts = [p for p in pattern.replace(os.sep, "/").split("/") if p not in ("", ".")]
    if not parts:
        return
    literal: list[str] = []
    while parts and not _MAGIC.intersection(parts[0]):
        literal.append(parts.pop(0))
    start = os.path.join(os.fspath(base), *literal)
    prefix = "/".join(literal)
    if not os.path.isdir(start):
        if not parts and os.path.lexists(start):  # no wildcard at all: the name itself
            yield prefix
        return
    rest = tuple(parts)
    # followlinks=False: a linked folder is listed but never entered, so loops cannot form
    for folder, folders, files in os.walk(start):
        relative = os.path.relpath(folder, start)
        here = () if relative == "." else tuple(relative.split(os.sep))
        folders[:] = sorted(f for f in folders if _may_descend(rest, (*here, f)))
        for name in sorted(files):
            if _match(rest, (*here, name)):
                yield "/".join((*literal, *here, name))


def _hidden(name: str, part: str) -> bool:
    return name.startswith(".") and not part.startswith(".")


def _match(pattern: tuple[str, ...], names: tuple[str, ...], i: int = 0, j: int = 0) -> bool:
    while i < len(pattern):
        part = pattern[i]
        if part == "**":
            # zero or more folders, none of them hidden
            for k in range(j, len(names) + 1):
                if _match(pattern, names, i + 1, k):
                    return True
                if k < len(names) and names[k].startswith("."):
                    return False
            return False
        if j >= len(names) or _hidden(names[j], part):
            return False
        if not fnmatch.fnmatchcase(names[j], part):
            return False
        i, j = i + 1, j + 1
    return j == len(names)


def _may_descend(pattern: tuple[str, ...], names: tuple[str, ...], i: int = 0, j: int = 0) -> bool:
    """Whether some path below the folder ``names`` could still match."""
    while j < len(names):
        if i >= len(pattern):
            return False
        part = pattern[i]
        if part == "**":  # it absorbs folders up to the first hidden one
            hidden = [k for k in range(j, len(names)) if names[k].startswith(".")]
            if not hidden:
                return True
            return any(_may_descend(pattern, names, i + 1, k) for k in range(j, hidden[0] + 1))
        if _hidden(names[j], part) or not fnmatch.fnmatchcase(names[j], part):
            return False
        i, j = i + 1, j + 1
    return i < len(pattern)
