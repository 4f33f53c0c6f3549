"""Paths a plan or a config names: a symlink loop or a NUL byte is a positioned error.

``Path.resolve`` raises RuntimeError on a loop and ValueError on a NUL byte;
each case here was a traceback (exit 3) before it became one line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

PLAN = (
    "smplan: 1\n"
    "IMPORTS\n"
    "plan:\n"
    "  id: demo\n"
    "  name: Demo plan\n"
    "  period: {start: 2027-01-01, end: 2027-12-31}\n"
    "  status: draft\n"
    "  ACTUALS\n"
)


def _repo(tmp_path: Path, imports: str = "", actuals: str = "") -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "l1").symlink_to("l2")
    (tmp_path / "l2").symlink_to("l1")
    plan = tmp_path / "p.smplan.yaml"
    text = PLAN.replace("IMPORTS", f"imports: [{imports}]" if imports else "")
    plan.write_text(text.replace("ACTUALS", f"actuals: {actuals}" if actuals else ""))
    return plan


def _errors(cli, plan: Path, *args: str) -> list[tuple[int, int, str, str]]:
    result = cli("lint", "--no-cache", "--format", "json", *args, str(plan))
    assert result.code == 1, result
    found = json.loads(result.stdout)["diagnostics"]
    return [
        (d["line"], d["column"], d["rule"], d["message"]) for d in found if d["severity"] == "error"
    ]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("l1", "import 'l1' is a symlink loop (or a link through one)"),
        ("l1/team.yaml", "import 'l1/team.yaml' is a symlink loop (or a link through one)"),
        ('"shared/te\\0am.yaml"', "import 'shared/te\\x00am.yaml' contains a NUL byte"),
    ],
)
def test_an_import_through_a_loop_or_with_a_nul_byte_is_an_import_error(
    tmp_path, cli, entry, message
):
    plan = _repo(tmp_path, imports=entry)
    [(line, column, rule, text)] = _errors(cli, plan)
    assert (line, column, rule) == (2, 11, "import-error")
    assert text.startswith(message)


@pytest.mark.parametrize(
    ("glob", "message"),
    [
        ("l1", "actuals file 'l1' is a symlink loop (or a link through one)"),
        ("'l*'", "actuals file 'l1' is a symlink loop (or a link through one)"),
        ('"data/a\\0.csv"', "plan.actuals 'data/a\\x00.csv' contains a NUL byte"),
    ],
)
def test_actuals_through_a_loop_or_with_a_nul_byte_are_reported_at_plan_actuals(
    tmp_path, cli, glob, message
):
    plan = _repo(tmp_path, actuals=glob)
    errors = _errors(cli, plan)
    assert {(line, column, rule) for line, column, rule, _ in errors} == {
        (8, 12, "actuals-invalid")
    }
    assert errors[0][3].startswith(message)
    assert not any("matches no file" in text for *_, text in errors)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('theme = "l1"', "'theme' folder 'l1' is a symlink loop"),
        ('output-dir = "l1/out"', "'output-dir' folder 'l1/out' is a symlink loop"),
        ('extend = "l1"', "extended config 'l1' is a symlink loop"),
        ('rules = ["l1"]', "rule pack folder 'l1' is a symlink loop"),
        ('theme = "a\\u0000b"', "'theme' folder 'a\\x00b' contains a NUL byte"),
        ('output-dir = "a\\u0000b"', "'output-dir' folder 'a\\x00b' contains a NUL byte"),
        ('extend = "a\\u0000b"', "extended config 'a\\x00b' contains a NUL byte"),
        ('rules = ["a\\u0000b"]', "rule pack folder 'a\\x00b' contains a NUL byte"),
    ],
)
def test_a_config_path_through_a_loop_or_with_a_nul_byte_is_an_error_at_its_key(
    tmp_path, cli, setting, message
):
    plan = _repo(tmp_path)
    config = tmp_path / "pyproject.toml"
    config.write_text(f"[project]\nname = 'x'\n\n[tool.smplan]\n{setting}\n")
    result = cli("lint", "--no-cache", str(plan))
    assert result.code == 2, result
    assert result.stderr.startswith(f"smplan: error: {config.resolve()}:5:1: {message}")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [
        ("lint", "--config", "l1", "p.smplan.yaml"),
        ("lint", "l1"),
        ("lint", "--output-format", "json:l1", "p.smplan.yaml"),
        ("lint", "--output-format", "json:l1/report.json", "p.smplan.yaml"),
        ("baseline", "create", "-o", "l1", "p.smplan.yaml"),
        ("build", "-f", "md", "-o", "l1", "p.smplan.yaml"),
    ],
)
def test_a_command_line_path_through_a_loop_is_a_one_line_error(tmp_path, cli, monkeypatch, args):
    _repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = cli(*args)
    assert result.code == 2, result
    assert result.stderr.startswith("smplan: error: l1")
    assert "is a symlink loop" in result.stderr
    assert len(result.stderr.splitlines()) == 1
