"""`smplan rules`, `smplan explain`, `smplan rules test` and the generated docs."""

from __future__ import annotations

import json

from smplan.docs import rule_pages
from smplan.rules.registry import builtin_registry
from tests.conftest import ROOT

PACK_RULE = """\
name: channel-needs-handle
category: strategy
severity: warning
summary: A channel has no handle
given: strategy.channels[*]
then: {field: handle, function: truthy}
message: "channel '{id}' has no handle; add the account name, e.g. '@brand'"
docs:
  what: Channels without a handle.
  why: The agency needs to know which account to post from.
  example: "channels: [{id: ig, network: instagram}]"
  fix: Add `handle`.
examples:
  valid:
    - plan: |
        smplan: 1
        plan: {id: demo, name: Demo, period: {start: 2027-01-01, end: 2027-12-31}}
        strategy: {channels: [{id: ig, network: instagram, handle: "@demo"}]}
  invalid:
    - plan: |
        smplan: 1
        plan: {id: demo, name: Demo, period: {start: 2027-01-01, end: 2027-12-31}}
        strategy: {channels: [{id: ig, network: instagram}]}
      expect:
        - {line: 3, column: %s}
"""


def test_rules_lists_every_rule(cli):
    result = cli("rules")
    assert result.code == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert set(names) == {r.name for r in builtin_registry()}


def test_rules_json(cli):
    rows = json.loads(cli("rules", "--format", "json").stdout)["rules"]
    assert {"name", "category", "severity", "summary"} == set(rows[0])


def test_explain_prints_docs_and_unknown_rule_suggests(cli):
    result = cli("explain", "duplicate-id")
    assert result.code == 0
    for heading in ("What it checks", "Why it matters", "Example", "How to fix"):
        assert f"## {heading}" in result.stdout
    wrong = cli("explain", "duplicate-ids")
    assert wrong.code == 2
    assert "did you mean 'duplicate-id'?" in wrong.stderr


def test_generated_docs_are_current():
    folder = ROOT / "docs" / "rules"
    pages = rule_pages()
    stale = [
        name
        for name, text in pages.items()
        if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != text
    ]
    extra = sorted(p.name for p in folder.glob("*.md") if p.name not in pages)
    assert not stale and not extra, f"run: python -m smplan.docs (stale: {stale}, extra: {extra})"


def test_rules_test_runs_builtin_examples(cli):
    result = cli("rules", "test")
    assert result.code == 0
    assert result.stdout.splitlines()[-1].startswith(f"{_example_count()} passed, 0 failed")


def _example_count() -> int:
    return sum(
        len(r.examples.get("valid") or []) + len(r.examples.get("invalid") or [])
        for r in builtin_registry()
    )


def test_rules_test_runs_a_pack_and_reports_a_wrong_position(tmp_path, cli):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "channel-needs-handle.yaml").write_text(PACK_RULE % "23")
    good = cli("rules", "test", str(pack))
    assert good.code == 0, good.stdout
    assert good.stdout.splitlines()[-1] == "2 passed, 0 failed (1 rules)"
    (pack / "channel-needs-handle.yaml").write_text(PACK_RULE % "3")
    bad = cli("rules", "test", str(pack))
    assert bad.code == 1
    assert "FAIL channel-needs-handle invalid[0]: expected [(3, 3)], got [(3, 23)]" in bad.stdout


def test_malformed_pack_rule_is_a_positioned_error(tmp_path, cli):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "bad.yaml").write_text(
        (PACK_RULE % "23").replace("severity: warning", "severity: loud")
    )
    result = cli("rules", "test", str(pack))
    assert result.code == 2
    assert f"{pack / 'bad.yaml'}:3:11: severity:" in result.stderr
