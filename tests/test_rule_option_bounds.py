"""Numeric rule options are finite and within the bounds their rule declares.

TOML allows ``inf`` and ``nan``; before bounds, ``max-age-days = inf`` crashed
a date computation and ``tolerance = 1e11`` silently passed every KPI.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from smplan.rules.options import option_problem
from smplan.rules.registry import RuleFileError, builtin_registry, parse_rule_file

PLAN = "smplan: 1\nplan: {id: demo, name: Demo, period: {start: 2027-01-01, end: 2027-12-31}}\n"


def _lint(cli, tmp_path: Path, options: str) -> tuple[int, str]:
    (tmp_path / ".git").mkdir()
    (tmp_path / "p.smplan.yaml").write_text(PLAN)
    (tmp_path / "pyproject.toml").write_text(f"[project]\nname = 'x'\n\n{options}\n")
    result = cli("lint", "--no-cache", str(tmp_path / "p.smplan.yaml"))
    assert len(result.stderr.splitlines()) == 1, result
    return result.code, result.stderr


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("inf", "must be a finite number, not a number (inf)"),
        ("-inf", "must be a finite number, not a number (-inf)"),
        ("nan", "must be a finite number, not a number (nan)"),
        ("1e11", "must be a number from 1 to 3,660, not a number (100000000000.0)"),
        ("0", "must be a number from 1 to 3,660, not a number (0)"),
    ],
)
def test_a_numeric_option_out_of_bounds_is_an_error_naming_it_and_the_file(
    tmp_path, cli, value, problem
):
    table = f'[tool.smplan.options."crisis-drill-stale"]\nmax-age-days = {value}'
    code, stderr = _lint(cli, tmp_path, table)
    config = (tmp_path / "pyproject.toml").resolve()
    expected = f"{config}:5:1: option 'max-age-days' of rule 'crisis-drill-stale' {problem}"
    assert (code, stderr) == (2, f"smplan: error: {expected}\n")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("inf", "must hold finite numbers, not a number (inf)"),
        ("1e11", "must hold numbers from 1 to 1,000,000, not a number (100000000000.0)"),
    ],
)
def test_every_number_in_a_table_option_is_bounded(tmp_path, cli, value, problem):
    table = f'[tool.smplan.per-file."*.yaml".options."copy-too-long"]\nlimits = {{x = {value}}}'
    code, stderr = _lint(cli, tmp_path, table)
    assert code == 2
    assert stderr.endswith(f":5:1: option 'limits' of rule 'copy-too-long' {problem}\n")


def test_a_value_within_bounds_is_accepted(tmp_path, cli):
    table = '[tool.smplan.options."kpi-off-track"]\ntolerance = 0.25'
    code, stderr = _lint(cli, tmp_path, table + "\n\n[tool.smplan]\nselect = ['nope']")
    assert code == 2
    assert "unknown rule or category 'nope'" in stderr  # got past the options check


def _numbers(value: object) -> list[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [value]
    if isinstance(value, dict):
        return [n for item in value.values() for n in _numbers(item)]
    if isinstance(value, list):
        return [n for item in value for n in _numbers(item)]
    return []


def test_every_builtin_numeric_option_declares_bounds_its_default_keeps():
    numeric = [
        (rule.name, option)
        for rule in builtin_registry()
        for option in rule.options.values()
        if _numbers(option.default) or option.default == {}
        if not isinstance(option.default, list)
    ]
    assert len(numeric) > 15
    for name, option in numeric:
        assert option.minimum is not None and option.maximum is not None, (name, option.name)
        assert math.isfinite(option.minimum) and math.isfinite(option.maximum)
        assert option_problem(option, option.default) is None, (name, option.name)


RULE = """\
name: few-pillars
category: content
severity: warning
summary: Few pillars
options:
  max-pillars: {BOUNDS}
given: content.pillars
then: {field: pillars, function: length, options: {max: $option.max-pillars}}
message: too many
docs: {what: x, why: y, example: z, fix: w}
"""


@pytest.mark.parametrize(
    ("bounds", "message"),
    [
        ("{default: 5, description: d, min: 6}", "6:26: the default must be a number at least 6"),
        (
            "{default: 5, description: d, min: 9, max: 1}",
            "6:50: an option's 'min' is above its 'max'",
        ),
        ("{default: 5, description: d, max: .inf}", "6:50: 'max' of an option is a finite number"),
        ("{default: .nan, description: d}", "6:26: the default must be a finite number"),
    ],
)
def test_a_rule_pack_declares_sound_bounds(bounds, message):
    with pytest.raises(RuleFileError) as error:
        parse_rule_file(RULE.replace("{BOUNDS}", bounds), "pack/few-pillars.yaml")
    assert str(error.value).startswith(f"pack/few-pillars.yaml:{message}")
