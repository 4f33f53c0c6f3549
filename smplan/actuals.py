"""Actual results beside the plan: measurement files merged into the document.

``plan.actuals`` names files with a glob relative to the plan file, never
outside the repository root: YAML (a list of measurements, or a mapping with
an ``actuals:`` list) or CSV with a header row (``kpi,as_of,value``, plus any
raw-figure columns). Their rows are appended to the plan's own ``actuals:``
list before validation, so the model, every rule and ``smplan track`` see one
list, exactly as imported sections join the document. A
:class:`MergedSourceMap` keeps each row's file, so a finding on a row points
at its own line (and, in a CSV, its cell).

Problems only a file can have (a glob that leaves the repository, a CSV
without a header, a row with too many cells) are ``actuals-invalid``; what
the rows hold is left to validation (``schema-violation``) and the rules.
"""

from __future__ import annotations

import bisect
import csv
import difflib
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smplan import safeglob, safepath
from smplan.diagnostics import Diagnostic, Position, Severity
from smplan.imports import display_name
from smplan.metrics import FIGURES
from smplan.paths import PathPart
from smplan.source import DEFAULT_LIMITS, Limits, LoadedSource, SourceMap, decode, read_file

RULE = "actuals-invalid"
SECTION = "actuals"
CSV_SUFFIXES = (".csv",)
YAML_SUFFIXES = (".yaml", ".yml")
MAX_FILES = 1_000
"""More matches than this is a glob gone wrong (``**/*``), not a folder of exports."""
CSV_COLUMNS = (
    "kpi",
    "as_of",
    "value",
    "note",
    "channel",
    "campaign",
    "period_start",
    "period_end",
    *FIGURES,
)
_MONEY = frozenset({"spend", "revenue"})

Locator = Callable[[int, Sequence[PathPart], bool], Position]
"""(row index within its file, path inside the row, point at the key?) -> position."""


# -------------------------------------------------------------- source map
class MergedSourceMap(SourceMap):
    """A plan's SourceMap plus list items merged from other files.

    Items ``actuals[start:stop]`` that came from one file are located by that
    file's own locator; everything else is the plan's (and its imports').
    """

    def __init__(self, base: SourceMap, section: str = SECTION) -> None:
        super().__init__(base.file, base.root)
        self.base = base
        self.section_name = section
        self._starts: list[int] = []
        self._parts: list[tuple[int, int, str, Locator]] = []

    def add_items(self, start: int, count: int, file: str, locate: Locator) -> None:
        if count:
            self._starts.append(start)
            self._parts.append((start, start + count, file, locate))

    def _part(self, path: Sequence[PathPart]) -> tuple[int, str, Locator] | None:
        if len(path) < 2 or path[0] != self.section_name or not isinstance(path[1], int):
            return None
        at = bisect.bisect_right(self._starts, path[1]) - 1
        if at < 0:
            return None
        start, stop, file, locate = self._parts[at]
        return (start, file, locate) if path[1] < stop else None

    def locate(self, path: Sequence[PathPart], *, key: bool = False) -> Position:
        part = self._part(path)
        if part is None:
            return self.base.locate(path, key=key)
        start, _, locate = part
        index = path[1]
        assert isinstance(index, int)
        return locate(index - start, path[2:], key)

    def file_of(self, path: Sequence[PathPart]) -> str:
        part = self._part(path)
        return part[1] if part is not None else self.base.file_of(path)

    def add_section(self, name: str, file: str, key: Any, value: Any) -> None:
        self.base.add_section(name, file, key, value)

    def section(self, name: str) -> Any:
        return self.base.section(name)


# ------------------------------------------------------------- merging
@dataclass
class _Rows:
    """Measurements read from one file, with how to find each row in it."""

    file: str
    rows: list[Any] = field(default_factory=list)
    locate: Locator | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    text: str | None = None


def actuals_glob(data: Any) -> str | None:
    """The raw ``plan.actuals`` glob, when the document names one."""
    plan = data.get("plan") if isinstance(data, dict) else None
    pattern = plan.get("actuals") if isinstance(plan, dict) else None
    return pattern if isinstance(pattern, str) and pattern.strip() else None


def merge_actuals(
    loaded: LoadedSource, path: Path, root: Path, limits: Limits = DEFAULT_LIMITS
) -> None:
    """Append the rows of every file ``plan.actuals`` names to ``loaded.data['actuals']``."""
    pattern = actuals_glob(loaded.data)
    if pattern is None:
        return
    data = loaded.data
    inline = data.get(SECTION)
    if inline is not None and not isinstance(inline, list):
        return  # the schema reports the section's type; rows have nowhere to go
    where = loaded.source_map.locate(("plan", "actuals"))

    def report(message: str) -> None:
        loaded.diagnostics.append(_at(where, message))

    files = _matches(pattern, path, root, report)
    merged: list[Any] = list(inline or [])
    source_map = MergedSourceMap(loaded.source_map)
    for file in files:
        display = display_name(file)
        try:
            rows = _read(file, display, limits)
        except OSError as exc:
            report(f"cannot read actuals file '{display}': {exc.strerror or exc}")
            continue
        loaded.diagnostics.extend(rows.diagnostics)
        if rows.text is not None:
            loaded.texts[display] = rows.text
        if rows.locate is not None:
            source_map.add_items(len(merged), len(rows.rows), display, rows.locate)
            merged.extend(rows.rows)
    if len(merged) > len(inline or []):
        data[SECTION] = merged
        loaded.source_map = source_map


def _matches(pattern: str, plan: Path, root: Path, report: Callable[[str], None]) -> list[Path]:
    if os.path.isabs(pattern) or pattern.startswith("~"):
        report(f"plan.actuals '{pattern}' must be a glob relative to the plan file")
        return []
    if "\0" in pattern:
        report(f"plan.actuals '{pattern}' {safepath.NUL}")
        return []
    base = plan.parent
    own = plan.resolve()
    root = root.resolve()
    found: dict[Path, None] = {}
    outside: list[str] = []
    refused = False  # a match already reported: "matches no file" would be wrong
    for count, name in enumerate(safeglob.iglob(pattern, base)):
        if count >= MAX_FILES:
            report(f"plan.actuals '{pattern}' matches more than {MAX_FILES} files; narrow it")
            return []
        try:
            resolved = safepath.resolve(base / name)
        except safepath.PathProblem as exc:
            report(f"actuals file '{name}' {exc}")
            refused = True
            continue
        if not (resolved == root or root in resolved.parents):
            outside.append(name)
            continue
        if resolved == own or not resolved.is_file():
            continue
        if not resolved.name.lower().endswith((*CSV_SUFFIXES, *YAML_SUFFIXES)):
            report(f"actuals file '{name}' is neither CSV (.csv) nor YAML (.yaml, .yml)")
            continue
        found[resolved] = None
    for name in outside:
        report(f"actuals file '{name}' is outside the repository root ({root})")
    if not found and not outside and not refused:
        report(
            f"plan.actuals '{pattern}' matches no file; export measurements there "
            "(CSV with columns kpi,as_of,value, or YAML) or correct the glob"
        )
    return sorted(found)


def _read(path: Path, display: str, limits: Limits) -> _Rows:
    if path.name.lower().endswith(CSV_SUFFIXES):
        return read_csv(path, display, limits)
    return _read_yaml(path, display, limits)


def _at(where: Position, message: str, rule: str = RULE) -> Diagnostic:
    return Diagnostic(
        rule,
        Severity.ERROR,
        message,
        where.file,
        where.line,
        where.column,
        where.end_line,
        where.end_column,
    )


# ------------------------------------------------------------------ YAML
def _read_yaml(path: Path, display: str, limits: Limits) -> _Rows:
    loaded = read_file(path, display, limits)
    out = _Rows(display, text=loaded.text)
    if loaded.data is None and _blank(loaded.text):
        return out  # a month not yet measured; the loader's "no plan here" does not apply
    out.diagnostics = list(loaded.diagnostics)
    data = loaded.data
    if data is None:
        return out
    prefix: tuple[PathPart, ...] = ()
    if isinstance(data, dict):
        extra = [key for key in data if key != SECTION]
        for key in extra:
            out.diagnostics.append(
                _at(
                    loaded.source_map.locate((key,), key=True),
                    f"unknown key '{key}' in actuals file; it holds a list of measurements "
                    "or 'actuals:' with one",
                    "schema-violation",
                )
            )
        data, prefix = data.get(SECTION), (SECTION,)
        if data is None:
            return out
    if not isinstance(data, list):
        out.diagnostics.append(
            _at(
                loaded.source_map.locate(prefix),
                "an actuals file holds a list of measurements, e.g. "
                "'- {kpi: social-sessions, as_of: 2027-03-31, value: 1650}'",
                "schema-violation",
            )
        )
        return out
    source_map = loaded.source_map

    def locate(index: int, rest: Sequence[PathPart], key: bool) -> Position:
        return source_map.locate((*prefix, index, *rest), key=key)

    out.rows, out.locate = data, locate
    return out


def _blank(text: str) -> bool:
    """Only blank lines, comments and document markers."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and stripped not in ("---", "..."):
            return False
    return True


# ------------------------------------------------------------------- CSV
class _CsvPositions:
    """Where each CSV row and cell is, computed only when a diagnostic asks."""

    def __init__(self, file: str, text: str, columns: dict[str, int]) -> None:
        self.file = file
        self.text = text
        self.columns = columns  # column name -> its index in a row
        self.lines: list[int] = []  # 1-based line where each kept row starts
        self._split: list[str] | None = None

    def line_text(self, line: int) -> str:
        if self._split is None:
            self._split = self.text.split("\n")
        return self._split[line - 1].rstrip("\r") if 0 < line <= len(self._split) else ""

    def cell(self, line: int, column: int | None) -> Position:
        text = self.line_text(line)
        spans = cell_spans(text)
        if column is None or column >= len(spans):
            return Position(self.file, line, 1, line, max(len(text), 1) + 1)
        start, end = spans[column]
        return Position(self.file, line, start + 1, line, max(end, start + 1) + 1)

    def locate(self, index: int, rest: Sequence[PathPart], key: bool) -> Position:
        line = self.lines[index]
        name = _column_of(rest)
        return self.cell(line, self.columns.get(name) if name else None)


def _column_of(rest: Sequence[PathPart]) -> str | None:
    if not rest or not isinstance(rest[0], str):
        return None
    if rest[0] == "period":
        end = len(rest) > 1 and rest[1] == "end"
        return "period_end" if end else "period_start"
    return rest[0]


def cell_spans(line: str) -> list[tuple[int, int]]:
    """0-based (start, end) of each comma-separated cell, quotes respected."""
    spans: list[tuple[int, int]] = []
    start, quoted = 0, False
    for i, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(line)))
    return spans


def read_csv(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> _Rows:
    """Rows of a CSV export as raw measurements; shape problems as diagnostics."""
    size = path.stat().st_size
    if size > limits.max_file_size:
        out = _Rows(display)
        out.diagnostics.append(
            _at(
                Position(display, 1, 1, 1, 2),
                f"the file is {size} bytes, over the {limits.max_file_size}-byte limit "
                "(raise it with max-file-size in the config)",
                "limit-exceeded",
            )
        )
        return out
    text, problem = decode(path.read_bytes(), display)
    if text is None:
        out = _Rows(display)
        if problem is not None:
            problem.rule = RULE
            out.diagnostics.append(problem)
        return out
    return parse_csv(text, display, limits)


def parse_csv(text: str, display: str, limits: Limits = DEFAULT_LIMITS) -> _Rows:
    """Parse CSV text; the header names the columns, every later row is one measurement."""
    out = _Rows(display, text=text)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    positions = _CsvPositions(display, text, {})
    header_line = 0
    width = 0
    period = False
    money: list[str] = []  # the money columns: cells become {amount}
    rows = out.rows
    add_row, add_line = rows.append, positions.lines.append
    max_rows = max(1, limits.max_nodes // 4)

    def problem(line: int, message: str, column: int | None = None, rule: str = RULE) -> None:
        out.diagnostics.append(_at(positions.cell(line, column), message, rule))

    names: list[str | None] = []
    last = 0  # the line the previous row ended on
    try:
        for row in reader:
            line, last = last + 1, reader.line_num
            if not row:
                continue  # a blank line
            if not header_line:
                if all(not cell.strip() for cell in row):
                    continue
                header_line, width = line, len(row)
                columns = _columns([cell.strip().lower() for cell in row], line, problem)
                if columns is None:
                    return out  # without a header the rows cannot be read
                names = columns
                positions.columns = {name: i for i, name in enumerate(names) if name is not None}
                period = "period_start" in names or "period_end" in names
                money = [name for name in names if name in _MONEY]
                continue
            if len(row) != width:
                if not any(cell.strip() for cell in row):
                    continue  # an empty row, whatever its commas
                problem(
                    line,
                    f"this row has {len(row)} cells, but the header (line {header_line}) "
                    f"names {width} columns; quote cells that contain commas",
                )
                continue
            if len(rows) >= max_rows:
                problem(line, f"more than {max_rows} rows in one file", rule="limit-exceeded")
                break
            item: dict[str, Any] = {
                name: value
                for name, cell in zip(names, row, strict=False)  # same length, checked above
                if name is not None and (value := cell.strip())
            }
            if not item:
                continue  # a row of empty cells, as spreadsheets export
            if period:
                _nest_period(item)
            for name in money:
                if name in item:
                    item[name] = _money(item[name])
            add_row(item)
            add_line(line)
    except csv.Error as exc:
        problem(last + 1, f"malformed CSV: {exc}; the rest of the file is not read")
    if header_line:  # an empty file is a month not yet measured: nothing to merge
        out.locate = positions.locate
    return out


def _columns(
    header: list[str], line: int, problem: Callable[[int, str, int | None], None]
) -> list[str | None] | None:
    """Known column names in header order (None for a column to skip), or None."""
    missing = [name for name in ("kpi", "as_of") if name not in header]
    if missing:
        shown = ",".join(header)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        hint = "; separate columns with commas, not semicolons" if ";" in shown else ""
        problem(
            line,
            "the first row must be a header naming the columns, e.g. kpi,as_of,value; "
            f"it lacks {' and '.join(missing)} (found: {shown}){hint}",
            None,
        )
        return None
    columns: list[str | None] = []
    for i, name in enumerate(header):
        if name in columns:
            problem(line, f"column '{name}' appears twice in the header; keep one", i)
            columns.append(None)
        elif name in CSV_COLUMNS:
            columns.append(name)
        else:
            close = difflib.get_close_matches(name, CSV_COLUMNS, n=1, cutoff=0.6)
            known = (
                f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(CSV_COLUMNS)})"
            )
            problem(line, f"unknown column '{name}'; its cells are ignored{known}", i)
            columns.append(None)
    return columns


def _nest_period(item: dict[str, Any]) -> None:
    start, end = item.pop("period_start", None), item.pop("period_end", None)
    if start is not None or end is not None:
        item["period"] = {
            key: value for key, value in (("start", start), ("end", end)) if value is not None
        }


def _money(cell: str) -> dict[str, Any]:
    """A money cell as ``{amount}``: the model's own shape, so no shorthand to expand."""
    try:
        return {"amount": float(cell)}
    except ValueError:
        return {"amount": cell}  # validation words it: "must be a number, not text"
