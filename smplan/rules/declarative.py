"""Declarative rules, Spectral-style: ``given`` a path pattern, ``then`` a function.

```yaml
given: kpis[*]
then: {field: objective, function: truthy}
message: "KPI '{id}' is not linked to any objective"
```

Function options may name a rule option as ``$option.NAME`` so every threshold
stays configurable. Messages are ``str.format`` templates over the matched item
(``{id}``, ``{name}``...) plus ``{field}``, ``{value}`` and ``{index}``.

A pack comes with the repository being linted, so it must not be able to hang
or exhaust lint: patterns are compiled when the pack loads and matched with a
time limit (the ``regex`` package; ``^(a+)+$`` backtracks for ever in ``re``),
and message templates may name fields only, with small widths, and are cut to
:data:`MAX_MESSAGE` characters (``{value:>2000000000}`` took 7.8 GB).
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from smplan.diagnostics import SmplanError
from smplan.findings import Finding
from smplan.rules.base import CheckContext, Rule

if TYPE_CHECKING:
    import regex

_MISSING = object()
MATCH_TIMEOUT = 0.25  # seconds for one value: ample for a sane pattern on any text
MAX_MESSAGE = 1000  # characters of a formatted message
MAX_WIDTH = 100  # largest width or precision a message field may ask for
_OPTION = "$option."
# The standard format spec: [[fill]align][sign][z][#][0][width][grouping][.precision][type]
_SPEC = re.compile(
    r"(?:.?[<>=^])?[-+ ]?z?#?0?(?P<width>\d+)?[,_]?(?:\.(?P<precision>\d+))?[bcdeEfFgGnosxX%]?",
    re.DOTALL,
)


class RuleOptionError(SmplanError):
    """A configured rule option a declarative rule cannot use (a broken pattern)."""


class PatternTimeout(Exception):
    """A pattern took longer than :data:`MATCH_TIMEOUT` on one value."""

    def __init__(self, pattern: str) -> None:
        super().__init__(pattern)
        self.pattern = pattern


@lru_cache(maxsize=256)
def compile_pattern(pattern: str, ignore_case: bool = False) -> regex.Pattern[str]:
    """The compiled pattern; ValueError when it is not one."""
    import regex

    try:
        return regex.compile(pattern, regex.IGNORECASE if ignore_case else 0)
    except regex.error as exc:
        raise ValueError(str(exc)) from None


def _search(pattern: Any, value: str, ignore_case: bool) -> bool:
    text = str(pattern)
    try:
        compiled = compile_pattern(text, ignore_case)
    except ValueError as exc:  # only from the config: a pack's own is checked on load
        raise RuleOptionError(f"'{text}' is not a valid regular expression: {exc}") from None
    try:
        return compiled.search(value, timeout=MATCH_TIMEOUT) is not None
    except TimeoutError:
        raise PatternTimeout(text) from None


def _empty(value: Any) -> bool:
    return value is _MISSING or value is None or value == "" or value == [] or value == {}


def _truthy(value: Any, opts: dict[str, Any]) -> str | None:
    return "is missing or empty" if _empty(value) or value is False else None


def _defined(value: Any, opts: dict[str, Any]) -> str | None:
    return "is missing" if value is _MISSING or value is None else None


def _undefined(value: Any, opts: dict[str, Any]) -> str | None:
    return "should not be set" if not (value is _MISSING or value is None) else None


def _falsy(value: Any, opts: dict[str, Any]) -> str | None:
    return "should be empty or false" if not _empty(value) and value is not False else None


def _pattern(value: Any, opts: dict[str, Any]) -> str | None:
    if not isinstance(value, str):
        return None
    ignore_case = bool(opts.get("ignore_case"))
    if "match" in opts and not _search(opts["match"], value, ignore_case):
        return f"does not match {opts['match']}"
    if "not_match" in opts and _search(opts["not_match"], value, ignore_case):
        return f"matches {opts['not_match']}"
    return None


def _enumeration(value: Any, opts: dict[str, Any]) -> str | None:
    values = opts.get("values", [])
    if value is _MISSING or value is None:
        return None
    items = value if isinstance(value, list) else [value]
    bad = [v for v in items if v not in values]
    return f"is not one of: {', '.join(map(str, values))}" if bad else None


def _length(value: Any, opts: dict[str, Any]) -> str | None:
    if value is _MISSING or value is None or not hasattr(value, "__len__"):
        return None
    size = len(value)
    if "min" in opts and size < opts["min"]:
        return f"has {size} item(s), fewer than {opts['min']}"
    if "max" in opts and size > opts["max"]:
        return f"has {size} item(s), more than {opts['max']}"
    return None


def _range(value: Any, opts: dict[str, Any]) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if "min" in opts and value < opts["min"]:
        return f"is below {opts['min']}"
    if "max" in opts and value > opts["max"]:
        return f"is above {opts['max']}"
    return None


FUNCTIONS: dict[str, Callable[[Any, dict[str, Any]], str | None]] = {
    "truthy": _truthy,
    "defined": _defined,
    "undefined": _undefined,
    "falsy": _falsy,
    "pattern": _pattern,
    "enumeration": _enumeration,
    "length": _length,
    "range": _range,
}


_OPTION_TYPES: dict[str, tuple[type, ...]] = {
    "match": (str,),
    "not_match": (str,),
    "ignore_case": (bool,),
    "values": (list,),
    "min": (int, float),
    "max": (int, float),
}


def load_problem(
    then: dict[str, Any], message: Any, options: dict[str, Any]
) -> tuple[tuple[str | int, ...], str] | None:
    """What is wrong with a declarative rule as written, and where: found when the
    pack loads, not as an internal error in the middle of a lint.

    ``options`` maps the rule's option names to their defaults.
    """
    if message is not None:
        if not isinstance(message, str):
            return ("message",), "'message' is text"
        try:
            parse_message(message)
        except ValueError as exc:
            return ("message",), str(exc)
    raw = then.get("options") or {}
    if not isinstance(raw, dict):
        return ("then", "options"), "'options' is a mapping"
    for key, value in raw.items():
        at: tuple[str | int, ...] = ("then", "options", key)
        if isinstance(value, str) and value.startswith(_OPTION):
            name = value.removeprefix(_OPTION)
            if name not in options:
                known = ", ".join(sorted(options)) or "none"
                return at, f"'{value}' names no option of this rule (options: {known})"
            value, at = options[name], ("options", name, "default")
        expected = _OPTION_TYPES.get(str(key))
        if expected is not None and (
            isinstance(value, bool) is not (bool in expected) or not isinstance(value, expected)
        ):
            kinds = " or ".join("true/false" if t is bool else t.__name__ for t in expected)
            return at, f"option '{key}' must be {kinds}"
        if key in ("match", "not_match"):
            try:
                compile_pattern(value)
            except ValueError as exc:
                return at, f"'{value}' is not a valid regular expression: {exc}"
    return None


def declarative_check(rule: Rule) -> Callable[[CheckContext], Iterable[Finding]]:
    assert rule.given is not None and rule.then is not None
    given, then = rule.given, rule.then
    function = FUNCTIONS[then["function"]]
    field = then.get("field")
    template = parse_message(rule.message) if rule.message else None

    def check(ctx: CheckContext) -> Iterator[Finding]:
        opts = {
            key: _option(value, ctx.options) for key, value in (then.get("options") or {}).items()
        }
        for path, node in ctx.expand(given):
            if field is None:
                value, at = node, path
            else:
                value = node.get(field, _MISSING) if isinstance(node, dict) else _MISSING
                at = (*path, field) if value is not _MISSING else path
            try:
                problem = function(value, opts)
            except PatternTimeout as slow:
                # Not a pass: the value was not checked, and the pack's author must know.
                subject = f"'{field}'" if field else "the value"
                yield Finding(
                    at,
                    _cut(
                        f"{subject} could not be checked: pattern '{slow.pattern}' took over "
                        f"{MATCH_TIMEOUT} s on it; simplify the pattern in {rule.source}"
                    ),
                )
                continue
            except RuleOptionError as exc:
                raise RuleOptionError(f"rule '{rule.name}': {exc}") from None
            if problem is None:
                continue
            yield Finding(at, _message(template, node, path, field, value, problem))

    return check


def _option(value: Any, options: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith(_OPTION):
        return options[value.removeprefix(_OPTION)]
    return value


Template = list[tuple[str, str | None, str | None, str]]  # literal, field, conversion, spec


def parse_message(message: str) -> Template:
    """A message template checked to be safe to fill; ValueError says what is wrong.

    Only plain field names (``{value.__class__}`` would reach into Python's
    objects), no nested fields in a spec (``{value:>{id}}`` takes its width
    from the plan), and widths and precisions up to :data:`MAX_WIDTH`.
    """
    parts: Template = []
    for literal, name, spec, conversion in string.Formatter().parse(message):
        if name is None:
            parts.append((literal, None, None, ""))
            continue
        if not name.isidentifier():
            shown = f"{{{name}}}" if name else "{}"
            raise ValueError(f"message field {shown} must be a plain name such as {{id}}")
        spec = spec or ""
        if "{" in spec or "}" in spec:
            raise ValueError(f"message field {{{name}}} may not take its format from a field")
        found = _SPEC.fullmatch(spec)
        if found is None:
            raise ValueError(f"message field {{{name}:{spec}}} has an invalid format '{spec}'")
        for size in (found["width"], found["precision"]):
            if size is not None and int(size) > MAX_WIDTH:
                raise ValueError(
                    f"message field {{{name}:{spec}}} asks for {int(size)} characters; "
                    f"at most {MAX_WIDTH}"
                )
        parts.append((literal, name, conversion, spec))
    return parts


def _message(
    template: Template | None,
    node: Any,
    path: tuple[Any, ...],
    field: str | None,
    value: Any,
    problem: str,
) -> str:
    subject = f"'{field}'" if field else "the value"
    if template is None:
        return _cut(f"{subject} {problem}")
    fields: dict[str, Any] = dict(node) if isinstance(node, dict) else {}
    fields.update(
        field=field or "",
        value="" if value is _MISSING else value,
        index=path[-1] if path and isinstance(path[-1], int) else "",
        problem=problem,
    )
    out: list[str] = []
    size = 0
    for literal, name, conversion, spec in template:
        out.append(literal)
        size += len(literal)
        if name is not None and size <= MAX_MESSAGE:
            text = _fill(fields.get(name, "?"), conversion, spec)
            out.append(text)
            size += len(text)
        if size > MAX_MESSAGE:
            break  # the rest would be cut anyway: a template cannot grow without bound
    return _cut("".join(out))


def _fill(value: Any, conversion: str | None, spec: str) -> str:
    if conversion == "r":
        value = repr(value)
    elif conversion == "a":
        value = ascii(value)
    elif conversion == "s":
        value = str(value)
    for shown in (value, str(value)):  # {value:d} on a text: the plan decides the type
        try:
            return format(shown, spec)
        except (ValueError, TypeError, OverflowError):
            continue
    return str(value)


def _cut(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"
