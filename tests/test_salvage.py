"""A schema violation does not hide the other findings (all problems in one run),
and no rule speaks about what a schema error cut out of its sight."""

from __future__ import annotations

import copy
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smplan.api import lint_text
from smplan.config import Config, RuleSettings
from smplan.engine import Linter
from smplan.model import Plan
from smplan.rules.registry import builtin_registry
from smplan.salvage import salvage

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from planfactory import plan_data

FIXTURES = Path(__file__).parent / "fixtures" / "salvage"
BASE = plan_data(calendar_items=3, kpis_per_objective=2)


def _found(path: Path, *select: str) -> list[tuple[str, int, int, str]]:
    config = Config(settings=RuleSettings(select=select or ("ALL",)))
    linter = Linter(config, builtin_registry(), today=date(2027, 1, 15))
    result = linter.lint_path(path, path.name)
    return [(d.rule, d.line, d.column, d.message) for d in result.diagnostics if not d.suppressed]


def test_every_problem_is_reported_in_one_run():
    found = _found(
        FIXTURES / "three-problems.smplan.yaml",
        "schema-violation",
        "unresolved-reference",
        "budget-exceeded",
    )
    assert [(rule, line, column) for rule, line, column, _ in found] == [
        ("schema-violation", 22, 16),
        ("unresolved-reference", 34, 12),
        ("budget-exceeded", 43, 10),
    ]
    assert "'upward' is not a valid 'direction'" in found[0][3]
    assert "owner 'nobody' of KPI 'orders'" in found[1][3]


def test_positions_after_a_cut_item_point_at_the_original_lines():
    # The first KPI is cut out; the second KPI is item 0 of what the rules
    # see, yet its finding is placed on its own line in the file.
    found = _found(FIXTURES / "three-problems.smplan.yaml", "kpi-incomplete")
    assert [(rule, line) for rule, line, _, _ in found] == [("kpi-incomplete", 26)]
    assert "KPI 'orders'" in found[0][3]


def test_no_finding_about_what_was_cut_out():
    # 'baselin' is an unknown key: without it the KPI has no baseline, but
    # saying so (kpi-incomplete, objective-not-measurable) would repeat the
    # schema error in other words.
    found = _found(Path(__file__).parent / "fixtures" / "lint" / "unknown-key.smplan.yaml")
    assert [rule for rule, *_ in found] == ["schema-violation"]


def test_a_reference_to_an_item_with_a_schema_error_is_not_unresolved():
    text = (FIXTURES / "three-problems.smplan.yaml").read_text(encoding="utf-8")
    text += "calendar:\n  - {id: c-1, date: 2027-03-02, channel: ig, kpi: sessions}\n"
    config = Config(settings=RuleSettings(select=("unresolved-reference",)))
    report = lint_text(text, "p.smplan.yaml", config, today="2027-01-15")
    messages = [d.message for d in report.active]
    assert not [m for m in messages if "'sessions'" in m], messages
    assert [m for m in messages if "owner 'nobody'" in m], messages


def test_waivers_work_beside_a_schema_error_and_are_not_called_unused():
    found = _found(FIXTURES / "waivers.smplan.yaml")
    rules = [rule for rule, *_ in found]
    # The waiver on the broken KPI cannot be judged; the one on the valid KPI
    # silences its finding.
    assert "unused-suppression" not in rules, found
    assert "unresolved-reference" not in rules, found
    assert rules.count("schema-violation") == 1


def test_no_waiver_is_unused_when_no_rule_could_run():
    found = _found(FIXTURES / "broken-top.smplan.yaml")
    assert [rule for rule, *_ in found] == ["schema-violation"]


def test_a_waiver_is_still_unused_when_its_rule_ran_and_found_nothing(tmp_path):
    text = (FIXTURES / "three-problems.smplan.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "  total: 5000", "  total: 5000  # smplan: ignore[kpi-vanity-only] checked with finance"
    )
    plan = tmp_path / "p.smplan.yaml"
    plan.write_text(text, encoding="utf-8")
    found = _found(plan, "schema-violation", "unused-suppression", "kpi-vanity-only")
    assert [rule for rule, *_ in found] == ["schema-violation", "unused-suppression"]


def test_nothing_is_kept_when_a_required_top_level_part_is_broken():
    def validate(data):
        return None, [("plan", "period")]

    data = {"smplan": 1, "plan": {"period": 2027}}
    assert salvage(data, [("plan", "period")], validate, Plan, {}) is None


def test_a_valid_plan_is_not_copied():
    # The salvage shares every subtree it did not cut (cost on large plans).
    data = copy.deepcopy(BASE)
    data["kpis"][0]["id"] = "Not An Id"  # a required key: the whole KPI goes
    from smplan.rules.base import PlanIndex
    from smplan.validate import validate_partial

    plan, findings, kept = validate_partial(data, PlanIndex.COLLECTIONS)
    assert plan is None and findings and kept is not None
    assert kept.cut == [("kpis", 0)]
    assert kept.data["objectives"] is data["objectives"]
    assert kept.original(("kpis", 0)) == ("kpis", 1)


# ------------------------------------------------------------------ property
def _leaves(node, prefix=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*prefix, index))
    else:
        yield prefix


LEAVES = [p for p in _leaves(BASE) if p[0] != "smplan"]
# Ways a person breaks a value; each keeps what they meant (a reference's id
# inside a stray list is still visible), as real typos do.
BREAKS = {
    "nested": lambda v: [[v]],
    "mapping": lambda v: {"value": v},
    "text": lambda v: "not a date or number" if not isinstance(v, str) else v,
    "negative": lambda v: -1,
    "huge": lambda v: 10**12,
    "boolean": lambda v: True,
}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(LEAVES), st.sampled_from(sorted(BREAKS)))
def test_one_broken_value_adds_no_finding_but_its_own(path, how):
    """The unbroken plan is clean: whatever else one broken value makes a rule
    say is a false finding about what the rule could not see."""
    doc = copy.deepcopy(BASE)
    node = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = BREAKS[how](node[path[-1]])
    report = lint_text(yaml.safe_dump(doc, sort_keys=False), "p.smplan.yaml", today="2027-01-15")
    rules = {d.rule for d in report.diagnostics}
    if "schema-violation" not in rules:
        return  # the value was valid there: the rules judge it as they should
    extra = [d for d in report.diagnostics if d.rule != "schema-violation"]
    assert extra == [], (path, how, [(d.rule, d.message) for d in extra])


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.smplan.yaml")))
def test_fixtures_give_well_formed_diagnostics(name):
    for rule, line, column, message in _found(FIXTURES / name):
        assert line >= 1 and column >= 1 and message and "\n" not in message, rule
