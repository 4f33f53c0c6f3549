"""One file through the pipeline: load -> imports -> validate -> rules -> diagnostics.

Checks report document paths; here they become positions (through the
SourceMap), severities (rule default, profile, config) and waivers.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from smplan import suppressions
from smplan.config import Config, RuleSettings
from smplan.diagnostics import Diagnostic, Severity
from smplan.findings import Finding
from smplan.imports import find_root, resolve_imports
from smplan.paths import format_path, stable_path
from smplan.rules.base import EMITTED, CheckContext, PlanIndex, Rule
from smplan.rules.declarative import RuleOptionError
from smplan.rules.registry import Registry, pack_files, resolve_check
from smplan.salvage import Salvage, WatchedData, WatchedPlan
from smplan.source import LoadedSource, SourceMap, read_file

if TYPE_CHECKING:
    from smplan.model import Plan


@dataclass(frozen=True, slots=True)
class ActiveRule:
    rule: Rule
    severity: Severity
    options: dict[str, Any]


@dataclass(slots=True)
class FileResult:
    file: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    plan: Plan | None = None
    data: Any = None
    sources: tuple[str, ...] = ()  # every file read: the plan, then its imports
    # (folder, pattern) of globs whose matches feed the plan (plan.actuals), so
    # a cache can tell when a new file starts to match.
    globs: tuple[tuple[str, str], ...] = ()


class Linter:
    """Lints files with one configuration; reusable across many files."""

    def __init__(
        self,
        config: Config,
        registry: Registry,
        *,
        profile: str | None = None,
        today: date | None = None,
        root: Path | None = None,
        checks: bool = True,
    ) -> None:
        self.config = config
        self.registry = registry
        self.profile = profile or config.profile
        self.today = today or date.today()
        self.root = root
        # False: only what loading and validation find (track needs the plan, not a lint).
        self.checks = checks
        self._active: dict[int, tuple[dict[str, ActiveRule], dict[str, ActiveRule]]] = {}

    # ------------------------------------------------------------ selection
    def _selected(self, settings: RuleSettings, rule: Rule) -> bool:
        def hit(names: Iterable[str]) -> bool:
            return any(n in ("ALL", rule.name, rule.category) for n in names)

        if rule.name in settings.ignore:
            return False
        if rule.name in settings.select or rule.name in settings.extend_select:
            return True
        if rule.category in settings.ignore:
            return False
        return hit(settings.select) or hit(settings.extend_select)

    def active_rules(self, settings: RuleSettings, draft: bool) -> dict[str, ActiveRule]:
        """Enabled rules with their effective severity and options (cached)."""
        cached = self._active.get(id(settings))
        if cached is None:
            cached = (self._resolve(settings, draft=False), self._resolve(settings, draft=True))
            self._active[id(settings)] = cached
        return cached[1] if draft else cached[0]

    def _resolve(self, settings: RuleSettings, draft: bool) -> dict[str, ActiveRule]:
        active: dict[str, ActiveRule] = {}
        for rule in self.registry:
            if not self._selected(settings, rule):
                continue
            severity = rule.severity
            if draft and rule.completeness and not rule.structural and severity > Severity.WARNING:
                severity = Severity.WARNING
            severity = settings.severity.get(rule.name, severity)
            options = rule.option_defaults()
            options.update(settings.options.get(rule.name, {}))
            active[rule.name] = ActiveRule(rule, severity, options)
        return active

    @cached_property
    def fingerprint(self) -> str:
        """Everything in this linter that can change a file's findings (cache keys)."""
        import hashlib

        config = self.config
        digest = hashlib.sha256()
        parts = (
            config.settings,
            config.per_file,
            config.limits,
            config.plugins,
            self.profile,
            self.today,
            sorted(self.registry.rules),
            self.checks,
        )
        digest.update(repr(parts).encode())
        if config.plugins:
            from smplan.rules.registry import plugin_versions

            digest.update(repr(plugin_versions(config.plugins)).encode())
        for folder in config.rule_packs:
            for path in pack_files(folder):
                digest.update(path.read_bytes())
        return digest.hexdigest()

    # -------------------------------------------------------------- linting
    def lint_path(self, path: Path, display: str) -> FileResult:
        """Lint one file from disk; ``OSError`` is left to the caller (exit 2)."""
        loaded = read_file(path, display, self.config.limits)
        return self.lint_loaded(loaded, path)

    def lint_loaded(self, loaded: LoadedSource, path: Path | None) -> FileResult:
        from smplan.validate import validate_partial

        result = FileResult(loaded.file)
        diagnostics = list(loaded.diagnostics)
        if isinstance(loaded.data, dict) and "imports" in loaded.data and path is not None:
            root = self.root or find_root(path.parent)
            resolve_imports(loaded, path, root, self.config.limits)
            diagnostics = list(loaded.diagnostics)
        if path is not None and _raw_actuals_glob(loaded.data):
            from smplan.actuals import merge_actuals  # only plans that name actuals files pay

            merge_actuals(loaded, path, self.root or find_root(path.parent), self.config.limits)
            diagnostics = list(loaded.diagnostics)
        plan = None
        salvaged: Salvage | None = None
        source_map = loaded.source_map
        if loaded.data is not None:
            plan, findings, salvaged = validate_partial(
                loaded.data,
                PlanIndex.COLLECTIONS,
                lambda path: source_map.is_flow_mapping(path, loaded.texts),
            )
            diagnostics.extend(
                self._place(f, "schema-violation", Severity.ERROR, source_map, loaded.data)
                for f in findings
            )
        status = plan.plan.status if plan is not None else _raw_status(loaded.data)
        draft = self.profile == "draft" or (self.profile is None and status == "draft")
        settings = self.config.settings_for(path) if path else self.config.settings
        active = self.active_rules(settings, draft)
        hidden: list[Diagnostic] = []  # findings on what a schema error cut out
        if self.checks and plan is not None:
            diagnostics.extend(self._run_rules(plan, loaded.data, active, source_map)[0])
        elif self.checks and salvaged is not None:
            seen, hidden = self._run_rules(salvaged.plan, loaded.data, active, source_map, salvaged)
            diagnostics.extend(seen)
        waivers = []
        for file, text in loaded.texts.items():
            waivers.extend(suppressions.scan(text, file))
        if waivers:  # rule names matter only to say a waiver names an unknown one
            known = {*self.registry.rules, *(d.rule for d in diagnostics)}
            judged = _judged_by(self.checks, plan, salvaged, source_map)
            waived = suppressions.apply(diagnostics + hidden, waivers, self.today, known, judged)
            diagnostics = [d for d in waived if not any(d is h for h in hidden)]
        final: list[Diagnostic] = []
        for diagnostic in diagnostics:
            chosen = active.get(diagnostic.rule)
            if chosen is not None:
                diagnostic.severity = chosen.severity
                final.append(diagnostic)
            elif diagnostic.rule not in self.registry:
                final.append(diagnostic)  # internal errors cannot be switched off
        final.sort(key=Diagnostic.sort_key)
        result.diagnostics = final
        result.sources = tuple(loaded.texts)
        if path is not None and _raw_actuals_glob(loaded.data):
            result.globs = ((str(path.parent), loaded.data["plan"]["actuals"]),)
        result.plan = plan
        result.data = loaded.data
        return result

    def _run_rules(
        self,
        plan: Plan,
        data: dict[str, Any],
        active: dict[str, ActiveRule],
        source_map: SourceMap,
        salvaged: Salvage | None = None,
    ) -> tuple[list[Diagnostic], list[Diagnostic]]:
        """The rules' findings, and (on a salvaged plan) those held back as unseen."""
        checked = data if salvaged is None else salvaged.data
        index = PlanIndex(checked, salvaged.cut_ids if salvaged is not None else None)
        out: list[Diagnostic] = []
        hidden: list[Diagnostic] = []
        for name, chosen in active.items():
            rule = chosen.rule
            if rule.check is None and rule.given is None and rule.function is None:
                continue  # emitted by the loader or validator
            reads: set[str] | None = None
            if salvaged is None or rule.structural:
                context = CheckContext(plan, checked, chosen.options, self.today, index)
            else:  # note what the rule reads, to know what its findings rest on
                reads = set()
                watched = WatchedData(checked, reads)
                context = CheckContext(
                    cast("Plan", WatchedPlan(plan, reads)),
                    watched,
                    chosen.options,
                    self.today,
                    PlanIndex(watched, salvaged.cut_ids),
                )
            try:
                check = resolve_check(rule)
                findings = list(check(context))
                for finding in findings:
                    if not isinstance(finding, Finding):
                        raise TypeError(f"it yielded {type(finding).__name__}, not a Finding")
            except (KeyboardInterrupt, RuleOptionError):
                raise  # the user's Ctrl-C (exit 130); a configured option it cannot use (2)
            except BaseException as exc:  # noqa: BLE001 - one broken rule must not stop the others
                # Every BaseException: a plugin's exit(0) or its own BaseException
                # subclass would otherwise end lint "clean" or with a traceback.
                frame = traceback.extract_tb(exc.__traceback__)[-1]
                out.append(
                    Diagnostic(
                        "internal-error",
                        Severity.ERROR,
                        f"rule '{name}'{_origin(rule)} failed: {type(exc).__name__}: {exc} "
                        f"(at {Path(frame.filename).name}:{frame.lineno}); please report this",
                        source_map.file,
                    )
                )
                continue
            for finding in findings:
                if salvaged is None:
                    out.append(self._place(finding, name, chosen.severity, source_map, data))
                    continue
                moved = Finding(salvaged.original(finding.path), finding.message, finding.key)
                placed = self._place(moved, name, chosen.severity, source_map, data)
                # The reference and id checks name exactly the nodes they judge.
                sections = None if rule.structural else reads
                (out if salvaged.sees(moved.path, sections) else hidden).append(placed)
        return out, hidden

    @staticmethod
    def _place(
        finding: Finding, rule: str, severity: Severity, source_map: SourceMap, data: Any
    ) -> Diagnostic:
        pos = source_map.locate(finding.path, key=finding.key)
        return Diagnostic(
            rule,
            severity,
            finding.message,
            pos.file,
            pos.line,
            pos.column,
            pos.end_line,
            pos.end_column,
            path=format_path(finding.path),
            node_id=stable_path(data, finding.path),
        )


def _judged_by(
    checks: bool, plan: Plan | None, salvaged: Salvage | None, source_map: SourceMap
) -> Callable[[suppressions.Waiver], bool]:
    """Whether the rules a waiver names ran over what it covers, so silence means unused."""
    spans: list[tuple[str, int, int]] = []
    if salvaged is not None:
        for path in salvaged.unseen:
            pos = source_map.locate(path)
            spans.append((pos.file, pos.line, pos.end_line))

    def judged(waiver: suppressions.Waiver) -> bool:
        if plan is not None or not checks:
            return True
        if all(rule in EMITTED for rule in waiver.rules):
            return True  # the loader and validator ran in full
        if salvaged is None or waiver.target_line is None:
            return False  # the rules did not run, or not over the whole file
        line = waiver.target_line
        return not any(f == waiver.file and a <= line <= b for f, a, b in spans)

    return judged


def _origin(rule: Rule) -> str:
    """`` of plugin 'acme'`` for a plugin's rule: whose code failed."""
    if rule.source.startswith("plugin "):
        return f" of plugin '{rule.source.removeprefix('plugin ')}'"
    return ""


def _raw_status(data: Any) -> Any:
    plan = data.get("plan") if isinstance(data, dict) else None
    return plan.get("status") if isinstance(plan, dict) else None


def _raw_actuals_glob(data: Any) -> bool:
    plan = data.get("plan") if isinstance(data, dict) else None
    return isinstance(plan, dict) and isinstance(plan.get("actuals"), str)
