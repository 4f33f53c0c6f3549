"""The pre-commit hooks, run by the real pre-commit tool from this checkout.

``pre-commit try-repo`` installs smplan from a repository with pip, as a
user's pre-commit would. It takes HEAD plus changes to tracked files only, so
the test hands it a snapshot of the checkout as it is on disk (tracked and new
files, minus ignored ones): what is tested is what would be committed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.ci_support import clean_env, edit, git
from tests.conftest import FIXTURES, ROOT, require_tool

GOOD = (FIXTURES / "lint" / "valid.smplan.yaml").read_text(encoding="utf-8")
BAD = (FIXTURES / "lint" / "unknown-key.smplan.yaml").read_text(encoding="utf-8")


def _env(home: Path) -> dict[str, str]:
    return clean_env(PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never", NO_COLOR="1")


@pytest.fixture(scope="module")
def hooks(tmp_path_factory):
    """(snapshot repository of this checkout, pre-commit home, a user's repository)."""
    require_tool("git")
    require_tool("pre-commit")
    base = tmp_path_factory.mktemp("precommit")
    snapshot = base / "smplan"
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            target = snapshot / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git(snapshot, "init", "-q")
    git(snapshot, "add", "-A")
    git(snapshot, "commit", "-qm", "snapshot")
    work = base / "plans"
    work.mkdir()
    (work / "bad.smplan.yaml").write_text(BAD, encoding="utf-8")
    (work / "good.smplan.yaml").write_text(GOOD, encoding="utf-8")
    (work / ".smplan.toml").write_text('formats = ["md"]\noutput-dir = "documents"\n')
    git(work, "init", "-q")
    git(work, "add", ".")
    return snapshot, base / "home", work


def try_repo(hooks, *args: str) -> subprocess.CompletedProcess[str]:
    snapshot, home, work = hooks
    return subprocess.run(
        ["pre-commit", "try-repo", str(snapshot), *args],
        cwd=work,
        capture_output=True,
        text=True,
        env=_env(home),
        timeout=900,
    )


def test_lint_hook_fails_on_a_bad_plan_with_its_finding(hooks):
    result = try_repo(hooks, "smplan-lint", "--files", "bad.smplan.yaml")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "smplan lint" in output and "Failed" in output
    assert (
        "bad.smplan.yaml:12:5: error[schema-violation] unknown key 'baselin' in KPI "
        "'delivery-orders'; did you mean 'baseline'?"
    ) in output


def test_lint_hook_passes_on_a_good_plan(hooks):
    result = try_repo(hooks, "smplan-lint", "--files", "good.smplan.yaml")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "smplan lint" in output and "Passed" in output


def test_build_hook_runs_only_when_asked(hooks):
    _snapshot, _home, work = hooks
    default = try_repo(hooks, "--files", "good.smplan.yaml")
    assert default.returncode == 0, default.stdout + default.stderr
    assert "smplan build" not in default.stdout
    assert not (work / "documents").exists()
    manual = try_repo(
        hooks, "smplan-build", "--hook-stage", "manual", "--files", "good.smplan.yaml"
    )
    assert manual.returncode == 0, manual.stdout + manual.stderr
    assert [p.suffix for p in (work / "documents").iterdir()] == [".md"]


def _commit(repo: Path, home: Path, message: str) -> subprocess.CompletedProcess[str]:
    """A real ``git commit``, which runs the installed pre-commit hook."""
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", message],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**_env(home), "SMPLAN_TODAY": "2027-03-01"},
        timeout=900,
    )


def test_a_commit_of_a_shared_file_lints_the_plans_that_import_it(hooks, tmp_path):
    """The hook is handed shared/team.yaml alone: the importing plan's findings refuse it."""
    snapshot, home, _work = hooks
    repo = tmp_path / "team"
    source = FIXTURES / "importers" / "repo"
    for name in ("plans/direct.smplan.yaml", "shared/team.yaml", "shared/unused.yaml"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / name, repo / name)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {snapshot}\n    rev: {git(snapshot, 'rev-parse', 'HEAD')}\n"
        "    hooks:\n      - id: smplan-lint\n",
        encoding="utf-8",
    )
    git(repo, "init", "-q")
    subprocess.run(
        ["pre-commit", "install"], cwd=repo, env=_env(home), check=True, capture_output=True
    )
    git(repo, "add", "-A")
    first = _commit(repo, home, "plans")  # YAML that no plan imports is skipped
    assert first.returncode == 0, first.stdout + first.stderr

    team = repo / "shared" / "team.yaml"
    edit(team, "id: ana,", "id: anna,")  # the plan's owner is 'ana'
    git(repo, "add", "shared/team.yaml")
    refused = _commit(repo, home, "rename ana")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "smplan lint" in output and "Failed" in output
    assert (
        "plans/direct.smplan.yaml:8:10: error[unresolved-reference] owner 'ana' of 'plan' "
        "is not a known team member; did you mean 'anna'?"
    ) in output
    assert git(repo, "rev-list", "--count", "HEAD") == "1"

    edit(team, "id: anna, name: Ana Ruiz", "id: ana, name: Ana María Ruiz")
    git(repo, "add", "shared/team.yaml")
    passed = _commit(repo, home, "Ana's full name")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert git(repo, "rev-list", "--count", "HEAD") == "2"
