"""``smplan rules test``: run every rule's own examples, built-in and custom.

Each example is a small plan; only the rule under test runs on it. Valid
examples must produce nothing; invalid ones exactly the expected positions.
Rule authors test rules without writing Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from smplan.config import Config, RuleSettings
from smplan.engine import Linter
from smplan.rules.base import Rule
from smplan.rules.registry import Registry
from smplan.source import load_text

EXAMPLE_TODAY = date(2027, 1, 1)


@dataclass(frozen=True, slots=True)
class ExampleResult:
    rule: str
    kind: str  # "valid" or "invalid"
    index: int
    expected: tuple[tuple[int, int], ...]
    got: tuple[tuple[int, int], ...]
    messages: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return self.expected == self.got

    @property
    def label(self) -> str:
        return f"{self.rule} {self.kind}[{self.index}]"


def run_rule_examples(rule: Rule, registry: Registry) -> list[ExampleResult]:
    results = []
    for kind in ("valid", "invalid"):
        for index, example in enumerate(rule.examples.get(kind) or []):
            results.append(_run(rule, registry, kind, index, example))
    return results


def _run(
    rule: Rule, registry: Registry, kind: str, index: int, example: dict[str, Any]
) -> ExampleResult:
    options = {rule.name: dict(example.get("options") or {})}
    settings = RuleSettings(select=(rule.name,), options=options)
    today = example.get("today", EXAMPLE_TODAY)
    profile = example.get("profile", "strict")
    linter = Linter(Config(settings=settings), registry, profile=profile, today=today)
    loaded = load_text(str(example.get("plan", "")), f"{rule.name}.yaml")
    diagnostics = [d for d in linter.lint_loaded(loaded, None).diagnostics if d.rule == rule.name]
    expected = tuple(
        sorted((int(e["line"]), int(e["column"])) for e in example.get("expect") or [])
    )
    got = tuple(sorted((d.line, d.column) for d in diagnostics))
    return ExampleResult(
        rule.name, kind, index, expected, got, tuple(d.message for d in diagnostics)
    )


def run_all(registry: Registry, names: set[str] | None = None) -> list[ExampleResult]:
    results: list[ExampleResult] = []
    for rule in registry:
        if names is None or rule.name in names:
            results.extend(run_rule_examples(rule, registry))
    return results
