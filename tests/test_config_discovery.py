"""Config discovery reads every pyproject.toml on the way up, as ruff does.

A pyproject.toml that is not UTF-8 (Latin-1 ``é``) crashed discovery with a
UnicodeDecodeError; one that is not valid TOML was skipped in silence, so a
broken ``[tool.smplan]`` table looked like no config at all.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

PLAN = "smplan: 1\nplan: {id: demo, name: Demo, period: {start: 2027-01-01, end: 2027-12-31}}\n"


def _repo(tmp_path: Path, pyproject: bytes | None = None, name: str = "pyproject.toml") -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "plans").mkdir()
    plan = tmp_path / "plans" / "a.smplan.yaml"
    plan.write_text(PLAN)
    if pyproject is not None:
        (tmp_path / name).write_bytes(pyproject)
    return plan


def _error(cli, plan: Path) -> str:
    result = cli("lint", "--no-cache", str(plan))
    assert result.code == 2, result
    assert len(result.stderr.splitlines()) == 1, result.stderr
    return result.stderr


@pytest.mark.parametrize("table", [b"", b"\n[tool.smplan]\nselect = ['ALL']\n"])
def test_a_latin1_pyproject_is_an_error_at_the_byte(tmp_path, cli, table):
    latin1 = (FIXTURES / "config" / "latin1-pyproject.toml").read_bytes()
    plan = _repo(tmp_path, latin1 + table)
    expected = f"{(tmp_path / 'pyproject.toml').resolve()}:2:12: not UTF-8 text (byte 0xe9)"
    assert _error(cli, plan).startswith(f"smplan: error: {expected}")


def test_a_latin1_dot_smplan_toml_is_an_error_at_the_byte(tmp_path, cli):
    plan = _repo(tmp_path, b"# r\xc3\xa9gl\xe9\n", name=".smplan.toml")
    assert ".smplan.toml:1:7: not UTF-8 text (byte 0xe9)" in _error(cli, plan)


def test_an_invalid_pyproject_without_a_smplan_table_is_reported(tmp_path, cli):
    plan = _repo(tmp_path, b"[project\nname = 'x'\n")
    message = ":1:9: invalid TOML: Expected ']' at the end of a table declaration"
    assert _error(cli, plan).endswith(f"pyproject.toml{message}\n")


def test_a_number_too_long_for_python_is_invalid_toml_not_a_crash(tmp_path, cli):
    plan = _repo(tmp_path, b"[tool.smplan]\nx = " + b"9" * 5000 + b"\n")
    assert "pyproject.toml:2:5: invalid TOML: a number too long to read" in _error(cli, plan)


def test_a_smplan_table_written_as_a_dotted_key_is_found(tmp_path, cli):
    plan = _repo(tmp_path, b"[tool]\nsmplan = {select = ['nope']}\n")
    assert "pyproject.toml:2:22: unknown rule or category 'nope'" in _error(cli, plan)


def test_a_pyproject_that_is_a_pipe_or_a_folder_is_not_a_config(tmp_path, smplan_process):
    plan = _repo(tmp_path)
    os.mkfifo(tmp_path / "pyproject.toml")
    result = smplan_process("lint", "--no-cache", str(plan), timeout=20)
    assert result.code in (0, 1) and not result.stderr, result
    os.unlink(tmp_path / "pyproject.toml")
    (tmp_path / "pyproject.toml").mkdir()
    result = smplan_process("lint", "--no-cache", str(plan), timeout=20)
    assert result.code in (0, 1) and not result.stderr, result
    shutil.rmtree(tmp_path / "pyproject.toml")
