"""The published JSON Schemas: generated, committed, drift-tested, and valid."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from smplan.schema import dumps, generate
from tests.conftest import EXAMPLES, ROOT

SCHEMAS = ROOT / "schemas"


def test_committed_plan_schema_matches_the_models():
    committed = (SCHEMAS / "plan.schema.json").read_text(encoding="utf-8")
    assert committed == dumps(generate()), "run: python -m smplan.schema schemas/plan.schema.json"


def test_smplan_schema_prints_it(cli):
    result = cli("schema")
    assert result.code == 0
    assert json.loads(result.stdout)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("name", ["plan", "rule", "config"])
def test_schemas_are_valid_2020_12(name):
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)


def _properties(node):
    if isinstance(node, dict):
        yield from (node.get("properties") or {}).items()
        for value in node.values():
            yield from _properties(value)
    elif isinstance(node, list):
        for value in node:
            yield from _properties(value)


def test_every_plan_field_has_a_title_and_description():
    schema = json.loads((SCHEMAS / "plan.schema.json").read_text(encoding="utf-8"))
    missing = [n for n, p in _properties(schema) if not (p.get("title") and p.get("description"))]
    assert not missing, missing


def _plain(value):
    """YAML dates -> ISO text, as a JSON-based validator sees them."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@pytest.mark.parametrize("plan", sorted(EXAMPLES.rglob("*.smplan.yaml")), ids=lambda p: p.name)
def test_examples_validate_against_the_published_schema(plan: Path):
    schema = json.loads((SCHEMAS / "plan.schema.json").read_text(encoding="utf-8"))
    data = _plain(yaml.safe_load(plan.read_text(encoding="utf-8")))
    data.pop("imports", None)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    assert not errors, [e.message for e in errors]


@pytest.mark.parametrize("rule_file", sorted((ROOT / "rules").glob("*.yaml")), ids=lambda p: p.stem)
def test_builtin_rule_files_validate_against_rule_schema(rule_file):
    from smplan.rules.registry import check_against_schema

    check_against_schema(rule_file.read_text(encoding="utf-8"), str(rule_file))
