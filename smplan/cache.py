"""A content-hash cache of lint results (``.smplan_cache/``), like ruff's.

An entry is keyed by everything that can change a file's findings: smplan's
own code (its version and the size and mtime of its files, so an edited
checkout never serves stale results), the resolved configuration, the date
rules compare against, the working folder (paths in findings are relative to
it) and the file's bytes. Files that went into the plan (imports) are recorded
with their hashes and checked on every hit. Entries are written to a temporary
file and renamed, so concurrent runs never see half an entry; a corrupt entry
is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from smplan import __version__
from smplan.diagnostics import Diagnostic, Severity

CACHE_DIR = ".smplan_cache"
_FORMAT = 1
_DIAGNOSTIC_FIELDS = [f.name for f in fields(Diagnostic) if f.name != "extra"]


def code_fingerprint() -> str:
    """smplan's version plus the size and mtime of its code and shipped data."""
    from smplan.resources import data_dir

    digest = hashlib.sha256(f"{__version__}:{_FORMAT}".encode())
    package = Path(__file__).resolve().parent
    roots: list[Path] = [package]
    rules = data_dir("rules")
    if isinstance(rules, Path):
        roots.append(rules)
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".yaml")):
                    stat = os.stat(os.path.join(folder, name))
                    digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def sha256_file(path: str | Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def glob_matches(folder: str, pattern: str) -> list[str]:
    """What ``plan.actuals`` matches now, found as the actuals loader finds it.

    Through :mod:`smplan.safeglob`, never Python's glob: ``**`` over a folder
    with symlink loops made the cache search for ever.
    """
    from itertools import islice

    from smplan import safeglob

    try:
        return sorted(islice(safeglob.iglob(pattern, folder), 10_000))
    except (OSError, ValueError):
        return []


@dataclass(frozen=True, slots=True)
class Hit:
    diagnostics: list[Diagnostic]
    sources: list[str]  # every file the plan pulled in (imports), not the plan itself


class LintCache:
    """Findings per file, valid while nothing they depend on has changed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._folder = os.fspath(folder)
        digest = hashlib.sha256(code_fingerprint().encode())
        self.cwd = os.getcwd()
        digest.update(os.fsencode(self.cwd))
        self.fingerprint = digest.hexdigest()
        self._ready = False

    def _key(self, file: Path, content: bytes, settings: str) -> str:
        digest = hashlib.sha256(self.fingerprint.encode())
        digest.update(settings.encode())
        digest.update(os.fsencode(os.path.normpath(os.path.join(self.cwd, file))))
        digest.update(content)
        return digest.hexdigest()

    def _entry(self, key: str) -> Path:
        return Path(self._entry_path(key))

    def _entry_path(self, key: str) -> str:
        # Plain strings on the hot path: a warm run over 10,000 plans spent more
        # time building Path objects than reading the entries.
        return os.path.join(self._folder, key[:2], f"{key}.json")

    def get(self, file: Path, settings: str) -> tuple[str, Hit | None]:
        """The file's key (for :meth:`put`) and its cached result, if still valid.

        ``settings`` fingerprints the configuration the file is linted with.
        """
        name = os.fspath(file)
        try:
            if not stat.S_ISREG(os.stat(name).st_mode):
                return "", None  # a FIFO or device must not be read; linting reports it
            with open(name, "rb") as handle:
                content = handle.read()
        except OSError:
            return "", None  # linting it will report the problem
        key = self._key(file, content, settings)
        try:
            # surrogateescape both ways: a file name that is not UTF-8 round-trips
            with open(self._entry_path(key), encoding="utf-8", errors="surrogateescape") as handle:
                entry = json.loads(handle.read())
            for dependency, expected in entry["dependencies"].items():
                if sha256_file(dependency) != expected:
                    return key, None
            for folder, pattern, matches in entry.get("globs", []):
                if glob_matches(folder, pattern) != matches:
                    return key, None  # a file started or stopped matching
            diagnostics = [_diagnostic(item) for item in entry["diagnostics"]]
            return key, Hit(diagnostics, list(entry["dependencies"]))
        except (OSError, ValueError, KeyError, TypeError):
            return key, None

    def put(
        self,
        key: str,
        diagnostics: Iterable[Diagnostic],
        dependencies: Iterable[str],
        globs: Iterable[tuple[str, str]] = (),
    ) -> None:
        if not key:
            return
        entry = {
            "dependencies": {dep: sha256_file(dep) for dep in dependencies},
            "globs": [[f, p, glob_matches(f, p)] for f, p in globs],
            "diagnostics": [_record(d) for d in diagnostics],
        }
        path = self._entry(key)
        try:
            self._prepare()
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as handle:
                json.dump(entry, handle, ensure_ascii=False)
            os.replace(temp, path)
        except OSError:
            return  # a read-only checkout only costs speed

    def _prepare(self) -> None:
        if self._ready:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        ignore = self.folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# Created by smplan: a cache, never commit it.\n*\n")
        self._ready = True


def _record(d: Diagnostic) -> dict[str, Any]:
    record = {name: getattr(d, name) for name in _DIAGNOSTIC_FIELDS}
    record["severity"] = d.severity.label
    return record


def _diagnostic(record: dict[str, Any]) -> Diagnostic:
    values = {name: record[name] for name in _DIAGNOSTIC_FIELDS}
    values["severity"] = Severity.parse(values["severity"])
    return Diagnostic(**values)
