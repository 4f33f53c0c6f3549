"""Accept today's findings, report only new ones: baseline files and ``--diff-base``.

A legacy plan can adopt smplan without fixing everything first. A finding is
recognised by its file, rule, node identity (``kpis[id=reach].objective``) and
message — never its line — so edits elsewhere in the file do not make old
findings look new. Counts are kept per identity: two identical findings in a
file need two entries.

A baseline entry that no longer matches anything is reported (``baseline-stale``)
until ``smplan baseline prune`` drops it; otherwise a fixed problem could
come back later and be silently accepted again.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smplan.diagnostics import Diagnostic, Position, SmplanError
from smplan.imports import display_name

if TYPE_CHECKING:
    from smplan import gitref
    from smplan.api import Report, Session

FORMAT_VERSION = 1
STALE_RULE = "baseline-stale"

# (file relative to the baseline's folder, rule, node, message)
Key = tuple[str, str, str, str]
_FIELDS = ("file", "rule", "node", "message")


@dataclass(slots=True)
class Baseline:
    """Accepted findings, counted per identity; files relative to ``path``'s folder."""

    path: Path
    entries: Counter[Key] = field(default_factory=Counter)

    @property
    def folder(self) -> Path:
        return self.path.parent

    def key(self, d: Diagnostic) -> Key:
        return (_relative(d.file, self.folder), *d.identity())

    def sorted_entries(self) -> list[tuple[Key, int]]:
        return sorted((k, n) for k, n in self.entries.items() if n > 0)


def _relative(file: str, folder: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(file), os.path.abspath(folder))).as_posix()


# ---------------------------------------------------------------- file format
def from_report(report: Report, path: Path) -> Baseline:
    """Every active finding of a run (stale-entry findings aside)."""
    baseline = Baseline(path)
    baseline.entries.update(baseline.key(d) for d in report.active if d.rule != STALE_RULE)
    return baseline


def dumps(baseline: Baseline) -> str:
    """Sorted, one entry per line: stable output and small, readable diffs."""
    rows = []
    for (file, rule, node, message), count in baseline.sorted_entries():
        row = {"file": file, "rule": rule, "node": node, "message": message, "count": count}
        rows.append("    " + json.dumps(row, ensure_ascii=False))
    body = ",\n".join(rows)
    entries = f"[\n{body}\n  ]" if rows else "[]"
    return f'{{\n  "smplan-baseline": {FORMAT_VERSION},\n  "entries": {entries}\n}}\n'


def write(baseline: Baseline) -> None:
    from smplan.atomic import write_text

    write_text(baseline.path, dumps(baseline))


def check_replaceable(path: Path) -> None:
    """``baseline create`` replaces an older baseline, never another file.

    ``-o README.md`` (a slip of the shell's completion) would otherwise wipe
    a file the user wrote.
    """
    if not path.exists():
        return
    try:
        load(path)
    except SmplanError:
        raise SmplanError(
            f"{path}: exists and is not a smplan baseline; "
            "baseline create only replaces a baseline (choose another -o)"
        ) from None


def load(path: Path) -> Baseline:
    """Read a baseline; a missing or malformed file is a one-line error."""
    hint = "recreate it with 'smplan baseline create'"
    if path.exists() and not path.is_dir() and not path.is_file():
        # A FIFO would block forever and /dev/zero never ends: read regular files only.
        raise SmplanError(f"{path}: not a regular file, so not a baseline file")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SmplanError(
            f"{path}: baseline file does not exist; create it with 'smplan baseline create'"
        ) from None
    except IsADirectoryError:
        raise SmplanError(f"{path}: is a folder, not a baseline file") from None
    except UnicodeDecodeError:
        raise SmplanError(f"{path}: not a baseline file (not UTF-8 text); {hint}") from None
    except OSError as exc:
        raise SmplanError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        data = json.loads(text, parse_int=_whole_number, parse_constant=_not_a_number)
    except json.JSONDecodeError as exc:
        raise SmplanError(
            f"{path}:{exc.lineno}:{exc.colno}: not a baseline file: {exc.msg}; {hint}"
        ) from None
    except RecursionError:
        raise SmplanError(f"{path}: not a baseline file (nested too deeply); {hint}") from None
    # type(): true and 1.0 equal 1 in Python, but are not this format's version.
    version = data.get("smplan-baseline") if isinstance(data, dict) else None
    if type(version) is not int or version != FORMAT_VERSION:
        raise SmplanError(
            f'{path}: not a baseline file (expected "smplan-baseline": {FORMAT_VERSION}); {hint}'
        )
    entries = data.get("entries")
    if not isinstance(entries, list):
        raise SmplanError(f"{path}: 'entries' must be a list; {hint}")
    baseline = Baseline(path)
    for index, entry in enumerate(entries):
        baseline.entries[_entry(entry, f"{path}: entries[{index}]", hint)] += _count(
            entry, f"{path}: entries[{index}]", hint
        )
    return baseline


_MAX_DIGITS = 18  # more than any count of findings; far below Python's 4300-digit limit


class _Unreadable:
    """A JSON number no baseline holds (too long, NaN): every type check refuses it."""

    def __init__(self, text: str) -> None:
        self.text = text


def _whole_number(text: str) -> int | _Unreadable:
    """``int(text)``, but a 4,301-digit number is a wrong value, not a ValueError."""
    return int(text) if len(text.lstrip("-")) <= _MAX_DIGITS else _Unreadable(text)


def _not_a_number(text: str) -> _Unreadable:
    return _Unreadable(text)


def _entry(entry: Any, where: str, hint: str) -> Key:
    if not isinstance(entry, dict) or not all(isinstance(entry.get(f), str) for f in _FIELDS):
        raise SmplanError(f"{where} needs text 'file', 'rule', 'node' and 'message'; {hint}")
    if "\0" in entry["file"]:
        raise SmplanError(f"{where}: 'file' contains a NUL byte, which no file name can; {hint}")
    return (entry["file"], entry["rule"], entry["node"], entry["message"])


def _count(entry: dict[str, Any], where: str, hint: str) -> int:
    count = entry.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise SmplanError(f"{where}: 'count' must be a whole number of at least 1; {hint}")
    return count


# ------------------------------------------------------------------ matching
def apply(report: Report, baseline: Baseline, session: Session) -> None:
    """Drop accepted findings from ``report``, count them, and report stale entries."""
    remaining = Counter(baseline.entries)
    kept: list[Diagnostic] = []
    accepted = 0
    for d in report.diagnostics:
        key = baseline.key(d)
        if not d.suppressed and remaining[key] > 0:
            remaining[key] -= 1
            accepted += 1
            continue
        kept.append(d)
    report.diagnostics = kept
    report.baselined = accepted
    stale = _stale(remaining, baseline, report, session)
    report.diagnostics.extend(_stale_diagnostics(stale, baseline, session))


def prune(baseline: Baseline, report: Report, session: Session) -> int:
    """Remove what the run no longer finds; returns how many findings were dropped."""
    matched: Counter[Key] = Counter(baseline.key(d) for d in report.active)
    remaining = Counter({k: max(0, n - matched[k]) for k, n in baseline.entries.items()})
    stale = _stale(remaining, baseline, report, session)
    for key, extra in stale.items():
        baseline.entries[key] -= extra
    baseline.entries = +baseline.entries  # drop zero counts
    return sum(stale.values())


def _stale(
    remaining: Counter[Key], baseline: Baseline, report: Report, session: Session
) -> Counter[Key]:
    """Unmatched entries for files this run read (or that are gone) and rules it ran."""
    checked = {_relative(s, baseline.folder) for s in report.sources}
    stale: Counter[Key] = Counter()
    for key, count in remaining.items():
        if count <= 0:
            continue
        file = baseline.folder / key[0]
        if key[0] in checked:
            if _rule_ran(session, file, key[1]):
                stale[key] = count
        elif not file.exists():
            stale[key] = count
    return stale


def _rule_ran(session: Session, file: Path, rule: str) -> bool:
    linter = session.linter_for(file)
    if rule not in linter.registry:
        return True  # pipeline findings (import errors...) cannot be switched off
    return rule in linter.active_rules(linter.config.settings_for(file), draft=False)


def _stale_diagnostics(
    stale: Counter[Key], baseline: Baseline, session: Session
) -> list[Diagnostic]:
    if not stale:
        return []
    linter = session.linter_for(baseline.path)
    active = linter.active_rules(linter.config.settings_for(baseline.path), draft=False)
    if STALE_RULE not in active:
        return []
    severity = active[STALE_RULE].severity
    positions = _entry_positions(baseline)
    display = display_name(baseline.path)
    out = []
    for key, count in baseline.sorted_entries():
        if stale[key] <= 0:
            continue
        file, rule, node, message = key
        found = count - stale[key]
        where = f"'{rule}' in {file}" + (f" at {node}" if node else "")
        if found:
            text = (
                f"baseline accepts {count} findings of {where} but {found} remain; "
                "run 'smplan baseline prune'"
            )
        else:
            text = (
                f"baseline entry for {where} matches nothing now; run 'smplan baseline prune' "
                "so the problem cannot come back unnoticed"
            )
        index, pos = positions.get(key, (0, Position(display, 1, 1, 1, 1)))
        out.append(
            Diagnostic(
                STALE_RULE,
                severity,
                text,
                display,
                pos.line,
                pos.column,
                pos.end_line,
                pos.end_column,
                path=f"entries[{index}]",
                node_id=f"entries[{file}:{rule}:{node}:{message}]",
            )
        )
    return out


def _entry_positions(baseline: Baseline) -> dict[Key, tuple[int, Position]]:
    """Where each entry sits in the file (JSON is YAML, so the SourceMap can tell)."""
    from smplan.source import load_text

    try:
        text = baseline.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    loaded = load_text(text, str(baseline.path))
    entries = loaded.data.get("entries") if isinstance(loaded.data, dict) else None
    positions: dict[Key, tuple[int, Position]] = {}
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if isinstance(entry, dict) and all(isinstance(entry.get(f), str) for f in _FIELDS):
            key = (entry["file"], entry["rule"], entry["node"], entry["message"])
            positions.setdefault(key, (index, loaded.source_map.locate(("entries", index))))
    return positions


# --------------------------------------------------------------- --diff-base
def drop_known_at(
    report: Report, repo: gitref.Repo, commit: str, files: Sequence[Path], session: Session
) -> int:
    """Keep only findings the plans did not have at ``commit`` (``--diff-base``).

    The plans (and what they import) are written as they were at ``commit`` into
    a temporary folder with the same layout and linted with today's config;
    findings whose (file, rule, node, message) existed then are dropped. A plan
    that did not exist or did not parse at ``commit`` keeps all its findings.
    Returns how many findings were dropped.
    """
    from smplan import gitref

    known: Counter[tuple[str, str, str, str]] = Counter()
    with tempfile.TemporaryDirectory(prefix="smplan-base-") as tmp:
        dest = Path(tmp)
        relatives = {file: repo.relative(file) for file in files}
        gitref.export(repo, commit, [r for r in relatives.values() if r is not None], dest)
        seen: set[tuple[object, ...]] = set()
        for file, relative in relatives.items():
            if relative is None or not (dest / relative).is_file():
                continue
            for d in _lint_at(file, dest / relative, dest, repo, session):
                place = (d.file, d.line, d.column, d.rule, d.message)
                if place not in seen:  # a shared import is linted once per plan
                    seen.add(place)
                    known[(d.file, *d.identity())] += 1
    kept: list[Diagnostic] = []
    dropped = 0
    for d in report.diagnostics:
        key = (d.file, *d.identity())
        if not d.suppressed and known[key] > 0:
            known[key] -= 1
            dropped += 1
        else:
            kept.append(d)
    report.diagnostics = kept
    return dropped


def _lint_at(
    file: Path, old: Path, dest: Path, repo: gitref.Repo, session: Session
) -> list[Diagnostic]:
    from smplan.engine import Linter

    current = session.linter_for(file)
    config = current.config
    config_relative = repo.relative(config.path) if config.path is not None else None
    if config_relative is not None:
        # Per-file patterns are relative to the config's folder: mirror it too.
        config = replace(config, path=dest / config_relative)
    linter = Linter(
        config, current.registry, profile=session.profile, today=session.today, root=dest
    )
    result = linter.lint_path(old, display_name(file))
    if result.data is None:
        return []  # did not parse then: everything found now is new
    out = []
    for d in result.diagnostics:
        if d.suppressed:
            continue
        path = Path(os.path.abspath(d.file))
        if path.is_relative_to(dest):
            d.file = display_name(repo.root / path.relative_to(dest))
        out.append(d)
    return out
