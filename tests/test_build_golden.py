"""Golden files: the bundled examples, as a reader gets them, byte for byte.

A difference fails with a diff. When the change is intended (a template,
the CSS, a label or an example changed), regenerate and review the diff:

    SMPLAN_UPDATE_GOLDEN=1 pytest tests/test_build_golden.py
"""

from __future__ import annotations

import difflib
import os
from datetime import date
from pathlib import Path

import pytest
from build_support import GOLDEN, QUIET_CONFIG, example

from smplan.render.build import BuildOptions, build

EXAMPLES = ("cafe-verde", "sever-bike")
UPDATE = os.environ.get("SMPLAN_UPDATE_GOLDEN") == "1"
TODAY = date(2027, 7, 15)
"""After the examples' last measurement (2027-06-30): the documents show every result.

The config selects no rule, so the date changes no finding, only the report date.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden")
    options = BuildOptions(formats=["md", "html"], output_dir=out, today=TODAY, config=QUIET_CONFIG)
    outcome = build([example(name) for name in EXAMPLES], options)
    assert outcome.refused is None
    return out


@pytest.mark.parametrize("name", [f"{n}.{ext}" for n in EXAMPLES for ext in ("md", "html")])
def test_matches_golden(built: Path, name: str) -> None:
    actual = (built / name).read_text("utf-8")
    golden = GOLDEN / name
    if UPDATE:
        golden.write_text(actual, encoding="utf-8", newline="\n")
    assert golden.exists(), f"no golden file {golden}; run with SMPLAN_UPDATE_GOLDEN=1"
    expected = golden.read_text("utf-8")
    if actual != expected:
        diff = "".join(
            list(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    actual.splitlines(keepends=True),
                    f"golden/{name}",
                    f"built/{name}",
                )
            )[:80]
        )
        pytest.fail(
            f"{name} differs from its golden file; if intended, regenerate with "
            f"SMPLAN_UPDATE_GOLDEN=1 pytest tests/test_build_golden.py\n{diff}"
        )


def test_builds_are_reproducible(built: Path, tmp_path: Path) -> None:
    options = BuildOptions(
        formats=["md", "html"], output_dir=tmp_path, today=TODAY, config=QUIET_CONFIG
    )
    build([example(name) for name in EXAMPLES], options)
    for name in EXAMPLES:
        for ext in ("md", "html"):
            assert (tmp_path / f"{name}.{ext}").read_bytes() == (
                built / f"{name}.{ext}"
            ).read_bytes()
