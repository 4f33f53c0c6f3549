"""duplicate-id and unresolved-reference cover every collection and every reference kind."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from smplan.api import lint_text
from smplan.paths import expand, format_path
from smplan.rules.checks.structure import REFERENCES, id_lists

EXAMPLE = Path(__file__).parent.parent / "examples" / "sever-bike" / "sever-bike.smplan.yaml"


def example() -> Any:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def test_the_collections_come_from_the_models() -> None:
    found = set(id_lists())
    assert {"objectives", "kpis", "strategy.channels", "crisis.levels", "team.members"} <= found
    assert "situation.external.competitors" in found  # nested collections too
    assert "actuals" not in found  # measurements carry no id: never walked


@pytest.mark.parametrize("pattern", id_lists())
def test_a_repeated_id_is_reported_in_every_collection(pattern: str) -> None:
    data = example()
    [(path, items)] = expand(data, pattern)
    assert items, f"{EXAMPLE.name} should hold an item of {pattern}"
    items.append(copy.deepcopy(items[0]))
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    report = lint_text(text, "plan.smplan.yaml", today="2027-01-15")
    found = [d for d in report.diagnostics if d.rule == "duplicate-id"]
    assert [d.path for d in found] == [format_path((*path, len(items) - 1, "id"))]
    assert f"'{items[0]['id']}' is already used by item #1" in found[0].message


def test_the_example_itself_has_no_repeated_id_nor_unknown_reference() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    report = lint_text(text, "plan.smplan.yaml", today="2027-01-15")
    assert not [d for d in report.diagnostics if d.rule in ("duplicate-id", "unresolved-reference")]


@pytest.mark.parametrize("pattern", [p for p, _, _ in REFERENCES])
def test_an_unknown_reference_is_reported_in_every_kind(pattern: str) -> None:
    data = example()
    matches = expand(data, pattern)
    assert matches, f"{EXAMPLE.name} should hold a value of {pattern}"
    path, _ = matches[0]
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = "no-such-id"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    report = lint_text(text, "plan.smplan.yaml", today="2027-01-15")
    found = [d for d in report.diagnostics if d.rule == "unresolved-reference"]
    assert [d.path for d in found] == [format_path(path)]
    assert "'no-such-id'" in found[0].message
