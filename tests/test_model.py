"""The pydantic models of the plan DSL (smplan.model) against DOMAIN.md §2."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

import smplan.model
from smplan.model import Frequency, Model, Money, Plan, SwotItem

FIXTURES = Path(__file__).parent / "fixtures" / "model"


def load(name: str) -> Any:
    return yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))


def validate(name: str) -> Plan:
    return Plan.model_validate(load(name))


def at(obj: Any, path: str) -> Any:
    """Follow a document path such as `strategy.channels[0].frequency` through a model."""
    for name, index in re.findall(r"([a-z_]+)|\[(\d+)\]", path):
        obj = obj[int(index)] if index else getattr(obj, name)
    return obj


# ------------------------------------------------------------------ valid plans
@pytest.mark.parametrize("name", ["domain-example.yaml", "minimal.yaml", "shorthands.yaml"])
def test_valid_plan(name: str) -> None:
    plan = validate(name)
    assert plan.smplan == 1


@pytest.mark.parametrize("name", ["domain-example.yaml", "shorthands.yaml"])
@pytest.mark.parametrize("mode", ["python", "json"])
def test_dump_validates_again(name: str, mode: str) -> None:
    """The normalised shape is itself valid input (imports and tools re-validate dumps)."""
    plan = validate(name)
    dumped = plan.model_dump(mode=mode, exclude_none=True)
    assert Plan.model_validate(dumped) == plan


def test_minimal_plan_leaves_every_section_absent() -> None:
    plan = validate("minimal.yaml")
    sections = set(Plan.model_fields) - {"smplan", "plan"}
    assert all(getattr(plan, section) is None for section in sections)
    assert plan.plan.status is None and plan.plan.actuals is None


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("plan.period.start", datetime(2027, 1, 1).date()),
        ("situation.internal.reputation.sentiment.negative", 8),
        (
            "situation.swot.strengths[1]",
            SwotItem(text="Loyal local customers", source="reputation"),
        ),
        ("kpis[0].target.value", 2400),
        ("strategy.channels[0].frequency", Frequency(count=4, per="week")),
        ("campaigns[0].budget", Money(amount=1800)),
        ("calendar[0].at", datetime(2027, 11, 18, 17, 0, tzinfo=UTC)),
        ("calendar[0].copy_", "Post text as published"),
        ("community.response_time.complaint", timedelta(hours=1)),
        ("crisis.levels[1].acknowledge_within", timedelta(minutes=30)),
        ("crisis.levels[1].notify", ["all"]),
        ("team.raci[0].informed", ["all"]),
        ("budget.total", Money(amount=6000)),
    ],
)
def test_domain_example_values(path: str, expected: Any) -> None:
    assert at(validate("domain-example.yaml"), path) == expected


def test_calendar_copy_is_written_back_as_copy() -> None:
    calendar = validate("domain-example.yaml").calendar
    assert calendar is not None
    dumped = calendar[0].model_dump()
    assert dumped["copy"] == "Post text as published"
    assert "copy_" not in dumped


# ------------------------------------------------------------------ shorthands
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("strategy.channels[0].frequency", Frequency(count=4, per="week")),
        ("strategy.channels[1].frequency", Frequency(count=4, per="week")),
        ("strategy.channels[0].formats[0].frequency", Frequency(count=1.5, per="day")),
        ("community.response_time.default", timedelta(minutes=30)),
        ("community.response_time.complaint", timedelta(hours=4)),
        ("community.response_time.question", timedelta(days=2)),
        ("community.response_time.message", timedelta(weeks=1)),
        ("crisis.levels[0].acknowledge_within", timedelta(minutes=90)),
        ("campaigns[0].budget", Money(amount=1800)),
        ("campaigns[1].budget", Money(amount=250.5, currency="USD")),
        ("budget.total", Money(amount=6000)),
        ("budget.lines[0].amount", Money(amount=1800)),
        ("situation.swot.strengths[0]", SwotItem(text="Own roastery")),
        ("situation.swot.strengths[1]", SwotItem(text="Loyal customers", source="reputation")),
        ("kpis[0].unit", "%"),
        ("kpis[1].unit", "%"),
        ("kpis[2].unit", "%"),
        ("kpis[3].unit", "%"),
        ("kpis[4].unit", "%"),
        ("kpis[5].unit", "%"),
        ("kpis[6].unit", "count"),
        ("kpis[7].unit", "EUR"),
    ],
)
def test_shorthand_normalises(path: str, expected: Any) -> None:
    assert at(validate("shorthands.yaml"), path) == expected


# --------------------------------------------------------------- invalid plans
@pytest.mark.parametrize(
    ("name", "loc", "error_type"),
    [
        ("unknown-key.yaml", ("kpis", 0, "colour"), "extra_forbidden"),
        ("unknown-section.yaml", ("budgets",), "extra_forbidden"),
        ("copy-attribute-name.yaml", ("calendar", 0, "copy_"), "extra_forbidden"),
        ("bad-enum.yaml", ("objectives", 0, "type"), "literal_error"),
        ("missing-required.yaml", ("strategy", "channels", 0, "network"), "missing"),
        ("missing-plan.yaml", ("plan",), "missing"),
        ("wrong-version.yaml", ("smplan",), "literal_error"),
        ("bool-version.yaml", ("smplan",), "value_error"),
        ("bad-id.yaml", ("objectives", 0, "id"), "string_pattern_mismatch"),
        ("bad-duration.yaml", ("community", "response_time", "default"), "value_error"),
        ("bad-frequency.yaml", ("strategy", "channels", 0, "frequency"), "value_error"),
        ("naive-datetime.yaml", ("calendar", 0, "at"), "timezone_aware"),
        ("negative-money.yaml", ("budget", "total", "amount"), "greater_than_equal"),
        ("percent-out-of-range.yaml", ("strategy", "pillars", 0, "share"), "less_than_equal"),
        ("measurement-without-date.yaml", ("actuals", 0, "as_of"), "missing"),
        ("negative-count.yaml", ("actuals", 0, "clicks"), "greater_than_equal"),
    ],
)
def test_invalid_plan(name: str, loc: tuple[str | int, ...], error_type: str) -> None:
    with pytest.raises(ValidationError) as raised:
        validate(f"invalid/{name}")
    errors = [(error["loc"], error["type"]) for error in raised.value.errors()]
    assert errors == [(loc, error_type)]


# ----------------------------------------------------------------- conventions
def _model_classes() -> list[type[Model]]:
    classes: dict[str, type[Model]] = {}
    for info in pkgutil.iter_modules(smplan.model.__path__):
        module = importlib.import_module(f"smplan.model.{info.name}")
        for name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, Model) and obj.__module__ == module.__name__:
                classes[name] = obj
    return [classes[name] for name in sorted(classes)]


MODELS = _model_classes()

# The only fields the schema requires: `*` in DOMAIN.md §2, `kpi`/`as_of` of a
# measurement, and the inside of value objects (period, frequency, money, SWOT item).
REQUIRED = {
    "Plan": {"smplan", "plan"},
    "PlanInfo": {"id", "name", "period"},
    "Objective": {"id", "statement"},
    "Kpi": {"id"},
    "Channel": {"id", "network"},
    "Measurement": {"kpi", "as_of"},
    "Period": {"start", "end"},
    "Frequency": {"count", "per"},
    "Money": {"amount"},
    "SwotItem": {"text"},
}


def test_every_model_is_exported() -> None:
    exported = set(smplan.model.__all__)
    assert {cls.__name__ for cls in MODELS} <= exported
    assert all(hasattr(smplan.model, name) for name in exported)


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
def test_model_is_documented(cls: type[Model]) -> None:
    doc = (cls.__dict__.get("__doc__") or "").strip()
    assert doc and "\n" not in doc, "one-line docstring (the schema description)"
    for name, field in cls.model_fields.items():
        assert field.title, f"{cls.__name__}.{name} has no title"
        assert field.description, f"{cls.__name__}.{name} has no description"


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
def test_only_contract_fields_are_required(cls: type[Model]) -> None:
    required = {name for name, field in cls.model_fields.items() if field.is_required()}
    assert required == REQUIRED.get(cls.__name__, set())
    for name, field in cls.model_fields.items():
        if not field.is_required():
            assert field.default is None, f"{cls.__name__}.{name} must default to None"


def test_json_schema_accepts_the_shorthands() -> None:
    """The published schema advertises every input form the models accept."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = Plan.model_json_schema()
    for name in ["domain-example.yaml", "shorthands.yaml"]:
        data = _jsonable(load(name))  # dates as ISO strings, as in a JSON document
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
        assert not errors, [f"{e.json_path}: {e.message}" for e in errors]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
