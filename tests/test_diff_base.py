"""``smplan lint --diff-base REF``: only what a change introduced."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.ci_support import edit, git
from tests.conftest import FIXTURES, require_tool

REPORT = FIXTURES / "ci" / "report"
TODAY = ("--today", "2027-01-01")


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git repository whose first commit holds the CI fixture plan and its import."""
    require_tool("git")
    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(REPORT / "plan.smplan.yaml", plans / "plan.smplan.yaml")
    shutil.copy(REPORT / "team.yaml", plans / "team.yaml")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def rules(cli, *args):
    result = cli("lint", *args, *TODAY, "--format", "json")
    assert result.code in (0, 1), result
    return sorted(d["rule"] for d in json.loads(result.stdout)["diagnostics"])


def test_only_new_findings_are_reported(cli, repo):
    plan = repo / "plans" / "plan.smplan.yaml"
    assert rules(cli, "plans", "--diff-base", "HEAD") == []
    # Moving everything down is no new finding; a new problem is.
    edit(plan, "smplan: 1\n", "# a comment\n\nsmplan: 1\n")
    edit(plan, "    primary: true\n", "    primary: true\n    due: 2030-01-01\n")
    assert rules(cli, "plans", "--diff-base", "HEAD") == ["kpi-deadline-outside-period"]
    assert len(rules(cli, "plans")) == 12
    # Committed, it is old news relative to the new HEAD, and new relative to the first commit.
    git(repo, "commit", "-qam", "second")
    assert rules(cli, "plans", "--diff-base", "HEAD") == []
    assert rules(cli, "plans", "--diff-base", "HEAD~1") == ["kpi-deadline-outside-period"]


def test_imported_files_are_taken_at_the_revision_too(cli, repo):
    team = repo / "plans" / "team.yaml"
    # Today the team grows; KPI and plan owners are still unknown, but the
    # messages (which list known members) change: those findings are new.
    edit(
        team,
        "role: Social media manager}",
        "role: Social media manager}\n    - {id: luis, name: Luis, role: Founder}",
    )
    found = rules(cli, "plans", "--diff-base", "HEAD")
    assert found == ["unresolved-reference"]  # the waived one stays waived


def test_a_fixed_waiver_shows_what_it_hid(cli, repo):
    edit(
        repo / "plans" / "plan.smplan.yaml",
        "  # smplan: ignore[unresolved-reference] the owner joins in March",
        "",
    )
    assert rules(cli, "plans", "--diff-base", "HEAD") == ["unresolved-reference"]


def test_new_plans_and_plans_broken_at_the_revision_have_only_new_findings(cli, repo):
    shutil.copy(repo / "plans" / "plan.smplan.yaml", repo / "plans" / "new.smplan.yaml")
    found = rules(cli, "plans/new.smplan.yaml", "--diff-base", "HEAD")
    assert len(found) == 11

    plan = repo / "plans" / "plan.smplan.yaml"
    good = plan.read_text(encoding="utf-8")
    plan.write_text("smplan: 1\nplan: [unclosed\n", encoding="utf-8")
    git(repo, "commit", "-qam", "broken")
    plan.write_text(good, encoding="utf-8")
    assert len(rules(cli, "plans/plan.smplan.yaml", "--diff-base", "HEAD")) == 11


def test_per_file_config_applies_at_the_revision_too(cli, repo):
    (repo / ".smplan.toml").write_text(
        '[per-file."plans/**".options."kpi-unrealistic-growth"]\nmax-monthly-growth = 0.11\n',
        encoding="utf-8",
    )
    git(repo, "add", ".smplan.toml")
    git(repo, "commit", "-qm", "config")
    result = cli("lint", "plans", *TODAY, "--format", "json")
    assert "11% cap" in result.stdout  # the per-file option is in the message...
    assert rules(cli, "plans", "--diff-base", "HEAD") == []  # ...on both sides


def test_works_from_a_subfolder(cli, repo, monkeypatch):
    monkeypatch.chdir(repo / "plans")
    edit(
        repo / "plans" / "plan.smplan.yaml",
        "    primary: true\n",
        "    primary: true\n    due: 2030-01-01\n",
    )
    assert rules(cli, ".", "--diff-base", "main") == ["kpi-deadline-outside-period"]


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("no-such-branch", "unknown git revision 'no-such-branch'"),
        ("HEAD~5", "unknown git revision 'HEAD~5'"),
        ("--output=x", "invalid git revision '--output=x'"),
    ],
)
def test_unknown_revision_is_a_one_line_error(smplan_process, repo, ref, expected):
    result = smplan_process("lint", "plans", "--diff-base", ref, cwd=repo)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and expected in result.stderr
    assert not (repo / "x").exists()


def test_outside_a_repository_is_a_one_line_error(smplan_process, tmp_path):
    require_tool("git")
    shutil.copy(REPORT / "plan.smplan.yaml", tmp_path / "plan.smplan.yaml")
    result = smplan_process(
        "lint",
        "plan.smplan.yaml",
        "--diff-base",
        "HEAD",
        cwd=tmp_path,
        env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)},
    )
    assert result.code == 2
    assert (
        result.stderr.startswith("smplan: error: ") and "not in a git repository" in result.stderr
    )
    assert result.stderr.count("\n") == 1
