"""YAML bytes -> plain data + SourceMap, with positions for every key and value.

libyaml's C parser (through PyYAML) produces events; one pass over them builds
the plain data and a tree of spans that the SourceMap walks when a diagnostic
asks for a position. Building the data ourselves lets us refuse what a safe
linter must: duplicate keys (YAML loaders silently keep the last one), tags
that construct objects, alias bombs, deep nesting and oversized files.
"""

from __future__ import annotations

import errno
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import yaml
from yaml.nodes import ScalarNode

from smplan.diagnostics import Diagnostic, Position, Severity
from smplan.paths import PathPart
from smplan.yamlhints import TAB, hint, is_tab_problem

try:  # libyaml is the fast path; the pure-Python loader keeps smplan working without it.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP, _MERGE = (
    _TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "merge")
)
_MAP, _SEQ = _TAG + "map", _TAG + "seq"
_LIMIT = "limit-exceeded"
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_SCALARS = {
    _INT: _CONSTRUCTOR.construct_yaml_int,
    _FLOAT: _CONSTRUCTOR.construct_yaml_float,
    _BOOL: _CONSTRUCTOR.construct_yaml_bool,
    _NULL: _CONSTRUCTOR.construct_yaml_null,
    _TIMESTAMP: _CONSTRUCTOR.construct_yaml_timestamp,
}


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what one file may ask of smplan (documented in README)."""

    max_file_size: int = 10 * 1024 * 1024
    max_depth: int = 64
    max_aliases: int = 1_000
    max_nodes: int = 2_000_000
    max_string_length: int = 1_000_000


DEFAULT_LIMITS = Limits()


Span = tuple[int, int, int, int]
"""Start line, start column, end line, end column; all 0-based (libyaml's marks)."""
Entry = tuple[Span, Any]
"""A node's span and its children: ``{key: (key span, Entry)}``, ``[Entry]`` or None."""


class SourceMap:
    """Turns a document path into a position through a tree of spans.

    Sections merged from imported files keep their own file and spans, so a
    diagnostic inside imported content points into the imported file. The
    longest known prefix of a path wins.
    """

    def __init__(self, file: str, root: Entry | None) -> None:
        self.file = file
        self.root = root
        self._sections: dict[str, tuple[str, Span, Entry]] = {}

    def add_section(self, name: str, file: str, key: Span, value: Entry) -> None:
        self._sections[name] = (file, key, value)

    def section(self, name: str) -> tuple[Span, Entry] | None:
        """The key span and value entry of a top-level key of this file."""
        children = self.root[1] if self.root is not None else None
        if isinstance(children, dict) and name in children:
            pair: tuple[Span, Entry] = children[name]
            return pair
        return None

    def file_of(self, path: Sequence[PathPart]) -> str:
        if path and isinstance(path[0], str) and path[0] in self._sections:
            return self._sections[path[0]][0]
        return self.file

    def is_flow_mapping(self, path: Sequence[PathPart], texts: Mapping[str, str]) -> bool:
        """True when the mapping at ``path`` is written inline, ``{a: 1, b: 2}``.

        A flow mapping's span starts at its ``{`` (a block mapping's at its
        first key); ``texts`` are the files' texts (``LoadedSource.texts``).
        """
        file, _, entry, found_all = self._walk(path)
        if not found_all or entry is None or not isinstance(entry[1], dict):
            return False
        line, column = entry[0][0], entry[0][1]
        rows = texts.get(file, "").split("\n")
        return 0 <= line < len(rows) and rows[line][column : column + 1] == "{"

    def locate(self, path: Sequence[PathPart], *, key: bool = False) -> Position:
        """Position of the node at ``path`` (its key when ``key`` is true)."""
        file, key_span, entry, found_all = self._walk(path)
        if entry is None:
            return Position(file, 1, 1, 1, 1)
        span = key_span if key_span is not None and (key or not found_all) else entry[0]
        return span_position(file, span)

    def _walk(self, path: Sequence[PathPart]) -> tuple[str, Span | None, Entry | None, bool]:
        """The file, key span and entry of the longest known prefix of ``path``; all found?"""
        file = self.file
        entry = self.root
        key_span: Span | None = None
        rest: Sequence[PathPart] = path
        if path and isinstance(path[0], str) and path[0] in self._sections:
            file, key_span, entry = self._sections[path[0]]
            rest = path[1:]
        found_all = True
        for part in rest:
            children = entry[1] if entry is not None else None
            if isinstance(children, dict) and isinstance(part, str) and part in children:
                key_span, entry = children[part]
            elif isinstance(children, list) and isinstance(part, int) and 0 <= part < len(children):
                key_span, entry = None, children[part]
            else:
                found_all = False
                break
        return file, key_span, entry, found_all


def span_position(file: str, span: Span) -> Position:
    line, column, end_line, end_column = span
    # Block collections end at the start of the next line; never end before the start.
    if (end_line, end_column) < (line, column):
        end_line, end_column = line, column
    return Position(file, line + 1, column + 1, end_line + 1, end_column + 1)


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
    status = path.stat()
    if stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    if not stat.S_ISREG(status.st_mode):
        # A FIFO would block forever and /dev/zero never ends: read regular files only.
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    if status.st_size > limits.max_file_size:
        return _too_big(file, f"{status.st_size} bytes", limits)
    return load_bytes(path.read_bytes(), file, limits)


def read_stream(stream: BinaryIO, file: str, limits: Limits = DEFAULT_LIMITS) -> LoadedSource:
    """Read and parse a plan from a pipe (stdin), reading no more than the size limit."""
    raw = stream.read(limits.max_file_size + 1)
    if len(raw) > limits.max_file_size:
        return _too_big(file, f"more than {limits.max_file_size} bytes", limits)
    return load_bytes(raw, file, limits)


def _too_big(file: str, size: str, limits: Limits) -> LoadedSource:
    loaded = LoadedSource(file, "", None, SourceMap(file, None))
    loaded.diagnostics.append(
        _diag(
            _LIMIT,
            f"the file is {size}, over the {limits.max_file_size}-byte limit "
            "(raise it with max-file-size in the config)",
            file,
            1,
            1,
        )
    )
    return loaded


def load_bytes(raw: bytes, file: str, limits: Limits = DEFAULT_LIMITS) -> LoadedSource:
    """Decode (UTF-8, BOM allowed) and parse; never raises on bad input."""
    text, problem = decode(raw, file)
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
    builder = _Builder(file, limits)
    try:
        data, root = builder.build(text)
    except _LoadError as exc:
        loaded.diagnostics.append(_diag(exc.rule, exc.message, file, exc.line, exc.column))
        return loaded
    loaded.diagnostics.extend(builder.diagnostics)
    if root is None or data is None:
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
    source_map.root = root
    loaded.data = data
    return loaded


def _diag(rule: str, message: str, file: str, line: int, column: int) -> Diagnostic:
    return Diagnostic(rule, Severity.ERROR, message, file, line, column, line, column + 1)


def _yaml_error(exc: yaml.MarkedYAMLError, text: str) -> _LoadError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "invalid YAML"
    if exc.context and exc.context not in problem:
        problem = f"{problem} ({exc.context})"
    at_tab = mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t"
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    if at_tab or is_tab_problem(problem):
        problem = TAB
    elif mark is not None:
        context = exc.context_mark.line if exc.context_mark is not None else None
        fix = hint(problem, text, mark.line, mark.column, context)
        if fix:
            problem = f"{problem}; {fix}"
    if "maximum nesting depth" in problem:
        # Newer libyaml builds stop at their own depth limit while scanning,
        # before smplan's (lower) limit sees the events: the same finding.
        return _LoadError(
            _LIMIT, "nesting far deeper than any plan needs (libyaml's limit)", line, column
        )
    return _LoadError("yaml-syntax", _one_line(problem), line, column)


def _reader_error(exc: yaml.reader.ReaderError, text: str) -> _LoadError:
    """A character YAML forbids (NUL, other controls), at its own line and column.

    libyaml counts the position in bytes, the pure-Python reader in
    characters; the first such character in the text is the one refused.
    """
    index = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
    if index < 0:
        return _LoadError("yaml-syntax", _one_line(str(exc)))
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    message = f"{exc.reason}: U+{exc.character:04X} at this position; remove it"
    return _LoadError("yaml-syntax", message, line, column)


def _one_line(text: str) -> str:
    return " ".join(text.split())


_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers
# Plain scalars repeat (dates, counts, true/false): resolve each spelling once per
# process. Every value constructed here (int, float, bool, None, date, datetime)
# is immutable, so sharing one is safe.
_RESOLVED: dict[str, Any] = {}
_RESOLVED_MAX = 10_000  # entries; about 1 MB
_UNSEEN = object()
_KEY_TAGS = {_STR, "!", _MERGE, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP}
_ScalarEvent = yaml.events.ScalarEvent
_MappingStart = yaml.events.MappingStartEvent
_SequenceStart = yaml.events.SequenceStartEvent
_CollectionEnd = (yaml.events.MappingEndEvent, yaml.events.SequenceEndEvent)
_AliasEvent = yaml.events.AliasEvent
_DocumentStart = yaml.events.DocumentStartEvent


class _Frame:
    """An open collection while its events stream past."""

    __slots__ = ("anchor", "children", "key", "key_span", "merges", "nodes", "start", "value")

    def __init__(self, value: Any, start: Any, anchor: str | None, nodes: int) -> None:
        self.value = value
        self.children: Any = {} if isinstance(value, dict) else []
        self.start = start
        self.anchor = anchor
        self.nodes = nodes  # the node count when the collection opened
        self.key: str | None = None
        self.key_span: Span | None = None
        self.merges: list[tuple[Any, Any]] = []


class _Builder:
    """libyaml events -> plain data and a tree of spans, in one pass, no recursion.

    Iterating events is about twice as fast as ``yaml.compose`` (which builds
    Python node objects) and, having no recursion, survives any nesting.
    """

    def __init__(self, file: str, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.diagnostics: list[Diagnostic] = []
        # anchor -> (value, entry, expanded size); None while the collection is open
        self.anchors: dict[str, tuple[Any, Entry, int] | None] = {}
        self.aliases = 0
        self.nodes = 0

    def build(self, text: str) -> tuple[Any, Entry | None]:
        loader = _Loader(text)
        get = loader.get_event  # pulled straight from the parser: no per-event check call
        try:
            try:
                return self._build(get)
            except _LoadError as exc:
                refusal = exc
            # A syntax error further down says more than a refusal here: "this
            # is not YAML" comes first. libyaml slows down quadratically with
            # nesting depth, so draining stops where the depth limit would.
            if refusal.rule != _LIMIT:
                depth = 0
                while (event := get()) is not None:
                    kind = type(event)
                    if kind is _MappingStart or kind is _SequenceStart:
                        depth += 1
                        if depth > self.limits.max_depth:
                            break
                    elif kind in _CollectionEnd:
                        depth -= 1
            raise refusal
        except yaml.MarkedYAMLError as exc:
            raise _yaml_error(exc, text) from None
        except yaml.reader.ReaderError as exc:
            raise _reader_error(exc, text) from None
        except yaml.YAMLError as exc:
            raise _LoadError("yaml-syntax", _one_line(str(exc))) from None
        finally:
            loader.dispose()

    def _build(self, get: Callable[[], Any]) -> tuple[Any, Entry | None]:
        # The hot loop of every lint run: the current frame lives in locals and
        # the common cases (a plain text scalar, a list item) are inlined.
        stack: list[_Frame] = []
        top: _Frame | None = None
        top_is_map = False
        root: tuple[Any, Entry] | None = None
        documents = 0
        max_depth = self.limits.max_depth
        max_string = self.limits.max_string_length
        max_nodes = self.limits.max_nodes
        implicit = _IMPLICIT
        while (event := get()) is not None:
            kind = type(event)
            if kind is _ScalarEvent:
                value = event.value
                if len(value) > max_string:
                    raise self.fail(event, f"a value longer than {max_string} characters", _LIMIT)
                start, end = event.start_mark, event.end_mark
                span = (start.line, start.column, end.line, end.column)
                self.nodes += 1
                if top_is_map and top.key is None:  # type: ignore[union-attr]
                    # A mapping key, kept as written: `no:` stays "no", not False.
                    tag = event.tag
                    if tag is not None and tag not in _KEY_TAGS:
                        raise self.fail(event, _unsupported_tag(tag))
                    top.key, top.key_span = value, span  # type: ignore[union-attr]
                    if event.anchor is not None:
                        self.anchors[event.anchor] = (value, (span, None), 1)
                    continue
                if event.tag is None and (not event.implicit[0] or value[:1] not in implicit):
                    scalar: Any = value  # quoted, or plain text no resolver claims
                else:
                    scalar = self._scalar(event, value)
                entry: Entry = (span, None)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (scalar, entry, 1)
                if top is None:
                    root = (scalar, entry)
                elif top_is_map:
                    self._put(top, scalar, entry, event)
                else:
                    top.value.append(scalar)
                    top.children.append(entry)
            elif kind is _MappingStart or kind is _SequenceStart:
                if top_is_map and top.key is None:  # type: ignore[union-attr]
                    raise self.fail(event, "a key must be plain text, not a list or mapping")
                if len(stack) >= max_depth:
                    raise self.fail(
                        event,
                        f"nesting deeper than {max_depth} levels; a plan never needs that",
                        _LIMIT,
                    )
                tag = event.tag
                is_map = kind is _MappingStart
                if tag is not None and tag not in ((_MAP if is_map else _SEQ), "!"):
                    raise self.fail(event, _unsupported_tag(tag))
                anchor = event.anchor
                if anchor is not None:
                    self.anchors[anchor] = None
                top = _Frame({} if is_map else [], event.start_mark, anchor, self.nodes)
                top_is_map = is_map
                stack.append(top)
            elif kind in _CollectionEnd:
                frame = stack.pop()
                top = stack[-1] if stack else None
                top_is_map = top is not None and top.children.__class__ is dict
                self.nodes += 1
                if frame.merges:
                    self._merge(frame)
                start, end = frame.start, event.end_mark
                entry = ((start.line, start.column, end.line, end.column), frame.children)
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (frame.value, entry, self.nodes - frame.nodes)
                if top is None:
                    root = (frame.value, entry)
                elif top_is_map:
                    self._put(top, frame.value, entry, event)
                else:
                    top.value.append(frame.value)
                    top.children.append(entry)
            elif kind is _AliasEvent:
                value, entry = self._alias(event)
                if top is None:
                    root = (value, entry)
                elif top_is_map and top.key is None:
                    if not isinstance(value, str):
                        raise self.fail(event, "a key must be plain text, not a list or mapping")
                    top.key, top.key_span = value, entry[0]
                elif top_is_map:
                    self._put(top, value, entry, event)
                else:
                    top.value.append(value)
                    top.children.append(entry)
            elif kind is _DocumentStart:
                documents += 1
                if documents > 1:
                    raise self.fail(
                        event, "a plan file holds one YAML document, but another one starts here"
                    )
            if self.nodes > max_nodes:
                raise self.fail(event, f"more than {max_nodes} nodes in one file", _LIMIT)
        if root is None:
            return None, None
        return root

    def _put(self, top: _Frame, value: Any, entry: Entry, event: Any) -> None:
        """A value for the pending key of a mapping: merge, duplicate or new."""
        name = top.key
        key_span = top.key_span
        top.key = None
        assert name is not None and key_span is not None
        if name == "<<":
            top.merges.append((value, event))
            return
        if name in top.value:
            self.diagnostics.append(
                Diagnostic(
                    "duplicate-key",
                    Severity.ERROR,
                    f"duplicate key '{name}'; the mapping already has it above "
                    "(YAML loaders would silently keep only the last one)",
                    self.file,
                    key_span[0] + 1,
                    key_span[1] + 1,
                    key_span[2] + 1,
                    key_span[3] + 1,
                )
            )
            return
        top.value[name] = value
        top.children[name] = (key_span, entry)

    def _merge(self, frame: _Frame) -> None:
        """YAML merge keys: explicit keys win over merged ones."""
        for value, event in frame.merges:
            sources = value if isinstance(value, list) else [value]
            for source in sources:
                if not isinstance(source, dict):
                    raise self.fail(event, "'<<' merges only mappings")
                for name, item in source.items():
                    frame.value.setdefault(name, item)

    def _alias(self, event: Any) -> tuple[Any, Entry]:
        name = event.anchor
        if name not in self.anchors:
            raise self.fail(event, f"alias '*{name}' names no anchor", "yaml-syntax")
        found = self.anchors[name]
        if found is None:
            raise self.fail(event, "an alias refers to the collection that contains it")
        value, entry, size = found
        # Reuse the value, but count what it expands to, so an alias bomb is
        # refused before anything downstream walks it.
        self.aliases += 1
        self.nodes += size
        if self.aliases > self.limits.max_aliases:
            raise self.fail(event, f"more than {self.limits.max_aliases} aliases", _LIMIT)
        if self.nodes > self.limits.max_nodes:
            raise self.fail(
                event,
                f"aliases expand to more than {self.limits.max_nodes} nodes (an alias bomb?)",
                _LIMIT,
            )
        return value, entry

    def _scalar(self, event: Any, value: str) -> Any:
        tag = event.tag
        if tag is None:
            if not event.implicit[0]:
                return value  # quoted: always text
            resolved = _RESOLVED.get(value, _UNSEEN)
            if resolved is not _UNSEEN:
                return resolved
            result = self._resolve(event, value)
            if len(_RESOLVED) >= _RESOLVED_MAX:
                _RESOLVED.clear()
            _RESOLVED[value] = result
            return result
        return self._construct(event, value, tag)

    def _resolve(self, event: Any, value: str) -> Any:
        """A plain scalar's type by YAML 1.1's implicit rules (``2027-01-15`` is a date)."""
        tag = _STR
        for candidate, pattern in _IMPLICIT.get(value[:1], ()):
            if pattern.match(value):
                tag = candidate
                break
        return self._construct(event, value, tag)

    def _construct(self, event: Any, value: str, tag: str) -> Any:
        if tag == _STR or tag == "!":
            return value
        construct = _SCALARS.get(tag)
        if construct is None:
            raise self.fail(event, _unsupported_tag(tag))
        try:
            result = construct(ScalarNode(tag, value))
        except (ValueError, OverflowError) as exc:
            raise self.fail(
                event, f"invalid {tag.removeprefix(_TAG)} value {value!r}", "yaml-syntax"
            ) from exc
        return result

    def fail(self, event: Any, message: str, rule: str = "schema-violation") -> _LoadError:
        """Valid YAML that a plan may not hold (``schema-violation``), or a limit hit."""
        mark = event.start_mark
        return _LoadError(rule, message, mark.line + 1, mark.column + 1)


def _unsupported_tag(tag: str) -> str:
    shown = "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag
    return f"unsupported YAML tag '{shown}'; plans hold plain data only (nothing is constructed)"
