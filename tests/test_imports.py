"""`imports:` merges shared sections; findings point into the imported file."""

from __future__ import annotations

from smplan.api import lint_paths, load_plan
from tests.conftest import FIXTURES

REPO = FIXTURES / "imports" / "repo"


def _found(name: str) -> list[tuple[str, int, int, str]]:
    report = lint_paths([REPO / "plans" / name], today="2027-01-01")
    return [
        (d.file.rsplit("/", 1)[-1], d.line, d.column, d.rule)
        for d in report.diagnostics
        if d.rule in ("import-error", "duplicate-key", "schema-violation", "unresolved-reference")
    ]


def test_imported_sections_are_merged(tmp_path):
    plan_dir = tmp_path / "plans"
    plan_dir.mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "team.yaml").write_text(
        "team:\n  members: [{id: ana, name: Ana Ruiz, phone: '+34 600', available: 24x7}]\n"
    )
    (plan_dir / "p.smplan.yaml").write_text(
        "smplan: 1\nimports: [../team.yaml]\n"
        "plan: {id: p, name: P, period: {start: 2027-01-01, end: 2027-12-31}, owner: ana}\n"
    )
    plan = load_plan(plan_dir / "p.smplan.yaml")
    assert plan.team is not None and plan.team.members is not None
    assert plan.team.members[0].id == "ana"


def test_findings_inside_imported_content_point_into_that_file():
    assert ("team.yaml", 7, 18, "schema-violation") in _found("good.smplan.yaml")


def test_import_outside_the_repository_and_missing_file():
    found = _found("escape.smplan.yaml")
    assert ("escape.smplan.yaml", 2, 11, "import-error") in found
    assert ("escape.smplan.yaml", 2, 53, "import-error") in found
    report = lint_paths([REPO / "plans" / "escape.smplan.yaml"])
    messages = " ".join(d.message for d in report.diagnostics)
    assert "outside the repository root" in messages
    assert "'missing.yaml' does not exist" in messages


def test_import_cycle_is_reported():
    found = _found("cycle.smplan.yaml")
    assert ("cycle-b.yaml", 1, 11, "import-error") in found


def test_a_section_in_two_files_is_reported_not_overridden():
    found = _found("conflict.smplan.yaml")
    assert ("team.yaml", 8, 1, "duplicate-key") in found
