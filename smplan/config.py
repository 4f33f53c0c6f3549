"""``[tool.smplan]`` in pyproject.toml or ``.smplan.toml``: which rules, how severe.

The nearest config walking up from a linted file applies (``--config`` wins).
Unknown keys, rule names and options are errors with a did-you-mean, reported
as ``file:line:col`` like any other problem in something the user wrote.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from smplan import safepath
from smplan.diagnostics import Severity, SmplanError
from smplan.rules.base import CATEGORIES, RuleOption
from smplan.rules.options import describe, option_problem
from smplan.source import DEFAULT_LIMITS, Limits

_In = TypeVar("_In")
_Out = TypeVar("_Out")

CONFIG_FILES = (".smplan.toml", "pyproject.toml")
_TOP_KEYS = {
    "select",
    "ignore",
    "extend-select",
    "severity",
    "options",
    "per-file",
    "extend",
    "profile",
    "fail-on",
    "rules",
    "plugins",
    "limits",
    "theme",
    "language",
    "formats",
    "output-dir",
    "pdf-calendar-limit",
}
_PER_FILE_KEYS = {"select", "ignore", "extend-select", "severity", "options"}
_LIMIT_KEYS = {f.name.replace("_", "-"): f.name for f in fields(Limits)}
PROFILES = ("strict", "draft")


class ConfigError(SmplanError):
    """A problem in a config file, worded as ``file:line:col: problem``."""


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """Rule selection and tuning: the part of the config that per-file can change."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(slots=True)
class Config:
    """A resolved configuration (after ``extend``)."""

    path: Path | None = None
    settings: RuleSettings = field(default_factory=RuleSettings)
    per_file: list[tuple[str, RuleSettings]] = field(default_factory=list)
    profile: str | None = None
    fail_on: Severity = Severity.ERROR
    rule_packs: list[Path] = field(default_factory=list)
    plugins: list[str] = field(default_factory=list)
    plugin_origins: dict[str, str] = field(default_factory=dict)  # name -> file:line:col
    limits: Limits = DEFAULT_LIMITS
    theme: Path | None = None
    language: str | None = None
    formats: tuple[str, ...] = ()
    output_dir: Path | None = None
    pdf_calendar_limit: int | None = None  # posts the PDF lists before it counts them
    # (config file, its text, rule or category name, option name or "") to check
    # once rule packs and plugins are known.
    references: list[tuple[Path | None, str, str, str]] = field(default_factory=list)

    def check_references(self, rules: Mapping[str, Collection[str]]) -> None:
        """Unknown rule names and options are errors, with a did-you-mean."""
        for path, text, name, option in self.references:
            if name in ("ALL", *CATEGORIES) and not option:
                continue
            if name not in rules:
                hint = difflib.get_close_matches(name, [*rules, *CATEGORIES], n=1)
                suffix = f"; did you mean '{hint[0]}'?" if hint else ""
                problem = f"unknown rule or category '{name}'{suffix}"
                if path is None:
                    raise ConfigError(f"--select/--ignore: {problem}")
                line, col = _locate_key(text, name)
                raise ConfigError(f"{path}:{line}:{col}: {problem}")
            if option and option not in rules[name]:
                known = sorted(rules[name])
                hint = difflib.get_close_matches(option, known, n=1)
                suffix = f"; did you mean '{hint[0]}'?" if hint else ""
                line, col = _locate_key(text, option)
                raise ConfigError(
                    f"{path}:{line}:{col}: rule '{name}' has no option '{option}'{suffix} "
                    f"(options: {', '.join(known) or 'none'})"
                )

        self._check_option_types(rules)

    def _check_option_types(self, rules: Mapping[str, Collection[str]]) -> None:
        """An option's value must suit it (type, finite, bounds): rules never see a wrong one."""
        for settings in (self.settings, *(override for _, override in self.per_file)):
            for name, values in settings.options.items():
                declared = rules.get(name)
                if not isinstance(declared, Mapping):
                    continue
                for option, value in values.items():
                    spec = declared.get(option)
                    if not isinstance(spec, RuleOption):
                        continue
                    problem = option_problem(spec, value)
                    if problem is None:
                        continue
                    path, text = next(
                        ((p, t) for p, t, n, o in self.references if (n, o) == (name, option)),
                        (self.path, ""),
                    )
                    line, col = _locate_key(text, option)
                    raise ConfigError(
                        f"{path}:{line}:{col}: option '{option}' of rule '{name}' {problem}"
                    )

    def apply_command_line(
        self, select: tuple[str, ...] | None, ignore: tuple[str, ...] | None
    ) -> None:
        """``--select`` replaces the configured selection; ``--ignore`` adds to it."""
        if select is not None:
            self.settings = replace(self.settings, select=select, extend_select=())
        if ignore:
            self.settings = replace(self.settings, ignore=self.settings.ignore + ignore)
        for name in (*(select or ()), *(ignore or ())):
            self.references.append((None, "", name, ""))

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def settings_for(self, file: Path) -> RuleSettings:
        """The rule settings for one file, with matching per-file overrides applied."""
        settings = self.settings
        if not self.per_file:
            return settings
        relative = _relative(file, self.root)
        for pattern, override in self.per_file:
            if _glob_match(relative, pattern):
                settings = _overlay(settings, override)
        return settings


def _relative(file: Path, root: Path) -> str:
    try:
        return file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return file.as_posix()


def _glob_match(relative: str, pattern: str) -> bool:
    if fnmatch.fnmatchcase(relative, pattern):
        return True
    # "**/" may also match nothing, as in .gitignore-style globs.
    return "**/" in pattern and fnmatch.fnmatchcase(relative, pattern.replace("**/", ""))


def _overlay(base: RuleSettings, override: RuleSettings) -> RuleSettings:
    select = override.select if override.select != ("ALL",) else base.select
    return RuleSettings(
        select=select,
        ignore=base.ignore + override.ignore,
        extend_select=base.extend_select + override.extend_select,
        severity={**base.severity, **override.severity},
        options={
            name: {**base.options.get(name, {}), **override.options.get(name, {})}
            for name in {*base.options, *override.options}
        },
    )


def find_config(start: Path) -> Path | None:
    """The nearest .smplan.toml, or pyproject.toml with [tool.smplan], above ``start``.

    Every pyproject.toml on the way is read, as ruff does: one that is not
    UTF-8 or not valid TOML is an error naming it, never skipped in silence.
    """
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        dotfile = candidate / ".smplan.toml"
        if dotfile.is_file():
            return dotfile
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _has_tool_section(pyproject):
            return pyproject
        if (candidate / ".git").exists():
            break
    return None


def _has_tool_section(path: Path) -> bool:
    from smplan.regularfile import open_regular

    try:
        with open_regular(path) as handle:
            if handle is None:
                return False  # gone since is_file(), or a pipe: not a config file
            data = handle.read()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    text = _decode(data, path)
    if "smplan" not in text:
        _parse_toml(text, path)  # only checked: a broken pyproject.toml is reported
        return False
    tool = _parse_toml(text, path).get("tool")
    return isinstance(tool, dict) and "smplan" in tool


def _decode(data: bytes, path: Path) -> str:
    """TOML is UTF-8: a stray Latin-1 byte is an error at its line and column."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        col = len(data[start : exc.start].decode("utf-8", "replace")) + 1  # characters
        byte = data[exc.start : exc.start + 1].hex()
        raise ConfigError(
            f"{path}:{line}:{col}: not UTF-8 text (byte 0x{byte}); save the file as UTF-8"
        ) from None


def _parse_toml(text: str, path: Path) -> dict[str, Any]:
    """The TOML document, or a ConfigError at the line and column tomllib names."""
    import tomllib  # only when a config file exists: a bare run does not pay for it

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        if match:
            line, col = match.groups()
        else:  # "(at end of document)"
            line = str(text.count("\n") + 1)
            col = str(len(text) - (text.rfind("\n") + 1) + 1)
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        raise ConfigError(f"{path}:{line}:{col}: invalid TOML: {message}") from None
    except ValueError:  # an integer past Python's 4300-digit conversion limit
        where = re.search(r"\d{4000,}", text)
        start = where.start() if where else 0
        line = text.count("\n", 0, start) + 1
        col = start - (text.rfind("\n", 0, start) + 1) + 1
        raise ConfigError(f"{path}:{line}:{col}: invalid TOML: a number too long to read") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None


def check_config_file(path: Path | None) -> None:
    """``--config`` names a regular file (a pipe would block the read for ever)."""
    if path is None or path.is_file():
        return
    try:
        safepath.resolve(path)
    except safepath.PathProblem as exc:
        raise ConfigError(f"{path}: {exc}") from None
    if path.is_dir():
        raise ConfigError(
            f"{path}: is a folder; name a config file (.smplan.toml or pyproject.toml)"
        )
    if path.exists():
        raise ConfigError(f"{path}: not a regular file, so not a config file")
    raise ConfigError(f"{path}: config file does not exist")


def load_config(path: Path | None) -> Config:
    """Read one config file (and what it extends); names are checked later."""
    if path is None:
        return Config()
    return _load(path.resolve(), chain=())


def _load(path: Path, chain: tuple[Path, ...]) -> Config:
    check_config_file(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file does not exist") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror or exc}") from None
    return parse_config(_decode(data, path), path, chain)


def parse_config(text: str, path: Path, chain: tuple[Path, ...] = ()) -> Config:
    """Config from TOML text; ``path`` names it in errors and anchors relative paths."""
    document = _parse_toml(text, path)
    is_pyproject = path.name == "pyproject.toml"
    raw = document.get("tool", {}).get("smplan", {}) if is_pyproject else document
    reader = _Reader(path, text)
    return reader.read(raw, (*chain, path))


class _Reader:
    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text = path, text
        self.references: list[tuple[Path | None, str, str, str]] = []

    def fail(self, key: str, message: str) -> ConfigError:
        line, col = _locate_key(self.text, key)
        return ConfigError(f"{self.path}:{line}:{col}: {message}")

    def read(self, raw: dict[str, Any], chain: tuple[Path, ...]) -> Config:
        if not isinstance(raw, dict):
            raise self.fail("smplan", "[tool.smplan] must be a table")
        _check_keys(self, raw, _TOP_KEYS, "config")
        base = Config(path=self.path)
        extends = raw.get("extend")
        if extends is not None:
            for entry in _string_list(self, "extend", extends):
                target = self.resolve("extend", entry, "extended config", home=False)
                if target in chain:
                    cycle = " -> ".join(p.name for p in (*chain, target))
                    raise self.fail("extend", f"'extend' makes a cycle: {cycle}")
                if not target.exists():
                    raise self.fail("extend", f"extended config '{entry}' does not exist")
                parent = _load(target, chain)
                base = _merge_configs(base, parent)
            base.path = self.path
        settings = self.rule_settings(raw, "config")
        if extends is not None:
            settings = _overlay(base.settings, settings)
        config = replace(base, settings=settings)
        per_file = raw.get("per-file", {})
        if not isinstance(per_file, dict):
            raise self.fail("per-file", "'per-file' maps globs to settings")
        for pattern, override in per_file.items():
            if not isinstance(override, dict):
                raise self.fail(pattern, f"per-file '{pattern}' must be a table")
            _check_keys(self, override, _PER_FILE_KEYS, f"per-file '{pattern}'")
            config.per_file.append((pattern, self.rule_settings(override, pattern)))
        config.references = base.references + self.references  # per-file names too
        if "profile" in raw:
            if raw["profile"] not in PROFILES:
                raise self.fail("profile", f"profile must be one of: {', '.join(PROFILES)}")
            config.profile = raw["profile"]
        if "fail-on" in raw:
            config.fail_on = self.severity("fail-on", raw["fail-on"])
        for entry in _string_list(self, "rules", raw.get("rules", [])):
            folder = self.resolve("rules", entry, "rule pack folder", home=False)
            if not folder.is_dir():
                what = "is a file, not a folder" if folder.exists() else "does not exist"
                raise self.fail(entry, f"rule pack folder '{entry}' {what}")
            config.rule_packs.append(folder)
        for name in _string_list(self, "plugins", raw.get("plugins", [])):
            line, col = _locate_key(self.text, name)
            config.plugins.append(name)
            config.plugin_origins[name] = f"{self.path}:{line}:{col}"
        if "limits" in raw:
            config.limits = self.limits(raw["limits"], config.limits)
        self.build_settings(raw, config)
        return config

    def build_settings(self, raw: dict[str, Any], config: Config) -> None:
        """``smplan build``'s defaults, checked here so a mistake points at its line."""
        from smplan.buildsettings import check_language, parse_formats

        if "theme" in raw:
            config.theme = self.folder("theme", raw["theme"])
        if "output-dir" in raw:
            config.output_dir = self.folder("output-dir", raw["output-dir"])
        if "language" in raw:
            language = self.text_value("language", raw["language"])
            config.language = self.checked("language", check_language, language)
        if "formats" in raw:
            value = raw["formats"]  # "md,html" as on the command line, or a list
            formats = value if isinstance(value, str) else _string_list(self, "formats", value)
            config.formats = self.checked("formats", parse_formats, formats)
        if "pdf-calendar-limit" in raw:
            value = raw["pdf-calendar-limit"]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                kind = describe(value)
                message = f"'pdf-calendar-limit' must be a whole number of posts, not {kind}"
                raise self.fail("pdf-calendar-limit", message)
            config.pdf_calendar_limit = value

    def text_value(self, key: str, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"'{key}' must be non-empty text, not {describe(value)}")
        return value

    def folder(self, key: str, value: Any) -> Path:
        return self.resolve(key, self.text_value(key, value), f"'{key}' folder")

    def resolve(self, key: str, value: str, what: str, *, home: bool = True) -> Path:
        """A path the config names, relative to its file; a loop or NUL byte points at ``key``."""
        try:
            safepath.check_name(value)
            path = Path(value).expanduser() if home else Path(value)
            return safepath.resolve(self.path.parent / path)
        except safepath.PathProblem as exc:
            raise self.fail(key, f"{what} '{value}' {exc}") from None

    def checked(self, key: str, check: Callable[[_In], _Out], value: _In) -> _Out:
        try:
            return check(value)
        except SmplanError as exc:
            raise self.fail(key, str(exc)) from None

    def severity(self, key: str, value: Any) -> Severity:
        try:
            return Severity.parse(str(value))
        except ValueError as exc:
            raise self.fail(key, str(exc)) from None

    def rule_settings(self, raw: dict[str, Any], where: str) -> RuleSettings:
        select = tuple(_string_list(self, "select", raw.get("select", ["ALL"])))
        ignore = tuple(_string_list(self, "ignore", raw.get("ignore", [])))
        extend_select = tuple(_string_list(self, "extend-select", raw.get("extend-select", [])))
        for name in (*select, *ignore, *extend_select):
            self.references.append((self.path, self.text, name, ""))
        severity: dict[str, Severity] = {}
        raw_severity = raw.get("severity", {})
        if not isinstance(raw_severity, dict):
            raise self.fail("severity", "'severity' maps rule names to error, warning or info")
        for name, value in raw_severity.items():
            self.references.append((self.path, self.text, name, ""))
            severity[name] = self.severity(name, value)
        options: dict[str, dict[str, Any]] = {}
        raw_options = raw.get("options", {})
        if not isinstance(raw_options, dict):
            raise self.fail("options", "'options' maps rule names to tables of options")
        for name, values in raw_options.items():
            if not isinstance(values, dict):
                raise self.fail(name, f"options of '{name}' must be a table")
            self.references.append((self.path, self.text, name, ""))
            self.references.extend((self.path, self.text, name, option) for option in values)
            options[name] = dict(values)
        return RuleSettings(select, ignore, extend_select, severity, options)

    def limits(self, raw: Any, base: Limits) -> Limits:
        if not isinstance(raw, dict):
            raise self.fail("limits", "'limits' must be a table")
        _check_keys(self, raw, set(_LIMIT_KEYS), "limits")
        values: dict[str, int] = {}
        for key, value in raw.items():
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise self.fail(key, f"limit '{key}' must be a positive whole number")
            if key == "max-depth" and value > 1000:
                raise self.fail(key, "max-depth can be at most 1000")
            values[_LIMIT_KEYS[key]] = value
        return replace(base, **values)


def _merge_configs(base: Config, parent: Config) -> Config:
    merged = replace(parent)
    merged.per_file = base.per_file + parent.per_file
    merged.rule_packs = base.rule_packs + parent.rule_packs
    merged.plugins = base.plugins + parent.plugins
    merged.plugin_origins = {**parent.plugin_origins, **base.plugin_origins}
    merged.references = base.references + parent.references
    return merged


def _check_keys(reader: _Reader, raw: dict[str, Any], allowed: set[str], where: str) -> None:
    for key in raw:
        if key not in allowed:
            hint = difflib.get_close_matches(key, sorted(allowed), n=1)
            suffix = f"; did you mean '{hint[0]}'?" if hint else ""
            raise reader.fail(key, f"unknown key '{key}' in {where}{suffix}")


def _string_list(reader: _Reader, key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise reader.fail(key, f"'{key}' must be a list of names")
    return list(value)


def _locate_key(text: str, key: str) -> tuple[int, int]:
    """Best-effort position of a key in TOML text (tomllib keeps none)."""
    pattern = re.compile(
        r'^\s*(?:\[[^\]]*)?["\']?' + re.escape(key) + r'["\']?\s*(?:=|\]|\.)', re.MULTILINE
    )
    match = pattern.search(text)
    if not match:
        index = text.find(key)
        if index < 0:
            return 1, 1
        line = text.count("\n", 0, index) + 1
        return line, index - (text.rfind("\n", 0, index) + 1) + 1
    start = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1
