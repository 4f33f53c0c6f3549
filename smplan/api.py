"""The library API: everything the CLI does, usable without click.

>>> from smplan.api import lint_paths, load_plan
>>> report = lint_paths(["examples/"])
>>> plan = load_plan("examples/cafe-verde/cafe-verde.smplan.yaml")
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from smplan import safepath
from smplan.cache import LintCache
from smplan.config import Config, find_config, load_config
from smplan.diagnostics import Diagnostic, Severity, SmplanError
from smplan.engine import FileResult, Linter
from smplan.importers import PLAN_SUFFIXES as PLAN_SUFFIXES  # part of this API
from smplan.importers import Importers, walk_plans
from smplan.imports import display_name
from smplan.rules.base import RuleOption
from smplan.rules.registry import Registry, builtin_registry, load_pack, load_plugins
from smplan.source import load_text, read_stream

if TYPE_CHECKING:
    from smplan.model import Plan

_PARALLEL_FROM = 24  # files; below this, forking workers costs more than it saves


@dataclass(slots=True)
class Report:
    """The outcome of one lint run."""

    files: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    fail_on: Severity = Severity.ERROR
    # Every file read (plans, then what they import), for reports that list
    # clean files too (JUnit) and baselines that must know what was checked.
    sources: list[str] = field(default_factory=list)
    # Findings accepted by a baseline file; None when no baseline was used.
    baselined: int | None = None

    @property
    def active(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.suppressed]

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.active if d.severity == severity)

    @property
    def summary(self) -> dict[str, int]:
        summary = {
            "files": self.files,
            "errors": self.count(Severity.ERROR),
            "warnings": self.count(Severity.WARNING),
            "infos": self.count(Severity.INFO),
        }
        if self.baselined is not None:
            summary["baselined"] = self.baselined
        return summary

    @property
    def failed(self) -> bool:
        return any(d.severity >= self.fail_on for d in self.active)


class PlanError(SmplanError):
    """A plan that could not be loaded into the model; carries its diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        first = diagnostics[0] if diagnostics else None
        where = f"{first.file}:{first.line}:{first.column}: " if first else ""
        super().__init__(f"{where}{first.message if first else 'invalid plan'}")
        self.diagnostics = diagnostics


def today_from(value: str | date | None) -> date:
    """``--today`` or ``SMPLAN_TODAY``, else the real date (reproducible CI runs)."""
    if isinstance(value, date):
        return value
    text = value or os.environ.get("SMPLAN_TODAY")
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SmplanError(f"invalid date '{text}' for today; use YYYY-MM-DD") from None


def discover(paths: Iterable[str | Path], *, follow_imports: bool = False) -> list[Path]:
    """Plan files under the given paths; a missing path is an error (exit 2).

    With ``follow_imports``, a named file that is not a plan (an ``imports:``
    entry such as ``shared/team.yaml``) stands for the plans of its repository
    that import it, and a YAML file no plan imports is skipped: what a
    pre-commit hook, handed every changed YAML file, must lint.
    """
    found: list[Path] = []
    seen: set[str] = set()
    importers = Importers() if follow_imports else None
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            candidates: Iterable[tuple[Path, str]] = walk_plans(path)
        elif path.exists():
            plans = importers.plans_for(path) if importers is not None else None
            if plans is None:
                candidates = [(path, os.path.realpath(path))]
            else:
                candidates = [(plan, os.path.realpath(plan)) for plan in plans]
        else:
            try:
                safepath.resolve(path)
            except safepath.PathProblem as exc:
                raise SmplanError(f"{raw}: {exc}") from None
            raise SmplanError(f"{raw}: no such file or directory")
        for candidate, real in candidates:
            if real not in seen:  # the same file named twice, or through a link
                seen.add(real)
                found.append(candidate)
    return found


class Session:
    """Configs, registries and linters, built once per run and shared by files."""

    def __init__(
        self,
        config_path: Path | None = None,
        *,
        profile: str | None = None,
        today: date | None = None,
        overrides: dict[str, Any] | None = None,
        select: tuple[str, ...] | None = None,
        ignore: tuple[str, ...] | None = None,
        cache: LintCache | None = None,
        checks: bool = True,
    ) -> None:
        self.config_path = config_path
        self.cache = cache
        self.checks = checks
        self.profile = profile
        self.today = today or today_from(None)
        self.overrides = overrides or {}
        self.select = select
        self.ignore = ignore
        self._configs: dict[Path | None, Config] = {}
        self._found: dict[str, Path | None] = {}
        self._linters: dict[Path | None, Linter] = {}

    def config_for(self, file: Path) -> Config:
        path = self.config_path or self._find(file)
        if path not in self._configs:
            config = load_config(path)
            for key, value in self.overrides.items():
                setattr(config, key, value)
            config.apply_command_line(self.select, self.ignore)
            config.check_references(known_rules(registry_for(config)))
            self._configs[path] = config
        return self._configs[path]

    @property
    def config_files(self) -> list[Path]:
        """The config files this run has read (an output must never replace one)."""
        return [path for path in self._configs if path is not None]

    def _find(self, file: Path) -> Path | None:
        folder = os.path.dirname(file)  # a string: no Path object per file
        if folder not in self._found:
            self._found[folder] = find_config(file)
        return self._found[folder]

    def linter_for(self, file: Path) -> Linter:
        config = self.config_for(file)
        key = config.path
        if key not in self._linters:
            self._linters[key] = Linter(
                config,
                registry_for(config),
                profile=self.profile,
                today=self.today,
                checks=self.checks,
            )
        return self._linters[key]


def rule_options(session: Session, path: Path, name: str) -> dict[str, Any]:
    """The options rule ``name`` runs with for ``path``: its defaults, then the config's."""
    config = session.config_for(path)
    registry = registry_for(config)
    options = registry.get(name).option_defaults() if name in registry else {}
    options.update(config.settings_for(path).options.get(name, {}))
    return options


def known_rules(registry: Registry) -> dict[str, dict[str, RuleOption]]:
    """Rule name -> its options (their defaults say what type a value must be)."""
    return {rule.name: dict(rule.options) for rule in registry}


def registry_for(config: Config) -> Registry:
    """Built-in rules plus the config's rule packs and plugins."""
    if not config.rule_packs and not config.plugins:
        return builtin_registry()
    registry = builtin_registry().copy()
    for folder in config.rule_packs:
        registry.extend(load_pack(folder))
    registry.extend(load_plugins(config.plugins, config.plugin_origins))
    return registry


def lint_paths(
    paths: Sequence[str | Path],
    config: Path | str | None = None,
    *,
    profile: str | None = None,
    today: date | str | None = None,
    jobs: int | None = None,
    follow_imports: bool = False,
) -> Report:
    """Lint files and folders; the default path is the current folder.

    ``follow_imports`` lints, for a named file that is not a plan, the plans
    importing it, as ``smplan lint`` does (see :func:`discover`).
    """
    files = discover(paths or ["."], follow_imports=follow_imports)
    session = Session(Path(config) if config else None, profile=profile, today=today_from(today))
    return lint_files(files, session, jobs=jobs)


def lint_files(files: Sequence[Path], session: Session, *, jobs: int | None = None) -> Report:
    linters = [session.linter_for(f) for f in files]  # configs load (and fail) up front
    fail_on = session.config_for(files[0] if files else Path.cwd()).fail_on
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    report = Report(files=len(files), fail_on=fail_on)
    results: list[FileResult | None] = [None] * len(files)
    keys = [""] * len(files)
    cache = session.cache
    if cache is not None:
        for i, (linter, file) in enumerate(zip(linters, files, strict=True)):
            keys[i], hit = cache.get(file, linter.fingerprint)
            if hit is not None:
                display = display_name(file)
                results[i] = FileResult(display, hit.diagnostics, sources=(display, *hit.sources))
    todo = [i for i, result in enumerate(results) if result is None]
    todo_files = [files[i] for i in todo]
    todo_linters = [linters[i] for i in todo]
    if workers > 1 and len(todo) >= _PARALLEL_FROM:
        fresh = _lint_parallel(todo_files, todo_linters, workers)
    else:
        fresh = [_lint_one(linter, f) for linter, f in zip(todo_linters, todo_files, strict=True)]
    for i, result in zip(todo, fresh, strict=True):
        results[i] = result
        if cache is not None:
            # The key already covers the plan's own bytes; record only what it pulls in.
            pulled_in = [s for s in result.sources if s != result.file]
            cache.put(keys[i], result.diagnostics, pulled_in, result.globs)
    seen: set[tuple[object, ...]] = set()
    sources: dict[str, None] = {}
    for result in filter(None, results):
        sources.update(dict.fromkeys(result.sources or (result.file,)))
        for d in result.diagnostics:
            # A shared imported file is checked once per importing plan; say it once.
            key = (d.file, d.line, d.column, d.rule, d.message)
            if key not in seen:
                seen.add(key)
                report.diagnostics.append(d)
    report.sources = list(sources)
    return report


def _lint_one(linter: Linter, file: Path) -> FileResult:
    display = display_name(file)
    try:
        result = linter.lint_path(file, display)
    except IsADirectoryError:
        raise SmplanError(f"{display}: is a directory") from None
    except OSError as exc:
        raise SmplanError(f"{display}: cannot read: {exc.strerror or exc}") from None
    result.plan = None  # keep results small when they cross processes
    result.data = None
    return result


_WORK: list[tuple[Linter, Path]] = []


def _work(index: int) -> FileResult | SmplanError:
    linter, file = _WORK[index]
    try:
        return _lint_one(linter, file)
    except SmplanError as exc:
        return exc


def _lint_parallel(files: Sequence[Path], linters: list[Linter], workers: int) -> list[FileResult]:
    import multiprocessing

    global _WORK
    _WORK = list(zip(linters, files, strict=True))
    try:
        # Lint the first file here: the models, the validator and the checks are
        # then built once and inherited by every forked worker.
        outcomes: list[FileResult | SmplanError] = [_work(0)]
        context = multiprocessing.get_context("fork")
        chunk = max(1, len(files) // (workers * 8))
        with context.Pool(workers) as pool:
            outcomes += pool.map(_work, range(1, len(files)), chunksize=chunk)
    finally:
        _WORK = []
    results: list[FileResult] = []
    for outcome in outcomes:
        if isinstance(outcome, SmplanError):
            raise outcome
        results.append(outcome)
    return results


def lint_stream(stream: BinaryIO, path: Path, session: Session) -> Report:
    """Lint a plan read from a pipe as if it were the file ``path`` (``lint -``).

    Editors lint a buffer before it is saved: the config, ``imports:`` and
    ``actuals`` are found from ``path``'s folder, and reports name ``path``.
    """
    linter = session.linter_for(path)
    display = display_name(path)
    result = linter.lint_loaded(read_stream(stream, display, linter.config.limits), path)
    return Report(
        files=1,
        diagnostics=result.diagnostics,
        fail_on=linter.config.fail_on,
        sources=list(result.sources),
    )


def lint_text(
    text: str,
    file: str = "<string>",
    config: Config | None = None,
    *,
    profile: str | None = None,
    today: date | str | None = None,
) -> Report:
    """Lint a plan held in memory (imports are not resolved: there is no folder)."""
    config = config or Config()
    config.check_references(known_rules(registry_for(config)))
    linter = Linter(config, registry_for(config), profile=profile, today=today_from(today))
    result = linter.lint_loaded(load_text(text, file, config.limits), None)
    return Report(
        files=1,
        diagnostics=result.diagnostics,
        fail_on=config.fail_on,
        sources=list(result.sources),
    )


def lint_plan_file(path: str | Path, session: Session | None = None) -> FileResult:
    """Lint one plan and keep its typed model (for build and track)."""
    file = Path(path)
    if file.is_dir():
        raise SmplanError(f"{path}: is a folder; name a plan file")
    if not file.is_file():
        raise SmplanError(f"{path}: no such file")
    session = session or Session()
    linter = session.linter_for(file)
    try:
        return linter.lint_path(file, display_name(file))
    except OSError as exc:
        raise SmplanError(f"{path}: cannot read: {exc.strerror or exc}") from None


def load_plan(path: str | Path, session: Session | None = None) -> Plan:
    """Load a plan into the typed model; raise :class:`PlanError` if it cannot be."""
    result = lint_plan_file(path, session)
    if result.plan is None:
        raise PlanError([d for d in result.diagnostics if d.severity == Severity.ERROR])
    return result.plan
