"""Which plans import a file, so that a change to a shared file re-lints them.

pre-commit hands smplan every staged YAML file. An ``imports:`` entry such as
``shared/team.yaml`` is not a plan: linted alone it says nothing true, and not
linting it lets a broken team pass the commit. So a handed file that is not a
plan stands for the plans of its repository that import it, directly or
through another imported file; a YAML file that no plan imports is none of
smplan's business (a CI workflow, ``.pre-commit-config.yaml``) and is skipped.

A hook must stay fast: only the top level of each file is read, through
libyaml's event stream, stopped as soon as the keys asked for have been seen;
a plan whose bytes never say ``imports`` is not parsed at all.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    Event,
    MappingStartEvent,
    ScalarEvent,
    SequenceStartEvent,
)

from smplan.imports import find_root
from smplan.regularfile import open_regular
from smplan.source import DEFAULT_LIMITS

try:  # as smplan.source: libyaml when PyYAML was built with it
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

PLAN_SUFFIXES = (".smplan.yaml", ".smplan.yml")
# Folders a repository walk never enters (tools' and environments' own files).
SKIP_DIRS = frozenset(
    {".git", "node_modules", ".venv", "venv", "__pycache__", ".smplan_cache", ".tox"}
)


@dataclass(frozen=True, slots=True)
class Head:
    """What the top level of a YAML file says: its keys and ``imports:`` entries."""

    keys: frozenset[str]
    imports: tuple[str, ...]


def read_head(path: Path, until: Collection[str]) -> Head:
    """The top-level keys of ``path`` up to the moment every key in ``until`` was seen.

    A file that cannot be read, is not a regular file, is too big, is not
    UTF-8 or is not a YAML mapping yields what was seen before the problem:
    finding that out is the lint's job, for plans that import the file.
    """
    with open_regular(path) as handle:
        if handle is None:
            return Head(frozenset(), ())
        raw = handle.read(DEFAULT_LIMITS.max_file_size + 1)
    if len(raw) > DEFAULT_LIMITS.max_file_size:
        return Head(frozenset(), ())
    if set(until) == {"imports"} and b"imports" not in raw:
        return Head(frozenset(), ())  # the common plan: nothing to parse
    try:
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        return Head(frozenset(), ())
    keys: set[str] = set()
    imports: list[str] = []
    with contextlib.suppress(yaml.YAMLError, StopIteration):  # keep what came before
        _scan(yaml.parse(text, Loader=_Loader), frozenset(until), keys, imports)
    return Head(frozenset(keys), tuple(imports))


def _scan(
    events: Iterator[Event], until: frozenset[str], keys: set[str], imports: list[str]
) -> None:
    for event in events:
        if isinstance(event, CollectionStartEvent):
            if not isinstance(event, MappingStartEvent):
                return  # a list or scalar document has no sections
            break
        if isinstance(event, ScalarEvent | AliasEvent):
            return
    else:
        return
    for event in events:
        if not isinstance(event, ScalarEvent):
            return  # the mapping's end, or a key that is not a name
        key = event.value
        value = next(events)
        if key == "imports" and isinstance(value, SequenceStartEvent):
            _entries(events, imports)
        else:
            _skip(value, events)
        keys.add(key)
        if until <= keys:
            return


def _entries(events: Iterator[Event], imports: list[str]) -> None:
    """The string entries of a sequence whose start was just read."""
    for event in events:
        if isinstance(event, CollectionEndEvent):
            return
        if isinstance(event, ScalarEvent):
            imports.append(event.value)
        else:
            _skip(event, events)  # not a path: the schema reports it


def _skip(first: Event, events: Iterator[Event]) -> None:
    """Consume one value whose first event is ``first``."""
    depth = 1 if isinstance(first, CollectionStartEvent) else 0
    while depth:
        event = next(events)
        if isinstance(event, CollectionStartEvent):
            depth += 1
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


def project_root(path: Path) -> Path:
    """Where plans that could import ``path`` live: the git root, as for imports.

    Without git, the folder of the nearest config (``.smplan.toml`` or
    ``pyproject.toml`` with ``[tool.smplan]``), else the working folder when
    it holds the file, else the file's own folder.
    """
    from smplan.config import find_config

    folder = _real(path).parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    config = find_config(folder)
    if config is not None:
        return config.parent.resolve()
    here = Path.cwd().resolve()
    return here if here == folder or here in folder.parents else folder


def walk_plans(folder: Path) -> Iterator[tuple[Path, str]]:
    """Plan files below ``folder`` with their real paths (for de-duplication).

    Folders are read with scandir, whose entries know without a system call
    whether they are links; linked folders are not entered (as ``os.walk``
    does not), so a file's real path is its folder's (resolved once per folder)
    plus its name, unless the file itself is a link. Order: a folder's files by
    name, then its subfolders by name.
    """
    root = folder.resolve()
    pending = [os.fspath(folder)]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            continue  # unreadable folder: as os.walk, skip it
        real_folder: str | None = None
        subfolders: list[str] = []
        for entry in entries:
            name = entry.name
            if entry.is_dir(follow_symlinks=False):
                if name not in SKIP_DIRS and not name.startswith("."):
                    subfolders.append(entry.path)
                continue
            if not name.endswith(PLAN_SUFFIXES):
                continue
            path = Path(entry.path)
            if entry.is_symlink():
                target = Path(os.path.realpath(path))  # a loop stays a link: not a file
                if not target.is_file() or not (target == root or root in target.parents):
                    continue  # a broken link, a loop or a link out of the tree: not followed
                yield path, str(target)
                continue
            if real_folder is None:
                real_folder = os.path.realpath(current)
            yield path, os.path.join(real_folder, name)
        pending.extend(reversed(subfolders))


class ImportIndex:
    """The plans under one root and, read once each, what every file imports."""

    def __init__(self, root: Path) -> None:
        self.root = _real(root)
        self._plans: list[Path] | None = None
        self._imports: dict[Path, tuple[Path, ...]] = {}
        self._closures: dict[Path, frozenset[Path]] = {}

    def plans(self) -> list[Path]:
        """Plan files under the root, as ``smplan lint ROOT`` finds them."""
        if self._plans is None:
            self._plans = [path for path, _real_path in walk_plans(self.root)]
        return self._plans

    def imports_of(self, file: Path) -> tuple[Path, ...]:
        """The real paths ``file`` imports."""
        real = _real(file)
        if real not in self._imports:
            entries = read_head(real, ("imports",)).imports
            self._imports[real] = tuple(_real(real.parent / entry) for entry in entries)
        return self._imports[real]

    def closure(self, plan: Path) -> frozenset[Path]:
        """Every file ``plan`` pulls in, through any depth of imports; cycles end.

        As when linting, an import is followed only inside the plan's own
        repository root (:func:`smplan.imports.find_root`).
        """
        real = _real(plan)
        if real not in self._closures:
            root = find_root(real.parent)
            seen: set[Path] = set()
            pending = list(self.imports_of(real))
            while pending:
                current = pending.pop()
                if current not in seen and current != real and _within(current, root):
                    seen.add(current)
                    pending.extend(self.imports_of(current))
            self._closures[real] = frozenset(seen)
        return self._closures[real]

    def importers(self, file: Path) -> list[Path]:
        """The plans that import ``file``, directly or through other imports."""
        real = _real(file)
        return [plan for plan in self.plans() if real in self.closure(plan)]


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _real(path: Path) -> Path:
    """The real path; a symlink loop stays a path (``Path.resolve`` raises on one)."""
    return Path(os.path.realpath(path))


class Importers:
    """Plans for handed files that are not plans, one index per repository root."""

    def __init__(self) -> None:
        self._indexes: dict[Path, ImportIndex] = {}

    def plans_for(self, file: Path) -> list[Path] | None:
        """None when ``file`` is a plan itself, else the plans importing it (maybe none).

        A plan is named ``*.smplan.yaml``, or has a top-level ``plan:``; a file
        with only ``smplan:`` is a plan (an early draft) unless plans import
        it, as shared files may carry the version for the schema.
        """
        if file.name.endswith(PLAN_SUFFIXES) or not os.path.isfile(file):
            return None  # what is not a regular file gets the lint's own error
        keys = read_head(file, ("plan", "smplan")).keys
        if "plan" in keys:
            return None
        root = project_root(file)
        index = self._indexes.get(root)
        if index is None:
            index = self._indexes[root] = ImportIndex(root)
        importers = index.importers(file)
        if not importers and "smplan" in keys:
            return None
        return importers
