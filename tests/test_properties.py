"""Property tests over the whole lint pipeline: no input makes a rule crash.

Plans are generated from a complete valid plan and then mutated the way real
drafts and hostile pull requests differ from it: fields dropped, types swapped,
ids duplicated, references broken, unicode and very long strings, extreme
numbers and dates. Whatever comes in, lint returns well-formed diagnostics.
"""

from __future__ import annotations

import copy
import datetime as dt
import sys
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smplan.api import lint_text
from smplan.rules.registry import builtin_registry

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from planfactory import plan_data

KNOWN_RULES = {r.name for r in builtin_registry()}
BASE = plan_data(calendar_items=3, kpis_per_objective=2)

WEIRD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.text(alphabet="абвгдеёжз漢字🙂\u200b\u202e", min_size=1, max_size=20),
    st.just("x" * 5000),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.sampled_from(["4/week", "0/day", "30m", "PT4H", "-1", "all", "web-traffic", "ana"]),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out.extend(_paths(value, (*prefix, index)))
    return out


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    node = doc
    for part in path[:-1]:
        node = node[part]
    return node


@st.composite
def mutated_plans(draw: st.DrawFn) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        paths = _paths(doc)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(doc, path)
        last = path[-1]
        action = draw(st.sampled_from(["drop", "swap", "duplicate", "empty"]))
        if action == "drop":
            del parent[last]
        elif action == "swap":
            parent[last] = draw(WEIRD_VALUES)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        elif action == "empty":
            parent[last] = type(parent[last])() if isinstance(parent[last], list | dict) else None
    return doc


def _check(text: str) -> None:
    report = lint_text(text, "p.smplan.yaml", today="2027-01-15")
    lines = text.count("\n") + 1
    for d in report.diagnostics:
        assert d.rule in KNOWN_RULES, d
        assert d.message and "\n" not in d.message, d
        assert 1 <= d.line <= lines + 1 and d.column >= 1, d
        assert (d.end_line, d.end_column) >= (d.line, d.column), d


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_plans())
def test_mutated_plans_give_only_well_formed_diagnostics(doc):
    _check(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text):
    _check(text)


@settings(max_examples=60, deadline=None)
@given(
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10)),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=8), children, max_size=4)
        ),
        max_leaves=30,
    )
)
def test_arbitrary_yaml_documents_never_crash(value):
    _check(yaml.safe_dump({"smplan": 1, "plan": value}, allow_unicode=True))


def test_the_unmutated_plan_is_clean():
    report = lint_text(yaml.safe_dump(BASE, sort_keys=False), "p.smplan.yaml", today="2027-01-15")
    assert report.diagnostics == []
