"""A handed file that is not a plan stands for the plans that import it.

pre-commit hands smplan every staged YAML file: a change to ``shared/team.yaml``
must lint the plans that import it (directly or through another import), and a
YAML file no plan imports is skipped, not reported.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from smplan.api import discover, lint_paths
from smplan.importers import ImportIndex, project_root, read_head
from tests.conftest import FIXTURES

REPO = FIXTURES / "importers" / "repo"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture repository as a git root of its own, and the working folder."""
    root = tmp_path / "repo"
    shutil.copytree(REPO, root)
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    return root


def _names(paths: list[Path]) -> list[str]:
    return [os.path.relpath(os.path.realpath(p)) for p in paths]


def test_a_directly_imported_file_stands_for_its_plan(repo):
    assert _names(discover(["shared/team.yaml"], follow_imports=True)) == [
        "plans/direct.smplan.yaml"
    ]


def test_a_file_imported_through_another_import_stands_for_the_plan(repo):
    found = discover(["shared/tools.yaml"], follow_imports=True)
    assert _names(found) == ["plans/through.smplan.yaml"]
    assert _names(discover(["shared/brand.yaml"], follow_imports=True)) == _names(found)


def test_a_cycle_in_imports_ends(repo):
    for name in ("shared/cycle-a.yaml", "shared/cycle-b.yaml"):
        assert _names(discover([name], follow_imports=True)) == ["plans/cycle.smplan.yaml"]


def test_a_yaml_file_no_plan_imports_is_skipped(repo):
    (repo / ".pre-commit-config.yaml").write_text("repos: []\n")
    (repo / "broken.yaml").write_text("key: [unclosed\n")
    paths = ["shared/unused.yaml", ".pre-commit-config.yaml", "broken.yaml"]
    assert discover(paths, follow_imports=True) == []
    report = lint_paths(paths, follow_imports=True)
    assert report.files == 0 and report.diagnostics == []


def test_a_plan_handed_with_its_own_import_is_linted_once(repo):
    for paths in (
        ["plans/direct.smplan.yaml", "shared/team.yaml"],
        ["shared/team.yaml", "plans/direct.smplan.yaml"],
        ["shared/team.yaml", "shared/team.yaml"],
    ):
        assert _names(discover(paths, follow_imports=True)) == ["plans/direct.smplan.yaml"]
    (repo / "shared" / "team.yaml").write_text("team: {members: [{id: ana, name: 7}]}\n")
    report = lint_paths(
        ["plans/direct.smplan.yaml", "shared/team.yaml"], today="2027-03-01", follow_imports=True
    )
    assert report.files == 1
    broken = [d for d in report.diagnostics if d.file == "shared/team.yaml"]
    assert len(broken) == 1 and broken[0].rule == "schema-violation"


def test_without_follow_imports_a_named_file_is_linted_as_named(repo):
    # plan diffs and builds name files as they are; only lint follows imports.
    assert _names(discover(["shared/team.yaml"])) == ["shared/team.yaml"]


def test_a_file_that_says_it_is_a_plan_is_linted_itself(repo):
    assert _names(discover(["draft.yaml"], follow_imports=True)) == ["draft.yaml"]
    (repo / "plan.yaml").write_text("plan: {id: p, name: P}\n")
    assert _names(discover(["plan.yaml"], follow_imports=True)) == ["plan.yaml"]


def test_a_shared_file_carrying_the_version_stands_for_its_importers(repo):
    # imports may carry `smplan: 1` for the schema; that does not make them plans.
    team = repo / "shared" / "team.yaml"
    team.write_text("smplan: 1\n" + team.read_text())
    assert _names(discover(["shared/team.yaml"], follow_imports=True)) == [
        "plans/direct.smplan.yaml"
    ]


def test_the_search_stays_inside_the_repository_root(repo, tmp_path):
    outside = tmp_path / "outside.smplan.yaml"
    outside.write_text("smplan: 1\nimports: [repo/shared/unused.yaml]\n")
    (repo / "plans" / "escape.smplan.yaml").write_text("smplan: 1\nimports: [../../team.yaml]\n")
    (tmp_path / "team.yaml").write_text("team: {}\n")
    assert discover(["shared/unused.yaml"], follow_imports=True) == []
    assert discover([tmp_path / "team.yaml"], follow_imports=True) == []
    assert project_root(repo / "shared" / "team.yaml") == repo.resolve()


def test_without_git_the_root_is_the_config_folder(tmp_path, monkeypatch):
    shutil.copytree(REPO, tmp_path / "repo")
    (tmp_path / "repo" / ".smplan.toml").write_text("")
    (tmp_path / "repo" / "top.smplan.yaml").write_text("smplan: 1\nimports: [shared/team.yaml]\n")
    monkeypatch.chdir(tmp_path / "repo" / "shared")
    assert project_root(Path("team.yaml")) == (tmp_path / "repo").resolve()
    # Without git a plan's imports stay in its own folder (as lint says), so
    # plans/direct.smplan.yaml cannot reach ../shared/team.yaml.
    assert _names(discover(["team.yaml"], follow_imports=True)) == ["../top.smplan.yaml"]


def test_symlink_loops_and_linked_folders_do_not_hang_the_search(repo):
    (repo / "plans" / "loop").symlink_to(repo / "plans", target_is_directory=True)
    (repo / "self.smplan.yaml").symlink_to(repo / "self.smplan.yaml")
    (repo / "plans" / "dangling.smplan.yaml").symlink_to(repo / "nowhere.yaml")
    assert _names(discover(["shared/team.yaml"], follow_imports=True)) == [
        "plans/direct.smplan.yaml"
    ]


def test_plans_in_tool_folders_are_not_searched(repo):
    for folder in ("node_modules", "venv"):
        (repo / folder).mkdir()
        (repo / folder / "p.smplan.yaml").write_text("imports: [../shared/unused.yaml]\n")
    assert discover(["shared/unused.yaml"], follow_imports=True) == []


def test_only_the_top_of_a_plan_is_read_for_its_imports(tmp_path):
    plan = tmp_path / "p.smplan.yaml"
    # The parse stops after `imports:`, so the broken YAML below it is never read.
    plan.write_text("smplan: 1\nimports:\n  - a.yaml\n  - {not: a path}\n  - b.yaml\nplan: [\n")
    assert read_head(plan, ("imports",)).imports == ("a.yaml", "b.yaml")
    plain = tmp_path / "q.smplan.yaml"
    plain.write_text("smplan: 1\nplan: [\n")  # never says imports: not parsed at all
    assert read_head(plain, ("imports",)).imports == ()
    real = Path(os.path.realpath(tmp_path))
    assert ImportIndex(tmp_path).imports_of(plan) == (real / "a.yaml", real / "b.yaml")


def test_lint_of_a_changed_import_reports_the_importing_plans_findings(repo, cli):
    before = cli("lint", "--today", "2027-03-01", "shared/team.yaml")
    assert before.code == 0, before
    assert "1 file" in before.stdout and "missing the required key" not in before.stdout
    team = repo / "shared" / "team.yaml"
    team.write_text(team.read_text().replace("business_hours", "sometimes"))
    after = cli("lint", "--today", "2027-03-01", "shared/team.yaml")
    assert after.code == 1, after
    assert "shared/team.yaml:4:44: error[schema-violation]" in after.stdout
    assert "in 1 file" in after.stdout
    skipped = cli("lint", "shared/unused.yaml")
    assert skipped.code == 0 and skipped.stderr == "", skipped


def test_build_of_a_changed_import_rebuilds_the_importing_plan(repo, cli):
    built = cli("build", "--force", "-f", "md", "-o", "out", "shared/team.yaml")
    assert built.code == 0, built
    assert [line for line in built.stdout.splitlines() if line.startswith("wrote ")] == [
        "wrote out/direct.md"
    ]
    skipped = cli("build", "-f", "md", "-o", "out2", "shared/unused.yaml")
    assert skipped.code == 0, skipped
    assert "nothing to build" in skipped.stderr
    assert not (repo / "out2").exists()
