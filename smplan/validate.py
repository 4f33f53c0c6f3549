"""Plain data -> typed Plan, with every structural problem in plain words.

pydantic finds the problems (it is ~30x faster than jsonschema on a plan);
this module words them for marketers: ``unknown key 'baselin' in KPI
'delivery-orders'; did you mean 'baseline'?``, each at its exact key or value.
"""

from __future__ import annotations

import difflib
import functools
import typing
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails, SchemaValidator

from smplan import model as model_package
from smplan import usercache
from smplan.findings import Finding
from smplan.model import Plan
from smplan.model.base import CURRENCY_PATTERN, ID_PATTERN, LANGUAGE_PATTERN
from smplan.paths import DocPath, PathPart
from smplan.salvage import Salvage, data_path, model_of, salvage, unwrap_type

InlineTest = Callable[[DocPath], bool]
"""Whether the mapping at a document path is written inline, ``{...}``."""

ITEM_LABELS = {
    "kpis": "KPI",
    "objectives": "objective",
    "audiences": "audience",
    "channels": "channel",
    "pillars": "pillar",
    "formats": "format",
    "campaigns": "campaign",
    "calendar": "calendar item",
    "members": "member",
    "raci": "RACI entry",
    "tools": "tool",
    "lines": "budget line",
    "levels": "crisis level",
    "holding_statements": "holding statement",
    "contacts": "crisis contact",
    "competitors": "competitor",
    "offering": "offering",
    "history": "history entry",
    "actuals": "measurement",
    "imports": "import",
}


def validate_plan(data: Any) -> tuple[Plan | None, list[Finding]]:
    """Validate plain data; on failure return every problem as a finding."""
    if not isinstance(data, dict):
        kind = _kind(data)
        return None, [
            Finding(
                (),
                f"the top level must be a mapping of plan sections (smplan, plan, ...), not {kind}",
            )
        ]
    try:
        plan = plan_validator().validate_python(data)
    except ValidationError as exc:
        return None, list(_findings(exc.errors(include_url=False), data))
    assert isinstance(plan, Plan)
    return plan, []


def validate_partial(
    data: Any, collections: dict[str, str], inline: InlineTest | None = None
) -> tuple[Plan | None, list[Finding], Salvage | None]:
    """Like :func:`validate_plan`, and for an invalid plan the part that validates.

    The typed plan is returned only when the whole file is valid; the salvage
    (None when nothing could be kept) is what the rules may still judge.
    ``collections`` names the id-bearing lists (see ``PlanIndex.COLLECTIONS``).
    ``inline`` says whether the mapping at a path is written ``{...}`` (the
    source map knows), to explain unknown keys that an unquoted comma made.
    """
    if not isinstance(data, dict):
        plan, findings = validate_plan(data)
        return plan, findings, None
    try:
        plan = plan_validator().validate_python(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        findings = list(_findings(errors, data, inline))
        paths = [data_path(data, _loc(error)) for error in errors]
        kept = salvage(data, paths, _errors_of, Plan, collections)
        return None, findings, kept
    assert isinstance(plan, Plan)
    return plan, [], None


def _errors_of(data: Any) -> tuple[Plan | None, list[DocPath]]:
    try:
        plan = plan_validator().validate_python(data)
    except ValidationError as exc:
        return None, [data_path(data, _loc(error)) for error in exc.errors(include_url=False)]
    assert isinstance(plan, Plan)
    return plan, []


def _loc(error: ErrorDetails) -> DocPath:
    return tuple(part for part in error["loc"] if isinstance(part, str | int))


class _Validator(typing.Protocol):
    def validate_python(self, input: Any, /) -> Any: ...


@functools.cache
def plan_validator() -> _Validator:
    """Plan's compiled validator, read from the user cache while the models are unchanged.

    Generating pydantic's core schema for the ~50 models costs ~45 ms of every
    run, most of a one-file lint; the compiled validator pickles (its functions
    by reference) and loads in ~3 ms. It validates exactly as
    ``Plan.model_validate`` does: it is the same validator.
    """
    key = validator_key()
    cached = usercache.read("validator", key)
    if isinstance(cached, SchemaValidator):
        return cached
    Plan.model_rebuild()
    validator = Plan.__pydantic_validator__
    if isinstance(validator, SchemaValidator):  # not when a pydantic plugin wraps it
        usercache.write("validator", key, validator)
    return validator


def validator_key() -> str:
    """Changes with the model sources, pydantic's version and smplan's."""
    import pydantic
    import pydantic_core

    models = sorted(Path(model_package.__file__).parent.glob("*.py"))
    return usercache.key_of(models, pydantic.VERSION, pydantic_core.__version__)


def _findings(
    errors: Iterable[ErrorDetails], data: Any, inline: InlineTest | None = None
) -> Iterable[Finding]:
    seen: set[tuple[DocPath, str]] = set()
    for error in errors:
        loc = _loc(error)
        path, at_key, message = _word(error, loc, data)
        if (
            inline is not None
            and "did you mean" not in message
            and _split_by_comma(error, loc, inline)
        ):
            message += "; inside { } a comma starts a new key, so put a value that holds "
            message += "commas in quotes" + _rejoined(data, loc)
        if (path, message) not in seen:
            seen.add((path, message))
            yield Finding(path, message, key=at_key)


def _split_by_comma(error: ErrorDetails, loc: DocPath, inline: InlineTest) -> bool:
    """An unknown key with no value in a ``{...}`` mapping: the tail of a value cut at a comma.

    ``{name: Classes (vinyasa, yin, hatha)}`` is ``name: Classes (vinyasa``
    plus the keys ``yin`` and ``hatha)``, both without a value.
    """
    return (
        error["type"] == "extra_forbidden"
        and error.get("input") is None
        and bool(loc)
        and inline(loc[:-1])
    )


def _rejoined(data: Any, loc: DocPath) -> str:
    """``, e.g. name: "Classes (vinyasa, yin, hatha)"``: the value the commas cut, mended."""
    node = data
    for part in loc[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return ""
    if not isinstance(node, dict):
        return ""
    keys = list(node)
    at = keys.index(loc[-1]) if loc[-1] in keys else -1
    start = at
    while start > 0 and node[keys[start]] is None:
        start -= 1
    head = node[keys[start]] if start >= 0 else None
    if at < 0 or start == at or isinstance(head, bool) or not isinstance(head, str | int | float):
        return ""
    end = at
    while end + 1 < len(keys) and node[keys[end + 1]] is None:
        end += 1
    value = ", ".join([str(head), *(str(key) for key in keys[start + 1 : end + 1])])
    quoted = f'"{value}"' if '"' not in value else f"'{value}'"
    return f", e.g. {keys[start]}: {quoted}"


def _word(error: ErrorDetails, loc: DocPath, data: Any) -> tuple[DocPath, bool, str]:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    parent = loc[:-1]
    name = loc[-1] if loc else ""
    where = describe(data, parent)
    if kind == "extra_forbidden":
        message = f"unknown key '{name}' in {where}"
        hint = _closest(str(name), _allowed_keys(parent))
        return loc, True, message + (f"; did you mean '{hint}'?" if hint else "")
    if kind == "missing":
        return loc, True, f"{where} is missing the required key '{name}'"
    field = _field_words(loc, data)
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "")
        options = [o.strip() for o in expected.replace(" or ", ", ").split(",") if o.strip()]
        hint = _closest(str(value), options)
        message = f"{_show(value)} is not a valid {field}; expected one of: {', '.join(options)}"
        return loc, False, message + (f"; did you mean '{hint}'?" if hint else "")
    if kind == "string_pattern_mismatch":
        return loc, False, _pattern_message(value, field, str(ctx.get("pattern", "")))
    if kind == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
        return loc, False, f"{message} ({field})"
    if kind == "timezone_aware":
        return (
            loc,
            False,
            (f"{field} needs a UTC offset, e.g. 2027-11-18T18:00:00+01:00 (got {_show(value)})"),
        )
    expected_kind = _EXPECTED.get(kind)
    if kind in ("float_parsing", "float_type", "finite_number") and _is_number(value):
        # Only a number too large for a float fails as a number.
        return loc, False, f"{field} is too large: {_kind(value)}; no plan needs such a figure"
    if expected_kind:
        return loc, False, f"{field} must be {expected_kind}, not {_kind(value)}"
    if kind in _BOUNDS:
        bound = next(iter(ctx.values()), "")
        return loc, False, f"{field} must be {_BOUNDS[kind]} {bound} (got {_show(value)})"
    if kind in ("string_too_long", "too_long"):
        return loc, False, f"{field} is too long ({error['msg'].lower()})"
    return loc, False, f"{field}: {str(error['msg']).lower()}"


_EXPECTED = {
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "dict_type": "a mapping",
    "list_type": "a list",
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "a date without a time (YYYY-MM-DD)",
    "datetime_type": "a date and time with an offset (2027-11-18T18:00:00+01:00)",
    "datetime_parsing": "a date and time with an offset (2027-11-18T18:00:00+01:00)",
    "datetime_from_date_parsing": "a date and time with an offset (2027-11-18T18:00:00+01:00)",
    "time_delta_type": "a duration (30m, 4h, 2d, 1w or PT4H)",
    "time_delta_parsing": "a duration (30m, 4h, 2d, 1w or PT4H)",
}
_BOUNDS = {
    "greater_than": "greater than",
    "greater_than_equal": "at least",
    "less_than": "less than",
    "less_than_equal": "at most",
    "too_short": "at least of length",
    "string_too_short": "at least of length",
}


def _pattern_message(value: Any, field: str, pattern: str) -> str:
    if pattern == ID_PATTERN:
        suggestion = _kebab(str(value))
        hint = f", e.g. '{suggestion}'" if suggestion else ""
        return f"{_show(value)} is not a valid {field}: use kebab-case (a-z, 0-9, -){hint}"
    if pattern == CURRENCY_PATTERN:
        upper = str(value).strip().upper()
        hint = f"'{upper}'" if len(upper) == 3 and upper.isalpha() else "e.g. EUR, USD, RUB"
        return f"{_show(value)} is not a currency code; use ISO 4217, {hint}"
    if pattern == LANGUAGE_PATTERN:
        from smplan.languagenames import tag_for

        tag = tag_for(str(value))
        hint = f"'{tag}'" if tag else "e.g. en, ru, es-MX"
        return f"{_show(value)} is not a language tag; use BCP 47, {hint}"
    return f"{_show(value)} is not a valid {field}"


def _kebab(text: str) -> str:
    out = []
    for ch in text.strip().lower():
        out.append(ch if ch.isascii() and ch.isalnum() else "-")
    return "-".join(part for part in "".join(out).split("-") if part)


def describe(data: Any, path: Sequence[PathPart]) -> str:
    """Name a node in the user's terms: ``KPI 'reach'``, ``'target' of KPI 'reach'``."""
    if not path:
        return "the plan file"
    item_label = ""
    keys_after: list[str] = []
    node = data
    parent_key = ""
    for part in path:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            label = ITEM_LABELS.get(parent_key, parent_key or "item")
            ident = _identity(item)
            if isinstance(ident, str) and ident:
                item_label = f"{label} '{ident}'"
            else:
                owner = f" of {item_label}" if item_label and keys_after else ""
                item_label = f"{label} #{part + 1}{owner}"
            keys_after = []
            node = item
        else:
            keys_after.append(part)
            parent_key = part
            node = node.get(part) if isinstance(node, dict) else None
    if not item_label:
        return "'" + ".".join(keys_after) + "'"
    if keys_after:
        return f"'{'.'.join(keys_after)}' of {item_label}"
    return item_label


def _identity(item: Any) -> Any:
    """What users call an item: its id, else its member, activity or name."""
    if not isinstance(item, dict):
        return None
    for key in ("id", "member", "activity", "name", "kpi"):
        value = item.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def _field_words(loc: DocPath, data: Any) -> str:
    if not loc:
        return "the plan"
    if isinstance(loc[-1], int):
        return f"item #{loc[-1] + 1} of {describe(data, loc[:-1])}"
    return describe(data, loc)


def _closest(word: str, options: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return matches[0] if matches else None


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "...'"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        digits = len(str(abs(value))) if isinstance(value, int) and abs(value) > 10**30 else 0
        return f"a number of {digits} digits" if digits else f"a number ({value})"
    if isinstance(value, str):
        return f"text ({_show(value)})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, datetime):
        return f"a date and time ({value.isoformat()})"
    if isinstance(value, date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, timedelta):
        return "a duration"
    return type(value).__name__


def _allowed_keys(path: Sequence[PathPart]) -> list[str]:
    """Field names of the model found at ``path`` (for did-you-mean)."""
    model: Any = Plan
    for part in path:
        if isinstance(part, int):
            model = _item_type(model)
            continue
        model = model_of(model)
        if model is None or part not in model.model_fields:
            return []
        model = model.model_fields[part].annotation
    found = model_of(model)
    if found is None:
        return []
    return [info.alias or name for name, info in found.model_fields.items()]


def _item_type(tp: Any) -> Any:
    for candidate in unwrap_type(tp):
        if typing.get_origin(candidate) is list:
            return typing.get_args(candidate)[0]
    return None
