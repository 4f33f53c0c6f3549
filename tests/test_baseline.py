"""Baselines: accept today's findings, report new ones and stale entries."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from tests.ci_support import edit
from tests.conftest import FIXTURES

REPORT = FIXTURES / "ci" / "report"
TODAY = ("--today", "2027-01-01")


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A folder with the CI fixture plan (12 findings) and its imported team file."""
    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(REPORT / "plan.smplan.yaml", plans / "plan.smplan.yaml")
    shutil.copy(REPORT / "team.yaml", plans / "team.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(cli, *args):
    result = cli("lint", *args, *TODAY, "--color", "never")
    assert result.code in (0, 1), result
    return result


def create(cli, *args):
    result = cli("baseline", "create", *args, *TODAY)
    assert result.code == 0, result
    return result


def test_create_writes_a_stable_sorted_file_without_lines(cli, repo):
    result = create(cli, "plans")
    assert result.stdout == "wrote .smplan-baseline.json: 11 findings accepted\n"
    first = (repo / ".smplan-baseline.json").read_bytes()
    create(cli, "plans")
    assert (repo / ".smplan-baseline.json").read_bytes() == first
    document = json.loads(first)
    assert document["smplan-baseline"] == 1
    entries = document["entries"]
    keys = [(e["file"], e["rule"], e["node"], e["message"]) for e in entries]
    assert keys == sorted(keys)
    assert all(set(e) == {"file", "rule", "node", "message", "count"} for e in entries)
    assert {e["file"] for e in entries} == {"plans/plan.smplan.yaml"}
    kpi = next(e for e in entries if e["rule"] == "kpi-incomplete")
    assert kpi["node"] == "kpis[id=sessions]"
    # The waived finding is not baselined: the waiver already accepts it.
    assert not any(e["node"] == "kpis[id=sessions].owner" for e in entries)
    # One entry per line keeps reviews of baseline changes readable.
    assert first.decode().count("\n") == len(entries) + 5


def test_lint_reports_only_new_findings_whatever_moved(cli, repo):
    create(cli, "plans")
    plan = repo / "plans" / "plan.smplan.yaml"
    result = lint(cli, "plans", "--baseline", ".smplan-baseline.json")
    assert result.code == 0
    assert result.stdout == "All checks passed: 1 file (1 suppressed, 11 baselined).\n"
    # Lines added above every finding: still the same findings.
    edit(plan, "smplan: 1\n", "# moved\n# down\n\nsmplan: 1\n")
    assert lint(cli, "plans", "--baseline", ".smplan-baseline.json").code == 0
    # A new problem is reported, and only it.
    edit(plan, "    primary: true\n", "    primary: true\n    due: 2030-01-01\n")
    result = lint(cli, "plans", "--baseline", ".smplan-baseline.json", "--format", "json")
    document = json.loads(result.stdout)
    assert [d["rule"] for d in document["diagnostics"]] == ["kpi-deadline-outside-period"]
    assert document["summary"] == {
        "files": 1,
        "errors": 1,
        "warnings": 0,
        "infos": 0,
        "baselined": 11,
    }
    assert result.code == 1


def test_a_fixed_problem_leaves_a_stale_entry_until_pruned(cli, repo):
    create(cli, "plans")
    plan = repo / "plans" / "plan.smplan.yaml"
    edit(plan, "statement: Improve things", "statement: Attract qualified visitors to the shop")
    result = lint(cli, "plans", "--baseline", ".smplan-baseline.json")
    lines = result.stdout.splitlines()
    assert len(lines) == 2, lines
    stale_line = next(
        n
        for n, text in enumerate((repo / ".smplan-baseline.json").read_text().splitlines(), start=1)
        if "objective-vague" in text
    )
    assert lines[0].startswith(f".smplan-baseline.json:{stale_line}:5: warning[baseline-stale] ")
    assert (
        "'objective-vague' in plans/plan.smplan.yaml at objectives[id=traffic].statement"
        in (lines[0])
    )
    assert "smplan baseline prune" in lines[0]
    assert lines[1] == "Found 0 errors, 1 warning, 0 infos in 1 file (1 suppressed, 10 baselined)."
    assert result.code == 0
    assert (
        lint(cli, "plans", "--baseline", ".smplan-baseline.json", "--fail-on", "warning").code == 1
    )

    pruned = cli("baseline", "prune", "plans", *TODAY)
    assert pruned.code == 0, pruned
    assert pruned.stdout == "pruned .smplan-baseline.json: 1 stale finding\n"
    entries = json.loads((repo / ".smplan-baseline.json").read_text())["entries"]
    assert len(entries) == 10 and not any(e["rule"] == "objective-vague" for e in entries)
    assert lint(cli, "plans", "--baseline", ".smplan-baseline.json").stdout.startswith(
        "All checks passed"
    )
    # The problem coming back is new again.
    edit(plan, "statement: Attract qualified visitors to the shop", "statement: Improve things")
    again = lint(cli, "plans", "--baseline", ".smplan-baseline.json")
    assert "info[objective-vague]" in again.stdout


def test_counts_per_identity(cli, repo):
    plan = repo / "plans" / "plan.smplan.yaml"
    create(cli, "plans")
    # The same finding twice in one file (a second plan-level waiver that silences nothing).
    edit(plan, "smplan: 1\n", "smplan: 1  # smplan: ignore[copy-too-long] nothing here\n")
    first = lint(cli, "plans", "--baseline", ".smplan-baseline.json")
    assert first.stdout.count("unused-suppression") == 1
    create(cli, "plans")
    edit(plan, "imports:", "# smplan: ignore[copy-too-long] nothing here\nimports:")
    second = lint(cli, "plans", "--baseline", ".smplan-baseline.json")
    assert second.stdout.count("unused-suppression") == 1  # one accepted, one new
    entry = next(
        e
        for e in json.loads((repo / ".smplan-baseline.json").read_text())["entries"]
        if e["rule"] == "unused-suppression"
    )
    assert entry["count"] == 1


def test_stale_only_for_files_and_rules_the_run_checked(cli, repo):
    other = repo / "other.smplan.yaml"
    shutil.copy(repo / "plans" / "plan.smplan.yaml", other)
    shutil.copy(repo / "plans" / "team.yaml", repo / "team.yaml")
    create(cli, "plans", "other.smplan.yaml")
    # Linting one plan says nothing about the other's entries.
    assert lint(cli, "plans", "--baseline", ".smplan-baseline.json").code == 0
    # Running fewer rules is not fixing the others.
    result = lint(cli, "plans", "--baseline", ".smplan-baseline.json", "--select", "kpi-incomplete")
    assert "baseline-stale" not in result.stdout
    # A deleted plan's entries are stale, whatever was linted.
    other.unlink()
    result = lint(cli, "plans", "--baseline", ".smplan-baseline.json", "--format", "json")
    stale = json.loads(result.stdout)["diagnostics"]
    assert {d["rule"] for d in stale} == {"baseline-stale"}
    assert len(stale) == 11
    assert all("other.smplan.yaml" in d["message"] for d in stale)


def test_baseline_paths_are_relative_to_the_baseline_file(cli, repo, monkeypatch):
    create(cli, "plans", "--output", "plans/.smplan-baseline.json")
    entries = json.loads((repo / "plans" / ".smplan-baseline.json").read_text())["entries"]
    assert {e["file"] for e in entries} == {"plan.smplan.yaml"}
    monkeypatch.chdir(repo / "plans")
    assert lint(cli, ".", "--baseline", ".smplan-baseline.json").code == 0


def test_stale_rule_follows_the_config(cli, repo):
    create(cli, "plans")
    edit(repo / "plans" / "plan.smplan.yaml", "Improve things", "Win 20 orders a month")
    (repo / ".smplan.toml").write_text('ignore = ["baseline-stale"]\n', encoding="utf-8")
    result = lint(cli, "plans", "--baseline", ".smplan-baseline.json")
    assert "baseline-stale" not in result.stdout
    (repo / ".smplan.toml").write_text('[severity]\n"baseline-stale" = "error"\n')
    result = lint(cli, "plans", "--baseline", ".smplan-baseline.json")
    assert "error[baseline-stale]" in result.stdout and result.code == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "baseline file does not exist; create it with 'smplan baseline create'"),
        ("{not json", ".smplan-baseline.json:1:2: not a baseline file: Expecting property name"),
        ("[]", 'not a baseline file (expected "smplan-baseline": 1)'),
        ('{"smplan-baseline": 1, "entries": {}}', "'entries' must be a list"),
        ('{"smplan-baseline": 1, "entries": [{"file": 1}]}', "entries[0] needs text 'file'"),
        (
            '{"smplan-baseline": 1, "entries": [{"file": "a", "rule": "b", "node": "", '
            '"message": "m", "count": 0}]}',
            "entries[0]: 'count' must be a whole number of at least 1",
        ),
        (b"\xff\xfe", "not a baseline file (not UTF-8 text)"),
        ('{"smplan-baseline": true, "entries": []}', 'expected "smplan-baseline": 1'),
        ('{"smplan-baseline": 1.0, "entries": []}', 'expected "smplan-baseline": 1'),
        pytest.param(
            '{"smplan-baseline": ' + "9" * 4301 + ', "entries": []}',
            'expected "smplan-baseline": 1',
            id="version-past-int-digit-limit",
        ),
        pytest.param(
            '{"smplan-baseline": 1, "entries": [{"file": "a", "rule": "b", "node": "", '
            '"message": "m", "count": ' + "9" * 4301 + "}]}",
            "entries[0]: 'count' must be a whole number of at least 1",
            id="count-past-int-digit-limit",
        ),
        pytest.param(
            '{"smplan-baseline": 1, "entries": [{"file": "a", "rule": "b", "node": "", '
            '"message": "m", "count": NaN}]}',
            "entries[0]: 'count' must be a whole number of at least 1",
            id="count-nan",
        ),
        pytest.param(
            '{"smplan-baseline": 1, "entries": [{"file": "a\\u0000b", "rule": "b", '
            '"node": "", "message": "m"}]}',
            "entries[0]: 'file' contains a NUL byte",
            id="file-with-nul",
        ),
        pytest.param(
            '{"smplan-baseline": 1, "entries": ["plans/plan.smplan.yaml"]}',
            "entries[0] needs text 'file', 'rule', 'node' and 'message'",
            id="entry-not-a-table",
        ),
        pytest.param(
            "[" * 100_000,
            ".smplan-baseline.json: not a baseline file (nested too deeply)",
            id="nested-too-deeply",
        ),
    ],
)
def test_missing_or_corrupt_baseline_is_a_one_line_error(smplan_process, repo, content, expected):
    path = repo / ".smplan-baseline.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    for args in (("lint", "plans", "--baseline", str(path.name)), ("baseline", "prune", "plans")):
        result = smplan_process(*args, cwd=repo)
        assert result.code == 2, result
        assert result.stdout == ""
        assert result.stderr.count("\n") == 1 and expected in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_baseline_that_is_a_pipe_is_an_error_not_a_hang(smplan_process, repo):
    os.mkfifo(repo / "pipe.json")
    for command in (("lint", "plans"), ("baseline", "prune", "plans")):
        result = smplan_process(*command, "--baseline", "pipe.json", cwd=repo, timeout=20)
        assert (result.code, result.stdout) == (2, ""), result
        assert (
            result.stderr
            == "smplan: error: pipe.json: not a regular file, so not a baseline file\n"
        )


def test_create_into_a_missing_folder_is_a_one_line_error(smplan_process, repo):
    result = smplan_process("baseline", "create", "plans", "--output", "nope/b.json", cwd=repo)
    assert result.code == 2
    assert result.stderr == "smplan: error: nope/b.json: cannot write: folder nope does not exist\n"
    assert not (repo / "nope").exists()


@pytest.mark.parametrize("output", ["plans/plan.smplan.yaml", "plans/team.yaml"])
def test_create_never_replaces_a_linted_file(smplan_process, repo, output):
    before = (repo / output).read_bytes()
    result = smplan_process("baseline", "create", "plans", "--output", output, cwd=repo)
    assert result.code == 2
    assert (
        result.stderr
        == f"smplan: error: {output}: is an input of this run; name another file to write\n"
    )
    assert (repo / output).read_bytes() == before


def test_create_replaces_a_baseline_but_never_another_file(smplan_process, repo):
    notes = repo / "NOTES.md"
    notes.write_text("# our notes\n", encoding="utf-8")
    result = smplan_process("baseline", "create", "plans", "-o", "NOTES.md", *TODAY, cwd=repo)
    assert (result.code, result.stderr) == (
        2,
        "smplan: error: NOTES.md: exists and is not a smplan baseline; "
        "baseline create only replaces a baseline (choose another -o)\n",
    )
    assert notes.read_text(encoding="utf-8") == "# our notes\n"
    for _ in range(2):  # a new file, then the same baseline again
        again = smplan_process("baseline", "create", "plans", "-o", "b.json", *TODAY, cwd=repo)
        assert again.code == 0, again.stderr


def test_lint_output_never_replaces_the_baseline(cli, repo):
    create(cli, "plans")
    before = (repo / ".smplan-baseline.json").read_bytes()
    result = cli(
        "lint",
        "plans",
        "--baseline",
        ".smplan-baseline.json",
        "--output-format",
        "json:.smplan-baseline.json",
        *TODAY,
    )
    assert result.code == 2 and "is an input of this run" in result.stderr
    assert (repo / ".smplan-baseline.json").read_bytes() == before


def test_baseline_and_sarif_together(cli, repo):
    create(cli, "plans")
    edit(repo / "plans" / "plan.smplan.yaml", "Improve things", "Win 20 orders a month")
    result = cli(
        "lint", "plans", "--baseline", ".smplan-baseline.json", "--format", "sarif", *TODAY
    )
    results = json.loads(result.stdout)["runs"][0]["results"]
    assert [r["ruleId"] for r in results if "suppressions" not in r] == ["baseline-stale"]
    uri = results[-1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == ".smplan-baseline.json"
