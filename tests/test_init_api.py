"""`smplan init` and the library API."""

from __future__ import annotations

import pytest

from smplan.api import PlanError, lint_paths, load_plan
from tests.conftest import EXAMPLES, FIXTURES


def test_init_writes_a_plan_that_lints_clean(tmp_path, cli):
    result = cli("init", str(tmp_path / "new"))
    assert result.code == 0
    plan = tmp_path / "new" / "plan.smplan.yaml"
    assert plan.read_text().startswith("# yaml-language-server: $schema=")
    assert (tmp_path / "new" / ".smplan.toml").exists()
    lint = cli("lint", str(plan), "--today", "2027-01-15", "--color", "never")
    assert lint.code == 0, lint.stdout
    assert " error[" not in lint.stdout


def test_init_never_overwrites(tmp_path, cli):
    target = tmp_path / "plan.smplan.yaml"
    target.write_text("mine")
    result = cli("init", str(tmp_path))
    assert result.code == 2
    assert "already exists" in result.stderr
    assert target.read_text() == "mine"
    assert not (tmp_path / ".smplan.toml").exists()


@pytest.mark.parametrize("name", ["../escape", "sub/plan", "..", ""])
def test_init_name_is_a_file_name_never_a_path(tmp_path, cli, name):
    target = tmp_path / "new"
    result = cli("init", str(target), "--name", name)
    assert result.code == 2
    assert result.stderr.startswith("smplan: error: invalid plan name")
    assert result.stderr.count("\n") == 1
    assert list(tmp_path.rglob("*")) == []


def test_load_plan_returns_the_typed_model():
    plan = load_plan(EXAMPLES / "cafe-verde" / "cafe-verde.smplan.yaml")
    assert plan.plan.language == "en"
    assert plan.team is not None  # imported from shared/team.yaml
    assert any(o.primary for o in plan.objectives or [])


def test_load_plan_raises_with_diagnostics():
    with pytest.raises(PlanError) as caught:
        load_plan(FIXTURES / "lint" / "unknown-key.smplan.yaml")
    assert caught.value.diagnostics[0].rule == "schema-violation"
    assert ":12:5:" in str(caught.value)


def test_lint_paths_reports_without_click():
    report = lint_paths([FIXTURES / "lint"], today="2027-01-01")
    assert report.files == len(list((FIXTURES / "lint").glob("*.smplan.yaml")))  # every plan
    assert report.files >= 5
    assert report.failed
    assert report.summary["errors"] >= 12


def test_parallel_and_serial_runs_agree(tmp_path):
    source = (FIXTURES / "lint" / "references.smplan.yaml").read_text()
    for i in range(30):
        (tmp_path / f"p{i:02}.smplan.yaml").write_text(source)
    serial = lint_paths([tmp_path], today="2027-01-01", jobs=1)
    parallel = lint_paths([tmp_path], today="2027-01-01", jobs=2)
    assert [d.to_dict() for d in serial.diagnostics] == [d.to_dict() for d in parallel.diagnostics]
    assert len(serial.diagnostics) >= 90
