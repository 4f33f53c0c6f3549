"""Declarative rules, Spectral-style: ``given`` a path pattern, ``then`` a function.

```yaml
given: kpis[*]
then: {field: objective, function: truthy}
message: "KPI '{id}' is not linked to any objective"
```

Function options may name a rule option as ``$option.NAME`` so every threshold
stays configurable. Messages are ``str.format`` templates over the matched item
(``{id}``, ``{name}``...) plus ``{field}``, ``{value}`` and ``{index}``.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from smplan.findings import Finding
from smplan.rules.base import CheckContext, Rule

_MISSING = object()


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
    flags = re.IGNORECASE if opts.get("ignore_case") else 0
    if "match" in opts and not re.search(str(opts["match"]), value, flags):
        return f"does not match {opts['match']}"
    if "not_match" in opts and re.search(str(opts["not_match"]), value, flags):
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


def declarative_check(rule: Rule) -> Callable[[CheckContext], Iterable[Finding]]:
    assert rule.given is not None and rule.then is not None
    given, then = rule.given, rule.then
    function = FUNCTIONS[then["function"]]
    field = then.get("field")

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
            problem = function(value, opts)
            if problem is None:
                continue
            yield Finding(at, _message(rule, node, path, field, value, problem))

    return check


def _option(value: Any, options: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("$option."):
        return options[value.removeprefix("$option.")]
    return value


def _message(
    rule: Rule, node: Any, path: tuple[Any, ...], field: str | None, value: Any, problem: str
) -> str:
    subject = f"'{field}'" if field else "the value"
    if not rule.message:
        return f"{subject} {problem}"
    fields: dict[str, Any] = dict(node) if isinstance(node, dict) else {}
    fields.update(
        field=field or "",
        value="" if value is _MISSING else value,
        index=path[-1] if path and isinstance(path[-1], int) else "",
        problem=problem,
    )
    return string.Formatter().vformat(rule.message, (), _Defaulting(fields))


class _Defaulting(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"
