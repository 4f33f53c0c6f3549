"""``imports:``: sections shared across plans, merged into one document.

An imported file is a mapping of top-level sections (``team``, ``tools``,
``crisis``...). Each section lives in exactly one file: a section defined twice
is reported, never silently overridden. Paths are relative to the importing
file and may not leave the repository root; cycles are reported. Merged
sections keep their own file in the SourceMap, so findings inside them point
into the imported file.
"""

from __future__ import annotations

import os
from pathlib import Path

from smplan import safepath
from smplan.diagnostics import Diagnostic, Position, Severity
from smplan.source import DEFAULT_LIMITS, Limits, LoadedSource, read_file

_MAX_IMPORT_DEPTH = 16


def find_root(start: Path) -> Path:
    """The repository root: the nearest folder with ``.git``, else the file's folder."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def display_name(path: Path) -> str:
    """Paths as users typed them: relative to the working directory when inside it."""
    if not path.is_absolute():  # the common case, without a getcwd() per file
        relative = os.path.normpath(path)
        if not relative.startswith(".."):
            return relative
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def resolve_imports(
    loaded: LoadedSource,
    path: Path,
    root: Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> None:
    """Merge the sections of every imported file into ``loaded.data`` in place."""
    if not isinstance(loaded.data, dict) or "imports" not in loaded.data:
        return
    root = (root or find_root(path.parent)).resolve()
    _merge(loaded, loaded, path.resolve(), root, limits, chain=(path.resolve(),))


def _merge(
    target: LoadedSource,
    current: LoadedSource,
    path: Path,
    root: Path,
    limits: Limits,
    chain: tuple[Path, ...],
) -> None:
    data = current.data
    entries = data.get("imports") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return  # a wrong type is the schema's to report
    for index, entry in enumerate(entries):
        if not isinstance(entry, str):
            continue
        where = current.source_map.locate(("imports", index))

        def report(message: str, _where: Position = where) -> None:
            target.diagnostics.append(_diagnostic(_where, message))

        try:
            resolved = safepath.resolve(path.parent / entry)
        except safepath.PathProblem as exc:
            report(f"import '{entry}' {exc}")
            continue
        if not _is_within(resolved, root):
            report(f"import '{entry}' points outside the repository root ({root})")
            continue
        if resolved in chain:
            cycle = " -> ".join(display_name(p) for p in (*chain, resolved))
            report(f"import cycle: {cycle}")
            continue
        if len(chain) > _MAX_IMPORT_DEPTH:
            report(f"imports nested deeper than {_MAX_IMPORT_DEPTH} files")
            continue
        try:
            imported = read_file(resolved, display_name(resolved), limits)
        except FileNotFoundError:
            report(f"imported file '{entry}' does not exist")
            continue
        except IsADirectoryError:
            report(f"import '{entry}' is a folder; name a YAML file")
            continue
        except OSError as exc:
            report(f"cannot read imported file '{entry}': {exc.strerror or exc}")
            continue
        target.diagnostics.extend(imported.diagnostics)
        target.texts[imported.file] = imported.text
        if imported.data is None:
            continue
        if not isinstance(imported.data, dict):
            report(f"imported file '{entry}' must be a mapping of plan sections")
            continue
        _merge(target, imported, resolved, root, limits, (*chain, resolved))
        for section, value in imported.data.items():
            if section in ("smplan", "imports"):
                continue  # shared files may carry the version (for the schema) and imports
            key_position = imported.source_map.locate((section,), key=True)
            if section == "plan":
                target.diagnostics.append(
                    _diagnostic(
                        key_position,
                        f"section '{section}' cannot be imported; it belongs in the plan itself",
                    )
                )
                continue
            if section in target.data:
                first = target.source_map.file_of((section,))
                target.diagnostics.append(
                    Diagnostic(
                        "duplicate-key",
                        Severity.ERROR,
                        f"section '{section}' is defined both here and in {first}; "
                        "keep it in one file",
                        *_fields(key_position),
                    )
                )
                continue
            target.data[section] = value
            pair = imported.source_map.section(section)
            if pair is not None:
                target.source_map.add_section(section, imported.file, *pair)


def _is_within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _fields(pos: Position) -> tuple[str, int, int, int, int]:
    return pos.file, pos.line, pos.column, pos.end_line, pos.end_column


def _diagnostic(where: Position, message: str) -> Diagnostic:
    return Diagnostic("import-error", Severity.ERROR, message, *_fields(where))
