"""The user cache of derived data: the compiled plan validator and the rule catalogue."""

from __future__ import annotations

import dataclasses
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError
from pydantic_core import SchemaValidator

from smplan import usercache, validate
from smplan.diagnostics import Severity
from smplan.model import Plan
from smplan.rules import registry
from smplan.rules.base import Rule

FIXTURES = Path(__file__).parent / "fixtures"
PLANS = sorted((FIXTURES / "model").rglob("*.yaml")) + sorted(Path("examples").rglob("*.yaml"))


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    validate.plan_validator.cache_clear()
    registry.builtin_registry.cache_clear()
    yield tmp_path / "smplan"
    validate.plan_validator.cache_clear()
    registry.builtin_registry.cache_clear()


def minimal() -> Any:
    return yaml.safe_load((FIXTURES / "model" / "minimal.yaml").read_text(encoding="utf-8"))


def outcome(validator: Any, data: Any) -> Any:
    try:
        return validator.validate_python(data).model_dump()
    except ValidationError as exc:
        return exc.errors(include_url=False, include_context=False)  # msg holds the context


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: str(p))
def test_cached_validator_validates_as_the_models_do(cache_home: Path, plan: Path) -> None:
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    validate.plan_validator()  # builds and stores
    validate.plan_validator.cache_clear()
    cached = validate.plan_validator()  # read back
    assert list(cache_home.glob("validator-*.pickle"))
    Plan.model_rebuild()
    assert outcome(cached, data) == outcome(Plan.__pydantic_validator__, data)


def test_a_corrupt_entry_is_rebuilt(cache_home: Path) -> None:
    validate.plan_validator()
    [entry] = cache_home.glob("validator-*.pickle")
    entry.write_bytes(b"not a pickle")
    validate.plan_validator.cache_clear()
    plan, findings = validate.validate_plan(minimal())
    assert plan is not None and not findings
    assert pickle.loads(entry.read_bytes()) is not None  # rewritten


def test_an_entry_of_the_wrong_type_is_not_trusted(cache_home: Path) -> None:
    key = validate.validator_key()
    usercache.write("validator", key, {"not": "a validator"})
    assert usercache.read("validator", key) == {"not": "a validator"}
    assert isinstance(validate.plan_validator(), SchemaValidator)
    assert isinstance(usercache.read("validator", key), SchemaValidator)  # replaced


def test_the_key_follows_the_files(tmp_path: Path) -> None:
    source = tmp_path / "model.py"
    source.write_text("a = 1\n", encoding="utf-8")
    before = usercache.key_of([source], "pydantic 2")
    assert usercache.key_of([source], "pydantic 2") == before
    assert usercache.key_of([source], "pydantic 3") != before
    source.write_text("a = 22\n", encoding="utf-8")
    assert usercache.key_of([source], "pydantic 2") != before


def test_entries_unused_for_a_week_are_pruned_on_write(cache_home: Path) -> None:
    usercache.write("rules", "old", [1])
    usercache.write("rules", "recent", [2])
    usercache.write("validator", "other-kind", [3])
    week_ago = time.time() - usercache.STALE_AFTER - 60
    for name in ("rules-old", "validator-other-kind"):
        os.utime(cache_home / f"{name}.pickle", (week_ago, week_ago))
    usercache.write("rules", "new", [4])
    assert sorted(p.name for p in cache_home.iterdir()) == [
        "rules-new.pickle",
        "rules-recent.pickle",
        "validator-other-kind.pickle",  # another kind is pruned only by its own writes
    ]


def test_reading_an_entry_marks_it_in_use(cache_home: Path) -> None:
    usercache.write("rules", "k", [1])
    entry = cache_home / "rules-k.pickle"
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(entry, (two_days_ago, two_days_ago))
    assert usercache.read("rules", "k") == [1]
    assert entry.stat().st_mtime > time.time() - 60


def test_a_read_only_cache_folder_only_costs_speed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file: no folder can be made in it
    usercache.write("rules", "k", [1])
    assert usercache.read("rules", "k") is None
    validate.plan_validator.cache_clear()
    try:
        plan, findings = validate.validate_plan(minimal())
    finally:
        validate.plan_validator.cache_clear()
    assert plan is not None and not findings


def _rules_key() -> str:
    folder = registry.data_dir("rules")
    return usercache.key_of(sorted(f for f in folder.iterdir() if f.name.endswith(".yaml")))


def _broken(kind: str) -> registry.Registry:
    """A registry that unpickles fine but does not hold the built-in rules."""
    good = registry.builtin_registry()
    bad = good.copy()
    name = next(iter(bad.rules))
    if kind == "a rule that is a number":
        bad.rules[name] = 5  # type: ignore[assignment]
    elif kind == "a rule missing":
        del bad.rules[name]  # that rule would silently never run
    elif kind == "a field of the wrong type":
        bad.rules[name] = dataclasses.replace(bad.rules[name], severity="error")  # type: ignore[arg-type]
    elif kind == "no rules at all":
        del bad.rules
    return bad


@pytest.mark.parametrize(
    "kind",
    ["a rule that is a number", "a rule missing", "a field of the wrong type", "no rules at all"],
)
def test_a_cached_rule_catalogue_of_the_wrong_shape_is_rebuilt(cache_home: Path, kind: str) -> None:
    expected = sorted(registry.builtin_registry().rules)
    usercache.write("rules", _rules_key(), _broken(kind))
    registry.builtin_registry.cache_clear()
    rebuilt = registry.builtin_registry()
    assert sorted(rebuilt.rules) == expected
    assert all(isinstance(rule, Rule) for rule in rebuilt.rules.values())
    assert isinstance(rebuilt.get(expected[0]).severity, Severity)


def test_read_checks_the_type_it_is_asked_for(cache_home: Path) -> None:
    usercache.write("rules", "k", [1])
    assert usercache.read("rules", "k") == [1]
    assert usercache.read("rules", "k", list) == [1]
    assert usercache.read("rules", "k", dict) is None


def test_a_fifo_in_place_of_an_entry_is_a_miss_not_a_hang(cache_home: Path) -> None:
    cache_home.mkdir(parents=True)
    os.mkfifo(cache_home / "rules-k.pickle")
    # In a child process, so a regression fails on the timeout instead of hanging the suite.
    code = "from smplan import usercache; print(usercache.read('rules', 'k'))"
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "XDG_CACHE_HOME": str(cache_home.parent)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.stdout == "None\n", done


def test_temporary_files_of_killed_writes_are_pruned(cache_home: Path) -> None:
    cache_home.mkdir(parents=True)
    stale, fresh = cache_home / ".rules-killed", cache_home / ".rules-writing"
    stale.write_bytes(b"half a pickle")
    fresh.write_bytes(b"half a pickle")  # perhaps another run writing now: kept
    hours_ago = time.time() - 2 * 3600
    os.utime(stale, (hours_ago, hours_ago))
    usercache.write("rules", "k", [1])
    assert not stale.exists()
    assert fresh.exists()
