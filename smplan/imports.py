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

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from smplan.diagnostics import Diagnostic, Severity
from smplan.source import DEFAULT_LIMITS, Limits, LoadedSource, node_position, read_file

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
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


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
    imports_node = _value_node(current.source_map.root, "imports")
    for index, entry in enumerate(entries):
        if not isinstance(entry, str):
            continue
        where = _item_node(imports_node, index)

        def report(message: str, _where: Node | None = where) -> None:
            target.diagnostics.append(_diagnostic(current.file, _where, message))

        resolved = (path.parent / entry).resolve()
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
        root_node = imported.source_map.root
        for section, value in imported.data.items():
            if section in ("smplan", "imports"):
                continue  # shared files may carry the version (for the schema) and imports
            key_node, value_node = _pair(root_node, section)
            if section == "plan":
                target.diagnostics.append(
                    _diagnostic(
                        imported.file,
                        key_node,
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
                        *_position(imported.file, key_node),
                    )
                )
                continue
            target.data[section] = value
            if key_node is not None and value_node is not None:
                target.source_map.add_section(section, imported.file, key_node, value_node)


def _is_within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _pair(node: Node | None, key: str) -> tuple[Node | None, Node | None]:
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if isinstance(k, ScalarNode) and k.value == key:
                return k, v
    return None, None


def _value_node(node: Node | None, key: str) -> Node | None:
    return _pair(node, key)[1]


def _item_node(node: Node | None, index: int) -> Node | None:
    if isinstance(node, SequenceNode) and 0 <= index < len(node.value):
        item: Node = node.value[index]
        return item
    return node


def _position(file: str, node: Node | None) -> tuple[str, int, int, int, int]:
    if node is None:
        return file, 1, 1, 1, 1
    pos = node_position(file, node)
    return pos.file, pos.line, pos.column, pos.end_line, pos.end_column


def _diagnostic(file: str, node: Node | None, message: str) -> Diagnostic:
    return Diagnostic("import-error", Severity.ERROR, message, *_position(file, node))
