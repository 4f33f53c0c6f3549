"""Whether a value suits a rule option: its default's type, finite, within its bounds.

One check for a config's values and for a rule file's own defaults, so a rule
never sees ``nan``, ``inf`` or a number that would flag (or pass) every plan.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from smplan.rules.base import RuleOption


def option_problem(option: RuleOption, value: Any) -> str | None:
    """What is wrong with ``value`` for ``option`` ("must be ..."), or None."""
    expected = kind_of(option.default)
    if expected is not None and not _fits(value, expected):
        return f"must be {expected}, not {describe(value)}"
    held = isinstance(value, dict | list)  # a table of limits: each number is bounded
    for number in _numbers(value):
        if isinstance(number, float) and not math.isfinite(number):
            what = "must hold finite numbers" if held else "must be a finite number"
            return f"{what}, not {describe(number)}"
        low, high = option.minimum, option.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            wanted = _range(low, high)
            if held:
                return (
                    f"must hold numbers {wanted.removeprefix('a number ')}, not {describe(number)}"
                )
            return f"must be {wanted}, not {describe(number)}"
    return None


def bounds_text(option: RuleOption) -> str | None:
    """``from 0 to 10`` for docs, or None for an option without bounds."""
    if option.minimum is None and option.maximum is None:
        return None
    bounds = _range(option.minimum, option.maximum).removeprefix("a number ")
    return f"each number {bounds}" if isinstance(option.default, dict | list) else bounds


def kind_of(default: Any) -> str | None:
    """What a rule option's value must be, judged by its default (None: anything)."""
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int | float):
        return "a number"
    if isinstance(default, str):
        return "text"
    if isinstance(default, list):
        return "a list"
    if isinstance(default, dict):
        return "a table"
    return None


def describe(value: Any) -> str:
    """A value as users wrote it in TOML: ``a number (5)``, ``text ('fast')``."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ('{value}')"
    return (
        "a list" if isinstance(value, list) else "a table" if isinstance(value, dict) else "a date"
    )


def _fits(value: Any, kind: str) -> bool:
    if kind == "a number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    types = {"true or false": bool, "text": str, "a list": list, "a table": dict}
    return isinstance(value, types[kind])


def _numbers(value: Any) -> Iterator[float]:
    """Every number in a value, tables and lists included (``limits = {x = 280}``)."""
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from _numbers(item)


def _range(low: float | None, high: float | None) -> str:
    if low is None:
        return f"a number at most {_show(high)}"
    if high is None:
        return f"a number at least {_show(low)}"
    return f"a number from {_show(low)} to {_show(high)}"


def _show(bound: float | None) -> str:
    return f"{bound:g}" if isinstance(bound, float) and not bound.is_integer() else f"{bound:,.0f}"
