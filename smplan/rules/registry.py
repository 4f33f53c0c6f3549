"""Rules as data: load rule files, check their metadata, look them up by name.

Built-in rules live in ``rules/*.yaml`` (shipped in the wheel); a project adds
rule packs (folders of the same files) and installed plugins (entry point
group ``smplan.rules``). Python code is only ever imported from smplan itself
or from installed plugins named in the config, never from the linted repository.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from smplan import usercache
from smplan.diagnostics import Severity, SmplanError
from smplan.findings import Finding
from smplan.paths import parse_path
from smplan.resources import data_dir
from smplan.rules.base import CATEGORIES, DOC_SECTIONS, EMITTED, CheckContext, Rule, RuleOption
from smplan.rules.options import option_problem
from smplan.source import decode, load_text

_RULE_KEYS = {
    "name",
    "category",
    "severity",
    "summary",
    "options",
    "docs",
    "check",
    "given",
    "then",
    "message",
    "completeness",
    "examples",
}
CheckFunction = Callable[[CheckContext], Iterable[Finding]]


class RuleFileError(SmplanError):
    """A malformed rule file, worded as ``file:line:col: problem``."""


class Registry:
    """All known rules by name; names are unique and metadata is complete."""

    def __init__(self) -> None:
        self.rules: dict[str, Rule] = {}

    def add(self, rule: Rule) -> None:
        where = rule.source or rule.name
        if rule.name in self.rules:
            other = self.rules[rule.name].source
            raise RuleFileError(f"{where}: rule '{rule.name}' is already defined in {other}")
        missing = [s for s in DOC_SECTIONS if not rule.docs.get(s, "").strip()]
        if missing:
            raise RuleFileError(
                f"{where}: rule '{rule.name}' lacks docs section(s): {', '.join(missing)}"
            )
        checks = (rule.check, rule.given, rule.function)
        if all(c is None for c in checks) and rule.name not in EMITTED:
            raise RuleFileError(f"{where}: rule '{rule.name}' has neither 'check' nor 'given'")
        self.rules[rule.name] = rule

    def extend(self, rules: Iterable[Rule]) -> None:
        for rule in rules:
            self.add(rule)

    def __contains__(self, name: object) -> bool:
        return name in self.rules

    def __iter__(self) -> Iterator[Rule]:
        return iter(sorted(self.rules.values(), key=lambda r: (r.category, r.name)))

    def get(self, name: str) -> Rule:
        return self.rules[name]

    def copy(self) -> Registry:
        other = Registry()
        other.rules = dict(self.rules)
        return other


@cache
def builtin_registry() -> Registry:
    """The built-in rules, parsed once per rules folder and then read from a cache.

    Parsing ~50 rule files costs more than linting a plan; a pickle keyed by
    smplan's version and the files' sizes and mtimes makes start-up cheap.
    """
    folder = data_dir("rules")
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
    key = usercache.key_of(files)
    cached = usercache.read("rules", key, Registry)
    if cached is not None and _sound(cached, {f"rules/{f.name}" for f in files}):
        return cached
    registry = Registry()
    for entry in files:
        registry.add(parse_rule_file(entry.read_text(encoding="utf-8"), f"rules/{entry.name}"))
    usercache.write("rules", key, registry)
    return registry


def _sound(registry: Registry, sources: set[str]) -> bool:
    """Whether a cached registry holds one well-typed rule per rule file, and no other.

    A pickle of the right class may still hold anything (a rule that is a
    number, a rule missing, so never run); such an entry is rebuilt.
    """
    try:
        return _sound_rules(registry.rules, sources)
    except AttributeError:  # unpickled without some attribute
        return False


def _sound_option(option: Any) -> bool:
    """A RuleOption with every field (a pickle of an older class lacks the bounds)."""
    bounds = (option.minimum, option.maximum) if type(option) is RuleOption else ("",)
    return all(b is None or type(b) in (int, float) for b in bounds)


def _sound_rules(rules: Any, sources: set[str]) -> bool:
    if type(rules) is not dict or len(rules) != len(sources):
        return False
    seen = set()
    for name, rule in rules.items():
        if not (isinstance(rule, Rule) and type(name) is str and rule.name == name):
            return False
        texts = (rule.category, rule.summary, rule.source)
        optional = (rule.check, rule.given, rule.message)
        if not (
            all(type(t) is str for t in texts)
            and all(t is None or type(t) is str for t in optional)
            and type(rule.severity) is Severity
            and type(rule.docs) is dict
            and all(type(k) is str and type(v) is str for k, v in rule.docs.items())
            and type(rule.options) is dict
            and all(_sound_option(o) for o in rule.options.values())
            and (rule.then is None or type(rule.then) is dict)
            and type(rule.completeness) is bool
            and type(rule.examples) is dict
            and (rule.function is None or callable(rule.function))
        ):
            return False
        seen.add(rule.source)
    return seen == sources


PACK_SUFFIXES = (".yaml", ".yml")


def pack_files(folder: Path) -> list[Path]:
    """The rule files of a pack: ``*.yaml`` and ``*.yml``, in name order."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in PACK_SUFFIXES)


def load_pack(folder: Path) -> list[Rule]:
    """A rule pack: every ``*.yaml`` or ``*.yml`` in a folder, declarative rules only.

    A pack without rule files is an error: a CI step running ``rules test`` on
    it, or a lint relying on it, would otherwise pass with nothing checked.
    """
    if not folder.is_dir():
        if folder.exists():
            raise RuleFileError(f"{folder}: is a file; a rule pack is a folder of rule files")
        raise RuleFileError(f"{folder}: rule pack folder does not exist")
    files = pack_files(folder)
    if not files:
        raise RuleFileError(f"{folder}: no rule files (*.yaml, *.yml) in this rule pack")
    rules = []
    for path in files:
        if not path.is_file():
            # A FIFO would block forever and /dev/zero never ends: read regular files only.
            what = "is a folder," if path.is_dir() else "not a regular file, so"
            raise RuleFileError(f"{path}: {what} not a rule file")
        text, problem = decode(path.read_bytes(), str(path))
        if text is None:
            assert problem is not None
            raise RuleFileError(f"{path}:{problem.line}:{problem.column}: {problem.message}")
        check_against_schema(text, str(path))
        rule = parse_rule_file(text, str(path))
        if rule.check is not None:
            raise RuleFileError(
                f"{path}: rule packs are declarative ('given'/'then'); Python checks "
                "come only from installed plugins"
            )
        rules.append(rule)
    return rules


def load_plugins(names: Iterable[str], origins: Mapping[str, str] | None = None) -> list[Rule]:
    """Rules from installed packages exposing the ``smplan.rules`` entry point group.

    ``origins`` maps a plugin name to where the config names it, so a plugin
    that is not installed is reported at that line.
    """
    from importlib.metadata import entry_points

    wanted = set(names)
    found: dict[str, Any] = {ep.name: ep for ep in entry_points(group="smplan.rules")}
    rules: list[Rule] = []
    for name in sorted(wanted):
        where = f"{origins[name]}: " if origins and name in origins else ""
        if name not in found:
            known = ", ".join(sorted(found)) or "none installed"
            raise SmplanError(f"{where}plugin '{name}' is not installed (known plugins: {known})")
        try:
            provided = found[name].load()
            items = list(provided() if callable(provided) else provided)
        except KeyboardInterrupt:
            raise  # the user's Ctrl-C (exit 130)
        except SystemExit as exc:  # a plugin must not end the run, least of all with 0
            raise SmplanError(
                f"{where}plugin '{name}' called exit({exc.code}) while loading"
            ) from exc
        except BaseException as exc:  # a plugin is someone else's code
            raise SmplanError(
                f"{where}plugin '{name}' failed to load: {type(exc).__name__}: {exc}"
            ) from exc
        for item in items:
            if not isinstance(item, Rule):
                what = type(item).__name__
                raise SmplanError(f"{where}plugin '{name}' provided {what}, not a Rule")
            item.source = item.source or f"plugin {name}"
            rules.append(item)
    return rules


def plugin_versions(names: Iterable[str]) -> list[tuple[str, str, str, int, int]]:
    """What identifies each named plugin's code: its package, version and module file.

    A cache key needs it: upgrading a plugin (or editing one installed in
    development mode, whose version stays) must not replay the old findings.
    """
    import importlib.util
    import os
    from importlib.metadata import entry_points

    found = {ep.name: ep for ep in entry_points(group="smplan.rules")}
    out: list[tuple[str, str, str, int, int]] = []
    for name in sorted(set(names)):
        ep = found.get(name)
        if ep is None:
            out.append((name, "", "", 0, 0))
            continue
        dist = ep.dist
        package = f"{dist.name} {dist.version}" if dist is not None else ""
        try:
            spec = importlib.util.find_spec(ep.module)
            origin = spec.origin if spec is not None and spec.origin else ""
            stat = os.stat(origin) if origin else None
        except (ImportError, ValueError, OSError):
            origin, stat = "", None
        out.append(
            (name, package, origin, stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0)
        )
    return out


def check_against_schema(text: str, source: str) -> None:
    """Validate a rule file with ``schemas/rule.schema.json``; the first error, positioned."""
    import json

    import jsonschema

    from smplan.resources import read_text

    loaded = load_text(text, source)
    if loaded.diagnostics:
        first = loaded.diagnostics[0]
        raise RuleFileError(f"{source}:{first.line}:{first.column}: {first.message}")
    schema = json.loads(read_text("schemas", "rule.schema.json"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(loaded.data), key=lambda e: list(map(str, e.path)))
    if errors:
        error = errors[0]
        pos = loaded.source_map.locate(tuple(error.path))
        where = "/".join(map(str, error.path)) or "the rule"
        raise RuleFileError(f"{source}:{pos.line}:{pos.column}: {where}: {error.message}")


def parse_rule_file(text: str, source: str) -> Rule:
    loaded = load_text(text, source)
    if loaded.diagnostics:
        first = loaded.diagnostics[0]
        raise RuleFileError(f"{source}:{first.line}:{first.column}: {first.message}")
    data = loaded.data

    def fail(path: tuple[str | int, ...], message: str) -> RuleFileError:
        pos = loaded.source_map.locate(path)
        return RuleFileError(f"{source}:{pos.line}:{pos.column}: {message}")

    if not isinstance(data, dict):
        raise fail((), "a rule file must be a mapping")
    for key in data:
        if key not in _RULE_KEYS:
            raise fail((key,), f"unknown key '{key}' in rule file")
    for key in ("name", "category", "severity", "summary", "docs"):
        if key not in data:
            raise fail((), f"missing required key '{key}'")
    name = data["name"]
    if not isinstance(name, str) or not name or name != name.lower() or " " in name:
        raise fail(("name",), "a rule name is kebab-case text")
    if data["category"] not in CATEGORIES:
        raise fail(("category",), f"category must be one of: {', '.join(CATEGORIES)}")
    try:
        severity = Severity.parse(str(data["severity"]))
    except ValueError as exc:
        raise fail(("severity",), str(exc)) from None
    docs = data["docs"]
    if not isinstance(docs, dict) or not all(isinstance(v, str) for v in docs.values()):
        raise fail(("docs",), "docs is a mapping of sections to text")
    options: dict[str, RuleOption] = {}
    raw_options = data.get("options") or {}
    if not isinstance(raw_options, dict):
        raise fail(("options",), "options is a mapping of option names")
    for opt_name, spec in raw_options.items():
        if not isinstance(spec, dict) or "default" not in spec:
            raise fail(("options", opt_name), "an option needs 'default' and 'description'")
        bounds = []
        for key in ("min", "max"):
            bound = spec.get(key)
            is_number = isinstance(bound, int | float) and not isinstance(bound, bool)
            if bound is not None and (not is_number or not math.isfinite(bound)):
                raise fail(("options", opt_name, key), f"'{key}' of an option is a finite number")
            bounds.append(bound)
        low, high = bounds
        if low is not None and high is not None and low > high:
            raise fail(("options", opt_name, "min"), "an option's 'min' is above its 'max'")
        option = RuleOption(opt_name, spec["default"], str(spec.get("description", "")), low, high)
        wrong = option_problem(option, spec["default"])
        if wrong is not None:
            raise fail(("options", opt_name, "default"), f"the default {wrong}")
        options[opt_name] = option
    given, then = data.get("given"), data.get("then")
    if given is not None:
        if not isinstance(given, str):
            raise fail(("given",), "'given' is a path pattern such as kpis[*]")
        try:
            parse_path(given.replace("[*]", "[0]").removeprefix("$.").removeprefix("$"))
        except ValueError as exc:
            raise fail(("given",), str(exc)) from None
        if not isinstance(then, dict) or "function" not in then:
            raise fail(("then",), "'then' needs a 'function'")
        from smplan.rules.declarative import FUNCTIONS

        if then["function"] not in FUNCTIONS:
            raise fail(
                ("then", "function"),
                f"unknown function '{then['function']}'; known: {', '.join(sorted(FUNCTIONS))}",
            )
        from smplan.rules.declarative import load_problem

        defaults = {name: option.default for name, option in options.items()}
        problem = load_problem(then, data.get("message"), defaults)
        if problem is not None:
            raise fail(*problem)
    check = data.get("check")
    if check is not None and (not isinstance(check, str) or "." not in check):
        raise fail(("check",), "'check' names a function as module.function")
    examples = data.get("examples") or {}
    return Rule(
        name=name,
        category=data["category"],
        severity=severity,
        summary=str(data["summary"]),
        docs={k: str(v) for k, v in docs.items()},
        options=options,
        check=check,
        given=given,
        then=then,
        message=data.get("message"),
        completeness=bool(data.get("completeness", False)),
        examples=examples,
        source=source,
    )


def resolve_check(rule: Rule) -> CheckFunction:
    """The callable behind a rule, imported only when the rule runs."""
    if rule.function is not None:
        return rule.function
    if rule.given is not None:
        from smplan.rules.declarative import declarative_check

        return declarative_check(rule)
    assert rule.check is not None
    module_name, _, function_name = rule.check.rpartition(".")
    module = importlib.import_module(f"smplan.rules.checks.{module_name}")
    function: CheckFunction = getattr(module, function_name)
    rule.function = function
    return function
