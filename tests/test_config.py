"""Configuration: discovery, select/ignore, severities, options, per-file, extend, errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

PLAN = """\
smplan: 1
plan: {id: demo, name: Demo, period: {start: 2027-01-01, end: 2027-12-31}, owner: nobody}
objectives:
  - {id: sales, statement: Sell 300 boxes}
  - {id: sales, statement: Sell 40 gift cards}
"""


def _repo(tmp_path: Path, config: str | None, name: str = ".smplan.toml") -> Path:
    (tmp_path / ".git").mkdir()
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "a.smplan.yaml").write_text(PLAN)
    if config is not None:
        (tmp_path / name).write_text(config)
    return plans / "a.smplan.yaml"


def _rules(cli, *args: str) -> list[tuple[str, str]]:
    result = cli("lint", "--format", "json", *args)
    assert result.code in (0, 1), result
    found = [(d["rule"], d["severity"]) for d in json.loads(result.stdout)["diagnostics"]]
    return [f for f in found if f[0] in WATCHED]


WATCHED = {"duplicate-id", "unresolved-reference"}


def test_config_is_found_walking_up(tmp_path, cli):
    plan = _repo(tmp_path, 'ignore = ["duplicate-id"]\n')
    assert _rules(cli, str(plan)) == [("unresolved-reference", "error")]


def test_pyproject_tool_section(tmp_path, cli):
    plan = _repo(tmp_path, '[tool.smplan]\nignore = ["structure"]\n', "pyproject.toml")
    assert _rules(cli, str(plan)) == []


def test_select_by_name_beats_ignored_category(tmp_path, cli):
    plan = _repo(tmp_path, 'select = ["duplicate-id"]\n')
    assert _rules(cli, str(plan)) == [("duplicate-id", "error")]


def test_severity_override_and_fail_on(tmp_path, cli):
    plan = _repo(
        tmp_path,
        '[severity]\n"duplicate-id" = "warning"\n"unresolved-reference" = "info"\n',
    )
    assert sorted(_rules(cli, str(plan))) == [
        ("duplicate-id", "warning"),
        ("unresolved-reference", "info"),
    ]
    ours = ("--select", "duplicate-id,unresolved-reference")
    assert cli("lint", str(plan), *ours).code == 0
    assert cli("lint", str(plan), *ours, "--fail-on", "warning").code == 1


def test_per_file_override(tmp_path, cli):
    plan = _repo(tmp_path, '[per-file."plans/*.smplan.yaml"]\nignore = ["unresolved-reference"]\n')
    assert _rules(cli, str(plan)) == [("duplicate-id", "error")]


def test_extend_inherits_and_overrides(tmp_path, cli):
    plan = _repo(tmp_path, 'extend = "base.toml"\n[severity]\n"duplicate-id" = "info"\n')
    (tmp_path / "base.toml").write_text('ignore = ["unresolved-reference"]\n')
    assert _rules(cli, str(plan)) == [("duplicate-id", "info")]


def test_explicit_config_overrides_discovery(tmp_path, cli):
    plan = _repo(tmp_path, 'ignore = ["duplicate-id"]\n')
    other = tmp_path / "other.toml"
    other.write_text('ignore = ["unresolved-reference"]\n')
    assert _rules(cli, str(plan), "--config", str(other)) == [("duplicate-id", "error")]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            'ignroe = ["x"]\n',
            ".smplan.toml:1:1: unknown key 'ignroe' in config; did you mean 'ignore'?",
        ),
        (
            'ignore = ["duplicate-ids"]\n',
            ".smplan.toml:1:12: unknown rule or category 'duplicate-ids'; did you mean 'duplicate-id'?",
        ),
        (
            '[options."duplicate-id"]\nmax = 3\n',
            ".smplan.toml:2:1: rule 'duplicate-id' has no option 'max'",
        ),
        ("select = [\n", ".smplan.toml:2:1: invalid TOML"),
        ('fail-on = "fatal"\n', ".smplan.toml:1:1: unknown severity 'fatal'"),
        (
            "[limits]\nmax-depth = 0\n",
            ".smplan.toml:2:1: limit 'max-depth' must be a positive whole number",
        ),
        (
            'extend = "missing.toml"\n',
            ".smplan.toml:1:1: extended config 'missing.toml' does not exist",
        ),
        ('extend = ".smplan.toml"\n', ".smplan.toml:1:1: 'extend' makes a cycle"),
        ("theme = 5\n", ".smplan.toml:1:1: 'theme' must be non-empty text, not a number (5)"),
        ('output-dir = ""\n', ".smplan.toml:1:1: 'output-dir' must be non-empty text"),
        ('language = "xx-!!"\n', ".smplan.toml:1:1: invalid language 'xx-!!'"),
        ('\nformats = ["docx"]\n', ".smplan.toml:2:1: unknown format 'docx'; choose from"),
        ('formats = "md,doc"\n', ".smplan.toml:1:1: unknown format 'doc'"),
        (
            "pdf-calendar-limit = true\n",
            ".smplan.toml:1:1: 'pdf-calendar-limit' must be a whole number of posts",
        ),
        (
            '[options."kpi-unrealistic-growth"]\nmax-monthly-growth = "fast"\n',
            ".smplan.toml:2:1: option 'max-monthly-growth' of rule 'kpi-unrealistic-growth' "
            "must be a number, not text ('fast')",
        ),
        (
            '[options."kpi-vanity-only"]\nvanity-metrics = "followers"\n',
            ".smplan.toml:2:1: option 'vanity-metrics' of rule 'kpi-vanity-only' must be a list",
        ),
        (
            '[per-file."*.yaml"]\nignore = ["duplicate-ids"]\n',
            ".smplan.toml:2:12: unknown rule or category 'duplicate-ids'; did you mean 'duplicate-id'?",
        ),
        (
            '[per-file."*.yaml".options."copy-too-long"]\nlimitz = 5\n',
            ".smplan.toml:2:1: rule 'copy-too-long' has no option 'limitz'; did you mean 'limits'?",
        ),
        (
            '[per-file."*.yaml".options."copy-too-long"]\nlimits = 5\n',
            ".smplan.toml:2:1: option 'limits' of rule 'copy-too-long' must be a table, not a number",
        ),
    ],
)
def test_config_errors_are_positioned_one_liners(tmp_path, smplan_process, config, message):
    plan = _repo(tmp_path, config)
    result = smplan_process("lint", str(plan))
    assert result.code == 2
    assert message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_limits_from_config_apply(tmp_path, cli):
    plan = _repo(tmp_path, "[limits]\nmax-file-size = 50\n")
    result = cli("lint", str(plan), "--format", "json")
    messages = [d["message"] for d in json.loads(result.stdout)["diagnostics"]]
    assert any("over the 50-byte limit" in m for m in messages)


def test_an_error_quoting_a_value_with_line_breaks_stays_one_line(tmp_path):
    import subprocess
    import sys

    (tmp_path / ".smplan.toml").write_text('select = ["a\\nb\\u001b[31m"]\n', encoding="utf-8")
    (tmp_path / "p.smplan.yaml").write_text("smplan: 1\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "smplan", "lint", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert "unknown rule or category 'a\\nb\\x1b[31m'" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("kind", ["folder", "pipe"])
def test_a_config_option_naming_a_folder_or_a_pipe_is_refused(tmp_path, smplan_process, kind):
    plan = _repo(tmp_path, None)
    target = tmp_path / "c.toml"
    if kind == "folder":
        target.mkdir()
        expected = "is a folder; name a config file (.smplan.toml or pyproject.toml)"
    else:
        os.mkfifo(target)  # reading it would block for ever
        expected = "not a regular file, so not a config file"
    for command in ("lint", "track", "build"):
        result = smplan_process(command, "--config", str(target), str(plan), timeout=20)
        assert result.code == 2, (command, result)
        assert result.stderr == f"smplan: error: {target}: {expected}\n", command
