"""Replay every input the fuzzers ever needed (tests/fixtures/fuzz/<target>/)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

sys.path.insert(0, str(ROOT / "fuzz"))
from harness import TARGETS

CASES = sorted(
    (target, path)
    for target in TARGETS
    for path in (FIXTURES / "fuzz" / target).glob("*")
    if path.is_file()
)


@pytest.mark.parametrize(("target", "path"), CASES, ids=lambda c: getattr(c, "name", c))
def test_fuzz_regression(target: str, path: Path) -> None:
    TARGETS[target](path.read_bytes())


def test_every_target_has_a_regression_input():
    assert {target for target, _ in CASES} == set(TARGETS)
