"""Every rule's own examples (in rules/*.yaml) run as tests with exact positions."""

from __future__ import annotations

import pytest

from smplan.rules.base import EMITTED
from smplan.rules.registry import builtin_registry
from smplan.rules.testing import run_rule_examples

REGISTRY = builtin_registry()
RULES = list(REGISTRY)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_examples(rule):
    results = run_rule_examples(rule, REGISTRY)
    failures = [
        f"{r.label}: expected {list(r.expected)}, got {list(r.got)} {list(r.messages)}"
        for r in results
        if not r.passed
    ]
    assert not failures, "\n".join(failures)


# Rules the pipeline emits (loader, waivers, baselines) may need more than one
# plan to show; their behaviour is tested elsewhere.
@pytest.mark.parametrize("rule", [r for r in RULES if r.name not in EMITTED], ids=lambda r: r.name)
def test_rule_has_valid_and_invalid_examples(rule):
    assert rule.examples.get("valid"), f"{rule.name} has no valid example"
    assert rule.examples.get("invalid"), f"{rule.name} has no invalid example"
