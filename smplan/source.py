"""YAML bytes -> plain data + SourceMap, with positions for every key and value.

Parsing goes through libyaml (``yaml.compose`` with the C loader) for speed and
keeps the node tree: the SourceMap walks it lazily, so positions cost nothing
until a diagnostic asks for one. Conversion to Python data is ours, so we can
refuse what a safe linter must refuse: duplicate keys (YAML loaders silently
keep the last one), tags that construct objects, alias bombs, deep nesting and
oversized files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from smplan.diagnostics import Diagnostic, Position, Severity
from smplan.paths import PathPart

try:  # libyaml is the fast path; the pure-Python loader keeps smplan working without it.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP, _MERGE = (
    _TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "merge")
)
_MAP, _SEQ = _TAG + "map", _TAG + "seq"
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_SCALARS = {
    _INT: _CONSTRUCTOR.construct_yaml_int,
    _FLOAT: _CONSTRUCTOR.construct_yaml_float,
    _BOOL: _CONSTRUCTOR.construct_yaml_bool,
    _NULL: _CONSTRUCTOR.construct_yaml_null,
    _TIMESTAMP: _CONSTRUCTOR.construct_yaml_timestamp,
}
# Nesting that libyaml's recursive composer surely survives on a default stack.
_SAFE_COMPOSE_DEPTH = 2_000


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what one file may ask of smplan (documented in README)."""

    max_file_size: int = 10 * 1024 * 1024
    max_depth: int = 64
    max_aliases: int = 1_000
    max_nodes: int = 2_000_000
    max_string_length: int = 1_000_000


DEFAULT_LIMITS = Limits()


class SourceMap:
    """Turns a document path into a position, walking the YAML node tree lazily.

    Sections merged from imported files keep their own file and nodes, so a
    diagnostic inside imported content points into the imported file. The
    longest known prefix of a path wins.
    """

    def __init__(self, file: str, root: Node | None) -> None:
        self.file = file
        self.root = root
        self._sections: dict[str, tuple[str, Node, Node]] = {}

    def add_section(self, name: str, file: str, key: Node, value: Node) -> None:
        self._sections[name] = (file, key, value)

    def file_of(self, path: Sequence[PathPart]) -> str:
        if path and isinstance(path[0], str) and path[0] in self._sections:
            return self._sections[path[0]][0]
        return self.file

    def locate(self, path: Sequence[PathPart], *, key: bool = False) -> Position:
        """Position of the node at ``path`` (its key when ``key`` is true)."""
        file = self.file
        node: Node | None = self.root
        key_node: Node | None = None
        rest: Sequence[PathPart] = path
        if path and isinstance(path[0], str) and path[0] in self._sections:
            file, key_node, node = self._sections[path[0]]
            rest = path[1:]
        found_all = True
        for part in rest:
            child = _child(node, part)
            if child is None:
                found_all = False
                break
            key_node, node = child
        if node is None:
            return Position(file, 1, 1, 1, 1)
        target = key_node if key_node is not None and (key or not found_all) else node
        return node_position(file, target)


def _child(node: Node | None, part: PathPart) -> tuple[Node | None, Node] | None:
    if isinstance(node, MappingNode) and isinstance(part, str):
        for k, v in node.value:
            if isinstance(k, ScalarNode) and k.value == part:
                return k, v
        return None
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None


def node_position(file: str, node: Node) -> Position:
    start, end = node.start_mark, node.end_mark
    # Block collections end at the start of the next line; clamp to the start line
    # when the end mark would point before the start (empty nodes).
    end_line, end_col = end.line + 1, end.column + 1
    if (end_line, end_col) < (start.line + 1, start.column + 1):
        end_line, end_col = start.line + 1, start.column + 1
    return Position(file, start.line + 1, start.column + 1, end_line, end_col)


@dataclass
class LoadedSource:
    """One file after loading: its data (``None`` when unusable) and its findings."""

    file: str
    text: str
    data: Any
    source_map: SourceMap
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Every file's text that went into the document (imports too), for waivers.
    texts: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.texts.setdefault(self.file, self.text)


class _LoadError(Exception):
    def __init__(self, rule: str, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.rule, self.message, self.line, self.column = rule, message, line, column


def read_file(path: Path, file: str, limits: Limits = DEFAULT_LIMITS) -> LoadedSource:
    """Read and parse one file; I/O problems raise ``OSError`` for the caller to word."""
    size = path.stat().st_size
    if size > limits.max_file_size:
        loaded = LoadedSource(file, "", None, SourceMap(file, None))
        loaded.diagnostics.append(
            _diag(
                "yaml-syntax",
                f"the file is {size} bytes, over the {limits.max_file_size}-byte limit "
                "(raise it with max-file-size in the config)",
                file,
                1,
                1,
            )
        )
        return loaded
    text, problem = decode(path.read_bytes(), file)
    if text is None:
        loaded = LoadedSource(file, "", None, SourceMap(file, None))
        loaded.diagnostics.append(problem)  # type: ignore[arg-type]
        return loaded
    return load_text(text, file, limits)


def decode(raw: bytes, file: str) -> tuple[str | None, Diagnostic | None]:
    """UTF-8 (BOM allowed) to text; invalid bytes become a positioned diagnostic."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start].decode("utf-8", errors="replace")
        line = prefix.count("\n") + 1
        column = len(prefix) - (prefix.rfind("\n") + 1) + 1
        bad = raw[exc.start]
        message = (
            f"the file is not valid UTF-8: byte 0x{bad:02x} at offset {exc.start}; save it as UTF-8"
        )
        return None, _diag("yaml-syntax", message, file, line, column)


def load_text(text: str, file: str, limits: Limits = DEFAULT_LIMITS) -> LoadedSource:
    """Parse one YAML document; never raises on bad input."""
    source_map = SourceMap(file, None)
    loaded = LoadedSource(file, text, None, source_map)
    try:
        root = _compose(text, limits)
    except _LoadError as exc:
        loaded.diagnostics.append(_diag(exc.rule, exc.message, file, exc.line, exc.column))
        return loaded
    source_map.root = root
    if root is None:
        loaded.diagnostics.append(
            _diag(
                "schema-violation",
                "the file holds no YAML document; a plan starts with 'smplan: 1' and 'plan:'",
                file,
                1,
                1,
            )
        )
        return loaded
    converter = _Converter(file, limits)
    try:
        loaded.data = converter.convert(root, 0)
    except _LoadError as exc:
        loaded.diagnostics.append(_diag(exc.rule, exc.message, file, exc.line, exc.column))
        loaded.data = None
    loaded.diagnostics.extend(converter.diagnostics)
    return loaded


def _diag(rule: str, message: str, file: str, line: int, column: int) -> Diagnostic:
    return Diagnostic(rule, Severity.ERROR, message, file, line, column, line, column + 1)


def _compose(text: str, limits: Limits) -> Node | None:
    # libyaml's composer recurses in C: a deeply nested flow collection would
    # overflow the stack and kill the process. Bound the depth cheaply first
    # (every level needs a bracket or a column of indentation) and, only when
    # the bound is high, check the real depth event by event (no recursion).
    bound = text.count("[") + text.count("{") + 2 * _longest_line(text) + 2
    if bound > _SAFE_COMPOSE_DEPTH:
        _check_depth_by_events(text, limits)
    return _compose_now(text)


def _longest_line(text: str) -> int:
    if len(text) < 4096:
        return len(text)
    return max(map(len, text.split("\n")))


def _compose_now(text: str) -> Node | None:
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        error = _yaml_error(exc)
        mark = exc.problem_mark
        if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
            error.message = "a tab character; YAML indents with spaces only"
        raise error from None
    except yaml.YAMLError as exc:
        raise _LoadError("yaml-syntax", _one_line(str(exc))) from None


def _check_depth_by_events(text: str, limits: Limits) -> None:
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > limits.max_depth:
                    mark = event.start_mark
                    raise _LoadError(
                        "yaml-syntax",
                        f"nesting deeper than {limits.max_depth} levels; a plan never needs that",
                        mark.line + 1 if mark else 1,
                        mark.column + 1 if mark else 1,
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc) from None


def _yaml_error(exc: yaml.MarkedYAMLError) -> _LoadError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "invalid YAML"
    if problem == "but found another document":
        problem = "a plan file holds one YAML document, but another one starts here"
    elif exc.context and exc.context not in problem:
        problem = f"{problem} ({exc.context})"
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    return _LoadError("yaml-syntax", _one_line(problem), line, column)


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Converter:
    """Node tree -> plain data, refusing what a plan must not contain."""

    def __init__(self, file: str, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.diagnostics: list[Diagnostic] = []
        self.seen: dict[int, tuple[Any, int]] = {}  # id(node) -> (value, expanded size)
        self.active: set[int] = set()
        self.aliases = 0
        self.nodes = 0

    def fail(self, node: Node, message: str, rule: str = "yaml-syntax") -> _LoadError:
        mark = node.start_mark
        return _LoadError(rule, message, mark.line + 1, mark.column + 1)

    def convert(self, node: Node, depth: int) -> Any:
        if isinstance(node, ScalarNode):
            self.nodes += 1
            return self.scalar(node)
        key = id(node)
        if key in self.active:
            raise self.fail(node, "an alias refers to the collection that contains it")
        if key in self.seen:
            # An alias: reuse the value, but count what it expands to, so an
            # alias bomb is refused before anything downstream walks it.
            self.aliases += 1
            value, size = self.seen[key]
            self.nodes += size
            if self.aliases > self.limits.max_aliases:
                raise self.fail(node, f"more than {self.limits.max_aliases} aliases")
            if self.nodes > self.limits.max_nodes:
                raise self.fail(
                    node,
                    f"aliases expand to more than {self.limits.max_nodes} nodes (an alias bomb?)",
                )
            return value
        if depth >= self.limits.max_depth:
            raise self.fail(
                node, f"nesting deeper than {self.limits.max_depth} levels; a plan never needs that"
            )
        before = self.nodes
        self.active.add(key)
        if isinstance(node, MappingNode):
            value = self.mapping(node, depth)
        elif isinstance(node, SequenceNode):
            value = self.sequence(node, depth)
        else:  # pragma: no cover - yaml has no other node kinds
            raise self.fail(node, "unsupported YAML node")
        self.active.discard(key)
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise self.fail(node, f"more than {self.limits.max_nodes} nodes in one file")
        self.seen[key] = (value, self.nodes - before)
        return value

    def scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if len(node.value) > self.limits.max_string_length:
            raise self.fail(node, f"a value longer than {self.limits.max_string_length} characters")
        if tag == _STR:
            return node.value
        construct = _SCALARS.get(tag)
        if construct is None:
            raise self.fail(node, _unsupported_tag(tag))
        try:
            return construct(node)
        except (ValueError, OverflowError) as exc:
            raise self.fail(node, f"invalid {tag.removeprefix(_TAG)} value {node.value!r}") from exc

    def mapping(self, node: MappingNode, depth: int) -> dict[str, Any]:
        if node.tag not in (_MAP,):
            raise self.fail(node, _unsupported_tag(node.tag))
        out: dict[str, Any] = {}
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise self.fail(key_node, "a key must be plain text, not a list or mapping")
            if key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            name = key_node.value
            if name in out:
                mark = key_node.start_mark
                self.diagnostics.append(
                    Diagnostic(
                        "duplicate-key",
                        Severity.ERROR,
                        f"duplicate key '{name}'; the mapping already has it above "
                        "(YAML loaders would silently keep only the last one)",
                        self.file,
                        mark.line + 1,
                        mark.column + 1,
                        key_node.end_mark.line + 1,
                        key_node.end_mark.column + 1,
                    )
                )
                continue
            out[name] = self.convert(value_node, depth + 1)
        for merge in merges:  # YAML merge keys: explicit keys win over merged ones
            sources = merge.value if isinstance(merge, SequenceNode) else [merge]
            for source in sources:
                merged = self.convert(source, depth + 1)
                if not isinstance(merged, dict):
                    raise self.fail(source, "'<<' merges only mappings")
                for name, value in merged.items():
                    out.setdefault(name, value)
        return out

    def sequence(self, node: SequenceNode, depth: int) -> list[Any]:
        if node.tag != _SEQ:
            raise self.fail(node, _unsupported_tag(node.tag))
        return [self.convert(item, depth + 1) for item in node.value]


def _unsupported_tag(tag: str) -> str:
    shown = "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag
    return f"unsupported YAML tag '{shown}'; plans hold plain data only (nothing is constructed)"
