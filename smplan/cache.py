"""A content-hash cache of lint results (``.smplan_cache/``), like ruff's.

An entry is keyed by everything that can change a file's findings: smplan's
own code (its version and the size and mtime of its files, so an edited
checkout never serves stale results), the resolved configuration, the date
rules compare against, the working folder (paths in findings are relative to
it) and the file's bytes. Files that went into the plan (imports) are recorded
with their hashes and checked on every hit. Entries are written to a temporary
file and renamed, so concurrent runs never see half an entry.

The folder sits in the repository, so a pull request can plant anything in it.
Nothing read from it is trusted: an entry of any other shape than the one
written here is a miss (and recomputed), a FIFO or device is never read, a
symlink is never written through, and a cache folder that is itself a symlink
is not used at all.
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
from smplan.regularfile import open_regular

CACHE_DIR = ".smplan_cache"
_FORMAT = 1
_DIAGNOSTIC_FIELDS = [f.name for f in fields(Diagnostic) if f.name != "extra"]
_TEXT_FIELDS = ("rule", "message", "file", "path", "node_id", "suppression_reason")
_POSITION_FIELDS = ("line", "column", "end_line", "end_column")
_ENTRY_KEYS = {"dependencies", "globs", "diagnostics"}
_SEVERITIES = {s.label: s for s in Severity}
_MAX_ENTRY = 64 * 1024 * 1024  # bytes; far above any real plan's findings
_MAX_MATCHES = 10_000
STALE_TEMP = 3600  # seconds: a temporary file this old is an interrupted write
# O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: no link out.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)


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
    """The digest of a regular file; None for anything else (a FIFO would block)."""
    try:
        with open_regular(path) as handle:
            return None if handle is None else hashlib.file_digest(handle, "sha256").hexdigest()
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
        return sorted(islice(safeglob.iglob(pattern, folder), _MAX_MATCHES))
    except (OSError, ValueError):
        return []


def refusal(folder: Path) -> str | None:
    """Why ``folder`` cannot hold the cache, or None.

    A committed ``.smplan_cache`` that is a symlink would make lint write
    wherever it points, outside the repository.
    """
    if os.path.islink(folder):
        return f"{os.fspath(folder)} is a symbolic link"
    return None


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
        self.refused = refusal(folder)  # then every get is a miss and put writes nothing

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
        if self.refused:
            return key, None
        entry = _read_entry(self._entry_path(key))
        if entry is None:
            return key, None
        try:
            dependencies, globs, diagnostics = _parse_entry(entry, os.fspath(file.parent))
        except (ValueError, TypeError):
            return key, None  # not what put writes: recompute it
        for dependency, expected in dependencies.items():
            if sha256_file(dependency) != expected:
                return key, None
        for folder, pattern, matches in globs:
            if glob_matches(folder, pattern) != matches:
                return key, None  # a file started or stopped matching
        return key, Hit(diagnostics, list(dependencies))

    def put(
        self,
        key: str,
        diagnostics: Iterable[Diagnostic],
        dependencies: Iterable[str],
        globs: Iterable[tuple[str, str]] = (),
    ) -> None:
        diagnostics = list(diagnostics)
        if not key or self.refused or any(d.rule == "internal-error" for d in diagnostics):
            return  # a crash is not a result: a fixed plugin or a freed memory must be tried again
        entry = {
            "dependencies": {dep: sha256_file(dep) for dep in dependencies},
            "globs": [[f, p, glob_matches(f, p)] for f, p in globs],
            "diagnostics": [_record(d) for d in diagnostics],
        }
        path = self._entry(key)
        try:
            self._prepare()
            if os.path.islink(path.parent):
                return  # planted: an entry written there would land outside the cache
            path.parent.mkdir(exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as handle:
                    json.dump(entry, handle, ensure_ascii=False)
                os.replace(temp, path)  # replaces a planted symlink, never follows it
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError:
            return  # a read-only checkout only costs speed

    def _prepare(self) -> None:
        if self._ready:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL never follows a planted symlink, dangling or not.
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            fd = os.open(self.folder / ".gitignore", flags, 0o644)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write("# Created by smplan: a cache, never commit it.\n*\n")
        _remove_stale_temps(self.folder)
        self._ready = True


def _remove_stale_temps(folder: Path) -> None:
    """Delete temporary files of writes that were killed (an hour old, so not in progress)."""
    import time

    old = time.time() - STALE_TEMP
    try:
        subfolders = [e for e in os.scandir(folder) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for subfolder in subfolders:
        try:
            with os.scandir(subfolder.path) as entries:
                temps = [e for e in entries if e.name.startswith(".tmp-")]
            for temp in temps:
                if temp.stat(follow_symlinks=False).st_mtime < old:
                    os.unlink(temp.path)
        except OSError:
            continue


def _read_entry(name: str) -> Any:
    """The parsed JSON of an entry, or None: never through a symlink, never a FIFO."""
    try:
        fd = os.open(name, _READ_FLAGS)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_ENTRY:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(_MAX_ENTRY + 1)
        # surrogateescape both ways: a file name that is not UTF-8 round-trips
        return json.loads(data.decode("utf-8", errors="surrogateescape"))
    except (OSError, ValueError, RecursionError):
        return None
    finally:
        os.close(fd)


def _parse_entry(
    entry: Any, folder: str
) -> tuple[dict[str, str | None], list[tuple[str, str, list[str]]], list[Diagnostic]]:
    """An entry's parts, checked to be exactly what :meth:`LintCache.put` writes.

    ``folder`` is the plan's folder: the only one its actuals glob can search.
    Raises ValueError or TypeError on anything else.
    """
    if type(entry) is not dict or set(entry) != _ENTRY_KEYS:
        raise ValueError("not an entry")
    dependencies = entry["dependencies"]
    if type(dependencies) is not dict or not all(
        type(name) is str and (digest is None or _is_digest(digest))
        for name, digest in dependencies.items()
    ):
        raise ValueError("bad dependencies")
    globs = entry["globs"]
    if type(globs) is not list or len(globs) > 1:
        raise ValueError("bad globs")
    checked_globs = []
    for item in globs:
        if type(item) is not list or len(item) != 3:
            raise ValueError("bad glob")
        where, pattern, matches = item
        if where != folder or type(pattern) is not str or type(matches) is not list:
            raise ValueError("bad glob")
        if len(matches) > _MAX_MATCHES or not all(type(m) is str for m in matches):
            raise ValueError("bad glob matches")
        checked_globs.append((where, pattern, matches))
    records = entry["diagnostics"]
    if type(records) is not list:
        raise ValueError("bad diagnostics")
    return dependencies, checked_globs, [_diagnostic(record) for record in records]


def _is_digest(value: Any) -> bool:
    return type(value) is str and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def _record(d: Diagnostic) -> dict[str, Any]:
    record = {name: getattr(d, name) for name in _DIAGNOSTIC_FIELDS}
    record["severity"] = d.severity.label
    return record


def _diagnostic(record: Any) -> Diagnostic:
    """A diagnostic exactly as :func:`_record` wrote it; ValueError on anything else.

    Strict on purpose: ``suppressed: "yes"`` hid an error, and a line of -5 or
    "3" was printed or crashed the report.
    """
    if type(record) is not dict or set(record) != set(_DIAGNOSTIC_FIELDS):
        raise ValueError("not a diagnostic")
    if not all(type(record[name]) is str for name in _TEXT_FIELDS):
        raise ValueError("a text field is not text")
    if not record["rule"] or not record["file"]:
        raise ValueError("no rule or file")
    line, column, end_line, end_column = (record[name] for name in _POSITION_FIELDS)
    if not all(type(n) is int and n >= 1 for n in (line, column, end_line, end_column)):
        raise ValueError("a position is not a positive integer")
    if (end_line, end_column) < (line, column):
        raise ValueError("ends before it starts")
    if type(record["suppressed"]) is not bool:
        raise ValueError("suppressed is not a boolean")
    severity = _SEVERITIES.get(record["severity"]) if type(record["severity"]) is str else None
    if severity is None:
        raise ValueError("unknown severity")
    return Diagnostic(**{**record, "severity": severity})
